//! JSON without serde: the browser's own `JSON.parse` / `JSON.stringify`, and property reads.
//!
//! The widget's bodies are flat objects of strings and numbers, so reading them by name costs a few hundred
//! bytes, where serde_json's deserializer and the float formatting its error messages pull in
//! cost tens of kilobytes of wasm on every reseller page view.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// A parsed JSON value.
pub struct Json(JsValue);

impl Json {
    pub fn parse(text: &str) -> Option<Json> {
        JSON::parse(text).ok().map(Json)
    }

    pub fn from_js(value: JsValue) -> Json {
        Json(value)
    }

    /// The member `name`, if this is an object that has it.
    pub fn get(&self, name: &str) -> Option<Json> {
        if !self.0.is_object() {
            return None;
        }
        Reflect::get(&self.0, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null()).map(Json)
    }

    /// The member `name` as a string.
    pub fn string(&self, name: &str) -> Option<String> {
        self.get(name)?.0.as_string()
    }

    /// The member `name` as a list.
    pub fn list(&self, name: &str) -> Vec<Json> {
        self.get(name)
            .and_then(|v| v.0.dyn_into::<Array>().ok())
            .map(|array| array.iter().map(Json).collect())
            .unwrap_or_default()
    }

    /// The member `name` as a whole number.
    pub fn integer(&self, name: &str) -> Option<i64> {
        self.get(name)?.0.as_f64().filter(|n| n.fract() == 0.0).map(|n| n as i64)
    }

    /// The elements, if this is a list.
    pub fn items(&self) -> Vec<Json> {
        self.0.dyn_ref::<Array>().map(|array| array.iter().map(Json).collect()).unwrap_or_default()
    }

    /// The member `name` as a boolean; absent or not `true` reads as false.
    pub fn flag(&self, name: &str) -> bool {
        self.get(name).and_then(|v| v.0.as_bool()).unwrap_or(false)
    }

    pub fn as_string(&self) -> Option<String> {
        self.0.as_string()
    }
}

/// An object being written, member by member, then turned into JSON text.
pub struct JsonObject(Object);

impl JsonObject {
    pub fn new() -> Self {
        JsonObject(Object::new())
    }

    pub fn set(self, name: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &JsValue::from_str(name), &value.into());
        self
    }

    pub fn text(&self) -> Option<String> {
        JSON::stringify(&self.0).ok()?.as_string()
    }
}
