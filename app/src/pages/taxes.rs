//! The Taxes tab: the customer's tax profile — the reseller's rates that apply to it, its tax id,
//! and its exemption (none, exempt on a certificate, or reverse charge).

use leptos::prelude::*;
use portico_shared::taxes::{Exemption, ExemptionKind, TaxProfile, TaxRate};
use portico_shared::Field;
use portico_shared::VariantArray;

use crate::api::commerce::SaveTaxProfile;
use crate::erased::IntoAnySync;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, message_of, SubmitButton, TextField};

#[component]
pub fn TaxesTab(
    customer: String,
    rates: Vec<TaxRate>,
    profile: TaxProfile,
    action: ServerAction<SaveTaxProfile>,
    is_admin: bool,
) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    let saved = move || matches!(action.value().get(), Some(Ok(()))).then_some("Saved.");
    focus_first_error(errors);
    let rates_message = message_of(errors, Field::TaxRates);
    let exemption_message = message_of(errors, Field::Exemption);
    // The rates a profile may name: those in force, and retired ones it already has.
    let offered: Vec<TaxRate> =
        rates.into_iter().filter(|rate| rate.retired_on.is_none() || profile.rates.contains(&rate.id)).collect();
    let rate_boxes = if offered.is_empty() {
        let where_to = if is_admin {
            view! { " Add them under " <a href="/settings/tax-rates">"Tax rates"</a> "." }.into_any_sync()
        } else {
            view! { " An admin of your team adds them under Tax rates." }.into_any_sync()
        };
        view! { <p class="note">"You have no tax rates yet." {where_to}</p> }.into_any_sync()
    } else {
        offered
            .into_iter()
            .map(|rate| {
                let box_id = format!("tax-rate-{}", rate.id);
                let ticked = profile.rates.contains(&rate.id);
                let retired = rate.retired_on.map(|day| format!(" · retired on {day}"));
                view! {
                    <div class="check">
                        <input type="checkbox" id=box_id.clone() name=format!("profile[rates][{}]", rate.id) value="true" checked=ticked/>
                        <label for=box_id>{rate.settings.label()}<span class="note">{retired}</span></label>
                    </div>
                }
            })
            .collect_view()
            .into_any_sync()
    };
    let (kind, certificate_number, certificate_expiry) = match &profile.exemption {
        Exemption::Exempt { certificate_number, expires_on } => {
            (ExemptionKind::Exempt, certificate_number.clone(), expires_on.to_string())
        }
        other => (other.kind(), String::new(), String::new()),
    };
    let chosen = RwSignal::new(kind.as_str().to_owned());
    let exemptions = ExemptionKind::VARIANTS
        .iter()
        .map(|option| {
            let radio_id = format!("exemption-{}", option.as_str());
            view! {
                <div class="check">
                    <input type="radio" id=radio_id.clone() name="profile[exemption]" value=option.as_str() checked=*option == kind
                        on:change=move |_| chosen.set(option.as_str().to_owned())/>
                    <label for=radio_id>{option.label()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="tab-title">
            <h2 id="tab-title" class="section">"Taxes"</h2>
            <p class="help">"The taxes the customer's invoices add, with the name each rate has on them."</p>
            <ActionForm action attr:class="details-form" attr:novalidate=true>
                {view! {
                    <input type="hidden" name="customer" value=customer/>
                    <input type="hidden" name="version" value=profile.version.to_string()/>
                    <p class="form-error" role="alert">{failure}</p>
                    <fieldset aria-describedby="tax-rates-error">
                        <legend>"Tax rates that apply"</legend>
                        {rate_boxes}
                        <p class="field-error" id="tax-rates-error">{rates_message}</p>
                    </fieldset>
                    <TextField field=Field::TaxId label="Tax id" kind="text" autocomplete="off" required=false value=profile.tax_id.clone().unwrap_or_default() errors id_prefix="tax" arg="profile"/>
                    <p class="help">"The customer's VAT, GST or EIN number, printed on its invoices."</p>
                    <fieldset aria-describedby="exemption-error">
                        <legend>"Exemption"</legend>
                        {exemptions}
                        <p class="field-error" id="exemption-error">{exemption_message}</p>
                        <div hidden=move || chosen.get() != ExemptionKind::Exempt.as_str()>
                            <TextField field=Field::CertificateNumber label="Certificate number" kind="text" autocomplete="off" required=true value=certificate_number errors id_prefix="tax" arg="profile"/>
                            <TextField field=Field::CertificateExpiry label="Certificate expiry" kind="date" autocomplete="off" required=true value=certificate_expiry errors id_prefix="tax" arg="profile"/>
                        </div>
                        <p class="note" hidden=move || chosen.get() != ExemptionKind::ReverseCharge.as_str()>
                            "The customer accounts for the tax itself; its invoices show no tax and print its tax id."
                        </p>
                    </fieldset>
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                        <span class="saved" role="status">{saved}</span>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </section>
    }
}
