//! A new account's admin access for its end user (the guide's Part 5: "The Admin credentials
//! will be sent to the end user"): never a password by e-mail, but a one-time link. Opening it
//! shows what it grants; confirming asks the gateway to grant it and goes to the sign-in page.
//! The GET does nothing, so a mail scanner that follows links cannot use it up.

use portico_shared::aws::AccountId;
use portico_shared::ids::{CloudAccountId, CustomerId, ResellerUserId};
use sqlx::{Any, Row, Transaction};

use crate::customers::{self, Contact};

use crate::cloud::gateway::{AdminAccess, CloudGateway};
use crate::config::LinkConfig;
use crate::db::{now_ms, Db};
use crate::emails;
use crate::error::Result;
use crate::jobs::{self, Job};
use crate::tokens::{new_token, token_hash};

/// How long the link works.
const LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

/// Issues the link for the customer's primary contact and queues the e-mail that carries it.
pub async fn issue(
    tx: &mut Transaction<'_, Any>,
    config: &LinkConfig,
    account: &CloudAccountId,
    customer: &CustomerId,
    number: &AccountId,
) -> Result<()> {
    let Contact { name, email, reseller, .. } = customers::contact(tx, customer).await?;
    let link = store(tx, config, account, &email).await?;
    let mail = emails::aws_admin_access(&email, &name, number.as_str(), &reseller, &link);
    jobs::enqueue(tx, &Job::SendEmail(mail)).await
}

/// **Request credentials for me**: the reseller user who asked gets a link of their own.
pub async fn issue_to_reseller_user(
    tx: &mut Transaction<'_, Any>,
    config: &LinkConfig,
    account: &CloudAccountId,
    user: &ResellerUserId,
    number: &AccountId,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT u.email, u.name, r.name AS reseller FROM reseller_users u JOIN resellers r ON r.id = u.reseller_id \
         WHERE u.id = $1",
    )
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    let (email, name, reseller): (String, String, String) =
        (row.try_get("email")?, row.try_get("name")?, row.try_get("reseller")?);
    let link = store(tx, config, account, &email).await?;
    let mail = emails::aws_reseller_access(&email, &name, number.as_str(), &reseller, &link);
    jobs::enqueue(tx, &Job::SendEmail(mail)).await
}

/// Stores a new link for `email` to the account's access and returns its address.
async fn store(
    tx: &mut Transaction<'_, Any>,
    config: &LinkConfig,
    account: &CloudAccountId,
    email: &str,
) -> Result<String> {
    let token = new_token();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cloud_access_links (token_hash, account_id, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(account)
    .bind(email)
    .bind(now)
    .bind(now + LIFETIME_MS)
    .execute(&mut **tx)
    .await?;
    Ok(format!("{}/cloud-access?token={token}", config.origin))
}

/// (account number, e-mail) of a link still usable.
pub async fn usable(db: &Db, token: &str) -> Result<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT a.account_number, l.email FROM cloud_access_links l JOIN cloud_accounts a ON a.id = l.account_id \
         WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now_ms())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|row| Ok((row.try_get("account_number")?, row.try_get("email")?))).transpose()
}

/// Uses the link up and grants what it offers; `None` when it no longer works. The link is
/// claimed before AWS is asked, so two requests with it at once grant once (a second grant would
/// replace the temporary password the first one shows); if granting fails it is given back, to
/// be tried again.
pub async fn open(db: &Db, cloud: &dyn CloudGateway, token: &str) -> Result<Option<AdminAccess>> {
    let hash = token_hash(token);
    let claimed_at = now_ms();
    let claimed = sqlx::query(
        "UPDATE cloud_access_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING (SELECT account_number FROM cloud_accounts a WHERE a.id = account_id) AS account_number, email",
    )
    .bind(claimed_at)
    .bind(&hash)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = claimed else { return Ok(None) };
    let granted = async {
        let (number, email): (String, String) = (row.try_get("account_number")?, row.try_get("email")?);
        let account = AccountId::parse(&number).map_err(|_| anyhow::anyhow!("stored account id {number:?}"))?;
        cloud.grant_admin_access(&account, &email).await
    }
    .await;
    if granted.is_err() {
        sqlx::query("UPDATE cloud_access_links SET used_at = NULL WHERE token_hash = $1 AND used_at = $2")
            .bind(&hash)
            .bind(claimed_at)
            .execute(&db.pool)
            .await?;
    }
    granted.map(Some)
}
