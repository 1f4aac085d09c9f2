//! A customer's page: the record and what each of its tabs shows, in one read.

use portico_shared::aws::RoleSetup;
use portico_shared::ids::CustomerId;
use portico_shared::portal::CustomerData;

use crate::cloud::accounts;
use crate::customers::{self, fields, settings, users};
use crate::error::Result;
use crate::principal::ResellerUser;
use crate::{audit, Portico};

/// How many audit entries a customer's page shows.
const HISTORY_SHOWN: i64 = 50;

/// One of the user's reseller's customers with its history and settings; not found when it is
/// another reseller's.
pub async fn page(portico: &Portico, user: &ResellerUser, id: &CustomerId) -> Result<CustomerData> {
    let (db, reseller) = (&portico.db, &user.reseller_id);
    let customer = customers::own(db, user, id).await?;
    let settings_of = &portico.settings;
    Ok(CustomerData {
        history: audit::for_customer(db, reseller, id, HISTORY_SHOWN).await?,
        providers: settings::providers(&db.pool, id).await?,
        options: settings::options(db, id).await?,
        users: users::list(db, id).await?,
        fields: fields::values(db, reseller, id).await?,
        cloud_accounts: accounts::list(db, reseller, id).await?,
        role_setup: RoleSetup {
            platform_account: settings_of.aws_account_id.clone(),
            template_url: settings_of.role_template_url.clone(),
        },
        customer,
    })
}
