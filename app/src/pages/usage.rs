//! Usage (reseller admins, and platform admins for the whole platform): the cloud usage reports
//! imported, each with its progress while it is read and what it matched, the rows no linked
//! account claimed, and the upload of a new report.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
use leptos_meta::Title;
use portico_shared::billing::{ImportStatus, UsageImport};
use portico_shared::dates::date_time;
use portico_shared::ids::UsageImportId;
use portico_shared::money;
use portico_shared::Field;

use crate::api::billing::{upload_usage, usage_page, usage_unmatched};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{again_while_under_way, field_errors, form_failure, message_of};

#[component]
pub fn UsagePage() -> impl IntoView {
    let upload = Action::new_local(|form: &FormData| upload_usage(form.clone().into()));
    let tick = RwSignal::new(0_u32);
    let data = Resource::new_serde_wb(move || (upload.version().get(), tick.get()), |_| usage_page());
    // While an import is read, the list (and its progress bars) is fetched again every second.
    again_while_under_way(tick, data, |page| page.imports.iter().any(|import| import.status.busy()));
    view! {
        <Title text="Usage"/>
        <Transition fallback=|| view! { <p class="loading">"Loading usage…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let platform = page.user.is_platform();
                        let scope = if platform {
                            "Rows are matched to every reseller's customers by their linked cloud accounts. \
                             Reports that arrive in the platform's drop folder are imported too."
                        } else {
                            "Rows are matched to your customers by their linked cloud accounts."
                        };
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Usage"</nav>
                                <h1>"Usage"</h1>
                                <p class="lede">
                                    "Cloud usage from the providers' reports: an AWS Cost and Usage Report (legacy CSV) or a \
                                     FOCUS 1.0 export (AWS, Azure, Google Cloud), plain or compressed with gzip. " {scope}
                                    " Importing a month again replaces that month for the accounts in the report."
                                </p>
                                <UploadForm upload/>
                                <ImportList imports=page.imports/>
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
fn UploadForm(upload: Action<FormData, Result<UsageImportId, crate::PortalError>>) -> impl IntoView {
    let outcome = move || upload.value().get().map(|result| result.map(drop));
    let errors = field_errors(outcome);
    let failure = form_failure(outcome);
    let message = message_of(errors, Field::Report);
    let pending = upload.pending();
    let sent =
        move || matches!(upload.value().get(), Some(Ok(_))).then_some("Uploaded: the import is under way below.");
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let form = event.target().and_then(|target| target.dyn_into::<HtmlFormElement>().ok());
        if let Some(data) = form.as_ref().and_then(|form| FormData::new_with_form(form).ok()) {
            upload.dispatch_local(data);
            if let Some(form) = form {
                form.reset();
            }
        }
    };
    view! {
        <section class="card" aria-labelledby="upload-title">
            <h2 id="upload-title" class="section">"Upload a report"</h2>
            <form class="details-form" on:submit=on_submit novalidate=true>
                <p class="form-error" role="alert">{failure}</p>
                <div class="field">
                    <label for="usage-report">"Report file"</label>
                    <input id="usage-report" type="file" name="report" accept=".csv,.gz,text/csv,application/gzip"
                        aria-invalid=move || message().is_some().to_string()
                        aria-describedby="usage-report-error usage-report-help"/>
                    <p class="help" id="usage-report-help">"CSV or CSV.GZ, up to 4 GB."</p>
                    <p class="field-error" id="usage-report-error">{message}</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=pending aria-busy=move || pending.get().to_string()>
                        {move || if pending.get() { "Uploading…" } else { "Upload" }}
                    </button>
                    <span class="saved" role="status">{sent}</span>
                </div>
            </form>
        </section>
    }
}

#[component]
fn ImportList(imports: Vec<UsageImport>) -> impl IntoView {
    if imports.is_empty() {
        return view! {
            <div class="empty">
                <p><strong>"No reports imported yet."</strong></p>
                <p>"Upload the month's report above; each customer's Bills tab then shows what it owes."</p>
            </div>
        }
        .into_any_sync();
    }
    let showing = RwSignal::new(None::<UsageImportId>);
    view! {
        <div class="table-scroll">
            <table class="list">
                <caption class="visually-hidden">"Imported reports, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Report"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Rows"</th>
                        <th scope="col">"Months"</th>
                        <th scope="col">"By"</th>
                    </tr>
                </thead>
                <tbody>
                    {imports.into_iter().map(|import| view! { <ImportRow import showing/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <UnmatchedRows showing/>
    }
    .into_any_sync()
}

#[component]
fn ImportRow(import: UsageImport, showing: RwSignal<Option<UsageImportId>>) -> impl IntoView {
    let percent = import.percent_done();
    let status = match import.status {
        ImportStatus::Queued | ImportStatus::Importing => view! {
            <span class="status">{import.status.label()}</span>
            <progress max="100" value=percent aria-label=format!("{} imported", import.file_name)>{format!("{percent}%")}</progress>
            <span class="note">{format!("{percent}%, {} rows read", grouped(import.rows_read))}</span>
        }
        .into_any_sync(),
        ImportStatus::Done => view! { <span class="status status-active">{import.status.label()}</span> }.into_any_sync(),
        ImportStatus::Failed => view! {
            <span class="status status-rejected">{import.status.label()}</span>
            <p class="form-error">{import.error.clone().unwrap_or_default()}" Nothing was changed."</p>
        }
        .into_any_sync(),
    };
    let unmatched = (import.rows_unmatched > 0).then(|| {
        let id = import.id.clone();
        let label = format!("{} unmatched", grouped(import.rows_unmatched));
        view! {
            <br/>
            <button type="button" class="text-button" on:click=move |_| showing.set(Some(id.clone()))>{label}</button>
        }
    });
    let format = match (import.format, import.status) {
        (Some(format), _) => format.label(),
        (None, ImportStatus::Failed) => "Not a report Portico reads",
        (None, _) => "Not read yet",
    };
    view! {
        <tr>
            <td>
                <strong>{import.file_name.clone()}</strong><br/>
                <span class="note">{format!("{format} · {}", import.source)}</span>
            </td>
            <td>{status}</td>
            <td class="amount">
                {format!("{} read, {} matched", grouped(import.rows_read), grouped(import.rows_matched))}
                {unmatched}
            </td>
            <td>{import.periods.clone()}</td>
            <td>{import.by.clone()}<br/><span class="note">{date_time(import.at)}</span></td>
        </tr>
    }
}

/// The rows of one import that no linked cloud account claimed, by account and month.
#[component]
fn UnmatchedRows(showing: RwSignal<Option<UsageImportId>>) -> impl IntoView {
    let rows = Resource::new_serde_wb(
        move || showing.get(),
        |id| async move {
            match id {
                Some(id) => usage_unmatched(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading unmatched rows…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(Some(rows)) => view! {
                        <section class="card" aria-labelledby="unmatched-title">
                            <h2 id="unmatched-title" class="section">"Rows no linked cloud account claims"</h2>
                            <p class="help">"They are kept with the import and billed to nobody. Link the account to its customer \
                                and import the report again to bill them."</p>
                            <table class="list">
                                <thead>
                                    <tr>
                                        <th scope="col">"Provider"</th>
                                        <th scope="col">"Account"</th>
                                        <th scope="col">"Month"</th>
                                        <th scope="col">"Rows"</th>
                                        <th scope="col">"Provider's cost"</th>
                                        <th scope="col">"Why"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td>{row.provider}</td>
                                            <td><code>{row.account}</code></td>
                                            <td>{row.period.label()}</td>
                                            <td class="amount">{grouped(row.rows)}</td>
                                            <td class="amount">{format!("{} {}", row.cost, row.currency)}</td>
                                            <td>{row.reason}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <button type="button" on:click=move |_| showing.set(None)>"Close"</button>
                        </section>
                    }
                    .into_any_sync(),
                    Ok(None) => ().into_any_sync(),
                    Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any_sync(),
                }
            })}
        </Transition>
    }
}

/// "1,234,567".
fn grouped(number: i64) -> String {
    money::grouped(number.unsigned_abs())
}
