//! Support plans (Charges and discounts → Support plans): each cloud provider's plans are data,
//! each with the rule that prices it from the month's cloud charges.

use serde::{Deserialize, Serialize};

use crate::ids::{ProviderId, SupportPlanId};

/// A share of the month's charges up to a bound (the last tier has none), in basis points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub up_to_cents: Option<i64>,
    pub basis_points: i64,
}

/// The greater of a minimum monthly fee and the tiered share of the month's charges.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingRule {
    pub minimum_cents: i64,
    pub tiers: Vec<Tier>,
}

impl PricingRule {
    /// Reads the stored form: `up_to_cents:basis_points` pairs, comma-separated, ascending, the
    /// last without a bound (`1000000:1000,:300`). `None` for anything else.
    pub fn parse(minimum_cents: i64, tiers: &str) -> Option<PricingRule> {
        let mut parsed = Vec::new();
        for part in tiers.split(',') {
            let (bound, rate) = part.split_once(':')?;
            let up_to_cents = if bound.is_empty() { None } else { Some(bound.parse::<i64>().ok()?) };
            let basis_points = rate.parse::<i64>().ok().filter(|bp| (0..=10_000).contains(bp))?;
            parsed.push(Tier { up_to_cents, basis_points });
        }
        let (last, bounded) = parsed.split_last()?;
        let ascending = bounded.windows(2).all(|pair| pair[0].up_to_cents < pair[1].up_to_cents);
        let all_bounded = bounded.iter().all(|tier| tier.up_to_cents.is_some_and(|bound| bound > 0));
        (minimum_cents >= 0 && last.up_to_cents.is_none() && ascending && all_bounded)
            .then_some(PricingRule { minimum_cents, tiers: parsed })
    }

    /// The month's fee for `charges_cents` of cloud charges, rounded to the cent.
    pub fn monthly_fee_cents(&self, charges_cents: i64) -> i64 {
        let mut fee_hundredths = 0_i128; // cents × basis points / 10,000, kept exact until the end
        let mut below = 0_i64;
        for tier in &self.tiers {
            let top = tier.up_to_cents.unwrap_or(i64::MAX).min(charges_cents);
            if top > below {
                fee_hundredths += i128::from(top - below) * i128::from(tier.basis_points);
            }
            below = tier.up_to_cents.unwrap_or(i64::MAX);
            if below >= charges_cents {
                break;
            }
        }
        let share = i64::try_from((fee_hundredths + 5_000) / 10_000).unwrap_or(i64::MAX);
        share.max(self.minimum_cents)
    }

    /// In words: "Greater of $100 or 10% of the first $10,000 of monthly charges, 7% up to
    /// $80,000, … and 3% above".
    pub fn describe(&self) -> String {
        let shares = match self.tiers.as_slice() {
            [only] if only.basis_points == 0 => return "Included at no charge".into(),
            [only] => format!("{} of monthly charges", percent(only.basis_points)),
            tiers => {
                let words: Vec<String> = tiers
                    .iter()
                    .enumerate()
                    .map(|(n, tier)| match (n, tier.up_to_cents) {
                        (0, Some(bound)) => {
                            format!("{} of the first {} of monthly charges", percent(tier.basis_points), dollars(bound))
                        }
                        (_, Some(bound)) => format!("{} up to {}", percent(tier.basis_points), dollars(bound)),
                        (_, None) => format!("{} above", percent(tier.basis_points)),
                    })
                    .collect();
                match words.split_last() {
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                }
            }
        };
        if self.minimum_cents == 0 {
            shares
        } else {
            format!("Greater of {} or {shares}", dollars(self.minimum_cents))
        }
    }
}

fn percent(basis_points: i64) -> String {
    match basis_points % 100 {
        0 => format!("{}%", basis_points / 100),
        rest => format!("{}.{:02}%", basis_points / 100, rest).trim_end_matches('0').to_owned(),
    }
}

/// Whole dollars with thousands separators; cents only when there are some.
pub fn dollars(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (n, digit) in whole.chars().enumerate() {
        if n > 0 && (whole.len() - n).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match cents % 100 {
        0 => format!("${grouped}"),
        rest => format!("${grouped}.{rest:02}"),
    }
}

/// One plan, as the Support plans section lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportPlan {
    pub id: SupportPlanId,
    pub provider: ProviderId,
    pub name: String,
    pub pricing: PricingRule,
}

/// A provider's plans and the customer's choice among them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPlans {
    pub provider: ProviderId,
    pub provider_name: String,
    pub plans: Vec<SupportPlan>,
    /// The chosen plan's id.
    pub chosen: Option<SupportPlanId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business() -> PricingRule {
        PricingRule::parse(10_000, "1000000:1000,8000000:700,25000000:500,:300").unwrap()
    }

    #[test]
    fn business_support_is_priced_as_aws_publishes_it() {
        let rule = business();
        // The minimum applies below $1,000 of charges.
        assert_eq!(rule.monthly_fee_cents(0), 10_000);
        assert_eq!(rule.monthly_fee_cents(50_000), 10_000);
        // $5,000: 10% = $500.
        assert_eq!(rule.monthly_fee_cents(500_000), 50_000);
        // $50,000: $1,000 + 7% of $40,000 = $3,800.
        assert_eq!(rule.monthly_fee_cents(5_000_000), 380_000);
        // $300,000: $1,000 + $4,900 + $8,500 + 3% of $50,000 = $15,900.
        assert_eq!(rule.monthly_fee_cents(30_000_000), 1_590_000);
        assert_eq!(
            rule.describe(),
            "Greater of $100 or 10% of the first $10,000 of monthly charges, 7% up to $80,000, 5% up to $250,000 \
             and 3% above"
        );
    }

    #[test]
    fn flat_plans_and_rounding() {
        let developer = PricingRule::parse(2_900, ":300").unwrap();
        assert_eq!(developer.monthly_fee_cents(100_000), 3_000);
        assert_eq!(developer.monthly_fee_cents(12_345), 2_900);
        // 3% of $1,234.57 is $37.0371: rounded to the cent.
        assert_eq!(developer.monthly_fee_cents(123_457), 3_704);
        assert_eq!(developer.describe(), "Greater of $29 or 3% of monthly charges");
        let basic = PricingRule::parse(0, ":0").unwrap();
        assert_eq!(basic.monthly_fee_cents(99_999_999), 0);
        assert_eq!(basic.describe(), "Included at no charge");
        assert_eq!(
            PricingRule::parse(550_000, ":1000").unwrap().describe(),
            "Greater of $5,500 or 10% of monthly charges"
        );
    }

    #[test]
    fn malformed_rules_are_refused() {
        for (minimum, tiers) in [
            (0, ""),
            (0, "100:1000"),
            (0, ":1000,:300"),
            (0, "200:100,100:200,:300"),
            (0, "x:100,:3"),
            (0, ":10001"),
            (-1, ":300"),
            (0, "0:100,:300"),
        ] {
            assert_eq!(PricingRule::parse(minimum, tiers), None, "{minimum} {tiers}");
        }
    }

    #[test]
    fn dollars_are_grouped() {
        assert_eq!(dollars(0), "$0");
        assert_eq!(dollars(150_000_000), "$1,500,000");
        assert_eq!(dollars(2_950), "$29.50");
    }
}
