//! Settings → Products (admins): what customers subscribe to on their Subscriptions tab. A price
//! change applies to new subscriptions; a product a customer has had is retired, not deleted.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::subscriptions::{BillingPeriod, Product, ProductInput};
use portico_shared::Field;
use portico_shared::VariantArray;

use crate::api::commerce::{products_page, RemoveProduct, SaveProduct};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{currency_options, stored, Confirm, EntryForm, SubmitButton};

#[derive(Clone, Copy)]
struct ProductActions {
    save: ServerAction<SaveProduct>,
    remove: ServerAction<RemoveProduct>,
    sent_by: RwSignal<String>,
}

#[component]
pub fn ProductsPage() -> impl IntoView {
    let actions = ProductActions {
        save: ServerAction::<SaveProduct>::new(),
        remove: ServerAction::<RemoveProduct>::new(),
        sent_by: RwSignal::new(String::new()),
    };
    let saved = stored(actions.save);
    let removed = stored(actions.remove);
    let data = Resource::new_serde_wb(move || (saved.get(), removed.get()), |_| products_page());
    view! {
        <Title text="Products"/>
        <Transition fallback=|| view! { <p class="loading">"Loading products…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let list = if page.products.is_empty() {
                            view! {
                                <div class="empty">
                                    <p><strong>"No products yet."</strong></p>
                                    <p>"Add the first below, then subscribe customers to it on their Subscriptions tab."</p>
                                </div>
                            }
                            .into_any_sync()
                        } else {
                            page.products.into_iter().map(|product| view! { <ProductCard product actions/> }).collect_view().into_any_sync()
                        };
                        let new_product = ProductInput {
                            currency: "USD".into(),
                            billing_period: BillingPeriod::Monthly.as_str().into(),
                            ..ProductInput::default()
                        };
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Products"</nav>
                                <h1>"Products"</h1>
                                <p class="help">"What your customers subscribe to: licences, managed services, anything sold per unit."</p>
                                <p class="form-error" role="alert">{move || actions.remove.value().get().and_then(Result::err).map(|e| e.to_string())}</p>
                                {list}
                                <section class="card" aria-labelledby="new-product-title">
                                    <h2 id="new-product-title" class="section">"Add a product"</h2>
                                    <ProductForm id=String::new() version=0 input=new_product actions label="Add product"/>
                                </section>
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
fn ProductCard(product: Product, actions: ProductActions) -> impl IntoView {
    let Product { id, settings: product, retired, used, version } = product;
    let title = format!("{} ({})", product.name, product.sku);
    let (status, status_class) = match (retired, used) {
        (true, _) => ("Retired", "status status-suspended"),
        (false, true) => ("On offer · in use", "status status-active"),
        (false, false) => ("On offer", "status"),
    };
    let price = format!("{} per unit, {}", product.unit_price.format(), product.billing_period.label().to_lowercase());
    let term = product.term_months.map_or_else(|| "No fixed term".to_owned(), |months| format!("{months} months"));
    let manage = (!retired).then(|| {
        let (summary, warning, button) = if used {
            (
                format!("Retire {}…", product.name),
                format!("{} is no longer offered. Subscriptions that have it go on unchanged.", product.name),
                "Retire product",
            )
        } else {
            (
                format!("Delete {}…", product.name),
                format!("{} is deleted. No customer has subscribed to it.", product.name),
                "Delete product",
            )
        };
        view! {
            <details>
                <summary class="small">{format!("Change {}…", product.name)}</summary>
                <ProductForm id=id.to_string() version input=product.to_input() actions label="Save"/>
            </details>
            <Confirm summary warning>
                <ActionForm action=actions.remove>
                    {view! {
                        <input type="hidden" name="id" value=id.to_string()/>
                        <input type="hidden" name="version" value=version.to_string()/>
                        <button type="submit" class="small danger">{button}</button>
                    }
                    .into_any_sync()}
                </ActionForm>
            </Confirm>
        }
    });
    let label = title.clone();
    view! {
        <section class="card" aria-label=label>
            <h2 class="section">{title} " " <span class=status_class>{status}</span></h2>
            <dl class="facts">
                <dt>"Price"</dt><dd>{price}</dd>
                <dt>"Term"</dt><dd>{term}</dd>
            </dl>
            <div class="card-actions">{manage}</div>
        </section>
    }
}

#[component]
fn ProductForm(
    id: String,
    version: i64,
    input: ProductInput,
    actions: ProductActions,
    label: &'static str,
) -> impl IntoView {
    let entry = EntryForm::new("product", &id, move || actions.save.value().get(), actions.sent_by);
    let EntryForm { failure, saved, form, .. } = entry;
    entry.empty_after_adding(|| ());
    let pending = actions.save.pending();
    let periods: Vec<(String, String)> =
        BillingPeriod::VARIANTS.iter().map(|p| (p.as_str().to_owned(), p.label().to_owned())).collect();
    view! {
        <ActionForm action=actions.save node_ref=form attr:class="details-form" attr:novalidate=true on:submit=entry.mark_sent()>
            {view! {
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version.to_string()/>
                <p class="form-error" role="alert">{failure}</p>
                {entry.text(Field::Name, "Name", "text", input.name.clone(), true)}
                {entry.text(Field::Sku, "SKU", "text", input.sku.clone(), true)}
                {entry.text(Field::UnitPrice, "Unit price", "text", input.unit_price.clone(), true)}
                {entry.choice(Field::Currency, "Currency", currency_options(), input.currency.clone())}
                {entry.choice(Field::BillingPeriod, "Billing period", periods, input.billing_period.clone())}
                {entry.text(Field::TermMonths, "Term (months)", "number", input.term_months.clone(), false)}
                <p class="help">"Optional: a subscription's term, such as 12; it ends or renews after it."</p>
                <div class="form-actions">
                    <SubmitButton pending label busy="Saving…"/>
                    <span class="saved" role="status">{saved}</span>
                </div>
            }
            .into_any_sync()}
        </ActionForm>
    }
}
