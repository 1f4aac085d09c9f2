//! The AWS gateway (`--cloud-gateway aws`) smoke-tested against AWS-compatible servers on
//! loopback: moto for STS, IAM and CreateAccount, and a small stub of its own (`aws_stub`) for
//! the Organizations handshake calls moto cannot serve and for a role whose trust policy
//! requires the ExternalId. Nothing here talks to AWS itself.

use std::net::TcpListener;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_sdk_organizations::types::OrganizationFeatureSet;
use portico_domain::billing::usage::deliveries;
use portico_domain::cloud::aws_sdk::SdkCloud;
use portico_domain::cloud::gateway::{Assumed, CloudGateway, Creation, HandshakeState};
use portico_domain::commerce::today;
use portico_domain::Portico;
use portico_shared::aws::{AccountId, RoleArn};
use tokio::process::{Child, Command};

use crate::aws_stub::AwsStub;
use crate::cloud_links::{access_token, new_account_id, request_new, until_state, world, World, CONTACT};
use crate::helpers::{both_backends, Backend, TestApp};
use crate::usage::{cur_for, finished, gzip, linked_customer};

/// moto's server on a free loopback port, stopped with the test.
struct Moto {
    url: String,
    _process: Child,
}

/// What the AWS SDK reads from the environment; loopback servers accept any.
const CREDENTIALS: &[(&str, &str)] = &[("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")];

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Moto {
    async fn start() -> Moto {
        // `cargo xtask test` installs moto and says where; `cargo xtask setup` puts it here.
        let program = std::env::var("PORTICO_MOTO_SERVER")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../target/moto/bin/moto_server").to_owned());
        assert!(
            std::path::Path::new(&program).exists(),
            "moto is not installed at {program}: run `cargo xtask setup` (or set PORTICO_MOTO_SERVER)"
        );
        let port = free_port();
        let process = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // AWS's managed policies (AdministratorAccess among them) exist in moto's IAM only so.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            if reqwest::get(format!("{url}/moto-api/")).await.is_ok() {
                return Moto { url, _process: process };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("moto did not start on port {port}");
    }
}

/// The SDK's configuration for a loopback endpoint, with test credentials (such servers accept
/// any): how `SdkCloud::connect` configures it, minus reading the credentials from the host.
pub fn sdk_config(endpoint: &str) -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "test",
        )))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build()
}

fn role(arn: &str) -> RoleArn {
    RoleArn::parse(arn, &AccountId::parse("012345678901").unwrap()).unwrap()
}

#[tokio::test]
async fn sts_iam_and_account_creation_against_moto() {
    let moto = Moto::start().await;
    let aws = SdkCloud::new(sdk_config(&moto.url));

    // GetCallerIdentity: moto's default account is the platform's.
    assert_eq!(aws.platform_account().await.unwrap(), "123456789012");
    // moto lets any role be assumed, with or without an ExternalId.
    let arn = role("arn:aws:iam::012345678901:role/PorticoAccess");
    assert_eq!(aws.assume_role(&arn, Some("portico-external-id")).await.unwrap(), Assumed::Yes);
    assert_eq!(aws.assume_role(&arn, None).await.unwrap(), Assumed::Yes);

    // CreateAccount needs the platform's organization, which an operator creates once.
    let organizations = aws_sdk_organizations::Client::new(&sdk_config(&moto.url));
    organizations.create_organization().feature_set(OrganizationFeatureSet::All).send().await.unwrap();
    assert_eq!(aws.find_creation("dev@acme.example", "Acme Dev").await.unwrap(), None, "nothing created yet");
    let request = aws.create_account("dev@acme.example", "Acme Dev").await.unwrap();
    assert!(request.starts_with("car-"), "{request}");
    let Creation::Succeeded(account) = aws.creation(&request).await.unwrap() else { panic!("moto creates at once") };
    // A retry after a crash finds the request by the new account's root e-mail.
    assert_eq!(aws.find_creation("DEV@acme.example", "Other Name").await.unwrap().as_deref(), Some(&*request));
    assert_eq!(aws.find_creation("ops@acme.example", "Acme Ops").await.unwrap(), None);
    // ListAccounts: the new account, with its root e-mail and name, beside the management account.
    let listed = aws.organization_accounts().await.unwrap();
    let new_one = listed.iter().find(|a| a.account_id == account.as_str()).expect("the new account is listed");
    assert_eq!((new_one.email.as_str(), new_one.name.as_str()), ("dev@acme.example", "Acme Dev"));
    assert!(listed.iter().any(|a| a.account_id == "123456789012"), "{listed:?}");
    let unknown = aws.creation("car-0000000000").await.unwrap_err().to_string();
    assert!(unknown.contains("DescribeCreateAccountStatus"), "{unknown}");

    // Admin access: an IAM user in the new account, reached through the organization's role.
    let access = aws.grant_admin_access(&account, "dev@acme.example").await.unwrap();
    assert_eq!(access.sign_in_url, format!("https://{}.signin.aws.amazon.com/console", account.as_str()));
    let (user, first) = access.user.clone().unwrap();
    assert_eq!((user.as_str(), first.chars().count()), ("dev@acme.example", 24));
    // Granting again finds the user and its login profile, and gives a new temporary password.
    let again = aws.grant_admin_access(&account, "dev@acme.example").await.unwrap();
    let (same_user, second) = again.user.unwrap();
    assert_eq!(same_user, user);
    assert_ne!(second, first);
}

