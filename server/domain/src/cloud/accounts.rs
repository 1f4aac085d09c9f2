//! A customer's cloud accounts (the Cloud accounts tab): adding an AWS account, checking the
//! role its owner created for the platform, requesting a new account. The reseller's admins and
//! agents alike act on their own customers' accounts; every query is scoped by the reseller and
//! the customer, and every change is audited.

use portico_shared::aws::{
    CloudAccount, CloudAccountInput, NewAccountInput, OrganizationAccount, RoleArn, RoleArnEntry, RoleCheck,
};
use portico_shared::cloud_links::{AccountKind, LinkAction};
use portico_shared::email::EmailAddress;
use portico_shared::ids::{CloudAccountId, CustomerId, ResellerId};
use portico_shared::{api::Problem, Field, FieldError};
use sqlx::Row;

use crate::audit::{self, Change, Snapshot};
use crate::cloud::gateway::{Assumed, CloudGateway};
use crate::cloud::links::{self, histories, link_of, By, Step, LINK_COLUMNS};
use crate::customers::{self, settings};
use crate::db::{new_id, now_ms, Db};
use crate::error::{is_unique_violation, Error, Result};
use crate::principal::ResellerUser;
use crate::Portico;

/// The customer's cloud accounts, oldest first.
pub async fn list(db: &Db, reseller: &ResellerId, customer: &CustomerId) -> Result<Vec<CloudAccount>> {
    let rows = sqlx::query(&format!(
        "SELECT a.id, p.name AS provider_name, a.account_number, a.root_email, a.external_id, a.role_arn, \
         a.role_check, a.role_check_reason, a.version, a.kind, a.account_name, s.name AS support_plan, {LINK_COLUMNS} \
         FROM cloud_accounts a JOIN cloud_providers p ON p.id = a.provider_id \
         LEFT JOIN support_plans s ON s.id = a.support_plan_id \
         WHERE a.reseller_id = $1 AND a.customer_id = $2 ORDER BY a.created_at, a.id"
    ))
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<CloudAccountId> =
        rows.iter().map(|row| row.try_get("id")).collect::<std::result::Result<_, sqlx::Error>>()?;
    let mut histories = histories(db, &ids).await?;
    rows.iter()
        .zip(&ids)
        .map(|(row, id)| {
            let check: String = row.try_get("role_check")?;
            let role_check = match check.as_str() {
                "valid" => RoleCheck::Valid,
                "invalid" => {
                    RoleCheck::Invalid(row.try_get::<Option<String>, _>("role_check_reason")?.unwrap_or_default())
                }
                _ => RoleCheck::NotChecked,
            };
            Ok(CloudAccount {
                id: id.clone(),
                provider_name: row.try_get("provider_name")?,
                account_id: row.try_get("account_number")?,
                email: row.try_get("root_email")?,
                external_id: row.try_get("external_id")?,
                role_arn: row.try_get("role_arn")?,
                role_check,
                version: row.try_get("version")?,
                link: link_of(row, &mut histories, id)?,
                kind: AccountKind::parse(&row.try_get::<String, _>("kind")?)
                    .ok_or_else(|| anyhow::anyhow!("unknown account kind"))?,
                account_name: row.try_get("account_name")?,
                support_plan: row.try_get("support_plan")?,
            })
        })
        .collect()
}

/// Adds an AWS account to one of the user's customers with a fresh ExternalId; returns its id.
/// Amazon Web Services must be on under the customer's Cloud providers; the same AWS account
/// twice for one reseller is refused on the Account ID field.
pub async fn add(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    input: &CloudAccountInput,
) -> Result<CloudAccountId> {
    let db = &portico.db;
    customers::own(db, user, customer).await?;
    let enabled = settings::enabled_providers(db, customer).await?;
    let account = input.validate(&enabled).map_err(Error::Validation)?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let id = CloudAccountId(new_id("cla"));
    // Unguessable and unique to this account: it is what tells the role apart from one another
    // customer of the platform could point the platform at (the confused-deputy defence).
    let external_id = uuid::Uuid::new_v4().to_string();
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO cloud_accounts (id, reseller_id, customer_id, provider_id, created_at, account_number, \
         root_email, external_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(&account.provider)
    .bind(now_ms())
    .bind(account.account_id.as_str())
    .bind(account.email.as_str())
    .bind(&external_id)
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            return Err(Error::Validation(vec![FieldError::new(Field::AccountId, Problem::Conflict)]));
        }
        Err(e) => return Err(e.into()),
    }
    let after = Snapshot::from([
        ("Account ID", account.account_id.as_str().to_owned()),
        ("Email", account.email.as_str().to_owned()),
    ]);
    let action = format!("Cloud account {} added", account.account_id.as_str());
    let entry = Change { reseller, customer: Some(customer), actor, action: &action, before: None, after: Some(after) };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// The accounts the platform already knows for a customer, which the Add dialog's **Account ID**
