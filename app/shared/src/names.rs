//! The JSON form of enums that strum names: serde writes and reads them through strum's table
//! of names instead of generating its own, so each enum carries one table. In the widget's wasm,
//! serde's derive matched every name twice (as text and as bytes) beside strum's match.

/// For enums deriving strum's `EnumString` and `IntoStaticStr`, marked
/// `#[serde(try_from = "String", into = "&'static str")]` (keep `rename_all` too: the API's
/// schema reads the names from it).
macro_rules! json_by_name {
    ($($name:ident),+ $(,)?) => {$(
        impl TryFrom<String> for $name {
            type Error = &'static str;

            fn try_from(name: String) -> Result<$name, &'static str> {
                name.parse().map_err(|_| concat!("not a known ", stringify!($name)))
            }
        }
    )+};
}

pub(crate) use json_by_name;
