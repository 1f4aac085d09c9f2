//! A customer's bill for a month, reckoned from its usage and commercial settings. Nothing here
//! reads the database: [`reckon`] is a function of its inputs, so every rule of it is tested
//! alone. The order of application (Lago's, discounts before tax):
//!
//! 1. **Usage** at customer cost, a line per cloud account and service (usage and purchases; the
//!    provider's own tax, credits and adjustments are the reseller's, not the customer's).
//! 2. **Charges and discounts** in force in the month, each on its base — the customer or the
//!    seller cost of the customer's usage, or of its chosen accounts — then its minimum and
//!    maximum. Discounts never take the bill below zero: beyond that they are cut, with a note.
//! 3. **Subscriptions**, prorated by day: a monthly product costs its price times the share of
//!    the month's days it was active (suspended days are free); an annual product its price in
//!    the month each year of it starts; a one-time product its price in its start month.
//! 4. **Taxes** of the customer's profile, on the subtotal after discounts, a line per rate in
//!    force in the month; none when the customer is exempt (a certificate valid in the month) or
//!    reverse-charged, and the bill says so.
//! 5. **Credits**, oldest-expiring first (those that never expire last, then oldest granted),
//!    never below zero; what a credit has left carries over to the next bill.
//!
//! Every line is rounded once, to the minor unit, half away from zero (`money::round`); the
//! subtotal, the tax and the total are sums of rounded lines, so the lines always add up.

use std::collections::BTreeSet;

use portico_shared::billing::{Bill, BillLine, LineKind, UsageCategory};
use portico_shared::charges::{Base, ChargeRule, Recurrence, RuleKind};
use portico_shared::dates::{date, Day, Month};
use portico_shared::ids::{CloudAccountId, CreditId};
use portico_shared::money::{round, Currency, Money};
use portico_shared::subscriptions::{BillingPeriod, Subscription, SubscriptionStatus};
use portico_shared::taxes::{Exemption, TaxProfile, TaxRate};
use rust_decimal::Decimal;

/// A cloud account's usage of one service in the month, summed.
#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    pub account: CloudAccountId,
    /// How the bill names the account: its number.
    pub account_label: String,
    pub service: String,
    pub category: UsageCategory,
    pub currency: Currency,
    /// Exact, in the currency's major units, as the report wrote them.
    pub customer_cost: Decimal,
    pub seller_cost: Decimal,
    pub rows: i64,
    /// The report it came from.
    pub source: String,
}

/// A subscription with what it was from which day: its versions' day, status and quantity.
#[derive(Clone, Debug, PartialEq)]
pub struct SubscriptionHistory {
    pub subscription: Subscription,
    pub versions: Vec<(Day, SubscriptionStatus, u32)>,
}

/// A grant of credit with what earlier invoices left of it.
#[derive(Clone, Debug, PartialEq)]
pub struct CreditLeft {
    pub id: CreditId,
    pub left: Money,
    pub reason: String,
    pub expires_on: Option<Day>,
    pub granted_at: i64,
}

/// Everything a month's bill is reckoned from.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub usage: Vec<Usage>,
    pub rules: Vec<ChargeRule>,
    pub subscriptions: Vec<SubscriptionHistory>,
    pub profile: TaxProfile,
    /// The reseller's rates the profile names.
    pub rates: Vec<TaxRate>,
    /// Grants neither reversed nor used up.
    pub credits: Vec<CreditLeft>,
}

/// A bill with what it draws from each credit grant.
#[derive(Clone, Debug, PartialEq)]
pub struct Reckoned {
    pub bill: Bill,
    /// Minor units used of each grant, in the order used.
    pub credit_uses: Vec<(CreditId, i64)>,
}

/// The customer's bills for `month`, one per currency that has a line.
pub fn reckon(month: Month, inputs: &Inputs) -> Vec<Bill> {
    reckon_with_credits(month, inputs).into_iter().map(|reckoned| reckoned.bill).collect()
}