/// dropdown offers: accounts of the platform's organization whose root e-mail reaches one of the
/// customer's mailboxes (its contact's or a user's, `+tags` aside) and that no customer has on
/// its Cloud accounts tab yet. Asked of the cloud when the dialog opens, not with every page.
pub async fn known(portico: &Portico, user: &ResellerUser, customer: &CustomerId) -> Result<Vec<OrganizationAccount>> {
    let db = &portico.db;
    customers::own(db, user, customer).await?;
    let addresses: Vec<String> = sqlx::query_scalar(
        "SELECT contact_email FROM customers WHERE id = $1 UNION SELECT email FROM customer_users WHERE customer_id = $1",
    )
    .bind(customer.as_str())
    .fetch_all(&db.pool)
    .await?;
    let mailboxes: Vec<String> =
        addresses.iter().filter_map(|raw| EmailAddress::parse(raw).ok()).map(|email| email.mailbox()).collect();
    let mut known = Vec::new();
    for account in portico.cloud.organization_accounts().await? {
        let theirs = EmailAddress::parse(&account.email).is_ok_and(|email| mailboxes.contains(&email.mailbox()));
        if theirs && !claimed(db, &account.account_id).await? {
            known.push(account);
        }
    }
    known.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    Ok(known)
}

/// Whether any customer has this account on its Cloud accounts tab.
async fn claimed(db: &Db, account_number: &str) -> Result<bool> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM cloud_accounts WHERE account_number = $1")
        .bind(account_number)
        .fetch_optional(&db.pool)
        .await?;
    Ok(found.is_some())
}

/// Cloud accounts → **Request** (the guide's Part 5): a new AWS account for one of the user's
/// customers, sent to Cloud Support at once. The support plan must be one of the provider's.
/// Returns its id.
pub async fn request_new(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    input: &NewAccountInput,
) -> Result<CloudAccountId> {
    let db = &portico.db;
    customers::own(db, user, customer).await?;
    let enabled = settings::enabled_providers(db, customer).await?;
    let request = input.validate(&enabled).map_err(Error::Validation)?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let mut tx = db.begin_write().await?;
    let plan: Option<String> = sqlx::query_scalar("SELECT id FROM support_plans WHERE id = $1 AND provider_id = $2")
        .bind(&request.support_plan)
        .bind(&request.provider)
        .fetch_optional(&mut **tx)
        .await?;
    if plan.is_none() {
        return Err(Error::Validation(vec![FieldError::new(Field::SupportPlan, Problem::InvalidFormat)]));
    }
    let id = CloudAccountId(new_id("cla"));
    sqlx::query(
        "INSERT INTO cloud_accounts (id, reseller_id, customer_id, provider_id, created_at, account_number, \
         root_email, external_id, kind, account_name, support_plan_id) \
         VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .bind(&request.provider)
    .bind(now_ms())
    .bind(request.email.as_str())
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(AccountKind::New.as_str())
    .bind(&request.account_name)
    .bind(&request.support_plan)
    .execute(&mut **tx)
    .await?;
    let step = Step { account: &id, version: None, action: LinkAction::Request, note: None, actor };
    links::apply(&mut tx, &portico.settings.links, By::Reseller(user), &step, None).await?;
    tx.commit().await?;
    portico.jobs.wake();
    Ok(id)
}

/// The Role ARN dialog's **Check** or **Save**: the account as the page showed it, and the entry.
#[derive(Clone, Copy, Debug)]
pub struct RoleCheckRequest<'a> {
    pub account: &'a CloudAccountId,
    pub version: i64,
    pub entry: RoleArnEntry<'a>,
}