#[tokio::test]
async fn handshakes_and_an_external_id_trust_policy_against_the_stub() {
    let stub = AwsStub::start().await;
    let aws = SdkCloud::new(sdk_config(&stub.url));
    assert_eq!(aws.platform_account().await.unwrap(), crate::aws_stub::PLATFORM_ACCOUNT);

    // The stub's roles trust the platform only with an ExternalId, as the template's do.
    let arn = role("arn:aws:iam::012345678901:role/PorticoAccess");
    assert_eq!(aws.assume_role(&arn, Some("portico-external-id")).await.unwrap(), Assumed::Yes);
    let Assumed::Refused(why) = aws.assume_role(&arn, None).await.unwrap() else { panic!("assumed without one") };
    assert!(why.starts_with("AccessDenied: ") && why.contains("sts:AssumeRole"), "{why}");

    let account = AccountId::parse("012345678901").unwrap();
    let invited = aws.invite_account(&account).await.unwrap();
    assert!(invited.id.starts_with("h-"), "{}", invited.id);
    assert_eq!(invited.expires_at, stub.expires_at(&invited.id), "AWS's expiry, to the millisecond");
    // Inviting again finds the open invitation instead of sending a second.
    assert_eq!(aws.invite_account(&account).await.unwrap(), invited);
    assert_eq!(stub.handshakes(), 1);
    assert_eq!(aws.handshake_state(&invited.id).await.unwrap(), HandshakeState::Open);
    for (answer, state) in [
        ("ACCEPTED", HandshakeState::Accepted),
        ("DECLINED", HandshakeState::Declined),
        ("EXPIRED", HandshakeState::Expired),
        ("CANCELED", HandshakeState::Canceled),
    ] {
        stub.set_state(&invited.id, answer);
        assert_eq!(aws.handshake_state(&invited.id).await.unwrap(), state, "{answer}");
    }
    // Canceling one no longer open changes nothing, and is no error.
    aws.cancel_handshake(&invited.id).await.unwrap();
    assert_eq!(stub.state(&invited.id), "CANCELED");

    // A closed invitation is not found again: a new one is sent, and can be canceled.
    let second = aws.invite_account(&account).await.unwrap();
    assert_ne!(second.id, invited.id);
    aws.cancel_handshake(&second.id).await.unwrap();
    assert_eq!(aws.handshake_state(&second.id).await.unwrap(), HandshakeState::Canceled);

    let unknown = aws.handshake_state("h-doesnotexist").await.unwrap_err().to_string();
    assert!(unknown.contains("HandshakeNotFoundException"), "{unknown}");

    // Removing a member works; removing one already gone is what a retry finds, and no error.
    aws.remove_account(&account).await.unwrap();
    aws.remove_account(&account).await.unwrap();
    assert_eq!(stub.removed(), vec!["012345678901".to_owned(), "012345678901".to_owned()]);
}

