//! The reseller's settings pages on the server (admins only): Widget settings (key, websites,
//! branding, signup options) and Customer fields.

use axum::http::HeaderMap;
use portico_app::api::settings::WidgetSettingsData;
use portico_app::backend::SettingsBackend;
use portico_app::PortalError;
use portico_shared::branding::WidgetSettingsInput;
use portico_shared::signup_options::SignupOptions;
use portico_shared::staff::StaffRole;

use portico_shared::custom_fields::{DefinitionInput, FieldDefinition};

use portico_shared::test_drives::{TestDrive, TestDriveInput};

use crate::customers::fields;
use crate::portal::sessions::SessionUser;
use crate::portal::{refused, unavailable, Backend};
use crate::signup_options;
use crate::test_drives;
use crate::widget::settings;

impl Backend {
    /// The signed-in reseller admin; agents are told who may change the widget.
    async fn reseller_admin(&self, headers: &HeaderMap) -> Result<SessionUser, PortalError> {
        let session = self.session(headers).await?;
        if session.role != StaffRole::Admin {
            return Err(PortalError::Forbidden(
                "Only an admin of your team can see and change the widget settings.".into(),
            ));
        }
        Ok(session)
    }
}

#[async_trait::async_trait]
impl SettingsBackend for Backend {
    async fn widget_settings(&self, headers: &HeaderMap) -> Result<WidgetSettingsData, PortalError> {
        let session = self.reseller_admin(headers).await?;
        let db = &self.state.db;
        let (settings, key) = settings::load(db, &session.reseller_id).await.map_err(unavailable)?;
        let signup_options = signup_options::load(db, &session.reseller_id).await.map_err(unavailable)?;
        let origin = &self.state.public_origin;
        Ok(WidgetSettingsData {
            settings,
            signup_options,
            snippet: key
                .as_ref()
                .map(|key| format!(r#"<script async src="{origin}/widget/v1/embed.js" data-key="{key}"></script>"#)),
            preview_url: key.as_ref().map(|key| format!("/widget/v1/frame?key={key}")),
            publishable_key: key,
        })
    }

    async fn save_widget_settings(&self, headers: &HeaderMap, input: &WidgetSettingsInput) -> Result<(), PortalError> {
        let session = self.reseller_admin(headers).await?;
        let valid = input.validate().map_err(PortalError::Invalid)?;
        settings::save(&self.state.db, &session.reseller_id, &valid, &session.actor()).await.map_err(refused)
    }

    async fn save_signup_options(&self, headers: &HeaderMap, options: SignupOptions) -> Result<(), PortalError> {
        let session = self.reseller_admin(headers).await?;
        let valid = options.validate().map_err(PortalError::Invalid)?;
        signup_options::save(&self.state.db, &session.reseller_id, &valid, &session.actor()).await.map_err(refused)
    }

    async fn customer_fields(&self, headers: &HeaderMap) -> Result<Vec<FieldDefinition>, PortalError> {
        let session = self.reseller_admin(headers).await?;
        fields::definitions(&self.state.db, &session.reseller_id).await.map_err(unavailable)
    }

    async fn define_customer_field(&self, headers: &HeaderMap, field: &DefinitionInput) -> Result<(), PortalError> {
        let session = self.reseller_admin(headers).await?;
        let field = field.validate().map_err(PortalError::Invalid)?;
        fields::define(&self.state.db, &session.reseller_id, &field, &session.actor()).await.map_err(refused)?;
        Ok(())
    }

    async fn retire_customer_field(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError> {
        let session = self.reseller_admin(headers).await?;
        fields::retire(&self.state.db, &session.reseller_id, id, &session.actor()).await.map_err(refused)
    }

    async fn test_drives(&self, headers: &HeaderMap) -> Result<(Vec<TestDrive>, Vec<(String, String)>), PortalError> {
        let session = self.reseller_admin(headers).await?;
        let db = &self.state.db;
        let drives = test_drives::catalog(db, &session.reseller_id).await.map_err(unavailable)?;
        let providers = sqlx::query_as("SELECT id, name FROM cloud_providers ORDER BY position")
            .fetch_all(&db.pool)
            .await
            .map_err(|e| unavailable(e.into()))?;
        Ok((drives, providers))
    }

    async fn save_test_drive(
        &self,
        headers: &HeaderMap,
        id: &str,
        version: i64,
        drive: &TestDriveInput,
    ) -> Result<(), PortalError> {
        let session = self.reseller_admin(headers).await?;
        let db = &self.state.db;
        let providers = test_drives::provider_ids(db).await.map_err(unavailable)?;
        let drive = drive.validate(&providers).map_err(PortalError::Invalid)?;
        let (reseller, actor) = (&session.reseller_id, session.actor());
        if id.is_empty() {
            test_drives::create(db, reseller, &drive, &actor).await.map_err(refused)?;
        } else {
            test_drives::update(db, reseller, id, version, &drive, &actor).await.map_err(refused)?;
        }
        Ok(())
    }

    async fn retire_test_drive(&self, headers: &HeaderMap, id: &str) -> Result<(), PortalError> {
        let session = self.reseller_admin(headers).await?;
        test_drives::retire(&self.state.db, &session.reseller_id, id, &session.actor()).await.map_err(refused)
    }

    async fn rotate_widget_key(&self, headers: &HeaderMap) -> Result<(), PortalError> {
        let session = self.reseller_admin(headers).await?;
        settings::rotate_key(&self.state.db, &session.reseller_id, &session.actor()).await.map_err(refused)?;
        Ok(())
    }
}
