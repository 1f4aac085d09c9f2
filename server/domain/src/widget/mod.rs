//! The widget's side of the platform: publishable keys, the reseller's widget settings, and the
//! end customers' accounts made and used through the widget (signup, e-mail confirmation, login,
//! password reset).

pub mod form_token;
pub mod keys;
pub mod login;
pub mod reset;
pub mod settings;
pub mod signup;
pub mod verify;
