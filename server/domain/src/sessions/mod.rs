//! Sessions: the portal's (reseller users and platform staff, by cookie) and the widget's (end
//! customers, by bearer token or partitioned cookie).

pub mod portal;
pub mod widget;