/// As [`reckon`], with the credit each bill uses, for an invoice to record.
pub fn reckon_with_credits(month: Month, inputs: &Inputs) -> Vec<Reckoned> {
    let mut currencies: BTreeSet<Currency> = BTreeSet::new();
    currencies.extend(inputs.usage.iter().filter(|usage| usage.category.billed()).map(|usage| usage.currency));
    currencies.extend(inputs.rules.iter().map(|rule| rule.settings.terms.currency));
    currencies.extend(inputs.subscriptions.iter().map(|history| history.subscription.unit_price.currency));
    currencies.into_iter().filter_map(|currency| bill_in(month, currency, inputs)).collect()
}

/// The bill in one currency; none when it has no line.
fn bill_in(month: Month, currency: Currency, inputs: &Inputs) -> Option<Reckoned> {
    let mut lines = usage_lines(currency, inputs);
    lines.extend(rule_lines(month, currency, inputs));
    lines.extend(subscription_lines(month, currency, inputs));
    if lines.is_empty() {
        return None;
    }
    let mut notes = Vec::new();
    limit_discounts(&mut lines, &mut notes);
    let subtotal = sum(&lines);
    let taxes = tax_lines(month, Money::new(subtotal, currency), inputs, &mut notes);
    let tax = sum(&taxes);
    lines.extend(taxes);
    let (credits, credit_uses) = credit_lines(month, Money::new(subtotal + tax, currency), inputs);
    let credited = -sum(&credits);
    lines.extend(credits);
    let money = |minor| Money::new(minor, currency);
    let bill = Bill {
        month,
        currency,
        subtotal: money(subtotal),
        tax: money(tax),
        credits: money(credited),
        total: money(subtotal + tax - credited),
        lines,
        notes,
    };
    Some(Reckoned { bill, credit_uses })
}

fn sum(lines: &[BillLine]) -> i64 {
    lines.iter().map(|line| line.amount.minor).sum()
}

/// An exact amount in major units, as minor units, still exact.
pub(crate) fn minor_units(major: Decimal, currency: Currency) -> Decimal {
    major * Decimal::from(10_i64.pow(currency.minor_digits()))
}

fn usage_lines(currency: Currency, inputs: &Inputs) -> Vec<BillLine> {
    inputs
        .usage
        .iter()
        .filter(|usage| usage.category.billed() && usage.currency == currency)
        .map(|usage| BillLine {
            kind: LineKind::Usage,
            description: format!("{} — account {}", usage.service, usage.account_label),
            source: format!("{} row{} of {}", usage.rows, if usage.rows == 1 { "" } else { "s" }, usage.source),
            amount: Money::new(round(minor_units(usage.customer_cost, currency)), currency),
        })
        .collect()
}

/// Whether a rule applies in `month`.
fn in_force(rule: &ChargeRule, month: Month) -> bool {
    let settings = &rule.settings;
    match settings.recurrence {
        Recurrence::OneTime => settings.start == month,
        Recurrence::Monthly => settings.start <= month && settings.end.is_none_or(|end| month <= end),
    }
}

fn rule_lines(month: Month, currency: Currency, inputs: &Inputs) -> Vec<BillLine> {
    inputs
        .rules
        .iter()
        .filter(|rule| rule.settings.terms.currency == currency && in_force(rule, month))
        .filter_map(|rule| {
            let settings = &rule.settings;
            let base: Decimal = inputs
                .usage
                .iter()
                .filter(|usage| usage.category.billed() && usage.currency == currency)
                .filter(|usage| settings.accounts.is_empty() || settings.accounts.contains(&usage.account))
                .map(|usage| match settings.base {
                    Base::CustomerCost => usage.customer_cost,
                    Base::SellerCost => usage.seller_cost,
                })
                .sum();
            let base = minor_units(base, currency);
            let amount = round(settings.terms.exact_on(base));
            if amount == 0 {
                return None;
            }
            let (kind, sign) = match settings.kind {
                RuleKind::Charge => (LineKind::Charge, 1),
                RuleKind::Discount => (LineKind::Discount, -1),
            };
            let scope = if settings.accounts.is_empty() { "" } else { " of the chosen accounts" };
            Some(BillLine {
                kind,
                description: if settings.description.is_empty() {
                    kind.label().to_owned()
                } else {
                    settings.description.clone()
                },
                source: format!(
                    "{}, on the {}{scope} ({})",
                    settings.terms.describe(),
                    settings.base.label().to_lowercase(),
                    Money::new(round(base), currency).format()
                ),
                amount: Money::new(sign * amount, currency),
            })
        })
        .collect()
}

