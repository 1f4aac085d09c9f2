//! Resellers (the platform's staff): every reseller on the platform; platform admins add them,
//! each with its first admin, who is invited by e-mail.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::dates::date;
use portico_shared::staff::{ResellerSummary, StaffRole};
use portico_shared::Field;

use crate::api::current_user;
use crate::api::people::{resellers_page, CreateReseller};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, SubmitButton, TextField};

#[component]
pub fn ResellersPage() -> impl IntoView {
    let data = Resource::new_serde_wb(|| (), |_| resellers_page());
    view! {
        <Title text="Resellers"/>
        <Transition fallback=|| view! { <p class="loading">"Loading resellers…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let adds = page.user.role == StaffRole::PlatformAdmin;
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Resellers"</nav>
                                <div class="page-head">
                                    <h1>"Resellers"</h1>
                                    <div class="actions">
                                        {adds.then(|| view! { <a class="button primary" href="/resellers/new">"Add"</a> })}
                                    </div>
                                </div>
                                <ResellerTable resellers=page.resellers/>
                            </SignedInLayout>
                        }
                        .into_any_sync()
                    }
                    Err(error) => failure_view(error),
                }
            })}
        </Transition>
    }
}

#[component]
fn ResellerTable(resellers: Vec<ResellerSummary>) -> impl IntoView {
    if resellers.is_empty() {
        return view! {
            <div class="empty">
                <p><strong>"No resellers yet."</strong></p>
                <p>"Add the first one: it gets a widget key, and its first admin is invited by e-mail."</p>
            </div>
        }
        .into_any_sync();
    }
    view! {
        <div class="table-scroll">
            <table class="list">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"License agreement"</th>
                        <th scope="col" class="number">"Portal users"</th>
                        <th scope="col" class="number">"Customers"</th>
                        <th scope="col">"Added"</th>
                    </tr>
                </thead>
                <tbody>
                    {resellers
                        .into_iter()
                        .map(|reseller| {
                            let license = match reseller.license_url {
                                Some(url) => view! { <a href=url.clone() rel="noopener noreferrer" target="_blank">{url.clone()}</a> }.into_any_sync(),
                                None => view! { <span class="note">"None"</span> }.into_any_sync(),
                            };
                            view! {
                                <tr>
                                    <td>{reseller.name}</td>
                                    <td>{license}</td>
                                    <td class="number">{reseller.users}</td>
                                    <td class="number">{reseller.customers}</td>
                                    <td>{date(reseller.created_at)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any_sync()
}

/// Resellers → Add: the reseller, and its first admin.
#[component]
pub fn AddResellerPage() -> impl IntoView {
    let user = Resource::new_serde_wb(|| (), |_| current_user());
    let create = ServerAction::<CreateReseller>::new();
    let pending = create.pending();
    let errors = field_errors(move || create.value().get());
    let failure = form_failure(move || create.value().get());
    view! {
        <Title text="Add reseller"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(user) => {
                        focus_first_error(errors);
                        view! {
                        <SignedInLayout user>
                            <nav class="breadcrumbs" aria-label="Breadcrumb">
                                <a href="/">"Home"</a>" / "<a href="/resellers">"Resellers"</a>" / Add"
                            </nav>
                            <h1>"Add reseller"</h1>
                            <ActionForm action=create attr:class="details-form" attr:novalidate=true>
                                {view! {
                                    <p class="form-error" role="alert">{failure}</p>
                                    <h2 class="section">"Reseller"</h2>
                                    <TextField field=Field::ResellerName label="Name" kind="text" autocomplete="organization" required=true value=String::new() errors id_prefix="reseller" arg="reseller"/>
                                    <p class="help">"Customers see it under the widget: \"Powered By\" and this name."</p>
                                    <TextField field=Field::LicenseUrl label="License agreement URL" kind="url" autocomplete="url" required=false value=String::new() errors id_prefix="reseller" arg="reseller"/>
                                    <h2 class="section">"First admin"</h2>
                                    <p class="help">"They get an e-mail with a link to choose their password, and invite the rest of their team."</p>
                                    <TextField field=Field::Email label="Email" kind="email" autocomplete="off" required=true value=String::new() errors id_prefix="reseller" arg="reseller"/>
                                    <TextField field=Field::Name label="Name" kind="text" autocomplete="off" required=true value=String::new() errors id_prefix="reseller" arg="reseller"/>
                                    <div class="form-actions">
                                        <SubmitButton pending label="Save" busy="Saving…"/>
                                        <a class="button" href="/resellers">"Cancel"</a>
                                    </div>
                                }
                                .into_any_sync()}
                            </ActionForm>
                        </SignedInLayout>
                        }
                        .into_any_sync()
                    }
                    Err(error) => failure_view(error),
                }
            })}
        </Suspense>
    }
}
