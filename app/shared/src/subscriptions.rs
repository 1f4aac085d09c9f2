//! Subscriptions: the reseller's products (Settings → Products) and each customer's
//! subscriptions to them (the Subscriptions tab). A subscription keeps the unit price it was
//! taken at; its states follow one table ([`SubscriptionStatus::after`]), each step a new version
//! in the customer's history.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::{FieldError, Problem};
use crate::dates::Day;
use crate::forms::{self, amount, choice, required_text, Refusals};
use crate::ids::{ProductId, SubscriptionId};
use crate::money::Money;
use crate::text::NAME_MAX;
use crate::Field;

/// The longest SKU.
const SKU_MAX: usize = 64;
/// The longest term, in months: ten years.
const TERM_MAX: u32 = 120;
/// The most units of one subscription.
const QUANTITY_MAX: u32 = 1_000_000;

/// How often a product is billed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BillingPeriod {
    Monthly,
    Annual,
    OneTime,
}

impl BillingPeriod {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            BillingPeriod::Monthly => "Monthly",
            BillingPeriod::Annual => "Annual",
            BillingPeriod::OneTime => "One-time",
        }
    }

    /// The months between two bills; none for a one-time product.
    pub fn months(self) -> Option<u32> {
        match self {
            BillingPeriod::Monthly => Some(1),
            BillingPeriod::Annual => Some(12),
            BillingPeriod::OneTime => None,
        }
    }
}

/// One of the reseller's products.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub settings: ValidProduct,
    /// No longer offered; kept for the subscriptions that have it.
    pub retired: bool,
    /// Whether a customer ever subscribed: then it can be retired but not deleted.
    pub used: bool,
    pub version: i64,
}

impl ValidProduct {
    /// "Microsoft 365 Business Basic (M365-BB) · $6.00 monthly".
    pub fn label(&self) -> String {
        format!(
            "{} ({}) · {} {}",
            self.name,
            self.sku,
            self.unit_price.format(),
            self.billing_period.label().to_lowercase()
        )
    }

    pub fn to_input(&self) -> ProductInput {
        ProductInput {
            name: self.name.clone(),
            sku: self.sku.clone(),
            unit_price: self.unit_price.to_input(),
            currency: self.unit_price.currency.code().into(),
            billing_period: self.billing_period.as_str().into(),
            term_months: self.term_months.map(|months| months.to_string()).unwrap_or_default(),
        }
    }
}

/// A product as its form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductInput {
    pub name: String,
    pub sku: String,
    pub unit_price: String,
    pub currency: String,
    pub billing_period: String,
    pub term_months: String,
}

/// What a product is: it passed every check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidProduct {
    pub name: String,
    pub sku: String,
    pub unit_price: Money,
    pub billing_period: BillingPeriod,
    /// The length of a term in months; none: no fixed term.
    pub term_months: Option<u32>,
}

impl ProductInput {
    pub fn validate(&self) -> Result<ValidProduct, Vec<FieldError>> {
        let mut refused = Refusals::default();
        let name = refused.keep(required_text(Field::Name, &self.name, NAME_MAX));
        let sku = refused.keep(required_text(Field::Sku, &self.sku, SKU_MAX).and_then(|sku| {
            if sku.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
                Ok(sku)
            } else {
                Err(FieldError::new(Field::Sku, Problem::InvalidFormat))
            }
        }));
        let currency = refused.keep(forms::currency(&self.currency));
        let price = currency.and_then(|currency| {
            refused.keep(amount(Field::UnitPrice, &self.unit_price, currency).map(|minor| Money::new(minor, currency)))
        });
        let period = refused.keep(choice::<BillingPeriod>(Field::BillingPeriod, &self.billing_period));
        let term = match self.term_months.trim() {
            "" => Some(None),
            raw => refused.keep(
                raw.parse::<u32>()
                    .ok()
                    .filter(|months| (1..=TERM_MAX).contains(months))
                    .map(Some)
                    .ok_or_else(|| FieldError::new(Field::TermMonths, Problem::InvalidFormat)),
            ),
        };
        let product = (|| {
            Some(ValidProduct {
                name: name?,
                sku: sku?,
                unit_price: price?,
                billing_period: period?,
                term_months: term?,
            })
        })();
        refused.finish(product)
    }
}

