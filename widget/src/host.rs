//! Messages to the page that embeds the widget: its height, so the iframe never scrolls, and
//! events such as a completed signup, which the loader re-dispatches as `portico:*` DOM events.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The embedding page, if it is one of the reseller's registered websites.
#[derive(Clone, Debug, Default)]
pub struct Host {
    origin: Option<String>,
}

impl Host {
    /// The loader passes the host page's origin; messages go only to it, and only when it is a
    /// registered origin (the frame's `frame-ancestors` already refused any other).
    pub fn new(allowed_origins: &[String]) -> Host {
        let claimed = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
            .and_then(|params| params.get("origin"));
        let origin = claimed.filter(|origin| allowed_origins.iter().any(|allowed| allowed == origin));
        Host { origin }
    }

    /// Reports the content height now and whenever it changes.
    pub fn watch_height(&self) {
        let host = self.clone();
        let on_resize = Closure::<dyn Fn()>::new(move || host.report_height());
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
                observer.observe(&body);
            }
        }
        // The observer lives as long as the page.
        on_resize.forget();
    }

    fn report_height(&self) {
        // The laid-out height of the content, which (unlike scrollHeight) can shrink below the
        // iframe's current height.
        let height = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map_or(0.0, |root| root.get_bounding_client_rect().height())
            .ceil() as u32;
        self.post(&format!(r#"{{"type":"portico:resize","height":{height}}}"#));
    }

    /// Tells the host page that `name` happened (`portico:<name>` there). `detail` is JSON.
    pub fn emit(&self, name: &str, detail: &str) {
        self.post(&format!(r#"{{"type":"portico:event","name":"{name}","detail":{detail}}}"#));
    }

    fn post(&self, message: &str) {
        let (Some(origin), Some(window)) = (&self.origin, web_sys::window()) else { return };
        if let Ok(Some(parent)) = window.parent() {
            let _ = parent.post_message(&JsValue::from_str(message), origin);
        }
    }
}
