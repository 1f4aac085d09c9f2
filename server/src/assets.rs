//! The built front-end files. The build writes `assets.json` beside them, naming each file with
//! a hash of its content, so the server can hand browsers URLs that may be cached forever.

use std::path::Path;

use serde::Deserialize;

/// URL paths (from the site root) of the content-hashed files.
#[derive(Clone, Debug, Deserialize)]
pub struct AssetManifest {
    pub portal_js: String,
    pub portal_wasm: String,
    pub portal_css: String,
    /// The portal bundle's parts, when it is split at its lazy routes.
    #[serde(default)]
    pub portal_parts: Option<PortalParts>,
    pub widget_js: String,
    pub widget_wasm: String,
    pub widget_css: String,
    /// The widget's stylesheet itself: the widget's frame page carries it inline, so the form
    /// paints as soon as the page arrives, with no request in between.
    #[serde(skip)]
    pub widget_style: String,
}

/// Where the portal bundle's parts are, and what each lazy route preloads: the page's response
/// names its group's parts, in one file, as a preload, so they download beside the main module
/// rather than after it, in one request.
#[derive(Clone, Debug, Deserialize)]
pub struct PortalParts {
    pub folder: String,
    /// The module that fetches the parts, in `folder`.
    pub loader: String,
    /// A lazy function's name → what a page it draws preloads (file stems in `folder`): its
    /// group's parts in one file.
    pub preloads: std::collections::HashMap<String, Vec<String>>,
}

impl AssetManifest {
    /// Reads the manifest the build wrote. Without one (an API-only run, such as the server's own
    /// tests) pages still render, pointing at names that answer 404, and the log says why.
    pub fn load(site_dir: &Path) -> AssetManifest {
        let path = site_dir.join("assets.json");
        match std::fs::read_to_string(&path)
            .map_err(anyhow::Error::from)
            .and_then(|text| Ok(serde_json::from_str::<AssetManifest>(&text)?))
        {
            Ok(mut manifest) => {
                let css = site_dir.join("widget").join(manifest.widget_css.rsplit('/').next().unwrap_or_default());
                manifest.widget_style = std::fs::read_to_string(&css).unwrap_or_else(|e| {
                    tracing::warn!(path = %css.display(), error = %e, "the widget's stylesheet is missing");
                    String::new()
                });
                manifest
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "no built front-end assets; run the build first");
                AssetManifest {
                    portal_js: "/pkg/portal.js".into(),
                    portal_wasm: "/pkg/portal_bg.wasm".into(),
                    portal_css: "/pkg/portal.css".into(),
                    portal_parts: None,
                    widget_js: "/widget/assets/widget.js".into(),
                    widget_wasm: "/widget/assets/widget_bg.wasm".into(),
                    widget_css: "/widget/assets/widget.css".into(),
                    widget_style: String::new(),
                }
            }
        }
    }
}