both_backends!(
    the_server_with_the_aws_gateway_checks_roles_and_creates_accounts_at_moto,
    billing_exports_delivered_to_s3_are_imported_once_at_moto
);

/// Usage reports AWS delivers to the platform's S3 bucket (`--usage-s3-url`), listed and read by
/// the AWS gateway at moto: each report under the prefix imported once, a corrected delivery
/// imported again, manifests and files elsewhere left alone.
async fn billing_exports_delivered_to_s3_are_imported_once_at_moto(backend: Backend) {
    let moto = Moto::start().await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&sdk_config(&moto.url)).force_path_style(true).build(),
    );
    s3.create_bucket().bucket("portico-billing").send().await.unwrap();
    let put = |key: &'static str, body: Vec<u8>| {
        let s3 = s3.clone();
        async move {
            s3.put_object().bucket("portico-billing").key(key).body(body.into()).send().await.unwrap();
        }
    };
    let month = today().month().minus(1);
    let report = |cost: &str| gzip(&cur_for(month, &[("111122223333", "Usage", "Amazon EC2", cost, cost)]));
    const REPORT: &str = "cur/portico/20261101-20261201/portico-00001.csv.gz";
    put(REPORT, report("120.50")).await;
    put("cur/portico/20261101-20261201/portico-Manifest.json", b"{}".to_vec()).await;
    put("elsewhere/other.csv", b"not ours".to_vec()).await;

    let app = TestApp::spawn(backend).await;
    linked_customer(&app, &app.reseller, "Acme", "111122223333").await;
    let served = &app.state.portico;
    let aws = SdkCloud::new(sdk_config(&moto.url)).with_exports("s3://portico-billing/cur/").unwrap();
    let portico = Portico::new(app.db.clone(), served.hasher.clone(), Arc::new(aws), (*served.settings).clone());

    assert_eq!(deliveries::pick_up_exports(&portico).await.unwrap(), 1, "the report, not its manifest");
    let (id, key): (String, String) =
        sqlx::query_as("SELECT id, drop_key FROM usage_imports").fetch_one(&app.db.pool).await.unwrap();
    assert!(key.starts_with(&format!("s3://portico-billing/{REPORT}:")), "{key}");
    assert_eq!(finished(&app, &id).await, ("done".to_owned(), None, 1, 0));
    let cost = || async {
        sqlx::query_scalar::<_, String>("SELECT customer_cost FROM usage_lines").fetch_all(&app.db.pool).await.unwrap()
    };
    assert_eq!(cost().await, ["120.5"]);
    assert_eq!(deliveries::pick_up_exports(&portico).await.unwrap(), 0, "known deliveries are not taken twice");

    // AWS delivers the month again, corrected: imported, and the month's lines replaced.
    put(REPORT, report("130.25")).await;
    assert_eq!(deliveries::pick_up_exports(&portico).await.unwrap(), 1);
    let second: String = sqlx::query_scalar("SELECT id FROM usage_imports WHERE id <> $1")
        .bind(&id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(finished(&app, &second).await.0, "done");
    assert_eq!(cost().await, ["130.25"]);
    let platform = app.platform_admin_cookie().await;
    let page = app.page("/usage", Some(&platform)).await.text().await.unwrap();
    assert!(page.contains("AWS export (S3)") && page.contains("portico-00001.csv.gz"), "{page}");

    // A location that is not an S3 address is refused when the server starts.
    for wrong in ["https://portico-billing.s3.amazonaws.com/cur/", "s3://", "s3:///cur/"] {
        let refused = SdkCloud::new(sdk_config(&moto.url)).with_exports(wrong).err().map(|e| e.to_string());
        assert!(refused.is_some_and(|why| why.contains(wrong)), "{wrong}");
    }
}

