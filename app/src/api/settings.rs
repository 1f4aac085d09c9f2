//! Server functions of the reseller's settings pages (admins only): Widget settings, Customer
//! fields and the Test Drives catalog.

use leptos::prelude::*;
use portico_shared::branding::{WidgetSettings, WidgetSettingsInput};
use portico_shared::custom_fields::{DefinitionInput, FieldDefinition};
use portico_shared::signup_options::{SignupOptions, SignupOptionsForm};
use portico_shared::test_drives::{TestDrive, TestDriveInput};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::server_side::{backend, headers, refuse, reseller_settings};
use super::PortalUser;
use crate::PortalError;

/// What the Widget settings page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettingsData {
    pub settings: WidgetSettings,
    pub signup_options: SignupOptions,
    /// The key the embed tag carries; `None` until the first save or rotation issues one.
    pub publishable_key: Option<String>,
    /// The tag to paste into the reseller's pages.
    pub snippet: Option<String>,
    /// The widget's own page for this key, shown as the live preview.
    pub preview_url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettingsPageData {
    pub user: PortalUser,
    pub data: WidgetSettingsData,
}

#[server(prefix = "/portal", endpoint = "widget_settings_page")]
pub async fn widget_settings_page() -> Result<WidgetSettingsPageData, PortalError> {
    let headers = headers().await?;
    let user = backend()?.current_user(&headers).await.map_err(refuse)?;
    let data = reseller_settings()?.widget_settings(&headers).await.map_err(refuse)?;
    Ok(WidgetSettingsPageData { user, data })
}

/// Saves the name, license URL, colour, logo and allowed websites.
#[server(prefix = "/portal", endpoint = "save_widget_settings")]
pub async fn save_widget_settings(settings: WidgetSettingsInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    reseller_settings()?.save_widget_settings(&headers, &settings).await.map_err(refuse)
}

/// Saves the signup options (the same rules as `PUT /api/v1/reseller/signup-options`).
#[server(prefix = "/portal", endpoint = "save_signup_options")]
pub async fn save_signup_options(options: SignupOptionsForm) -> Result<(), PortalError> {
    let headers = headers().await?;
    reseller_settings()?.save_signup_options(&headers, options.into()).await.map_err(refuse)
}

/// Data of the Customer fields settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFieldsPageData {
    pub user: PortalUser,
    pub fields: Vec<FieldDefinition>,
}

#[server(prefix = "/portal", endpoint = "customer_fields_page")]
pub async fn customer_fields_page() -> Result<CustomerFieldsPageData, PortalError> {
    let headers = headers().await?;
    let user = backend()?.current_user(&headers).await.map_err(refuse)?;
    let fields = reseller_settings()?.customer_fields(&headers).await.map_err(refuse)?;
    Ok(CustomerFieldsPageData { user, fields })
}

#[server(prefix = "/portal", endpoint = "define_customer_field")]
pub async fn define_customer_field(field: DefinitionInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    reseller_settings()?.define_customer_field(&headers, &field).await.map_err(refuse)
}

#[server(prefix = "/portal", endpoint = "retire_customer_field")]
pub async fn retire_customer_field(field: String) -> Result<(), PortalError> {
    let headers = headers().await?;
    reseller_settings()?.retire_customer_field(&headers, &field).await.map_err(refuse)
}

/// Data of the Test Drives page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestDrivesPageData {
    pub user: PortalUser,
    pub drives: Vec<TestDrive>,
    /// (id, name) of each cloud provider.
    pub providers: Vec<(String, String)>,
}

#[server(prefix = "/portal", endpoint = "test_drives_page")]
pub async fn test_drives_page() -> Result<TestDrivesPageData, PortalError> {
    let headers = headers().await?;
    let user = backend()?.current_user(&headers).await.map_err(refuse)?;
    let (drives, providers) = reseller_settings()?.test_drives(&headers).await.map_err(refuse)?;
    Ok(TestDrivesPageData { user, drives, providers })
}

/// Adds a test drive (`id` empty, `version` 0) or changes one.
#[server(prefix = "/portal", endpoint = "save_test_drive")]
pub async fn save_test_drive(id: String, version: i64, drive: TestDriveInput) -> Result<(), PortalError> {
    let headers = headers().await?;
    reseller_settings()?.save_test_drive(&headers, &id, version, &drive).await.map_err(refuse)
}

#[server(prefix = "/portal", endpoint = "retire_test_drive")]
pub async fn retire_test_drive(drive: String) -> Result<(), PortalError> {
    let headers = headers().await?;
    reseller_settings()?.retire_test_drive(&headers, &drive).await.map_err(refuse)
}

#[server(prefix = "/portal", endpoint = "rotate_widget_key")]
pub async fn rotate_widget_key() -> Result<(), PortalError> {
    let headers = headers().await?;
    reseller_settings()?.rotate_widget_key(&headers).await.map_err(refuse)
}
