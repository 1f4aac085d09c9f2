//! Two-step sign-in to the portal (RFC 6238): after the password, a six-digit code from an
//! authenticator app, or one of ten one-time recovery codes. Required for the platform's staff
//! (outside the demo) and for a reseller's team once its admin requires it; anyone else may turn
//! it on from their account page.
//!
//! A right password for such a person starts a *challenge* rather than a session: a token in a
//! cookie of its own, good for ten minutes and five wrong codes. Its answer starts the session; a
//! person who must have an app and has none adds it right there, in the same step. Each accepted
//! app code moves the person's last used step on, so a code is never accepted twice; a recovery
//! code is marked used by the statement that accepts it.

use std::net::IpAddr;

use portico_shared::ids::{PortalUserId, ResellerId};
use portico_shared::two_step::{
    SecondFactor, SecondStep, TwoStepSetup, TwoStepStatus, RECOVERY_CODES, RECOVERY_CODE_LENGTH,
};
use portico_shared::{api::Problem, Field, FieldError};
use rand::RngCore;
use sqlx::{Any, Row, Transaction};
use totp_rs::{Builder, Secret, Totp};

use super::{record_change, user_from_row, user_kind, user_record};
use crate::db::{now_ms, Db};
use crate::error::{Error, Result};
use crate::principal::{Member, ResellerAdmin, Scope, TeamAdmin};
use crate::throttle::{self, Limit, SignInAttempt};
use crate::tokens::{new_token, token_hash, SECOND_STEP_TIMEOUT_MS};
use crate::{sessions, Portico};

/// Wrong codes one challenge takes before it ends (the password must be given again).
const CHALLENGE_FAILURES: i64 = 5;
/// Wrong codes on one account from anywhere in an hour, after which its codes are refused until
/// the hour is over: with three codes valid at a time, at most 30 guesses in a million an hour.
const WRONG_CODES_PER_ACCOUNT: Limit = Limit { hits: 10, window_ms: 60 * 60 * 1000 };
/// The issuer an authenticator app shows beside the account.
const ISSUER: &str = "Portico";

/// Whether this person may not sign in without a second step: the platform's staff (unless the
/// platform says otherwise, as the demo does), or a member of a team whose admin requires it.
pub async fn required(portico: &Portico, user: &PortalUserId) -> Result<bool> {
    match user {
        PortalUserId::Platform(_) => Ok(portico.settings.staff_two_step_required),
        PortalUserId::Reseller(id) => {
            let since: Option<i64> = sqlx::query_scalar(
                "SELECT r.two_step_required_at FROM reseller_users u JOIN resellers r ON r.id = u.reseller_id \
                 WHERE u.id = $1",
            )
            .bind(id)
            .fetch_optional(&portico.db.pool)
            .await?
            .flatten();
            Ok(since.is_some())
        }
    }
}

/// The person's authenticator key, if they have one (enabled or still being added).
struct Key {
    secret: String,
    last_step: i64,
    enabled: bool,
}

async fn key<'e>(executor: impl sqlx::Executor<'e, Database = Any>, user: &str) -> Result<Option<Key>> {
    let row = sqlx::query("SELECT secret, last_step, enabled_at FROM two_step_keys WHERE user_id = $1")
        .bind(user)
        .fetch_optional(executor)
        .await?;
    row.map(|row| {
        Ok(Key {
            secret: row.try_get("secret")?,
            last_step: row.try_get("last_step")?,
            enabled: row.try_get::<Option<i64>, _>("enabled_at")?.is_some(),
        })
    })
    .transpose()
}

/// The app's view of a key: six digits every 30 seconds, one step either side accepted.
fn totp(secret: &str, account: &str) -> Result<Totp> {
    let bytes = Secret::try_from_base32(secret)
        .map_err(|_| anyhow::anyhow!("a stored authenticator key is not base32"))?
        .as_ref()
        .to_vec();
    Ok(Builder::new()
        .with_secret(bytes)
        .with_issuer(Some(ISSUER))
        .with_account_name(account.replace(':', " "))
        .build()
        .map_err(|error| anyhow::anyhow!("authenticator key refused: {error}"))?)
}