/// Discounts beyond what the bill charges are cut, the last first, so the subtotal is never
/// below zero.
fn limit_discounts(lines: &mut [BillLine], notes: &mut Vec<String>) {
    let mut excess = -sum(lines);
    if excess <= 0 {
        return;
    }
    let currency = lines.first().map_or(Currency::USD, |line| line.amount.currency);
    notes.push(format!(
        "Discounts are limited to what the bill charges: {} of them not applied.",
        Money::new(excess, currency).format()
    ));
    for line in lines.iter_mut().rev().filter(|line| line.kind == LineKind::Discount) {
        let cut = excess.min(-line.amount.minor);
        line.amount.minor += cut;
        excess -= cut;
        if excess == 0 {
            break;
        }
    }
}

/// What a subscription was on `day`: its status and quantity, if it had begun; a pending one
/// counts as active from its start, and nothing is billed outside its dates.
fn state_on(history: &SubscriptionHistory, day: Day) -> Option<(SubscriptionStatus, u32)> {
    let subscription = &history.subscription;
    let ended = subscription.end.is_some_and(|end| day > end) && !subscription.auto_renew;
    if day < subscription.start || ended {
        return None;
    }
    let (_, status, quantity) = history
        .versions
        .iter()
        .rev()
        .find(|(from, _, _)| *from <= day)
        .or_else(|| history.versions.first())
        .copied()
        .unwrap_or((subscription.start, subscription.status, subscription.quantity));
    let status = if status == SubscriptionStatus::Pending { SubscriptionStatus::Active } else { status };
    Some((status, quantity))
}

/// The quantity billed on `day`: none unless active (or active until a cancellation's end).
fn billed_quantity(history: &SubscriptionHistory, day: Day) -> u32 {
    match state_on(history, day) {
        Some((SubscriptionStatus::Active | SubscriptionStatus::PendingCancel, quantity)) => quantity,
        _ => 0,
    }
}

fn subscription_lines(month: Month, currency: Currency, inputs: &Inputs) -> Vec<BillLine> {
    let first = month.first_day();
    let days_in_month = i64::from(month.days());
    let days: Vec<Day> = (0..days_in_month).map(|n| Day::from_days(first.days() + n)).collect();
    inputs
        .subscriptions
        .iter()
        .filter(|history| history.subscription.unit_price.currency == currency)
        .filter_map(|history| {
            let subscription = &history.subscription;
            let price = subscription.unit_price;
            let name = format!("{} ({})", subscription.product_name, subscription.sku);
            let (exact, source) = match subscription.billing_period {
                BillingPeriod::Monthly => {
                    let quantities: Vec<u32> = days.iter().map(|day| billed_quantity(history, *day)).collect();
                    let unit_days: i64 = quantities.iter().map(|quantity| i64::from(*quantity)).sum();
                    let active_days = quantities.iter().filter(|quantity| **quantity > 0).count();
                    let exact = price.exact() * Decimal::from(unit_days) / Decimal::from(days_in_month);
                    (exact, format!("{} a month, {active_days} of {days_in_month} days", price.format()))
                }
                BillingPeriod::Annual => {
                    // The year of it that starts this month, if one does.
                    let start = (0..)
                        .map(|year| subscription.start.add_months(12 * year))
                        .take_while(|day| *day <= month.last_day())
                        .find(|day| day.month() == month);
                    let quantity = start.map_or(0, |day| billed_quantity(history, day));
                    let from = start.map(|day| day.to_string()).unwrap_or_default();
                    (price.exact() * Decimal::from(quantity), format!("{} a year, from {from}", price.format()))
                }
                BillingPeriod::OneTime => {
                    let quantity = if subscription.start.month() == month {
                        billed_quantity(history, subscription.start)
                    } else {
                        0
                    };
                    (price.exact() * Decimal::from(quantity), format!("{} once", price.format()))
                }
            };
            let amount = round(exact);
            (amount != 0).then(|| BillLine {
                kind: LineKind::Subscription,
                description: format!("{name} × {}", subscription.quantity),
                source,
                amount: Money::new(amount, currency),
            })
        })
        .collect()
}

