//! What the server rendered into the frame page for this widget key.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
pub struct FrameConfig {
    pub key: String,
    pub reseller_name: String,
    pub license_url: Option<String>,
    /// The reseller websites allowed to frame this widget.
    pub allowed_origins: Vec<String>,
}

impl FrameConfig {
    pub fn read(document: &web_sys::Document) -> Option<FrameConfig> {
        let text = document.get_element_by_id("portico-config")?.text_content()?;
        serde_json::from_str(&text).ok()
    }
}