/// What the person sees to add the key to their app.
fn setup_view(secret: &str, account: &str) -> Result<TwoStepSetup> {
    let url = totp(secret, account)?.to_url().map_err(|error| anyhow::anyhow!("otpauth address: {error}"))?;
    let svg = qrcode::QrCode::new(url.as_bytes())
        .map_err(|error| anyhow::anyhow!("QR code: {error}"))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    let key = secret.as_bytes().chunks(4).map(|g| String::from_utf8_lossy(g).into_owned()).collect::<Vec<_>>();
    Ok(TwoStepSetup {
        qr_image: format!("data:image/svg+xml;base64,{}", base64_encode(svg.as_bytes())),
        key: key.join(" "),
        account: account.to_owned(),
    })
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The person's key being added: the one already begun, or a new one (160 random bits).
async fn pending_key(tx: &mut Transaction<'_, Any>, user: &str) -> Result<String> {
    if let Some(key) = key(&mut **tx, user).await? {
        if key.enabled {
            return Err(Error::Conflict("Two-step sign-in is already on.".into()));
        }
        return Ok(key.secret);
    }
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = Secret::from(bytes.to_vec()).to_base32();
    sqlx::query("INSERT INTO two_step_keys (user_id, secret, created_at) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(&secret)
        .bind(now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(secret)
}

fn wrong_code() -> Error {
    Error::Validation(vec![FieldError::new(Field::Code, Problem::Mismatch)])
}

/// Accepts an app code for `key` once: its step must be later than the last one accepted, and the
/// statement that records it checks so, for two requests with one code at once.
async fn accept_app_code(tx: &mut Transaction<'_, Any>, user: &str, key: &Key, code: &str) -> Result<bool> {
    let now = u64::try_from(now_ms() / 1000).unwrap_or_default();
    let Some(step) = totp(&key.secret, "portal user")?.check(code, now) else { return Ok(false) };
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    if step <= key.last_step {
        return Ok(false);
    }
    let moved = sqlx::query("UPDATE two_step_keys SET last_step = $1 WHERE user_id = $2 AND last_step < $1")
        .bind(step)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(moved.rows_affected() == 1)
}

/// Marks a recovery code used, if it is one of the person's unused ones.
async fn accept_recovery_code(tx: &mut Transaction<'_, Any>, user: &str, code: &str) -> Result<bool> {
    let used =
        sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(now_ms())
            .bind(user)
            .bind(token_hash(code))
            .execute(&mut **tx)
            .await?;
    Ok(used.rows_affected() == 1)
}

/// Replaces the person's recovery codes with ten new ones and returns them, as they are shown.
async fn new_recovery_codes(tx: &mut Transaction<'_, Any>, user: &str) -> Result<Vec<String>> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut bytes = [0u8; RECOVERY_CODE_LENGTH * 5 / 8];
        rand::thread_rng().fill_bytes(&mut bytes);
        let code = Secret::from(bytes.to_vec()).to_base32().to_ascii_lowercase();
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user)
            .bind(token_hash(&code))
            .execute(&mut **tx)
            .await?;
        codes.push(portico_shared::two_step::display_recovery_code(&code));
    }
    Ok(codes)
}

/// How a second factor was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Used {
    App,
    RecoveryCode,
}

/// Wrong codes on one account, counted before the code is checked (so a burst cannot pass
/// together) and given back when it was right. Taken before the write transaction that checks
/// the code: on SQLite that transaction holds the only write lock.
struct CodeAttempt {
    limit_key: String,
}

impl CodeAttempt {
    async fn begin(db: &Db, user: &str) -> Result<CodeAttempt> {
        let attempt = CodeAttempt { limit_key: format!("two_step:account:{user}") };
        throttle::admit(db, &attempt.limit_key, WRONG_CODES_PER_ACCOUNT).await?;
        Ok(attempt)
    }

    async fn succeeded(self, db: &Db) -> Result<()> {
        throttle::give_back(db, &self.limit_key, WRONG_CODES_PER_ACCOUNT).await
    }
}

/// Checks a code against the person's enabled key or recovery codes, once.
async fn check_code(tx: &mut Transaction<'_, Any>, user: &str, code: &str) -> Result<Used> {
    let factor = SecondFactor::parse(code).map_err(|error| Error::Validation(vec![error]))?;
    let key = key(&mut **tx, user).await?.filter(|key| key.enabled);
    let used = match (&factor, &key) {
        (SecondFactor::AppCode(code), Some(key)) => accept_app_code(tx, user, key, code).await?.then_some(Used::App),
        (SecondFactor::RecoveryCode(code), Some(_)) => {
            accept_recovery_code(tx, user, code).await?.then_some(Used::RecoveryCode)
        }
        (_, None) => None,
    };
    used.ok_or_else(wrong_code)
}