/// The `portico` binary itself with `--cloud-gateway aws` against moto: it signs in at start,
/// checks a Role ARN, and walks the guide's Part 5 (a new account requested, approved, created
/// by the job worker, its end user's access granted through the one-time link).
async fn the_server_with_the_aws_gateway_checks_roles_and_creates_accounts_at_moto(backend: Backend) {
    let moto = Moto::start().await;
    let organizations = aws_sdk_organizations::Client::new(&sdk_config(&moto.url));
    organizations.create_organization().feature_set(OrganizationFeatureSet::All).send().await.unwrap();
    let mut app = TestApp::spawn(backend).await;
    let world = world(&app).await;

    // Without AWS accepting its credentials, the server does not start, and says why.
    let refused = app
        .command(&[
            "--listen",
            "127.0.0.1:0",
            "--smtp-url",
            "smtp://127.0.0.1:9",
            "--cloud-gateway",
            "aws",
            "--aws-endpoint-url",
            "http://127.0.0.1:9",
        ])
        .envs(CREDENTIALS.iter().copied())
        .output()
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && said.contains("the AWS gateway cannot start"), "{said}");

    // The process takes the in-process server's place: same address, database and mailbox.
    app.stop().await;
    let smtp = format!("smtp://127.0.0.1:{}", app.mail.port);
    let listen = app.address.trim_start_matches("http://").to_owned();
    let args = [
        "--listen",
        &listen,
        "--cloud-gateway",
        "aws",
        "--aws-endpoint-url",
        &moto.url,
        "--smtp-url",
        &smtp,
        "--handshake-poll-ms",
        "200",
        "--site-dir",
        "/nonexistent-portico-site",
    ];
    let (_server, logged) = app.start_process(&args, CREDENTIALS).await;
    let signed_in = logged.iter().any(|line| line.contains("AWS gateway: signed in") && line.contains("123456789012"));
    assert!(signed_in, "the server learned the platform's account from GetCallerIdentity");

    // The Role ARN dialog names the platform's account as AWS told it…
    let page = app.page(&format!("/customers/{}/accounts", world.customer), Some(&world.reseller)).await;
    assert!(page.text().await.unwrap().contains("arn:aws:iam::123456789012:root"), "trust policy");
    // …and since moto lets anyone assume any role, the check finds the confused-deputy hole.
    world.check_role(&app, "PorticoAccess").await;
    let (check, why): (String, String) =
        sqlx::query_as("SELECT role_check, role_check_reason FROM cloud_accounts WHERE id = $1")
            .bind(&world.account)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(check, "invalid");
    assert!(why.contains("without this account's ExternalId"), "{why}");

    // Part 5 through AWS's API: requested, approved, created by CreateAccount, linked.
    let email = "moto-root@customer.test";
    assert_eq!(request_new(&app, &world, email, "Internal-Legal Moto", "aws-business").await.0, 200);
    let account = new_account_id(&app, email).await;
    let world = World { account: account.clone(), ..world };
    assert_eq!(world.decide(&app, &world.support, "approve", "").await.0, 200);
    until_state(&app, &account, "linked").await;
    let listed = organizations.list_accounts().send().await.unwrap();
    let created = listed.accounts().iter().find(|a| a.email() == Some(email)).expect("the account exists at AWS");
    let number = created.id().unwrap().to_owned();
    let stored: String = sqlx::query_scalar("SELECT account_number FROM cloud_accounts WHERE id = $1")
        .bind(&account)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, number);

    // The one-time link gives the contact an IAM user in the new account, shown once.
    let mail = app.mail.wait_for(CONTACT, 1).await;
    let token = access_token(&mail[0].message);
    let opened = app.post_form("/cloud-access", &[("token", &token)]).await;
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.headers()["cache-control"], "no-store");
    let shown = opened.text().await.unwrap();
    assert!(shown.contains(&format!("https://{number}.signin.aws.amazon.com/console")), "{shown}");
    assert!(shown.contains(CONTACT) && shown.contains("Temporary password"), "{shown}");
    assert_eq!(app.post_form("/cloud-access", &[("token", &token)]).await.status(), 410, "it works once");

    // The simulated owners' page is not served: AWS has its own console.
    assert_eq!(app.get(&format!("{}/simulated-aws", app.address)).await.status(), 404);
}
