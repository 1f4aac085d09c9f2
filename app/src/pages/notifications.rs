//! Notifications: what the platform told the signed-in person's team — a reseller's admins of
//! Cloud Support's decisions and AWS's answers, Cloud Support of requests waiting for them —
//! newest first, each with a link to where to act. The same words went out by e-mail.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::dates::date_time;

use crate::api::people::{notifications_page, MarkNotificationsRead};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark_read = ServerAction::<MarkNotificationsRead>::new();
    let data = Resource::new_serde_wb(move || mark_read.version().get(), |_| notifications_page());
    let pending = mark_read.pending();
    view! {
        <Title text="Notifications"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading notifications…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <SignedInLayout user=page.user>
                            <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Notifications"</nav>
                            <h1>"Notifications"</h1>
                            {if page.notifications.is_empty() {
                                view! {
                                    <div class="empty">
                                        <p><strong>"No notifications yet."</strong></p>
                                        <p>"Decisions on cloud account requests and AWS's answers to invitations appear here, and by e-mail."</p>
                                    </div>
                                }
                                .into_any_sync()
                            } else {
                                let unread = page.notifications.iter().filter(|n| n.unread).count();
                                let newest = page.notifications.first().map_or(0, |n| n.at);
                                view! {
                                    <p class="toolbar" role="status">
                                        {match unread {
                                            0 => "All read.".to_owned(),
                                            1 => "1 unread.".to_owned(),
                                            n => format!("{n} unread."),
                                        }}
                                        {(unread > 0).then(|| view! {
                                            " "
                                            <ActionForm action=mark_read attr:class="inline-form">
                                                {view! {
                                                    <input type="hidden" name="until" value=newest.to_string()/>
                                                    <button type="submit" disabled=pending aria-busy=move || pending.get().to_string()>
                                                        {move || if pending.get() { "Marking…" } else { "Mark all as read" }}
                                                    </button>
                                                }
                                                .into_any_sync()}
                                            </ActionForm>
                                        })}
                                    </p>
                                    <ol class="history notifications">
                                        {page.notifications.into_iter().map(|notification| view! {
                                            <li class:unread=notification.unread>
                                                <p>
                                                    {notification.unread.then(|| view! { <span class="status status-new">"New"</span>" " })}
                                                    <a href=notification.link><strong>{notification.subject}</strong></a>" · "
                                                    <time>{date_time(notification.at)}</time></p>
                                                {notification.body.split("\n\n").map(|paragraph| view! { <p>{paragraph.to_owned()}</p> }).collect_view()}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }
                                .into_any_sync()
                            }}
                        </SignedInLayout>
                    }
                    .into_any_sync(),
                    Err(error) => failure_view(error),
                }
            })}
        </Suspense>
    }
}