/// Where a subscription is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Starts on its start date.
    Pending,
    Active,
    /// Paused by the reseller: not billed.
    Suspended,
    /// Ends at its end date, and will not renew.
    PendingCancel,
    Cancelled,
    /// Reached its end date without renewing.
    Expired,
}

/// A step of a subscription's life: the reseller's (activate, suspend, resume, cancel, keep) or
/// Portico's on the subscription's dates (start, renew, expire, end).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Step {
    Activate,
    Suspend,
    Resume,
    Cancel,
    /// Takes a cancellation back before the end date.
    Keep,
    Renew,
    Expire,
    End,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            Step::Activate => "Activate",
            Step::Suspend => "Suspend",
            Step::Resume => "Resume",
            Step::Cancel => "Cancel subscription",
            Step::Keep => "Keep subscription",
            Step::Renew => "Renew",
            Step::Expire => "Expire",
            Step::End => "End",
        }
    }

    /// The steps a person takes; the others happen on the subscription's dates.
    pub const MANUAL: [Step; 5] = [Step::Activate, Step::Suspend, Step::Resume, Step::Cancel, Step::Keep];
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "Pending",
            SubscriptionStatus::Active => "Active",
            SubscriptionStatus::Suspended => "Suspended",
            SubscriptionStatus::PendingCancel => "Pending cancel",
            SubscriptionStatus::Cancelled => "Cancelled",
            SubscriptionStatus::Expired => "Expired",
        }
    }

    /// The state `step` leads to from this one, if it may be taken: pending → active ⇄
    /// suspended, active → pending cancel → cancelled (or kept), active → expired or renewed.
    pub fn after(self, step: Step) -> Option<SubscriptionStatus> {
        use SubscriptionStatus::*;
        match (self, step) {
            (Pending, Step::Activate)
            | (Suspended, Step::Resume)
            | (PendingCancel, Step::Keep)
            | (Active, Step::Renew) => Some(Active),
            (Active, Step::Suspend) => Some(Suspended),
            (Active, Step::Cancel) => Some(PendingCancel),
            (PendingCancel, Step::End) => Some(Cancelled),
            (Active, Step::Expire) => Some(Expired),
            _ => None,
        }
    }

    /// Whether its quantity, end date and auto-renew may still change.
    pub fn editable(self) -> bool {
        matches!(self, SubscriptionStatus::Pending | SubscriptionStatus::Active | SubscriptionStatus::Suspended)
    }

    /// Whether it is over.
    pub fn ended(self) -> bool {
        matches!(self, SubscriptionStatus::Cancelled | SubscriptionStatus::Expired)
    }
}

/// One of a customer's subscriptions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub product: ProductId,
    pub product_name: String,
    pub sku: String,
    pub quantity: u32,
    /// The product's price when subscribed.
    pub unit_price: Money,
    pub billing_period: BillingPeriod,
    pub start: Day,
    /// The last day of the term, when it renews or ends; none: until cancelled.
    pub end: Option<Day>,
    pub auto_renew: bool,
    pub status: SubscriptionStatus,
    pub version: i64,
}

impl Subscription {
    /// What a period costs: quantity × unit price, exact in minor units.
    pub fn period_total(&self) -> Money {
        Money::new(self.unit_price.minor.saturating_mul(i64::from(self.quantity)), self.unit_price.currency)
    }

    /// The steps a person may take now.
    pub fn steps(&self) -> Vec<Step> {
        Step::MANUAL.into_iter().filter(|step| self.status.after(*step).is_some()).collect()
    }

    pub fn to_input(&self) -> SubscriptionInput {
        SubscriptionInput {
            product: self.product.to_string(),
            quantity: self.quantity.to_string(),
            start_date: self.start.to_string(),
            end_date: self.end.map(|day| day.to_string()).unwrap_or_default(),
            auto_renew: if self.auto_renew { "true" } else { "" }.into(),
        }
    }

    /// The day a cancellation takes effect, cancelled on `today`: the end of the term, or of the
    /// billing period under way (a one-time product's: today).
    pub fn cancellation_day(&self, today: Day) -> Day {
        if let Some(end) = self.end.filter(|end| *end >= today) {
            return end;
        }
        let Some(months) = self.billing_period.months() else { return today };
        let mut boundary = self.start;
        let mut periods = 0;
        while boundary <= today {
            periods += months;
            boundary = self.start.add_months(periods);
        }
        boundary
    }
}