fn tax_lines(month: Month, taxable: Money, inputs: &Inputs, notes: &mut Vec<String>) -> Vec<BillLine> {
    let profile = &inputs.profile;
    match &profile.exemption {
        Exemption::Exempt { certificate_number, expires_on } if *expires_on >= month.first_day() => {
            notes.push(format!("Tax exempt: certificate {certificate_number}, valid until {expires_on}."));
            return Vec::new();
        }
        Exemption::Exempt { certificate_number, expires_on } => {
            notes.push(format!("Exemption certificate {certificate_number} expired on {expires_on}: taxes apply."));
        }
        Exemption::ReverseCharge => {
            let id = profile.tax_id.as_deref().unwrap_or_default();
            notes.push(format!("Reverse charge: the customer accounts for the tax (tax id {id})."));
            return Vec::new();
        }
        Exemption::None => {}
    }
    inputs
        .rates
        .iter()
        .filter(|rate| profile.rates.contains(&rate.id))
        .filter(|rate| {
            rate.settings.valid_from <= month.last_day() && rate.retired_on.is_none_or(|day| day > month.first_day())
        })
        .map(|rate| {
            let settings = &rate.settings;
            BillLine {
                kind: LineKind::Tax,
                description: format!("{} {}", settings.name, settings.rate),
                source: format!("{} of {}", settings.rate, taxable.format()),
                amount: Money::new(round(settings.rate.of(taxable.exact())), taxable.currency),
            }
        })
        .collect()
}

fn credit_lines(month: Month, owed: Money, inputs: &Inputs) -> (Vec<BillLine>, Vec<(CreditId, i64)>) {
    let mut grants: Vec<&CreditLeft> = inputs
        .credits
        .iter()
        .filter(|credit| credit.left.currency == owed.currency && credit.left.minor > 0)
        .filter(|credit| credit.expires_on.is_none_or(|day| day >= month.first_day()))
        .collect();
    // Oldest-expiring first; those that never expire last; then the oldest grant.
    grants.sort_by_key(|credit| (credit.expires_on.is_none(), credit.expires_on, credit.granted_at));
    let mut owed = owed.minor.max(0);
    let (mut lines, mut uses) = (Vec::new(), Vec::new());
    for credit in grants {
        let used = credit.left.minor.min(owed);
        if used == 0 {
            break;
        }
        owed -= used;
        uses.push((credit.id.clone(), used));
        let left = Money::new(credit.left.minor - used, credit.left.currency);
        let expiry = credit.expires_on.map(|day| format!(", expires {day}")).unwrap_or_default();
        lines.push(BillLine {
            kind: LineKind::Credit,
            description: format!("Credit: {}", credit.reason),
            source: format!("Granted {}{expiry}; {} left after this bill", date(credit.granted_at), left.format()),
            amount: Money::new(-used, credit.left.currency),
        });
    }
    (lines, uses)
}

#[cfg(test)]
mod tests;
