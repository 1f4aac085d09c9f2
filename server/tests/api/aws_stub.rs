//! A small AWS-compatible server on loopback for what moto cannot serve: the Organizations
//! handshake calls (JSON 1.1, as AWS speaks them) and an STS whose roles require the ExternalId
//! (the query protocol's XML). It keeps its handshakes in memory for the test to answer.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

pub const PLATFORM_ACCOUNT: &str = "999988887777";
/// AWS Organizations' invitations last 15 days.
const LIFETIME_SECONDS: i64 = 15 * 24 * 3600;

#[derive(Clone, Debug)]
struct Invitation {
    id: String,
    account: String,
    state: String,
    expires_seconds: i64,
}

#[derive(Default)]
struct Org {
    invitations: Vec<Invitation>,
    removed: Vec<String>,
}

pub struct AwsStub {
    pub url: String,
    org: Arc<Mutex<Org>>,
}

impl AwsStub {
    pub async fn start() -> AwsStub {
        let org = Arc::new(Mutex::new(Org::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new().route("/", post(answer)).with_state(org.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        AwsStub { url, org }
    }

    fn with<T>(&self, id: &str, f: impl FnOnce(&mut Invitation) -> T) -> T {
        let mut org = self.org.lock().unwrap();
        f(org.invitations.iter_mut().find(|i| i.id == id).expect("a handshake the stub made"))
    }

    /// The account owner (or AWS) moves a handshake to `state`.
    pub fn set_state(&self, id: &str, state: &str) {
        self.with(id, |invitation| invitation.state = state.to_owned());
    }

    pub fn state(&self, id: &str) -> String {
        self.with(id, |invitation| invitation.state.clone())
    }

    pub fn expires_at(&self, id: &str) -> i64 {
        self.with(id, |invitation| invitation.expires_seconds * 1000)
    }

    pub fn handshakes(&self) -> usize {
        self.org.lock().unwrap().invitations.len()
    }

    pub fn removed(&self) -> Vec<String> {
        self.org.lock().unwrap().removed.clone()
    }
}

async fn answer(State(org): State<Arc<Mutex<Org>>>, headers: HeaderMap, body: Bytes) -> Response {
    match headers.get("x-amz-target").and_then(|target| target.to_str().ok()) {
        Some(target) => {
            let operation = target.rsplit('.').next().unwrap_or_default();
            let input: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            organizations(&mut org.lock().unwrap(), operation, &input)
        }
        None => sts(&String::from_utf8_lossy(&body)),
    }
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn handshake_json(invitation: &Invitation) -> Value {
    json!({
        "Id": invitation.id,
        "Arn": format!("arn:aws:organizations::{PLATFORM_ACCOUNT}:handshake/o-stub/invite/{}", invitation.id),
        "Parties": [{ "Id": invitation.account, "Type": "ACCOUNT" }, { "Id": "o-stub", "Type": "ORGANIZATION" }],
        "State": invitation.state,
        "Action": "INVITE",
        "RequestedTimestamp": invitation.expires_seconds - LIFETIME_SECONDS,
        "ExpirationTimestamp": invitation.expires_seconds,
        "Resources": [],
    })
}

fn json_response(status: StatusCode, body: Value) -> Response {
    (status, [("content-type", "application/x-amz-json-1.1")], body.to_string()).into_response()
}

fn json_error(code: &str, message: &str) -> Response {
    let body = json!({ "__type": code, "Message": message }).to_string();
    (StatusCode::BAD_REQUEST, [("content-type", "application/x-amz-json-1.1"), ("x-amzn-errortype", code)], body)
        .into_response()
}

fn organizations(org: &mut Org, operation: &str, input: &Value) -> Response {
    let handshake_id = input["HandshakeId"].as_str().unwrap_or_default();
    match operation {
        "InviteAccountToOrganization" => {
            let invitation = Invitation {
                id: format!("h-stub{:06}", org.invitations.len() + 1),
                account: input["Target"]["Id"].as_str().unwrap_or_default().to_owned(),
                state: "OPEN".into(),
                expires_seconds: now_seconds() + LIFETIME_SECONDS,
            };
            let body = json!({ "Handshake": handshake_json(&invitation) });
            org.invitations.push(invitation);
            json_response(StatusCode::OK, body)
        }
        "ListHandshakesForOrganization" => {
            let all: Vec<Value> = org.invitations.iter().map(handshake_json).collect();
            json_response(StatusCode::OK, json!({ "Handshakes": all }))
        }
        "DescribeHandshake" => match org.invitations.iter().find(|i| i.id == handshake_id) {
            Some(invitation) => json_response(StatusCode::OK, json!({ "Handshake": handshake_json(invitation) })),
            None => json_error("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId."),
        },
        "CancelHandshake" => match org.invitations.iter_mut().find(|i| i.id == handshake_id) {
            Some(invitation) if invitation.state == "OPEN" => {
                invitation.state = "CANCELED".into();
                json_response(StatusCode::OK, json!({ "Handshake": handshake_json(invitation) }))
            }
            Some(_) => json_error("InvalidHandshakeTransitionException", "You can't perform the operation."),
            None => json_error("HandshakeNotFoundException", "We can't find a handshake with the HandshakeId."),
        },
        "RemoveAccountFromOrganization" => {
            let account = input["AccountId"].as_str().unwrap_or_default().to_owned();
            let again = org.removed.contains(&account);
            org.removed.push(account);
            if again {
                json_error("AccountNotFoundException", "We can't find an AWS account with the AccountId.")
            } else {
                json_response(StatusCode::OK, json!({}))
            }
        }
        _ => json_error("UnsupportedAPIEndpointException", operation),
    }
}

const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

fn xml(status: StatusCode, body: String) -> Response {
    (status, [("content-type", "text/xml")], body).into_response()
}

/// STS's query protocol: a form in, XML out.
fn sts(form: &str) -> Response {
    let url = reqwest::Url::parse(&format!("http://stub/?{form}")).unwrap();
    let field = |name: &str| url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned());
    match field("Action").as_deref() {
        Some("GetCallerIdentity") => xml(
            StatusCode::OK,
            format!(
                "<GetCallerIdentityResponse xmlns=\"{STS_NS}\"><GetCallerIdentityResult>\
                 <Arn>arn:aws:iam::{PLATFORM_ACCOUNT}:user/portico</Arn><UserId>AIDASTUB</UserId>\
                 <Account>{PLATFORM_ACCOUNT}</Account></GetCallerIdentityResult>\
                 <ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
            ),
        ),
        // The platform's template: trusted only with an ExternalId.
        Some("AssumeRole") if field("ExternalId").is_some() => xml(
            StatusCode::OK,
            format!(
                "<AssumeRoleResponse xmlns=\"{STS_NS}\"><AssumeRoleResult>\
                 <AssumedRoleUser><Arn>arn:aws:sts::012345678901:assumed-role/PorticoAccess/check</Arn>\
                 <AssumedRoleId>AROASTUB:check</AssumedRoleId></AssumedRoleUser>\
                 <Credentials><AccessKeyId>ASIASTUB</AccessKeyId><SecretAccessKey>stub</SecretAccessKey>\
                 <SessionToken>stub</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>\
                 </AssumeRoleResult><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></AssumeRoleResponse>"
            ),
        ),
        Some("AssumeRole") => xml(
            StatusCode::FORBIDDEN,
            format!(
                "<ErrorResponse xmlns=\"{STS_NS}\"><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                 <Message>User: arn:aws:iam::{PLATFORM_ACCOUNT}:user/portico is not authorized to perform: \
                 sts:AssumeRole on resource: {}</Message></Error><RequestId>stub</RequestId></ErrorResponse>",
                field("RoleArn").unwrap_or_default()
            ),
        ),
        other => xml(StatusCode::BAD_REQUEST, format!("<ErrorResponse><Error><Code>{other:?}</Code></Error></ErrorResponse>")),
    }
}
