//! Demo data: the reseller "SES Reseller Demo" with an admin, a widget key, two test drives,
//! three products and three tax rates, two customers with usage to bill (`demo_billing`), and the
//! platform's demo staff. Seeded on every start of a demo server; what exists is kept.

use portico_shared::email::EmailAddress;
use portico_shared::ids::{ResellerId, WidgetKeyId};
use portico_shared::staff::StaffRole;
use portico_shared::subscriptions::ProductInput;
use portico_shared::taxes::TaxRateInput;

use crate::principal::Actor;
use crate::resellers;
use crate::widget::keys;
use crate::{commerce, staff, test_drives, Portico};

pub const RESELLER_ID: &str = "res_demo";
pub const RESELLER_NAME: &str = "SES Reseller Demo";
pub const ADMIN_EMAIL: &str = "admin@ses-reseller.demo";
/// Printed by the run command; demo mode only.
pub const ADMIN_PASSWORD: &str = "portico demo reseller";
pub const PUBLISHABLE_KEY: &str = "pk_demo_ses_reseller";
/// The platform's demo staff: a platform admin and a Cloud Support agent (demo mode only).
pub const PLATFORM_ADMIN_EMAIL: &str = "platform@portico.demo";
pub const PLATFORM_ADMIN_PASSWORD: &str = "portico demo platform";
pub const CLOUD_SUPPORT_EMAIL: &str = "support@portico.demo";
pub const CLOUD_SUPPORT_PASSWORD: &str = "portico demo support";

/// What the demo's website embeds.
pub struct Demo {
    pub publishable_key: String,
}

/// Creates the demo reseller on first start; on every start, points its widget key at the demo
/// website (`website`, an origin).
pub async fn seed(portico: &Portico, website: &str) -> anyhow::Result<Demo> {
    let db = &portico.db;
    let reseller = ResellerId(RESELLER_ID.to_owned());
    let key_id: Option<WidgetKeyId> = sqlx::query_scalar("SELECT id FROM widget_keys WHERE publishable_key = $1")
        .bind(PUBLISHABLE_KEY)
        .fetch_optional(&db.pool)
        .await?;
    let key_id = match key_id {
        Some(id) => id,
        None => {
            resellers::insert(db, &reseller, RESELLER_NAME, Some(&format!("{website}/license"))).await?;
            let email = EmailAddress::parse(ADMIN_EMAIL).map_err(|e| anyhow::anyhow!("demo e-mail: {e:?}"))?;
            resellers::add_user(db, &portico.hasher, &reseller, &email, "Demo Admin", StaffRole::Admin, ADMIN_PASSWORD)
                .await?;
            keys::create(&db.pool, &reseller, Some(PUBLISHABLE_KEY)).await?.0
        }
    };
    keys::set_origins(db, &key_id, &[website.to_owned()]).await?;
    seed_platform_staff(portico).await?;
    seed_test_drives(portico, &reseller).await?;
    seed_catalogs(portico, &reseller).await?;
    crate::demo_billing::seed(portico, &reseller, RESELLER_NAME).await?;
    seed_organization(portico).await?;
    Ok(Demo { publishable_key: PUBLISHABLE_KEY.to_owned() })
}

/// Accounts the simulated cloud's AWS organization held before Portico: two whose root e-mails
/// are the demo customers' (tagged, as root e-mails often are), which their Add dialog offers,
/// and one of nobody's.
async fn seed_organization(portico: &Portico) -> anyhow::Result<()> {
    let accounts = [
        ("345678901234", "nancy+analytics@northwind.demo", "Northwind Analytics"),
        ("456789012345", "kim+research@contoso.demo", "Contoso Research"),
        ("567890123456", "ops@fabrikam.demo", "Fabrikam Operations"),
    ];
    for (number, email, name) in accounts {
        sqlx::query(
            "INSERT INTO simulated_organization_accounts (account_number, email, account_name, joined_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (account_number) DO NOTHING",
        )
        .bind(number)
        .bind(email)
        .bind(name)
        .bind(crate::db::now_ms())
        .execute(&portico.db.pool)
        .await?;
    }
    Ok(())
}

