//! The frame around every signed-in page: who is signed in, where they are, how to leave.

use leptos::prelude::*;
use leptos_router::components::A;

use portico_shared::staff::StaffRole;

use crate::api::{PortalUser, SignOut};
use crate::erased::{IntoAnySync, SyncChildren};

#[component]
pub fn SignedInLayout(user: PortalUser, children: SyncChildren) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Portico"</a>
            <span class="tenant">{user.team_name.clone()}</span>
            <nav aria-label="Main">
                <A href="/">"Home"</A>
                {if user.is_platform() {
                    view! { <A href="/resellers">"Resellers"</A><A href="/cloud-support">"Cloud Support"</A> }.into_any_sync()
                } else {
                    view! { <A href="/customers">"Customers"</A> }.into_any_sync()
                }}
                <A href="/history">"History"</A>
                <A href="/notifications">
                    {view! {
                        "Notifications"
                        {(user.unread_notifications > 0).then(|| view! {
                            " " <span class="unread-count">{user.unread_notifications}<span class="visually-hidden">" unread"</span></span>
                        })}
                    }
                    .into_any_sync()}
                </A>
                <A href="/team">"Team"</A>
                {matches!(user.role, StaffRole::Admin | StaffRole::PlatformAdmin).then(|| view! { <A href="/usage">"Usage"</A> })}
                {(user.role == StaffRole::Admin).then(|| view! { <A href="/billing">"Billing"</A> })}
                {(user.role == StaffRole::Admin).then(|| view! { <A href="/settings/widget">"Widget"</A> })}
            </nav>
            <div class="account">
                <A href="/account" attr:class="who" attr:title=format!("Your account ({})", user.email)>{user.name}</A>
                <ActionForm action=sign_out>
                    {view! {
                        <button type="submit" class="link-button">"Sign out"</button>
                    }
                    .into_any_sync()}
                </ActionForm>
            </div>
        </header>
        <main id="main" class="page">{children.view()}</main>
    }
}
