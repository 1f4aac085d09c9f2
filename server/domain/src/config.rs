//! What the domain is configured with. The server reads its settings once at start (flags and
//! environment) and hands the domain this part of them.

use std::sync::Arc;

/// The domain's settings.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The platform's origin (`https://portico.example`): links in e-mails point here.
    pub public_origin: Arc<str>,
    /// Whether the platform is served over https: session cookies are `Secure` and `__Host-` then.
    pub https: bool,
    pub links: LinkConfig,
    /// Signups sent sooner than this after the form was served are taken for robots.
    pub signup_min_fill_ms: u64,
    /// Whether the platform's staff must sign in with two steps (everywhere but the demo).
    pub staff_two_step_required: bool,
    /// Signs the form tokens that date when the Signup form was served.
    pub form_key: crate::widget::form_token::FormKey,
    /// Widget signups accepted from one IP address per hour.
    pub signups_per_ip_per_hour: i64,
    /// What the Role ARN dialog tells account owners: the platform's AWS account, and where the
    /// role's CloudFormation template is published.
    pub aws_account_id: String,
    pub role_template_url: Option<String>,
    /// Where uploaded and dropped usage reports are kept while and after they are imported.
    pub usage_dir: std::path::PathBuf,
    /// The folder the providers' billing exports arrive in: each new file is imported.
    pub usage_drop_dir: std::path::PathBuf,
}

/// How often the platform asks AWS whether an invitation was answered or an account created,
/// how long before an invitation expires the owner is reminded, and the portal's origin for the
/// links e-mails carry.
#[derive(Clone, Debug)]
pub struct LinkConfig {
    pub poll_ms: i64,
    pub reminder_lead_ms: i64,
    pub origin: Arc<str>,
}
