//! Test Drives: the catalog of time-boxed trials the reseller's widget offers. Admins add, change
//! and retire entries.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::ids::ProviderId;
use portico_shared::test_drives::{TestDrive, TestDriveInput};
use portico_shared::Field;

use crate::api::settings::{test_drives_page, RetireTestDrive, SaveTestDrive};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, stored, SubmitButton, TextArea, TextField};

#[component]
pub fn TestDrivesPage() -> impl IntoView {
    let save = ServerAction::<SaveTestDrive>::new();
    let retire = ServerAction::<RetireTestDrive>::new();
    let saved = stored(save);
    let retired = stored(retire);
    let data = Resource::new_serde_wb(move || (saved.get(), retired.get()), |_| test_drives_page());
    view! {
        <Title text="Test Drives"/>
        <Transition fallback=|| view! { <p class="loading">"Loading test drives…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let providers = page.providers.clone();
                        let list = if page.drives.is_empty() {
                            view! {
                                <div class="empty">
                                    <p><strong>"No test drives yet."</strong></p>
                                    <p>"Add the first below: your widget's Test Drives tab lists them."</p>
                                </div>
                            }
                            .into_any_sync()
                        } else {
                            page.drives
                                .into_iter()
                                .map(|drive| view! { <Entry drive providers=providers.clone() save retire/> })
                                .collect_view()
                                .into_any_sync()
                        };
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Test Drives"</nav>
                                <h1>"Test Drives"</h1>
                                <p class="form-error" role="alert">{move || retire.value().get().and_then(Result::err).map(|e| e.to_string())}</p>
                                <p class="notice" role="status">{move || matches!(save.value().get(), Some(Ok(()))).then_some("Saved.")}</p>
                                {list}
                                <section class="card" aria-labelledby="new-drive-title">
                                    <h2 id="new-drive-title" class="section">"Add a test drive"</h2>
                                    <DriveForm id=String::new() version=0 input=TestDriveInput { duration_minutes: "120".into(), launch_limit: "1".into(), ..TestDriveInput::default() } providers=page.providers save label="Add test drive" prefix="new-drive"/>
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

/// One entry: what customers see, and (behind a disclosure) its form and retirement.
#[component]
fn Entry(
    drive: TestDrive,
    providers: Vec<(ProviderId, String)>,
    save: ServerAction<SaveTestDrive>,
    retire: ServerAction<RetireTestDrive>,
) -> impl IntoView {
    let facts = drive.facts();
    let prefix = format!("drive-{}", drive.id);
    let edit_label = format!("Change {}…", drive.name);
    let retire_label = format!("Retire {}…", drive.name);
    let warning = format!("{} is no longer offered in your widget. It stays in your history.", drive.name);
    view! {
        <section class="card" aria-label=drive.name.clone()>
            <h2 class="section">{drive.name.clone()}</h2>
            <p class="help">{facts}</p>
            <p class="custom-text">{drive.description.clone()}</p>
            <details>
                <summary class="small">{edit_label}</summary>
                <DriveForm id=drive.id.to_string() version=drive.version input=drive.to_input() providers save label="Save" prefix/>
            </details>
            <details class="confirm">
                <summary class="small danger">{retire_label}</summary>
                <p>{warning}</p>
                <ActionForm action=retire>
                    {view! {
                        <input type="hidden" name="drive" value=drive.id.to_string()/>
                        <button type="submit" class="small danger">"Retire test drive"</button>
                    }
                    .into_any_sync()}
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn DriveForm(
    id: String,
    version: i64,
    input: TestDriveInput,
    providers: Vec<(ProviderId, String)>,
    save: ServerAction<SaveTestDrive>,
    label: &'static str,
    #[prop(into)] prefix: String,
) -> impl IntoView {
    let pending = save.pending();
    // Errors belong to the form that was sent: the one whose id the action carried.
    let form_id = id.clone();
    let mine = move || save.input().with(|input| input.as_ref().is_some_and(|i| i.id == form_id));
    let last_id = RwSignal::new(String::new());
    let this_id = id.clone();
    Effect::new(move |_| {
        if save.pending().get() && mine() {
            last_id.set(this_id.clone());
        }
    });
    let own = id.clone();
    let errors = field_errors(move || if last_id.get() == own { save.value().get() } else { None });
    let own = id.clone();
    let failure = form_failure(move || if last_id.get() == own { save.value().get() } else { None });
    focus_first_error(errors);
    // The Add form empties after a save, ready for the next entry.
    let form = NodeRef::<leptos::html::Form>::new();
    let adding = id.is_empty();
    Effect::new(move |_| {
        if adding && last_id.with(String::is_empty) && matches!(save.value().get(), Some(Ok(()))) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    let provider_id = format!("{prefix}-provider");
    let provider_error =
        move || errors.with(|all| all.iter().find(|e| e.field == Field::Provider).map(|e| e.message.clone()));
    let text_prefix = prefix.clone();
    let text = move |field: Field, label: &'static str, kind: &'static str, value: String| {
        view! { <TextField field label kind autocomplete="off" required=true value errors id_prefix=text_prefix.clone() arg="drive"/> }
    };
    view! {
        <ActionForm action=save node_ref=form attr:class="details-form" attr:novalidate=true>
            {view! {
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version.to_string()/>
                <p class="form-error" role="alert">{failure}</p>
                {text(Field::Name, "Name", "text", input.name.clone())}
                <TextArea field=Field::Description label="Description" value=input.description.clone() errors id_prefix=prefix.clone() arg="drive"/>
                {text(Field::DurationMinutes, "Duration (minutes)", "number", input.duration_minutes.clone())}
                {text(Field::LaunchLimit, "Launch limit", "number", input.launch_limit.clone())}
                <p class="help">"How many instances of it one customer may run at once; a customer's own limit under Customer options overrides it."</p>
                <div class="field">
                    <label for=provider_id.clone()>"Provider"</label>
                    <select id=provider_id name="drive[provider]" aria-invalid=move || provider_error().is_some().to_string()>
                        {providers.into_iter().map(|(value, name)| {
                            let selected = value.as_str() == input.provider;
                            view! { <option value=value.to_string() selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error">{provider_error}</p>
                </div>
                <div class="form-actions">
                    <SubmitButton pending label busy="Saving…"/>
                </div>
            }
            .into_any_sync()}
        </ActionForm>
    }
}
