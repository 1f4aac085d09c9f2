//! A cloud gateway around another that counts the calls whose repetition would hurt (a second
//! grant of admin access replaces the password the first one showed; a second AWS call made by a
//! second worker) and makes each take a while, as AWS's calls do.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use portico_domain::cloud::gateway::{
    AdminAccess, Assumed, CloudGateway, Creation, Handshake, HandshakeState, Sandbox,
};
use portico_domain::Result;
use portico_shared::aws::{AccountId, OrganizationAccount, RoleArn};
use portico_shared::ids::InstanceId;

pub struct ProbeCloud {
    cloud: Arc<dyn CloudGateway>,
    /// How long each counted call takes.
    delay: Duration,
    pub grants: AtomicUsize,
    pub cancels: AtomicUsize,
}

impl ProbeCloud {
    pub fn around(cloud: Arc<dyn CloudGateway>, delay: Duration) -> ProbeCloud {
        ProbeCloud { cloud, delay, grants: AtomicUsize::new(0), cancels: AtomicUsize::new(0) }
    }
}

#[async_trait::async_trait]
impl CloudGateway for ProbeCloud {
    async fn assume_role(&self, role: &RoleArn, external_id: Option<&str>) -> Result<Assumed> {
        self.cloud.assume_role(role, external_id).await
    }
    async fn invite_account(&self, account: &AccountId) -> Result<Handshake> {
        self.cloud.invite_account(account).await
    }
    async fn handshake_state(&self, handshake: &str) -> Result<HandshakeState> {
        self.cloud.handshake_state(handshake).await
    }
    async fn cancel_handshake(&self, handshake: &str) -> Result<()> {
        self.cancels.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        self.cloud.cancel_handshake(handshake).await
    }
    async fn remove_account(&self, account: &AccountId) -> Result<()> {
        self.cloud.remove_account(account).await
    }
    async fn organization_accounts(&self) -> Result<Vec<OrganizationAccount>> {
        self.cloud.organization_accounts().await
    }
    async fn create_account(&self, email: &str, name: &str) -> Result<String> {
        self.cloud.create_account(email, name).await
    }
    async fn creation(&self, request: &str) -> Result<Creation> {
        self.cloud.creation(request).await
    }
    async fn find_creation(&self, email: &str, name: &str) -> Result<Option<String>> {
        self.cloud.find_creation(email, name).await
    }
    async fn launch_sandbox(&self, instance: &InstanceId, drive: &str) -> Result<()> {
        self.cloud.launch_sandbox(instance, drive).await
    }
    async fn sandbox(&self, instance: &InstanceId) -> Result<Sandbox> {
        self.cloud.sandbox(instance).await
    }
    async fn end_sandbox(&self, instance: &InstanceId) -> Result<()> {
        self.cloud.end_sandbox(instance).await
    }
    async fn grant_admin_access(&self, account: &AccountId, email: &str) -> Result<AdminAccess> {
        self.grants.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        self.cloud.grant_admin_access(account, email).await
    }
}