/// Two entries in the demo reseller's Test Drives catalog, on first start.
async fn seed_test_drives(portico: &Portico, reseller: &ResellerId) -> anyhow::Result<()> {
    if !test_drives::catalog(&portico.db, reseller).await?.is_empty() {
        return Ok(());
    }
    let actor = Actor { id: None, label: "Portico demo".into() };
    let providers: Vec<_> = test_drives::providers(&portico.db).await?.into_iter().map(|(id, _)| id).collect();
    let entries = [
        ("Data Lake Quick Start", "A ready-made data lake with sample data and notebooks.", "240", "2", "aws"),
        ("Secure Web App", "A load-balanced web application behind a firewall, ready to explore.", "120", "1", "aws"),
    ];
    for (name, description, minutes, limit, provider) in entries {
        let input = portico_shared::test_drives::TestDriveInput {
            name: name.into(),
            description: description.into(),
            duration_minutes: minutes.into(),
            launch_limit: limit.into(),
            provider: provider.into(),
        };
        let valid = input.validate(&providers).map_err(|e| anyhow::anyhow!("demo test drive: {e:?}"))?;
        test_drives::create(&portico.db, reseller, &valid, &actor).await?;
    }
    Ok(())
}

/// A few products and tax rates, on first start, so a customer's Subscriptions and Taxes tabs
/// have something to offer.
async fn seed_catalogs(portico: &Portico, reseller: &ResellerId) -> anyhow::Result<()> {
    let db = &portico.db;
    let actor = Actor { id: None, label: "Portico demo".into() };
    if commerce::products::list(db, reseller).await?.is_empty() {
        let products = [
            ("Microsoft 365 Business Basic", "M365-BB", "6.00", "monthly", "12"),
            ("Managed backup, 100 GB", "BACKUP-100", "45.00", "monthly", ""),
            ("Cloud onboarding", "ONBOARD", "500.00", "one_time", ""),
        ];
        for (name, sku, price, period, term) in products {
            let input = ProductInput {
                name: name.into(),
                sku: sku.into(),
                unit_price: price.into(),
                currency: "USD".into(),
                billing_period: period.into(),
                term_months: term.into(),
            };
            let valid = input.validate().map_err(|e| anyhow::anyhow!("demo product: {e:?}"))?;
            commerce::products::create(db, reseller, &actor, &valid).await?;
        }
    }
    if commerce::taxes::rates(db, reseller).await?.is_empty() {
        let rates =
            [("Ontario HST", "CA", "ON", "13"), ("NYC sales tax", "US", "NY", "8.875"), ("VAT", "GB", "", "20")];
        for (name, country, region, rate) in rates {
            let input = TaxRateInput {
                name: name.into(),
                country: country.into(),
                region: region.into(),
                rate: rate.into(),
                valid_from: "2026-01-01".into(),
                ..TaxRateInput::default()
            };
            let valid = input.validate().map_err(|e| anyhow::anyhow!("demo tax rate: {e:?}"))?;
            commerce::taxes::create_rate(db, reseller, &actor, &valid).await?;
        }
    }
    Ok(())
}

async fn seed_platform_staff(portico: &Portico) -> anyhow::Result<()> {
    let staff = [
        (PLATFORM_ADMIN_EMAIL, "Demo Platform Admin", StaffRole::PlatformAdmin, PLATFORM_ADMIN_PASSWORD),
        (CLOUD_SUPPORT_EMAIL, "Demo Cloud Support", StaffRole::CloudSupport, CLOUD_SUPPORT_PASSWORD),
    ];
    for (email, name, role, password) in staff {
        if staff::find_login(&portico.db, email).await?.is_none() {
            let email = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("demo e-mail: {e:?}"))?;
            resellers::add_platform_user(&portico.db, &portico.hasher, &email, name, role, password).await?;
        }
    }
    Ok(())
}
