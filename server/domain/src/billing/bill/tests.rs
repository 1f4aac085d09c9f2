//! Golden bills worked out by hand, and the properties every bill keeps.

use std::str::FromStr;

use portico_shared::charges::{stored_tiers, Calculation, Terms, ValidChargeRule};
use portico_shared::ids::{ChargeRuleId, ProductId, SubscriptionId, TaxRateId};
use portico_shared::money::Percent;
use portico_shared::taxes::ValidTaxRate;
use proptest::prelude::*;

use super::*;

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn day(text: &str) -> Day {
    Day::parse(text).unwrap()
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn usage(account: &str, service: &str, customer: &str, seller: &str) -> Usage {
    Usage {
        account: CloudAccountId(format!("cla_{account}")),
        account_label: account.into(),
        service: service.into(),
        category: UsageCategory::Usage,
        currency: Currency::USD,
        customer_cost: dec(customer),
        seller_cost: dec(seller),
        rows: 10,
        source: "cur-2026-11.csv".into(),
    }
}

fn rule(kind: RuleKind, calculation: Calculation, base: Base, description: &str) -> ChargeRule {
    ChargeRule {
        id: ChargeRuleId(format!("chr_{}", description.len())),
        settings: ValidChargeRule {
            kind,
            terms: Terms { calculation, minimum: None, maximum: None, currency: Currency::USD },
            base,
            accounts: Vec::new(),
            recurrence: Recurrence::Monthly,
            start: month("2026-01"),
            end: None,
            description: description.into(),
        },
        template: None,
        version: 1,
    }
}

fn business_support() -> ChargeRule {
    let mut support = rule(
        RuleKind::Charge,
        Calculation::Tiered(stored_tiers("1000000:10%,8000000:7%,25000000:5%,:3%").unwrap()),
        Base::CustomerCost,
        "AWS Business Support",
    );
    support.settings.terms.minimum = Some(10_000);
    support
}

fn percent(text: &str) -> Percent {
    Percent::parse(text).unwrap()
}

fn monthly_product(start: &str, quantity: u32, price: i64) -> SubscriptionHistory {
    let subscription = Subscription {
        id: SubscriptionId("sub_1".into()),
        product: ProductId("prd_1".into()),
        product_name: "Managed backup".into(),
        sku: "BK-1".into(),
        quantity,
        unit_price: usd(price),
        billing_period: BillingPeriod::Monthly,
        start: day(start),
        end: None,
        auto_renew: false,
        status: SubscriptionStatus::Active,
        version: 1,
    };
    SubscriptionHistory { versions: vec![(day(start), SubscriptionStatus::Active, quantity)], subscription }
}

fn tax_rate(id: &str, name: &str, rate: &str) -> TaxRate {
    TaxRate {
        id: TaxRateId(format!("txr_{id}")),
        settings: ValidTaxRate {
            name: name.into(),
            country: "US".into(),
            region: Some("NY".into()),
            postal_code: None,
            rate: percent(rate),
            valid_from: day("2026-01-01"),
        },
        retired_on: None,
        used: true,
        version: 1,
    }
}

fn credit(id: &str, minor: i64, expires: Option<&str>, granted_at: i64) -> CreditLeft {
    CreditLeft {
        id: CreditId(format!("crd_{id}")),
        left: usd(minor),
        reason: format!("credit {id}"),
        expires_on: expires.map(day),
        granted_at,
    }
}

fn amounts(bill: &Bill) -> Vec<(LineKind, i64)> {
    bill.lines.iter().map(|line| (line.kind, line.amount.minor)).collect()
}

/// Markup on seller cost + tiered Business support + a prorated subscription + two tax rates +
/// a credit larger than the bill. Worked by hand:
/// - usage: EC2 $80,000.00; S3 $5,000.004 → $5,000.00 (rounded per line);
/// - markup 5% of seller cost $68,000.00 → $3,400.00;
/// - Business on customer cost $85,000.004: 10% of $10,000 = $1,000 + 7% of $70,000 = $4,900
///   + 5% of $5,000.004 = $250.0002 → $6,150.0002 → $6,150.00;
/// - backup $30.00 × 2 from 16 November: 15 of 30 days → $30.00;
/// - subtotal $94,580.00; tax 8.875% → $8,393.975 → $8,393.98; 1% → $945.80;
/// - owed $103,919.78; the $150,000.00 credit covers it: total $0.00, $46,080.22 left.
#[test]
fn golden_markup_tiered_support_tax_and_a_credit_larger_than_the_bill() {
    let inputs = Inputs {
        usage: vec![
            usage("111122223333", "Amazon EC2", "80000.00", "64000.00"),
            usage("111122223333", "Amazon S3", "5000.004", "4000.00"),
        ],
        rules: vec![
            rule(RuleKind::Charge, Calculation::Percent(percent("5")), Base::SellerCost, "Management fee"),
            business_support(),
        ],
        subscriptions: vec![monthly_product("2026-11-16", 2, 3_000)],
        profile: TaxProfile {
            rates: vec![TaxRateId("txr_ny".into()), TaxRateId("txr_city".into())],
            ..TaxProfile::default()
        },
        rates: vec![tax_rate("ny", "NY sales tax", "8.875"), tax_rate("city", "City tax", "1")],
        credits: vec![credit("big", 15_000_000, None, 1)],
    };
    let bills = reckon(month("2026-11"), &inputs);
    assert_eq!(bills.len(), 1);
    let bill = &bills[0];
    assert_eq!(
        amounts(bill),
        [
            (LineKind::Usage, 8_000_000),
            (LineKind::Usage, 500_000),
            (LineKind::Charge, 340_000),
            (LineKind::Charge, 615_000),
            (LineKind::Subscription, 3_000),
            (LineKind::Tax, 839_398),
            (LineKind::Tax, 94_580),
            (LineKind::Credit, -10_391_978),
        ]
    );
    assert_eq!(bill.subtotal, usd(9_458_000));
    assert_eq!(bill.tax, usd(933_978));
    assert_eq!(bill.credits, usd(10_391_978));
    assert_eq!(bill.total, usd(0));
    assert!(bill.lines[7].source.contains("$46,080.22 left"), "{}", bill.lines[7].source);
    assert_eq!(bill.lines[4].source, "$30.00 a month, 15 of 30 days");
}

/// A discount on chosen accounts, an exempt customer and two credits used oldest-expiring
/// first. By hand: usage $1,000.00 (account A) + $500.00 (B); 10% off A → −$100.00; subtotal
/// $1,400.00; exempt: no tax; credits: the one expiring in December ($50.00) first, then the
/// one that never expires ($2,000.00 → $1,350.00 used, $650.00 left); total $0.00.
#[test]
fn golden_discount_on_chosen_accounts_exempt_and_credits_in_expiry_order() {
    let mut discount =
        rule(RuleKind::Discount, Calculation::Percent(percent("10")), Base::CustomerCost, "Partner discount");
    discount.settings.accounts = vec![CloudAccountId("cla_A".into())];
    let inputs = Inputs {
        usage: vec![usage("A", "Amazon EC2", "1000", "800"), usage("B", "Amazon EC2", "500", "400")],
        rules: vec![discount],
        profile: TaxProfile {
            rates: vec![TaxRateId("txr_ny".into())],
            exemption: Exemption::Exempt { certificate_number: "EX-1".into(), expires_on: day("2027-01-31") },
            ..TaxProfile::default()
        },
        rates: vec![tax_rate("ny", "NY sales tax", "8.875")],
        credits: vec![credit("never", 200_000, None, 1), credit("soon", 5_000, Some("2026-12-15"), 2)],
        ..Inputs::default()
    };
    let bill = &reckon(month("2026-11"), &inputs)[0];
    assert_eq!(
        amounts(bill),
        [
            (LineKind::Usage, 100_000),
            (LineKind::Usage, 50_000),
            (LineKind::Discount, -10_000),
            (LineKind::Credit, -5_000),
            (LineKind::Credit, -135_000),
        ]
    );
    assert_eq!(bill.total, usd(0));
    assert_eq!(bill.notes, ["Tax exempt: certificate EX-1, valid until 2027-01-31."]);
    assert!(bill.lines[4].source.contains("$650.00 left"));
}

#[test]
fn discounts_never_take_the_subtotal_below_zero() {
    let fixed = rule(RuleKind::Discount, Calculation::Fixed(50_000), Base::CustomerCost, "Welcome");
    let inputs = Inputs { usage: vec![usage("A", "Amazon S3", "120", "100")], rules: vec![fixed], ..Inputs::default() };
    let bill = &reckon(month("2026-11"), &inputs)[0];
    assert_eq!(amounts(bill), [(LineKind::Usage, 12_000), (LineKind::Discount, -12_000)]);
    assert_eq!(bill.total, usd(0));
    assert_eq!(bill.notes, ["Discounts are limited to what the bill charges: $380.00 of them not applied."]);
}

#[test]
fn reverse_charge_has_no_tax_and_says_so() {
    let inputs = Inputs {
        usage: vec![usage("A", "Amazon S3", "100", "80")],
        profile: TaxProfile {
            rates: vec![TaxRateId("txr_ny".into())],
            tax_id: Some("DE123456789".into()),
            exemption: Exemption::ReverseCharge,
            version: 1,
        },
        rates: vec![tax_rate("ny", "VAT", "19")],
        ..Inputs::default()
    };
    let bill = &reckon(month("2026-11"), &inputs)[0];
    assert_eq!(bill.tax, usd(0));
    assert_eq!(bill.notes, ["Reverse charge: the customer accounts for the tax (tax id DE123456789)."]);
}

#[test]
fn rules_apply_in_their_months_only() {
    let mut once = rule(RuleKind::Charge, Calculation::Fixed(10_000), Base::CustomerCost, "Onboarding");
    once.settings.recurrence = Recurrence::OneTime;
    once.settings.start = month("2026-10");
    let mut ended = rule(RuleKind::Charge, Calculation::Fixed(2_000), Base::CustomerCost, "Old fee");
    ended.settings.end = Some(month("2026-10"));
    let inputs = Inputs { rules: vec![once, ended], ..Inputs::default() };
    assert_eq!(amounts(&reckon(month("2026-10"), &inputs)[0]), [(LineKind::Charge, 10_000), (LineKind::Charge, 2_000)]);
    assert!(reckon(month("2026-11"), &inputs).is_empty());
}

#[test]
fn suspended_days_are_not_billed_and_quantity_follows_the_versions() {
    let mut history = monthly_product("2026-09-01", 1, 3_000);
    history.versions.push((day("2026-11-11"), SubscriptionStatus::Suspended, 1));
    history.versions.push((day("2026-11-21"), SubscriptionStatus::Active, 3));
    let inputs = Inputs { subscriptions: vec![history], ..Inputs::default() };
    // 10 days of 1 unit, then 10 suspended, then 10 days of 3 units: 40 unit-days of 30 → $40.00.
    let bill = &reckon(month("2026-11"), &inputs)[0];
    assert_eq!(amounts(bill), [(LineKind::Subscription, 4_000)]);
    assert_eq!(bill.lines[0].source, "$30.00 a month, 20 of 30 days");
}

#[test]
fn annual_products_bill_in_the_month_each_year_starts() {
    let mut history = monthly_product("2025-11-20", 1, 120_000);
    history.subscription.billing_period = BillingPeriod::Annual;
    let inputs = Inputs { subscriptions: vec![history], ..Inputs::default() };
    assert_eq!(amounts(&reckon(month("2026-11"), &inputs)[0]), [(LineKind::Subscription, 120_000)]);
    assert!(reckon(month("2026-12"), &inputs).is_empty());
}

#[test]
fn every_currency_has_its_own_bill() {
    let mut euro = usage("A", "Virtual Machines", "10", "8");
    euro.currency = Currency::parse("EUR").unwrap();
    let inputs = Inputs { usage: vec![usage("A", "Amazon S3", "5", "4"), euro], ..Inputs::default() };
    let bills = reckon(month("2026-11"), &inputs);
    let totals: Vec<String> = bills.iter().map(|bill| bill.total.format()).collect();
    assert_eq!(totals, ["$5.00", "€10.00"]);
}

#[test]
fn the_providers_own_tax_and_credits_are_not_billed() {
    let mut tax = usage("A", "Amazon S3", "3", "3");
    tax.category = UsageCategory::Tax;
    let inputs = Inputs { usage: vec![tax], ..Inputs::default() };
    assert!(reckon(month("2026-11"), &inputs).is_empty());
}

fn cost() -> impl Strategy<Value = Decimal> {
    (0_i64..2_000_000_000_000, 0_u32..10).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

prop_compose! {
    fn any_inputs()(
        costs in prop::collection::vec((cost(), cost()), 0..6),
        markup in 0_u32..300,
        discount in 0_u32..10_000,
        fixed_discount in 0_i64..10_000_000,
        tax in 0_u32..300_000,
        credits in prop::collection::vec((1_i64..50_000_000, prop::option::of(0_i64..90)), 0..4),
    ) -> Inputs {
        let usage = costs
            .iter()
            .enumerate()
            .map(|(n, (customer, seller))| {
                usage(&format!("{n}"), "Amazon EC2", &customer.to_string(), &seller.to_string())
            })
            .collect();
        let pct = |basis: u32| Percent::parse(&Decimal::new(i64::from(basis), 2).to_string()).unwrap();
        let rules = vec![
            rule(RuleKind::Charge, Calculation::Percent(pct(markup)), Base::SellerCost, "Markup"),
            business_support(),
            rule(RuleKind::Discount, Calculation::Percent(pct(discount)), Base::CustomerCost, "Discount"),
            rule(RuleKind::Discount, Calculation::Fixed(fixed_discount), Base::CustomerCost, "Fixed discount"),
        ];
        let rate = Percent::parse(&Decimal::new(i64::from(tax), 4).to_string()).unwrap();
        let mut taxed = tax_rate("t", "Tax", "1");
        taxed.settings.rate = rate;
        let credits = credits
            .iter()
            .enumerate()
            .map(|(n, (minor, days))| {
                let expires = days.map(|days| Day::from_days(day("2026-11-01").days() + days).to_string());
                credit(&n.to_string(), *minor, expires.as_deref(), i64::try_from(n).unwrap())
            })
            .collect();
        Inputs {
            usage,
            rules,
            profile: TaxProfile { rates: vec![taxed.id.clone()], ..TaxProfile::default() },
            rates: vec![taxed],
            credits,
            subscriptions: vec![monthly_product("2026-11-10", 3, 999)],
        }
    }
}

proptest! {
    #[test]
    fn lines_add_up_and_nothing_goes_below_zero(inputs in any_inputs()) {
        for bill in reckon(month("2026-11"), &inputs) {
            let of = |kinds: &[LineKind]| -> i64 {
                bill.lines.iter().filter(|l| kinds.contains(&l.kind)).map(|l| l.amount.minor).sum()
            };
            let all: i64 = bill.lines.iter().map(|line| line.amount.minor).sum();
            prop_assert_eq!(all, bill.total.minor);
            prop_assert_eq!(
                of(&[LineKind::Usage, LineKind::Charge, LineKind::Discount, LineKind::Subscription]),
                bill.subtotal.minor
            );
            prop_assert_eq!(of(&[LineKind::Tax]), bill.tax.minor);
            prop_assert_eq!(-of(&[LineKind::Credit]), bill.credits.minor);
            prop_assert!(bill.subtotal.minor >= 0);
            prop_assert!(bill.total.minor >= 0);
            prop_assert!(bill.credits.minor <= bill.subtotal.minor + bill.tax.minor);
            let granted: i64 = inputs.credits.iter().map(|credit| credit.left.minor).sum();
            prop_assert!(bill.credits.minor <= granted);
        }
    }

    /// One rounding per line and per tax rate: each tax line is its rate of the subtotal,
    /// rounded once; each usage line its exact cost, rounded once.
    #[test]
    fn each_line_is_rounded_once(inputs in any_inputs()) {
        for bill in reckon(month("2026-11"), &inputs) {
            let taxes: Vec<i64> = bill.lines.iter().filter(|l| l.kind == LineKind::Tax).map(|l| l.amount.minor).collect();
            let expected: Vec<i64> = inputs.rates.iter().map(|rate| round(rate.settings.rate.of(bill.subtotal.exact()))).collect();
            prop_assert_eq!(taxes, expected);
            let usage: Vec<i64> = bill.lines.iter().filter(|l| l.kind == LineKind::Usage).map(|l| l.amount.minor).collect();
            let exact: Vec<i64> = inputs.usage.iter().map(|u| round(u.customer_cost * Decimal::from(100))).collect();
            prop_assert_eq!(usage, exact);
        }
    }
}
