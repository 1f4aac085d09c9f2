//! Server functions of the reseller's settings pages (admins only): Widget settings, Customer
//! fields and the Test Drives catalog.

use leptos::prelude::*;
use portico_shared::branding::WidgetSettingsInput;
use portico_shared::custom_fields::{DefinitionInput, FieldDefinition};
use portico_shared::ids::{CustomFieldId, ProviderId, TestDriveId};
pub use portico_shared::portal::WidgetSettingsData;
use portico_shared::signup_options::SignupOptionsForm;
use portico_shared::test_drives::{TestDrive, TestDriveInput};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use portico_domain::customers::fields;
#[cfg(feature = "ssr")]
use portico_domain::widget::settings as widget_settings;
#[cfg(feature = "ssr")]
use portico_domain::{signup_options, staff, test_drives};

#[cfg(feature = "ssr")]
use super::on_server;
use super::PortalUser;
use crate::json::PortalJson;
use crate::PortalError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetSettingsPageData {
    pub user: PortalUser,
    pub data: WidgetSettingsData,
}

#[server(prefix = "/portal", endpoint = "widget_settings_page", output = PortalJson)]
pub async fn widget_settings_page() -> Result<WidgetSettingsPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let data = widget_settings::page(&portico, &who.reseller_admin()?).await?;
    Ok(WidgetSettingsPageData { user, data })
}

/// Saves the name, license URL, colour, logo and allowed websites.
#[server(prefix = "/portal", endpoint = "save_widget_settings", output = PortalJson)]
pub async fn save_widget_settings(settings: WidgetSettingsInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(widget_settings::save(&portico, &who.reseller_admin()?, &settings).await?)
}

/// Saves the signup options (the same rules as `PUT /api/v1/reseller/signup-options`).
#[server(prefix = "/portal", endpoint = "save_signup_options", output = PortalJson)]
pub async fn save_signup_options(options: SignupOptionsForm) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    signup_options::save(&portico, &who.reseller_admin()?, options.into()).await?;
    Ok(())
}

/// Data of the Customer fields settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerFieldsPageData {
    pub user: PortalUser,
    pub fields: Vec<FieldDefinition>,
}

#[server(prefix = "/portal", endpoint = "customer_fields_page", output = PortalJson)]
pub async fn customer_fields_page() -> Result<CustomerFieldsPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let admin = who.reseller_admin()?;
    let fields = fields::definitions(&portico.db, &admin.reseller_id).await?;
    Ok(CustomerFieldsPageData { user, fields })
}

#[server(prefix = "/portal", endpoint = "define_customer_field", output = PortalJson)]
pub async fn define_customer_field(field: DefinitionInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    fields::define(&portico, &who.reseller_admin()?, &field).await?;
    Ok(())
}

#[server(prefix = "/portal", endpoint = "retire_customer_field", output = PortalJson)]
pub async fn retire_customer_field(field: CustomFieldId) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(fields::retire(&portico, &who.reseller_admin()?, &field).await?)
}

/// Data of the Test Drives page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestDrivesPageData {
    pub user: PortalUser,
    pub drives: Vec<TestDrive>,
    /// (id, name) of each cloud provider.
    pub providers: Vec<(ProviderId, String)>,
}

#[server(prefix = "/portal", endpoint = "test_drives_page", output = PortalJson)]
pub async fn test_drives_page() -> Result<TestDrivesPageData, PortalError> {
    let (portico, who) = on_server::request()?;
    let user = staff::whoami(&portico, &who).await?;
    let (drives, providers) = test_drives::page(&portico, &who.reseller_admin()?).await?;
    Ok(TestDrivesPageData { user, drives, providers })
}

/// Adds a test drive (`id` empty, `version` 0) or changes one.
#[server(prefix = "/portal", endpoint = "save_test_drive", output = PortalJson)]
pub async fn save_test_drive(id: String, version: i64, drive: TestDriveInput) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    let id = match id.as_str() {
        "" => None,
        id => Some(TestDriveId::parse(id).map_err(|e| portico_domain::Error::MalformedRequest(e.to_string()))?),
    };
    test_drives::save(&portico, &who.reseller_admin()?, id.as_ref(), version, &drive).await?;
    Ok(())
}

#[server(prefix = "/portal", endpoint = "retire_test_drive", output = PortalJson)]
pub async fn retire_test_drive(drive: TestDriveId) -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    Ok(test_drives::retire(&portico, &who.reseller_admin()?, &drive).await?)
}

#[server(prefix = "/portal", endpoint = "rotate_widget_key", output = PortalJson)]
pub async fn rotate_widget_key() -> Result<(), PortalError> {
    let (portico, who) = on_server::request()?;
    widget_settings::rotate_key(&portico, &who.reseller_admin()?).await?;
    Ok(())
}
