//! What the server rendered into the frame page for this widget key.

use portico_shared::signup::FormRules;

use crate::json::Json;

#[derive(Clone, Debug)]
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
}

impl FrameConfig {
    pub fn read(document: &web_sys::Document) -> Option<FrameConfig> {
        let config = Json::parse(&document.get_element_by_id("portico-config")?.text_content()?)?;
        Some(FrameConfig {
            key: config.string("key")?,
            reseller_name: config.string("reseller_name")?,
            license_url: config.string("license_url"),
            brand_color: config.string("brand_color"),
            logo_url: config.string("logo_url"),
            allowed_origins: config.list("allowed_origins").iter().filter_map(Json::as_string).collect(),
            rules: config.get("rules").map_or_else(FormRules::default, |rules| FormRules {
                require_address: rules.flag("require_address"),
                require_license_acceptance: rules.flag("require_license_acceptance"),
            }),
            custom_text: config.string("custom_text").unwrap_or_default(),
        })
    }
}
