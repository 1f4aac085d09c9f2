//! How the portal's data crosses from the server to the browser: JSON, written by serde_json on
//! the server and read in the browser by the browser's own parser (`JSON.parse`) into serde
//! (serde-wasm-bindgen). serde_json's parser was compiled into the hydration bundle twice for
//! every type a page reads, once for server functions' results (read from bytes) and once for
//! the page data carried in the HTML (read from text); docs/architecture.md has what this saved.
//!
//! - Server functions' results and their errors: `#[server(output = PortalJson)]`, and
//!   `PortalError`'s encoder.
//! - Page data: `Resource::new_serde_wb`, codee's codec of the same pair.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// JSON in both directions: serde_json writes it; the browser's parser reads it.
pub struct BrowserJson;

/// The output encoding of every portal server function (a `POST` with a JSON answer).
pub type PortalJson = Post<BrowserJson>;

impl ContentType for BrowserJson {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for BrowserJson {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for BrowserJson {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

#[cfg(feature = "hydrate")]
impl<T: DeserializeOwned> Decodes<T> for BrowserJson {
    type Error = serde_wasm_bindgen::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(serde_wasm_bindgen::Error::new)?;
        let value = js_sys::JSON::parse(text).map_err(|_| serde_wasm_bindgen::Error::new("the answer is not JSON"))?;
        serde_wasm_bindgen::from_value(value)
    }
}

/// The server's build needs a decoder too (`FromServerFnError` asks its encoder for both ways),
/// though the server never reads an answer.
#[cfg(not(feature = "hydrate"))]
impl<T: DeserializeOwned> Decodes<T> for BrowserJson {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        serde_json::from_slice(&bytes)
    }
}