/// A subscription as its form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubscriptionInput {
    pub product: String,
    pub quantity: String,
    pub start_date: String,
    pub end_date: String,
    /// `true` when ticked.
    pub auto_renew: String,
}

/// A subscription that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSubscription {
    pub product: Product,
    pub quantity: u32,
    pub start: Day,
    pub end: Option<Day>,
    pub auto_renew: bool,
}

impl SubscriptionInput {
    /// Checks the form against the reseller's products on offer. An empty end date on a
    /// product with a term ends the first term; auto-renew needs an end date to renew on.
    pub fn validate(&self, offered: &[Product]) -> Result<ValidSubscription, Vec<FieldError>> {
        let mut refused = Refusals::default();
        let product = refused.keep(
            offered
                .iter()
                .find(|product| product.id.as_str() == self.product.trim() && !product.retired)
                .cloned()
                .ok_or_else(|| FieldError::new(Field::Product, Problem::InvalidFormat)),
        );
        let quantity = refused.keep(
            self.quantity
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|quantity| (1..=QUANTITY_MAX).contains(quantity))
                .ok_or_else(|| FieldError::new(Field::Quantity, Problem::InvalidFormat)),
        );
        let start = refused.keep(Day::parse(&self.start_date).map_err(|code| FieldError::new(Field::StartDate, code)));
        let end = match self.end_date.trim() {
            "" => Some(match (&product, start) {
                (Some(product), Some(start)) => product.settings.term_months.map(|months| start.add_months(months)),
                _ => None,
            }),
            raw => refused.keep(Day::parse(raw).map(Some).map_err(|code| FieldError::new(Field::EndDate, code))),
        };
        if let (Some(start), Some(Some(end))) = (start, end) {
            if end <= start {
                refused.refuse(Field::EndDate, Problem::Mismatch);
            }
        }
        let auto_renew = match self.auto_renew.trim() {
            "true" => Some(true),
            "" | "false" => Some(false),
            _ => refused.keep(Err(FieldError::new(Field::AutoRenew, Problem::InvalidFormat))),
        };
        if auto_renew == Some(true) && matches!(end, Some(None)) {
            refused.refuse(Field::EndDate, Problem::Required);
        }
        let subscription = (|| {
            Some(ValidSubscription {
                product: product?,
                quantity: quantity?,
                start: start?,
                end: end?,
                auto_renew: auto_renew?,
            })
        })();
        refused.finish(subscription)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn day(raw: &str) -> Day {
        Day::parse(raw).unwrap()
    }

    fn product(term: Option<u32>) -> Product {
        Product {
            id: ProductId("prd_1".into()),
            settings: ValidProduct {
                name: "Microsoft 365 Business Basic".into(),
                sku: "M365-BB".into(),
                unit_price: Money::new(600, Currency::USD),
                billing_period: BillingPeriod::Monthly,
                term_months: term,
            },
            retired: false,
            used: false,
            version: 1,
        }
    }