/// **Check**: parses the role ARN typed for the account, then asks AWS to assume the role with
/// the account's ExternalId (it must work) and without it (it must not, or the trust policy lacks
/// its condition). Stores the ARN and the result, and returns the result. **Save** stores the
/// parsed ARN as Not Checked without asking AWS. A malformed ARN, or one of another account, is
/// refused on the field and nothing is stored.
pub async fn check_role(
    portico: &Portico,
    user: &ResellerUser,
    customer: &CustomerId,
    request: &RoleCheckRequest<'_>,
) -> Result<RoleCheck> {
    let (db, cloud) = (&portico.db, portico.cloud.as_ref());
    customers::own(db, user, customer).await?;
    let (reseller, actor) = (&user.reseller_id, &user.actor());
    let RoleCheckRequest { account, version, entry: RoleArnEntry { role_arn: raw_arn, check: ask_aws } } = *request;
    let row = sqlx::query(
        "SELECT account_number, external_id, role_arn, role_check FROM cloud_accounts \
         WHERE id = $1 AND reseller_id = $2 AND customer_id = $3",
    )
    .bind(account)
    .bind(reseller.as_str())
    .bind(customer.as_str())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(Error::NotFound)?;
    let number: String = row.try_get("account_number")?;
    let external_id: String = row.try_get("external_id")?;
    let account_id = portico_shared::aws::AccountId::parse(&number).map_err(|_| Error::NotFound)?;
    let arn = RoleArn::parse(raw_arn, &account_id)
        .map_err(|code| Error::Validation(vec![FieldError::new(Field::RoleArn, code)]))?;

    // AWS is asked outside any transaction: the answer takes a network round trip.
    let result = if ask_aws { ask_aws_about(cloud, &arn, &external_id).await? } else { RoleCheck::NotChecked };
    let (check, reason) = match &result {
        RoleCheck::Valid => ("valid", None),
        RoleCheck::Invalid(why) => ("invalid", Some(why.as_str())),
        RoleCheck::NotChecked => ("not_checked", None),
    };
    let before = Snapshot::from([
        ("AWS Role ARN", row.try_get::<Option<String>, _>("role_arn")?.unwrap_or_default()),
        ("Role check", row.try_get("role_check")?),
    ]);
    let mut tx = db.begin_write().await?;
    let updated = sqlx::query(
        "UPDATE cloud_accounts SET role_arn = $1, role_check = $2, role_check_reason = $3, role_checked_at = $4, \
         version = version + 1 WHERE id = $5 AND reseller_id = $6 AND version = $7",
    )
    .bind(arn.as_str())
    .bind(check)
    .bind(reason)
    .bind(now_ms())
    .bind(account)
    .bind(reseller.as_str())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::Conflict(
            "This cloud account was changed meanwhile. Reload the page and check again.".into(),
        ));
    }
    let after = Snapshot::from([("AWS Role ARN", arn.as_str().to_owned()), ("Role check", check.to_owned())]);
    let verb = if ask_aws { "checked" } else { "saved" };
    let action = format!("Cloud account {number}: role {verb} ({})", result.label());
    let entry =
        Change { reseller, customer: Some(customer), actor, action: &action, before: Some(before), after: Some(after) };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(result)
}

/// Whether AWS lets the platform assume the role with the account's ExternalId, and only with it.
async fn ask_aws_about(cloud: &dyn CloudGateway, arn: &RoleArn, external_id: &str) -> Result<RoleCheck> {
    Ok(match cloud.assume_role(arn, Some(external_id)).await? {
        Assumed::Refused(why) => RoleCheck::Invalid(format!("The role cannot be assumed. {why}")),
        Assumed::Yes => match cloud.assume_role(arn, None).await? {
            Assumed::Yes => RoleCheck::Invalid(
                "The role can be assumed without this account's ExternalId: add the sts:ExternalId condition of \
                 the trust policy shown here."
                    .into(),
            ),
            Assumed::Refused(_) => RoleCheck::Valid,
        },
    })
}
