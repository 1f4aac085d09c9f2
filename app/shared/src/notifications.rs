//! The portal's notifications, as the Notifications page lists them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub at: i64,
    pub subject: String,
    pub body: String,
    /// Where in the portal to act on it.
    pub link: String,
    /// Newer than what the signed-in person marked read.
    pub unread: bool,
}
