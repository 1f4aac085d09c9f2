//! What the server rendered into the frame page for this widget key.

use crate::json::Json;

#[derive(Clone, Debug)]
pub struct FrameConfig {
    pub key: String,
    pub reseller_name: String,
    pub license_url: Option<String>,
    /// The reseller websites allowed to frame this widget.
    pub allowed_origins: Vec<String>,
}

impl FrameConfig {
    pub fn read(document: &web_sys::Document) -> Option<FrameConfig> {
        let config = Json::parse(&document.get_element_by_id("portico-config")?.text_content()?)?;
        Some(FrameConfig {
            key: config.string("key")?,
            reseller_name: config.string("reseller_name")?,
            license_url: config.string("license_url"),
            allowed_origins: config.list("allowed_origins").iter().filter_map(Json::as_string).collect(),
        })
    }
}