/// After a right password: the challenge token when this person needs a second step (they have
/// an app, or must add one), else `None` and the sign-in is complete.
pub(super) async fn challenge_if_needed(portico: &Portico, user: &PortalUserId) -> Result<Option<String>> {
    let enabled = key(&portico.db.pool, user.as_str()).await?.is_some_and(|key| key.enabled);
    if !enabled && !required(portico, user).await? {
        return Ok(None);
    }
    let token = new_token();
    sqlx::query("INSERT INTO sign_in_challenges (token_hash, user_id, user_kind, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user.as_str())
        .bind(user_kind(user))
        .bind(now_ms() + SECOND_STEP_TIMEOUT_MS)
        .execute(&portico.db.pool)
        .await?;
    Ok(Some(token))
}

/// The user a live challenge is for; 401 when it has expired, ended or never was.
async fn challenged_user(db: &Db, challenge: &str) -> Result<PortalUserId> {
    let row =
        sqlx::query("SELECT user_id, user_kind FROM sign_in_challenges WHERE token_hash = $1 AND expires_at >= $2")
            .bind(token_hash(challenge))
            .bind(now_ms())
            .fetch_optional(&db.pool)
            .await?
            .ok_or(Error::Unauthorized)?;
    user_from_row(&row)
}

/// What the second step asks of the person holding `challenge`: a code, or to add an app first
/// (its key is kept while they do, so reloading the page shows the same QR code).
pub async fn second_step(portico: &Portico, challenge: &str) -> Result<SecondStep> {
    let user = challenged_user(&portico.db, challenge).await?;
    // Asking for a code reads only; the write lock is taken just to add a key.
    if key(&portico.db.pool, user.as_str()).await?.is_some_and(|key| key.enabled) {
        return Ok(SecondStep::Code);
    }
    let mut tx = portico.db.begin_write().await?;
    let secret = pending_key(&mut tx, user.as_str()).await?;
    let person = user_record(&mut tx, &user).await?;
    tx.commit().await?;
    Ok(SecondStep::SetUp(setup_view(&secret, &person.email)?))
}

/// A sign-in completed by its second step.
#[derive(Debug)]
pub struct SignedIn {
    /// The new session's token.
    pub session: String,
    /// The recovery codes to show once, when the person has just added their app.
    pub recovery_codes: Option<Vec<String>>,
}

/// Answers the challenge with a code: an app code or a recovery code; or, for a person adding
/// their app at sign-in, the first code of the new app, which turns two-step sign-in on. A wrong
/// code is refused on the Code field; the fifth ends the challenge. Attempts are limited per
/// address as passwords are, and per account.
pub async fn answer(portico: &Portico, peer: IpAddr, challenge: &str, code: &str) -> Result<SignedIn> {
    let db = &portico.db;
    let user = challenged_user(db, challenge).await?;
    let attempt = SignInAttempt::begin(db, "portal_code", peer, user.as_str()).await?;
    let code_attempt = CodeAttempt::begin(db, user.as_str()).await?;
    let mut tx = db.begin_write().await?;
    let person = user_record(&mut tx, &user).await?;
    if person.disabled {
        return Err(Error::Unauthorized);
    }
    let pending = key(&mut **tx, user.as_str()).await?.filter(|key| !key.enabled);
    // What the log says of this sign-in, and the recovery codes to show once.
    let checked = match &pending {
        Some(key) => enable(&mut tx, user.as_str(), key, code)
            .await
            .map(|codes| (Some("turned on two-step sign-in"), Some(codes))),
        None => check_code(&mut tx, user.as_str(), code).await.map(|used| match used {
            Used::RecoveryCode => (Some("signed in with a recovery code"), None),
            Used::App => (None, None),
        }),
    };
    let (logged, recovery_codes) = match checked {
        Ok(outcome) => outcome,
        Err(refused @ Error::Validation(_)) => {
            tx.rollback().await?;
            attempt.failed(db).await?;
            count_failure(db, challenge).await?;
            return Err(refused);
        }
        Err(other) => return Err(other),
    };
    if let Some(what) = logged {
        let action = format!("Team: {} {what}", person.email);
        record_change(&mut tx, &person.scope, &person.actor(&user), &action, None, None).await?;
    }
    sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1")
        .bind(token_hash(challenge))
        .execute(&mut **tx)
        .await?;
    tx.commit().await?;
    attempt.succeeded(db).await?;
    code_attempt.succeeded(db).await?;
    let session = sessions::portal::create(db, &user).await?;
    Ok(SignedIn { session, recovery_codes })
}

/// Counts a wrong code against the challenge, ending it at the fifth.
async fn count_failure(db: &Db, challenge: &str) -> Result<()> {
    let hash = token_hash(challenge);
    sqlx::query("UPDATE sign_in_challenges SET failures = failures + 1 WHERE token_hash = $1")
        .bind(&hash)
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1 AND failures >= $2")
        .bind(&hash)
        .bind(CHALLENGE_FAILURES)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Turns the pending key on when `code` is the app's current code, and returns new recovery codes.
async fn enable(tx: &mut Transaction<'_, Any>, user: &str, key: &Key, code: &str) -> Result<Vec<String>> {
    let SecondFactor::AppCode(code) = SecondFactor::parse(code).map_err(|error| Error::Validation(vec![error]))? else {
        return Err(Error::Validation(vec![FieldError::new(Field::Code, Problem::InvalidFormat)]));
    };
    if !accept_app_code(tx, user, key, &code).await? {
        return Err(wrong_code());
    }
    let enabled = sqlx::query("UPDATE two_step_keys SET enabled_at = $1 WHERE user_id = $2 AND enabled_at IS NULL")
        .bind(now_ms())
        .bind(user)
        .execute(&mut **tx)
        .await?;
    if enabled.rows_affected() != 1 {
        return Err(crate::error::changed_meanwhile("two-step sign-in"));
    }
    new_recovery_codes(tx, user).await
}

/// Two-step sign-in as the person's account page shows it.
pub async fn status(portico: &Portico, member: &Member) -> Result<TwoStepStatus> {
    let user = member.user_id.as_str();
    let enabled = key(&portico.db.pool, user).await?.is_some_and(|key| key.enabled);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .fetch_one(&portico.db.pool)
        .await?;
    Ok(TwoStepStatus {
        enabled,
        required: required(portico, &member.user_id).await?,
        recovery_codes_left: if enabled { left } else { 0 },
    })
}

/// Account page, "Turn on": the key to add to the app (the same one until it is confirmed).
pub async fn begin(portico: &Portico, member: &Member) -> Result<TwoStepSetup> {
    let mut tx = portico.db.begin_write().await?;
    let secret = pending_key(&mut tx, member.user_id.as_str()).await?;
    let person = user_record(&mut tx, &member.user_id).await?;
    tx.commit().await?;
    setup_view(&secret, &person.email)
}

/// Account page: the app's first code turns two-step sign-in on; returns the recovery codes.
pub async fn confirm(portico: &Portico, member: &Member, code: &str) -> Result<Vec<String>> {
    let user = member.user_id.as_str();
    let attempt = CodeAttempt::begin(&portico.db, user).await?;
    let mut tx = portico.db.begin_write().await?;
    let Some(key) = key(&mut **tx, user).await?.filter(|key| !key.enabled) else {
        return Err(Error::Conflict("Two-step sign-in is already on, or was not begun. Reload the page.".into()));
    };
    let codes = enable(&mut tx, user, &key, code).await?;
    log_own_change(&mut tx, member, "turned on two-step sign-in").await?;
    tx.commit().await?;
    attempt.succeeded(&portico.db).await?;
    Ok(codes)
}

/// Account page: new recovery codes in place of the old ones, for a current code.
pub async fn replace_recovery_codes(portico: &Portico, member: &Member, code: &str) -> Result<Vec<String>> {
    let user = member.user_id.as_str();
    let attempt = CodeAttempt::begin(&portico.db, user).await?;
    let mut tx = portico.db.begin_write().await?;
    check_code(&mut tx, user, code).await?;
    let codes = new_recovery_codes(&mut tx, user).await?;
    log_own_change(&mut tx, member, "replaced their recovery codes").await?;
    tx.commit().await?;
    attempt.succeeded(&portico.db).await?;
    Ok(codes)
}

/// Account page, "Turn off", for a current code; refused to whoever must keep it on.
pub async fn turn_off(portico: &Portico, member: &Member, code: &str) -> Result<()> {
    if required(portico, &member.user_id).await? {
        return Err(Error::Forbidden(
            "Two-step sign-in is required for your account, so it stays on. To move to another app, ask an admin \
             of your team to reset it: you add the new app at your next sign-in."
                .into(),
        ));
    }
    let user = member.user_id.as_str();
    let attempt = CodeAttempt::begin(&portico.db, user).await?;
    let mut tx = portico.db.begin_write().await?;
    check_code(&mut tx, user, code).await?;
    remove(&mut tx, user).await?;
    log_own_change(&mut tx, member, "turned off two-step sign-in").await?;
    tx.commit().await?;
    attempt.succeeded(&portico.db).await?;
    Ok(())
}

/// Forgets a person's app and recovery codes.
async fn remove(tx: &mut Transaction<'_, Any>, user: &str) -> Result<()> {
    sqlx::query("DELETE FROM two_step_keys WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    Ok(())
}

/// Logs a change a person made to their own sign-in, in their team's log.
async fn log_own_change(tx: &mut Transaction<'_, Any>, member: &Member, what: &str) -> Result<()> {
    let person = user_record(tx, &member.user_id).await?;
    let action = format!("Team: {} {what}", person.email);
    record_change(tx, &member.scope, &member.actor, &action, None, None).await
}

/// Team page (an admin): forgets a member's app and recovery codes, for one who lost their phone.
/// They sign in with their password alone, or add a new app at their next sign-in where it is
/// required; their open sessions end.
pub async fn reset_for_member(portico: &Portico, admin: &TeamAdmin, member: &PortalUserId) -> Result<()> {
    let mut tx = portico.db.begin_write().await?;
    let person = user_record(&mut tx, member).await?;
    if person.scope != admin.scope {
        return Err(Error::NotFound);
    }
    let had = key(&mut **tx, member.as_str()).await?.is_some_and(|key| key.enabled);
    if !had {
        return Err(Error::Conflict(format!("{} has no two-step sign-in to reset.", person.email).into()));
    }
    remove(&mut tx, member.as_str()).await?;
    sessions::portal::end_all(&mut tx, member).await?;
    let action = format!("Team: two-step sign-in of {} reset", person.email);
    record_change(&mut tx, &admin.scope, &admin.actor, &action, None, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Team page (a reseller's admin): requires two-step sign-in of every member, or leaves it to each.
/// Members without an app add one at their next sign-in; sessions already open go on.
pub async fn require_for_team(portico: &Portico, admin: &ResellerAdmin, required: bool) -> Result<()> {
    let reseller: &ResellerId = &admin.reseller_id;
    let mut tx = portico.db.begin_write().await?;
    let changed = sqlx::query(if required {
        "UPDATE resellers SET two_step_required_at = $1 WHERE id = $2 AND two_step_required_at IS NULL"
    } else {
        "UPDATE resellers SET two_step_required_at = NULL WHERE id = $2 AND two_step_required_at IS NOT NULL \
         AND $1 IS NOT NULL"
    })
    .bind(now_ms())
    .bind(reseller.as_str())
    .execute(&mut **tx)
    .await?;
    if changed.rows_affected() == 1 {
        let action =
            if required { "Team: two-step sign-in required" } else { "Team: two-step sign-in left to each member" };
        record_change(&mut tx, &Scope::Reseller(reseller.clone()), &admin.actor(), action, None, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether the team requires two-step sign-in (the Team page's box).
pub async fn team_requires(portico: &Portico, scope: &Scope) -> Result<bool> {
    match scope {
        Scope::Platform => Ok(portico.settings.staff_two_step_required),
        Scope::Reseller(reseller) => {
            let since: Option<i64> = sqlx::query_scalar("SELECT two_step_required_at FROM resellers WHERE id = $1")
                .bind(reseller.as_str())
                .fetch_optional(&portico.db.pool)
                .await?
                .flatten();
            Ok(since.is_some())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's test vector for SHA-1 (its key, at 59 s and 1111111109 s), as six digits.
    #[test]
    fn codes_are_those_of_rfc_6238() {
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        let totp = totp(&secret, "someone@example.com").unwrap();
        assert_eq!(totp.generate(59).to_string(), "287082");
        assert_eq!(totp.generate(1_111_111_109).to_string(), "081804");
        assert_eq!(totp.check("287082", 59 + 30), Some(1), "a code of the step before is accepted");
        assert_eq!(totp.check("287082", 59 + 90), None, "but not one older");
    }

    #[test]
    fn the_setup_shows_the_key_in_groups_and_a_qr_code() {
        let view = setup_view("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "pat@reseller.test").unwrap();
        assert_eq!(view.key, "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
        assert!(view.qr_image.starts_with("data:image/svg+xml;base64,"));
    }
}
