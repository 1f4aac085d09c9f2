//! What the Cloud accounts tab and its dialogs share: the tab's actions and open dialog, kept
//! by the customer's page, and how a row and its dialog refer to each other.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portico_shared::aws::RoleCheck;

use crate::api::cloud::{AddCloudAccount, ChangeCloudLink, CheckRoleArn, RequestNewCloudAccount};
use crate::pages::dialog::DialogOpen;

/// The tab's actions and its open dialog, kept by the customer's page so that they outlive the
/// tab being drawn again after each save.
#[derive(Clone, Copy)]
pub struct CloudActions {
    pub add: ServerAction<AddCloudAccount>,
    pub check: ServerAction<CheckRoleArn>,
    /// The account whose role was checked last, so its refusal shows in its own dialog.
    pub checking: RwSignal<String>,
    pub link: ServerAction<ChangeCloudLink>,
    pub request: ServerAction<RequestNewCloudAccount>,
    /// The account whose link step was taken last.
    pub linking: RwSignal<String>,
    /// The dialog open on the tab: the one the address names (`?account=`, where a notification
    /// leads), and after **Save** in Add or **Request**, the new account's.
    pub dialog: DialogOpen,
}

impl CloudActions {
    pub fn new() -> CloudActions {
        let query = use_query_map();
        let named = query.with_untracked(|query| query.get("account"));
        let actions = CloudActions {
            add: ServerAction::new(),
            check: ServerAction::new(),
            checking: RwSignal::new(String::new()),
            link: ServerAction::new(),
            request: ServerAction::new(),
            linking: RwSignal::new(String::new()),
            dialog: RwSignal::new(named),
        };
        let CloudActions { add, request, dialog, .. } = actions;
        // "The instructions for how to create the Role ARN will appear in the next dialog box."
        Effect::watch(
            move || add.version().get(),
            move |_, _, _| {
                if let Some(Ok(id)) = add.value().get_untracked() {
                    dialog.set(Some(id.to_string()));
                }
            },
            false,
        );
        Effect::watch(
            move || request.version().get(),
            move |_, _, _| {
                if let Some(Ok(id)) = request.value().get_untracked() {
                    dialog.set(Some(id.to_string()));
                }
            },
            false,
        );
        // Once the dialog the address named is closed, the address stops naming it, so that a
        // reload shows the tab as it is.
        let (location, navigate) = (use_location(), use_navigate());
        Effect::new(move |_| {
            let named = query.with_untracked(|query| query.get("account").is_some());
            if dialog.with(Option::is_none) && named {
                let tab = location.pathname.get_untracked();
                navigate(&tab, NavigateOptions { replace: true, scroll: false, ..NavigateOptions::default() });
            }
        });
        actions
    }
}

/// The id of the button on an account's row that opens its dialog.
pub fn row_button_id(account: &str) -> String {
    format!("open-{account}")
}

pub fn check_class(check: &RoleCheck) -> &'static str {
    match check {
        RoleCheck::Valid => "status status-active",
        RoleCheck::Invalid(_) => "status status-rejected",
        RoleCheck::NotChecked => "status status-pending_approval",
    }
}
