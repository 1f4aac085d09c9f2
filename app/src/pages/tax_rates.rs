//! Settings → Tax rates (admins): the rates customers' tax profiles draw on, each with the name
//! printed on invoices. A rate no customer has had can be changed or deleted; one a customer has
//! had can only be retired.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::taxes::{TaxRate, TaxRateInput};
use portico_shared::{countries, Field};

use crate::api::commerce::{tax_rates_page, RemoveTaxRate, SaveTaxRate};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{stored, Confirm, EntryForm, SubmitButton};

#[derive(Clone, Copy)]
struct RateActions {
    save: ServerAction<SaveTaxRate>,
    remove: ServerAction<RemoveTaxRate>,
    sent_by: RwSignal<String>,
}

#[component]
pub fn TaxRatesPage() -> impl IntoView {
    let actions = RateActions {
        save: ServerAction::<SaveTaxRate>::new(),
        remove: ServerAction::<RemoveTaxRate>::new(),
        sent_by: RwSignal::new(String::new()),
    };
    let saved = stored(actions.save);
    let removed = stored(actions.remove);
    let data = Resource::new_serde_wb(move || (saved.get(), removed.get()), |_| tax_rates_page());
    view! {
        <Title text="Tax rates"/>
        <Transition fallback=|| view! { <p class="loading">"Loading tax rates…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let list = if page.rates.is_empty() {
                            view! {
                                <div class="empty">
                                    <p><strong>"No tax rates yet."</strong></p>
                                    <p>"Add the first below, then choose it on a customer's Taxes tab."</p>
                                </div>
                            }
                            .into_any_sync()
                        } else {
                            page.rates.into_iter().map(|rate| view! { <RateCard rate actions/> }).collect_view().into_any_sync()
                        };
                        let new_rate = TaxRateInput { country: countries::DEFAULT_COUNTRY.into(), ..TaxRateInput::default() };
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Tax rates"</nav>
                                <h1>"Tax rates"</h1>
                                <p class="help">"The taxes your customers' invoices add. Choose each customer's on its Taxes tab."</p>
                                <p class="form-error" role="alert">{move || actions.remove.value().get().and_then(Result::err).map(|e| e.to_string())}</p>
                                {list}
                                <section class="card" aria-labelledby="new-rate-title">
                                    <h2 id="new-rate-title" class="section">"Add a tax rate"</h2>
                                    <RateForm id=String::new() version=0 input=new_rate actions label="Add tax rate"/>
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
fn RateCard(rate: TaxRate, actions: RateActions) -> impl IntoView {
    let TaxRate { id, settings: rate, retired_on, used, version } = rate;
    let place: Vec<String> =
        [countries::name(&rate.country).map(str::to_owned), rate.region.clone(), rate.postal_code.clone()]
            .into_iter()
            .flatten()
            .collect();
    let (status, status_class) = match (retired_on, used) {
        (Some(day), _) => (format!("Retired on {day}"), "status status-suspended"),
        (None, true) => ("In use".to_owned(), "status status-active"),
        (None, false) => ("Not used yet".to_owned(), "status"),
    };
    let title = format!("{} · {}", rate.name, rate.rate);
    let editable = !used && retired_on.is_none();
    let edit = editable.then(|| {
        view! {
            <details>
                <summary class="small">{format!("Change {}…", rate.name)}</summary>
                <RateForm id=id.to_string() version input=rate.to_input() actions label="Save"/>
            </details>
        }
    });
    let remove = retired_on.is_none().then(|| {
        let (summary, warning, button) = if used {
            (
                format!("Retire {}…", rate.name),
                format!(
                    "{} stops applying from today. Invoices that printed it keep it; it cannot be undone.",
                    rate.name
                ),
                "Retire tax rate",
            )
        } else {
            (
                format!("Delete {}…", rate.name),
                format!("{} is deleted. No customer has had it.", rate.name),
                "Delete tax rate",
            )
        };
        view! {
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
                <dt>"Applies in"</dt><dd>{place.join(", ")}</dd>
                <dt>"Valid from"</dt><dd>{rate.valid_from.to_string()}</dd>
            </dl>
            {(!editable && retired_on.is_none()).then(|| view! {
                <p class="note">"A customer has had this rate, so it no longer changes: retire it and add a new one."</p>
            })}
            <div class="card-actions">{edit}{remove}</div>
        </section>
    }
}

#[component]
fn RateForm(id: String, version: i64, input: TaxRateInput, actions: RateActions, label: &'static str) -> impl IntoView {
    let entry = EntryForm::new("rate", &id, move || actions.save.value().get(), actions.sent_by);
    let EntryForm { failure, saved, form, .. } = entry;
    entry.empty_after_adding(|| ());
    let pending = actions.save.pending();
    let countries: Vec<(String, String)> =
        countries::all().map(|(code, name)| (code.to_owned(), name.to_owned())).collect();
    view! {
        <ActionForm action=actions.save node_ref=form attr:class="details-form" attr:novalidate=true on:submit=entry.mark_sent()>
            {view! {
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version.to_string()/>
                <p class="form-error" role="alert">{failure}</p>
                {entry.text(Field::Name, "Name", "text", input.name.clone(), true)}
                <p class="help">"Printed on invoices, such as \"Ontario HST\" or \"VAT\"."</p>
                {entry.text(Field::Rate, "Rate (%)", "text", input.rate.clone(), true)}
                <p class="help">"Up to four decimals, such as 8.875."</p>
                {entry.choice(Field::Country, "Country", countries, input.country.clone())}
                {entry.text(Field::Region, "Region", "text", input.region.clone(), false)}
                {entry.text(Field::PostalCode, "Postal code", "text", input.postal_code.clone(), false)}
                {entry.text(Field::ValidFrom, "Valid from", "date", input.valid_from.clone(), true)}
                <div class="form-actions">
                    <SubmitButton pending label busy="Saving…"/>
                    <span class="saved" role="status">{saved}</span>
                </div>
            }
            .into_any_sync()}
        </ActionForm>
    }
}
