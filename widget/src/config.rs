//! What the server knows of this widget key when it renders the frame page: the widget's
//! WebAssembly reads it back from the page instead of fetching it.

use portico_shared::language::Language;
use portico_shared::signup::FormRules;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FrameConfig {
    pub key: String,
    pub reseller_name: String,
    pub license_url: Option<String>,
    /// The reseller's primary colour (`#rrggbb`, checked readable on white) and logo address.
    pub brand_color: Option<String>,
    pub logo_url: Option<String>,
    /// The reseller websites allowed to frame this widget.
    pub allowed_origins: Vec<String>,
    /// What the reseller's signup options ask of the form.
    pub rules: FormRules,
    /// The reseller's own words above the form.
    pub custom_text: String,
    /// The visitor's language, chosen by the server from the frame's address.
    pub language: Language,
    /// When the server served this form, signed by it: a signup sends it back, and one sent
    /// sooner than a person could fill the form in is asked to be sent again.
    pub form_token: String,
}
