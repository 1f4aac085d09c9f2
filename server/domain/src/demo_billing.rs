//! The demo's billing: two customers with linked AWS accounts, a management fee, AWS Business
//! support, a tax rate and a credit, and a Cost and Usage Report for last month and this month written to the drop folder,
//! which the job worker imports like any delivery. Seeded once, on the first start.

use std::fmt::Write;

use portico_shared::charges::ChargeRuleInput;
use portico_shared::credits::GrantInput;
use portico_shared::dates::Month;
use portico_shared::details::DetailsInput;
use portico_shared::ids::{CustomerId, ProviderId, ResellerId, ResellerUserId, SupportPlanId};
use portico_shared::staff::StaffRole;
use portico_shared::taxes::TaxProfileInput;

use crate::commerce::{charges, credits, support_plans, taxes, today};
use crate::db::now_ms;
use crate::principal::ResellerUser;
use crate::{customers, Portico};

/// (organization, contact, e-mail, AWS account, monthly EC2 cost at list price, in dollars)
const CUSTOMERS: [(&str, &str, &str, &str, u32); 2] = [
    ("Northwind Traders", "Nancy Davolio", "nancy@northwind.demo", "210987654321", 18_400),
    ("Contoso Pharmaceuticals", "Kim Abercrombie", "kim@contoso.demo", "123456789012", 4_250),
];
const SERVICES: [(&str, u32); 4] = [
    ("Amazon Elastic Compute Cloud", 100),
    ("Amazon Simple Storage Service", 18),
    ("Amazon RDS Service", 35),
    ("AWS Lambda", 3),
];

/// Seeds the demo's billing once: when the demo reseller has no customers yet.
pub async fn seed(portico: &Portico, reseller: &ResellerId, reseller_name: &str) -> anyhow::Result<()> {
    let db = &portico.db;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE reseller_id = $1")
        .bind(reseller.as_str())
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let admin = ResellerUser {
        user_id: ResellerUserId("rsu_demo_seed".into()),
        reseller_id: reseller.clone(),
        name: "Portico demo".into(),
        email: "demo@portico.demo".into(),
        role: StaffRole::Admin,
        reseller_name: reseller_name.into(),
    };
    let this_month = today().month();
    let mut report = String::from(
        "identity/LineItemId,bill/BillingPeriodStartDate,lineItem/UsageAccountId,lineItem/LineItemType,\
         lineItem/ProductCode,product/ProductName,lineItem/UnblendedCost,pricing/publicOnDemandCost,lineItem/CurrencyCode\n",
    );
    for (n, (organization, contact, email, account, ec2)) in CUSTOMERS.into_iter().enumerate() {
        let details = DetailsInput {
            company_name: organization.into(),
            contact_name: contact.into(),
            email: email.into(),
            phone: "212-555-0100".into(),
            country: "US".into(),
            street_address: "1 Demo Plaza".into(),
            city: "New York".into(),
            state: "NY".into(),
            zip: "10001".into(),
            ..DetailsInput::default()
        };
        let customer = customers::add(portico, &admin, &details).await?;
        link_account(portico, reseller, &customer, account).await?;
        if n == 0 {
            management_fee(portico, &admin, &customer, this_month.minus(1)).await?;
            support_plans::choose(
                portico,
                &admin,
                &customer,
                &ProviderId("aws".into()),
                Some(&SupportPlanId("aws-business".into())),
            )
            .await?;
            nyc_tax(portico, &admin, &customer).await?;
            let credit = GrantInput {
                amount: "500".into(),
                currency: "USD".into(),
                reason: "Migration support credit".into(),
                ..GrantInput::default()
            };
            credits::grant(portico, &admin, &customer, &credit).await?;
        }
        for month in [this_month.minus(1), this_month] {
            usage_rows(&mut report, month, account, ec2);
        }
    }
    let folder = &portico.settings.usage_drop_dir;
    tokio::fs::create_dir_all(folder).await?;
    let path = folder.join(format!("demo-cur-{}.csv", this_month));
    tokio::fs::write(&path, report).await?;
    // Dated back a minute, so the drop folder takes it as whole at once.
    let file = std::fs::File::options().write(true).open(&path)?;
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))?;
    Ok(())
}

/// The demo's accounts are linked already, as Cloud Support would have left them.
async fn link_account(
    portico: &Portico,
    reseller: &ResellerId,
    customer: &CustomerId,
    number: &str,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO customer_cloud_providers (customer_id, provider_id, enabled_at) VALUES ($1, 'aws', $2)")
        .bind(customer.as_str())
        .bind(now_ms())
        .execute(&portico.db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO cloud_accounts (id, reseller_id, customer_id, provider_id, created_at, account_number, root_email, \
         external_id, link_state) VALUES ($1, $2, $3, 'aws', $4, $5, $6, $7, 'linked')",
    )
    .bind(format!("cla_demo_{number}"))
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(now_ms())
    .bind(number)
    .bind(format!("aws+{number}@portico.demo"))
    .bind(format!("demo-{number}"))
    .execute(&portico.db.pool)
    .await?;
    Ok(())
}

async fn management_fee(
    portico: &Portico,
    admin: &ResellerUser,
    customer: &CustomerId,
    from: Month,
) -> anyhow::Result<()> {
    let rule = ChargeRuleInput {
        kind: "charge".into(),
        calculation: "percent".into(),
        percent: "5".into(),
        base: "seller_cost".into(),
        applies_to: "customer".into(),
        recurrence: "monthly".into(),
        start_month: from.to_string(),
        description: "Management fee".into(),
        currency: "USD".into(),
        ..ChargeRuleInput::default()
    };
    charges::add(portico, admin, customer, &rule).await?;
    Ok(())
}

async fn nyc_tax(portico: &Portico, admin: &ResellerUser, customer: &CustomerId) -> anyhow::Result<()> {
    let rates = taxes::rates(&portico.db, &admin.reseller_id).await?;
    let Some(nyc) = rates.iter().find(|rate| rate.settings.name == "NYC sales tax") else { return Ok(()) };
    let profile = TaxProfileInput {
        rates: [(nyc.id.to_string(), "true".to_owned())].into(),
        exemption: "none".into(),
        ..TaxProfileInput::default()
    };
    taxes::save_profile(portico, admin, customer, 0, &profile).await?;
    Ok(())
}

/// A month of daily rows per service for one account: list price `ec2` dollars a month of EC2
/// (the other services in proportion), the reseller's cost 20 % below it.
fn usage_rows(report: &mut String, month: Month, account: &str, ec2: u32) {
    let days = u32::from(month.days());
    for day in 1..=days {
        for (service, share) in SERVICES {
            // Whole cents a day, with a little variation from day to day.
            let cents = u64::from(ec2) * u64::from(share) * (95 + u64::from(day % 10)) / (100 * u64::from(days));
            let (list, cost) = (cents, cents * 8 / 10);
            let _ = writeln!(
                report,
                "{account}-{month}-{day}-{share},{month}-01T00:00:00Z,{account},Usage,X,{service},{}.{:02},{}.{:02},USD",
                cost / 100,
                cost % 100,
                list / 100,
                list % 100
            );
        }
    }
}
