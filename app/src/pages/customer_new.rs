//! Customers → Add: the seed's Part 2.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::details::DetailsInput;

use crate::api::{current_user, AddCustomer};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::details_form::DetailsFields;
use crate::pages::failure_view;
use crate::pages::inputs::{field_errors, form_failure, SubmitButton};

#[component]
pub fn AddCustomerPage() -> impl IntoView {
    let user = Resource::new_serde_wb(|| (), |_| current_user());
    let add = ServerAction::<AddCustomer>::new();
    let pending = add.pending();
    let errors = field_errors(move || add.value().get());
    let failure = form_failure(move || add.value().get());
    view! {
        <Title text="Add customer"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(user) => view! {
                        <SignedInLayout user>
                            <nav class="breadcrumbs" aria-label="Breadcrumb">
                                <a href="/">"Home"</a>" / "<a href="/customers">"Customers"</a>" / Add"
                            </nav>
                            <h1>"Add customer"</h1>
                            <ActionForm action=add attr:class="details-form" attr:novalidate=true>
                                {view! {
                                    <h2 class="section">"Client"</h2>
                                    <p class="form-error" role="alert">{failure}</p>
                                    <DetailsFields initial=DetailsInput::default() errors/>
                                    <div class="form-actions">
                                        <SubmitButton pending label="Save" busy="Saving…"/>
                                        <a class="button" href="/customers">"Cancel"</a>
                                    </div>
                                }
                                .into_any_sync()}
                            </ActionForm>
                        </SignedInLayout>
                    }
                    .into_any_sync(),
                    Err(error) => failure_view(error),
                }
            })}
        </Suspense>
    }
}
