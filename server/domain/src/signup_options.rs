//! Storage of each reseller's signup options.

use portico_shared::ids::ResellerId;
use portico_shared::signup_options::SignupOptions;
use sqlx::{Any, Row};

use crate::audit::{self, Change, Snapshot};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::Actor;
use crate::principal::ResellerAdmin;
use crate::Portico;

/// The reseller's options; a reseller that never set any has the defaults.
pub async fn load(db: &Db, reseller: &ResellerId) -> Result<SignupOptions> {
    read(&db.pool, reseller).await
}

async fn read<'e>(executor: impl sqlx::Executor<'e, Database = Any>, reseller: &ResellerId) -> Result<SignupOptions> {
    let row = sqlx::query(
        "SELECT require_email_verification, require_address, require_license_acceptance, auto_approve, \
         approved_domains, review_domains, custom_text FROM reseller_signup_options WHERE reseller_id = $1",
    )
    .bind(reseller.as_str())
    .fetch_optional(executor)
    .await?;
    let Some(row) = row else { return Ok(SignupOptions::default()) };
    let flag = |name: &str| row.try_get::<i64, _>(name).map(|v| v != 0);
    let lines = |name: &str| {
        row.try_get::<String, _>(name).map(|text| text.lines().map(str::to_owned).filter(|l| !l.is_empty()).collect())
    };
    Ok(SignupOptions {
        require_email_verification: flag("require_email_verification")?,
        require_address: flag("require_address")?,
        require_license_acceptance: flag("require_license_acceptance")?,
        auto_approve: flag("auto_approve")?,
        approved_domains: lines("approved_domains")?,
        review_domains: lines("review_domains")?,
        custom_text: row.try_get("custom_text")?,
    })
}

fn snapshot(options: &SignupOptions) -> Snapshot {
    let flag = |on: bool| if on { "Yes" } else { "No" }.to_owned();
    Snapshot::from([
        ("Require e-mail verification", flag(options.require_email_verification)),
        ("Require address", flag(options.require_address)),
        ("Require license acceptance", flag(options.require_license_acceptance)),
        ("Auto-approve", flag(options.auto_approve)),
        ("Approved domains", options.approved_domains.join(" ")),
        ("Review domains", options.review_domains.join(" ")),
        ("Custom text", options.custom_text.clone()),
    ])
}

/// Replaces the admin's reseller's signup options, recording the change; returns them as
/// stored (domains cleaned and sorted).
pub async fn save(portico: &Portico, admin: &ResellerAdmin, options: SignupOptions) -> Result<SignupOptions> {
    let options = options.validate().map_err(Error::Validation)?;
    store(&portico.db, &admin.reseller_id, &options, &admin.actor()).await?;
    Ok(options)
}

/// Replaces the reseller's options with already validated ones, recording the change. What they
/// replace is read inside the transaction, with the reseller's row locked, so two saves at once
/// each log what they replaced.
pub async fn store(db: &Db, reseller: &ResellerId, options: &SignupOptions, actor: &Actor) -> Result<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query(&format!("SELECT id FROM resellers WHERE id = $1{}", db.for_update()))
        .bind(reseller.as_str())
        .execute(&mut **tx)
        .await?;
    let before = read(&mut **tx, reseller).await?;
    sqlx::query("DELETE FROM reseller_signup_options WHERE reseller_id = $1")
        .bind(reseller.as_str())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO reseller_signup_options (reseller_id, require_email_verification, require_address, \
         require_license_acceptance, auto_approve, approved_domains, review_domains, custom_text, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(reseller.as_str())
    .bind(i64::from(options.require_email_verification))
    .bind(i64::from(options.require_address))
    .bind(i64::from(options.require_license_acceptance))
    .bind(i64::from(options.auto_approve))
    .bind(options.approved_domains.join("\n"))
    .bind(options.review_domains.join("\n"))
    .bind(&options.custom_text)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    let change = Change {
        reseller,
        customer: None,
        actor,
        action: "Signup options changed",
        before: Some(snapshot(&before)),
        after: Some(snapshot(options)),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(())
}