    fn refused<T: std::fmt::Debug>(result: Result<T, Vec<FieldError>>) -> Vec<(Field, Problem)> {
        result.unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_product_has_a_name_a_sku_a_price_and_a_period() {
        let input = ProductInput {
            name: "Microsoft 365 Business Basic".into(),
            sku: "M365-BB".into(),
            unit_price: "6.00".into(),
            currency: "USD".into(),
            billing_period: "monthly".into(),
            term_months: "12".into(),
        };
        let valid = input.validate().unwrap();
        assert_eq!((valid.unit_price.minor, valid.term_months), (600, Some(12)));
        assert_eq!(
            refused(ProductInput::default().validate()),
            vec![
                (Field::Name, Problem::Required),
                (Field::Sku, Problem::Required),
                (Field::Currency, Problem::InvalidFormat),
                (Field::BillingPeriod, Problem::InvalidFormat),
            ]
        );
        for (term, ok) in [("0", false), ("121", false), ("1.5", false), ("120", true), ("", true)] {
            let result = ProductInput { term_months: term.into(), ..input.clone() }.validate();
            assert_eq!(result.is_ok(), ok, "{term}");
        }
        assert_eq!(
            refused(ProductInput { sku: "M365 BB".into(), unit_price: "6.001".into(), ..input }.validate()),
            vec![(Field::Sku, Problem::InvalidFormat), (Field::UnitPrice, Problem::InvalidFormat)]
        );
    }

    #[test]
    fn states_follow_one_table() {
        use SubscriptionStatus::*;
        let reachable: Vec<(SubscriptionStatus, Step, SubscriptionStatus)> = SubscriptionStatus::VARIANTS
            .iter()
            .flat_map(|from| {
                Step::VARIANTS.iter().filter_map(move |step| from.after(*step).map(|to| (*from, *step, to)))
            })
            .collect();
        assert_eq!(
            reachable,
            vec![
                (Pending, Step::Activate, Active),
                (Active, Step::Suspend, Suspended),
                (Active, Step::Cancel, PendingCancel),
                (Active, Step::Renew, Active),
                (Active, Step::Expire, Expired),
                (Suspended, Step::Resume, Active),
                (PendingCancel, Step::Keep, Active),
                (PendingCancel, Step::End, Cancelled),
            ]
        );
    }

    #[test]
    fn a_subscription_form_is_checked_against_the_catalog() {
        let offered = [product(Some(12))];
        let form = SubscriptionInput {
            product: "prd_1".into(),
            quantity: "25".into(),
            start_date: "2026-12-15".into(),
            ..SubscriptionInput::default()
        };
        let valid = form.validate(&offered).unwrap();
        assert_eq!((valid.quantity, valid.end), (25, Some(day("2027-12-15"))));
        assert_eq!(
            refused(SubscriptionInput::default().validate(&offered)),
            vec![
                (Field::Product, Problem::InvalidFormat),
                (Field::Quantity, Problem::InvalidFormat),
                (Field::StartDate, Problem::Required)
            ]
        );
        for quantity in ["0", "-1", "2.5", "1000001", "many"] {
            let bad = SubscriptionInput { quantity: quantity.into(), ..form.clone() };
            assert_eq!(refused(bad.validate(&offered)), vec![(Field::Quantity, Problem::InvalidFormat)], "{quantity}");
        }
        let backwards = SubscriptionInput { end_date: "2026-12-15".into(), ..form.clone() };
        assert_eq!(refused(backwards.validate(&offered)), vec![(Field::EndDate, Problem::Mismatch)]);
        let open_ended = [product(None)];
        let renewing = SubscriptionInput { auto_renew: "true".into(), ..form.clone() };
        assert_eq!(refused(renewing.validate(&open_ended)), vec![(Field::EndDate, Problem::Required)]);
        let retired = [Product { retired: true, ..product(None) }];
        assert_eq!(refused(form.validate(&retired)), vec![(Field::Product, Problem::InvalidFormat)]);
    }

    #[test]
    fn a_cancellation_takes_effect_at_the_end_of_the_period() {
        let subscription = Subscription {
            id: SubscriptionId("sub_1".into()),
            product: ProductId("prd_1".into()),
            product_name: "M365".into(),
            sku: "M365-BB".into(),
            quantity: 3,
            unit_price: Money::new(600, Currency::USD),
            billing_period: BillingPeriod::Monthly,
            start: day("2026-01-31"),
            end: None,
            auto_renew: false,
            status: SubscriptionStatus::Active,
            version: 1,
        };
        assert_eq!(subscription.period_total().minor, 1_800);
        assert_eq!(subscription.cancellation_day(day("2026-12-06")), day("2026-12-31"));
        assert_eq!(subscription.cancellation_day(day("2026-02-28")), day("2026-03-31"));
        let termed = Subscription { end: Some(day("2027-01-31")), ..subscription.clone() };
        assert_eq!(termed.cancellation_day(day("2026-12-06")), day("2027-01-31"));
        let once = Subscription { billing_period: BillingPeriod::OneTime, ..subscription };
        assert_eq!(once.cancellation_day(day("2026-12-06")), day("2026-12-06"));
        assert_eq!(once.steps(), vec![Step::Suspend, Step::Cancel]);
    }
}
