//! The Signup form, with the seed's labels. Each field is checked by the shared rules, under the
//! reseller's options, when the person leaves it and again on submit; the server runs the same
//! rules and its answer is shown the same way.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portico_shared::countries::{self, DEFAULT_COUNTRY};
use portico_shared::password::strength_hint;
use portico_shared::signup::{FormRules, NextStep, SignupRequest};
use portico_shared::{Field, FieldError};
use wasm_bindgen::JsCast;

use crate::api::{self, Failure};
use crate::config::FrameConfig;
use crate::host::Host;

#[derive(Clone, PartialEq)]
enum Status {
    Editing,
    Sending,
    Failed(String),
    Received { email: String, next_step: NextStep },
}

/// The form's signals, shared by every field.
#[derive(Clone, Copy)]
struct FormState {
    values: RwSignal<SignupRequest>,
    /// Errors on display: only for fields the person has left, or all after a submit.
    shown: RwSignal<Vec<FieldError>>,
    touched: RwSignal<Vec<Field>>,
    rules: FormRules,
}

impl FormState {
    fn new(rules: FormRules) -> Self {
        let values = SignupRequest { country: DEFAULT_COUNTRY.into(), ..SignupRequest::default() };
        FormState {
            values: RwSignal::new(values),
            shown: RwSignal::new(Vec::new()),
            touched: RwSignal::new(Vec::new()),
            rules,
        }
    }

    fn errors(&self) -> Vec<FieldError> {
        self.values.with_untracked(|v| v.errors(self.rules))
    }

    fn refresh(&self) {
        let touched = self.touched.get_untracked();
        self.shown.set(self.errors().into_iter().filter(|e| touched.contains(&e.field)).collect());
    }

    fn input(&self, field: Field, value: String) {
        self.values.update(|v| v.set(field, value));
        self.recheck_if_showing(field);
    }

    /// Re-checks as they type only where an error is already showing, so it clears promptly
    /// without scolding someone halfway through typing.
    fn recheck_if_showing(&self, field: Field) {
        if self.shown.with_untracked(|shown| shown.iter().any(|e| e.field == field || e.field == Field::VerifyPassword))
        {
            self.refresh();
        }
    }

    fn leave(&self, field: Field) {
        self.touched.update(|t| {
            if !t.contains(&field) {
                t.push(field);
            }
        });
        self.refresh();
    }

    fn error(&self, field: Field) -> Option<String> {
        self.shown.with(|shown| shown.iter().find(|e| e.field == field).map(|e| e.message.clone()))
    }

    /// Whether the field is required under the reseller's rules (and, for Zip and State, the country).
    fn required(&self, field: Field) -> Signal<bool> {
        let (values, rules) = (self.values, self.rules);
        Signal::derive(move || match field {
            Field::StreetAddress | Field::City => rules.require_address,
            Field::State | Field::Zip => {
                rules.require_address && values.with(|v| countries::uses_nanp(v.country.trim()))
            }
            _ => false,
        })
    }
}

#[component]
pub fn SignupForm(config: FrameConfig, host: Host, on_login: Callback<()>) -> impl IntoView {
    let state = FormState::new(config.rules);
    let status = RwSignal::new(Status::Editing);
    // Both password fields show what was typed, or neither does.
    let show_password = RwSignal::new(false);
    let password_kind = Signal::derive(move || if show_password.get() { "text" } else { "password" });
    // One key per form: a double click or a retry after a lost answer creates one customer.
    let idempotency_key = StoredValue::new(random_key());
    let key = StoredValue::new(config.key.clone());
    let reseller = config.reseller_name.clone();
    let opened_at = js_sys::Date::now();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if status.get_untracked() == Status::Sending {
            return;
        }
        state.touched.set(Field::ALL.to_vec());
        let errors = state.errors();
        if let Some(first) = errors.first() {
            focus_field(first.field);
            state.shown.set(errors);
            return;
        }
        status.set(Status::Sending);
        let mut request = state.values.get_untracked();
        request.fill_ms = (js_sys::Date::now() - opened_at).max(0.0) as u64;
        let host = host.clone();
        spawn_local(async move {
            match api::signup(&key.get_value(), &request, &idempotency_key.get_value()).await {
                Ok(next_step) => {
                    host.emit("signup", &format!(r#"{{"next_step":"{}"}}"#, next_step.as_str()));
                    status.set(Status::Received { email: request.email.trim().to_owned(), next_step });
                    // Screen readers announce the confirmation once focus lands on it.
                    request_animation_frame(|| focus_by_id(RECEIVED_ID));
                    // Nothing of the password stays in memory once it has been sent.
                    state.values.update(|v| {
                        v.password.clear();
                        v.verify_password.clear();
                    });
                }
                Err(Failure::Fields(errors)) => {
                    if let Some(first) = errors.first() {
                        focus_field(first.field);
                    }
                    state.shown.set(errors);
                    status.set(Status::Editing);
                }
                Err(Failure::Message(message)) => status.set(Status::Failed(message)),
            }
        });
    };

    let license = config.license_url.clone();
    let custom_text = config.custom_text.clone();
    let license_required = config.rules.require_license_acceptance;
    view! {
        {move || match status.get() {
            Status::Received { email, next_step } => {
                Some(view! { <Received reseller=reseller.clone() email next_step widget_key=key.get_value()/> })
            }
            _ => None,
        }}
        <form class="panel signup" novalidate hidden=move || matches!(status.get(), Status::Received { .. }) on:submit=submit>
            <h1>"Signup"</h1>
            {(!custom_text.is_empty()).then(|| view! { <p class="custom-text">{custom_text.clone()}</p> })}
            <TextInput state field=Field::CompanyName label="Company name" autocomplete="organization" required=true/>
            <TextInput state field=Field::ContactName label="Contact name" autocomplete="name" required=true/>
            <TextInput state field=Field::Title label="Title" autocomplete="organization-title"/>
            <TextInput state field=Field::Phone label="Phone number" kind="tel" autocomplete="tel" required=true/>
            <CountrySelect state/>
            <div class="row">
                <TextInput state field=Field::StreetAddress label="Street Address" autocomplete="address-line1"/>
                <TextInput state field=Field::Suite label="Suite #" autocomplete="address-line2" class="narrow"/>
            </div>
            <div class="row">
                <TextInput state field=Field::City label="City" autocomplete="address-level2"/>
                <TextInput state field=Field::State label="State" autocomplete="address-level1"/>
                <TextInput state field=Field::Zip label="Zip" autocomplete="postal-code" class="narrow"/>
            </div>
            <TextInput state field=Field::Email label="E-mail" kind="email" autocomplete="email" required=true/>
            <div class="row">
                <TextInput state field=Field::Password label="Password" kind=password_kind autocomplete="new-password" required=true hint="portico-password-hint"/>
                <TextInput state field=Field::VerifyPassword label="Verify password" kind=password_kind autocomplete="new-password" required=true/>
            </div>
            <p class="hint" id="portico-password-hint" aria-live="polite">
                {move || state.values.with(|v| strength_hint(&v.password))}
            </p>
            <div class="checkbox compact">
                <label>
                    <input type="checkbox" on:change=move |ev| show_password.set(event_target_checked(&ev))/>
                    "Show password"
                </label>
            </div>
            // Hidden from people and assistive technology; robots that fill every field fill it.
            <div class="hp" aria-hidden="true">
                <label for="portico-website">"Website"</label>
                <input id="portico-website" name="website" tabindex="-1" autocomplete="off"
                    on:input=move |ev| state.values.update(|v| v.website = event_target_value(&ev))/>
            </div>
            {license_required.then(|| view! { <LicenseBox state url=license.clone()/> })}
            <p class="legal">
                {(!license_required).then(|| view! {
                    "By clicking on the \"Signup\" button you accept the "
                    <LicenseLink url=license.clone()/>
                    " to use this Test Drive. "
                })}
                "If you have an existing account "
                <button type="button" class="link" on:click=move |_| on_login.run(())>"Login here"</button>
            </p>
            <p class="form-error" role="alert">
                {move || match status.get() {
                    Status::Failed(message) => message,
                    _ => String::new(),
                }}
            </p>
            <button type="submit" class="primary" aria-busy=move || (status.get() == Status::Sending).to_string()>
                {move || if status.get() == Status::Sending { "Sending…" } else { "Signup" }}
            </button>
        </form>
    }
}

#[component]
fn LicenseLink(url: Option<String>) -> impl IntoView {
    match url {
        Some(url) => view! { <a href=url target="_blank" rel="noopener">"license agreement"</a> }.into_any(),
        None => view! { <span>"license agreement"</span> }.into_any(),
    }
}

/// The box the reseller's options may require instead of the implicit acceptance sentence.
#[component]
fn LicenseBox(state: FormState, url: Option<String>) -> impl IntoView {
    let field = Field::LicenseAccepted;
    let error = move || state.error(field);
    view! {
        <div class="field checkbox">
            <label>
                <input
                    id=input_id(field)
                    type="checkbox"
                    name=field.name()
                    aria-invalid=move || error().is_some().to_string()
                    aria-describedby="license_accepted-error"
                    on:change=move |ev| {
                        let checked = event_target::<web_sys::HtmlInputElement>(&ev).checked();
                        state.values.update(|v| v.license_accepted = checked);
                        state.leave(field);
                    }
                />
                " I accept the " <LicenseLink url/> " to use this Test Drive."
            </label>
            <p class="error" id="license_accepted-error">{error}</p>
        </div>
    }
}

#[component]
fn Received(reseller: String, email: String, next_step: NextStep, widget_key: String) -> impl IntoView {
    let (title, lines) = match next_step {
        NextStep::VerifyEmail => (
            "Check your e-mail",
            vec![
                format!("We sent a link to {email}. Open it within 24 hours to confirm your address."),
                format!("{reseller} receives your request as soon as your address is confirmed."),
            ],
        ),
        NextStep::AwaitApproval => (
            "Thank you for signing up",
            vec![
                format!("{reseller} has received your request and will review it shortly."),
                format!("We will write to {email} as soon as your account is ready."),
            ],
        ),
        NextStep::SignIn => {
            ("Your account is ready", vec![format!("We sent the details to {email}. You can log in now.")])
        }
    };
    view! {
        <section class="panel received" role="status">
            <h1 id=RECEIVED_ID tabindex="-1">{title}</h1>
            {lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
            {(next_step == NextStep::VerifyEmail).then(|| view! { <Resend widget_key email/> })}
        </section>
    }
}

/// "Didn't get it?": one more confirmation e-mail.
#[component]
fn Resend(widget_key: String, email: String) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let resend = move |_| {
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        let (key, email) = (widget_key.clone(), email.clone());
        spawn_local(async move {
            let text = match api::resend_verification(&key, &email).await {
                Ok(()) => {
                    "We sent another link. It can take a minute to arrive; check your spam folder too.".to_owned()
                }
                Err(Failure::Message(message)) => message,
                Err(Failure::Fields(errors)) => errors.into_iter().map(|e| e.message).collect::<Vec<_>>().join(" "),
            };
            note.set(text);
            sending.set(false);
        });
    };
    view! {
        <p>
            "Didn't get it? "
            <button type="button" class="link" on:click=resend aria-busy=move || sending.get().to_string()>
                "Send it again"
            </button>
        </p>
        <p class="note" aria-live="polite">{move || note.get()}</p>
    }
}

#[component]
fn TextInput(
    state: FormState,
    field: Field,
    label: &'static str,
    #[prop(into, default = Signal::stored("text"))] kind: Signal<&'static str>,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] class: &'static str,
    /// The id of a hint that describes the field besides its error.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let id = input_id(field);
    let error_id = format!("{}-error", field.name());
    let described_by = if hint.is_empty() { error_id.clone() } else { format!("{error_id} {hint}") };
    let error = move || state.error(field);
    let by_rules = state.required(field);
    let required = Signal::derive(move || required || by_rules.get());
    view! {
        <div class=format!("field {class}")>
            <label for=id.clone()>
                {label}
                {move || required.get().then_some(view! { <span class="req" aria-hidden="true">" *"</span> })}
            </label>
            <input
                id=id
                name=field.name()
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || error().is_some().to_string()
                aria-describedby=described_by
                prop:value=move || state.values.with(|v| v.value(field).to_owned())
                on:input=move |ev| state.input(field, event_target_value(&ev))
                on:blur=move |_| state.leave(field)
            />
            <p class="error" id=error_id>{error}</p>
        </div>
    }
}

#[component]
fn CountrySelect(state: FormState) -> impl IntoView {
    let field = Field::Country;
    let error = move || state.error(field);
    view! {
        <div class="field">
            <label for=input_id(field)>"Country" <span class="req" aria-hidden="true">" *"</span></label>
            <select
                id=input_id(field)
                name=field.name()
                autocomplete="country"
                aria-invalid=move || error().is_some().to_string()
                aria-describedby="country-error"
                on:change=move |ev| {
                    state.input(field, event_target_value(&ev));
                    state.leave(field);
                    // Zip and State rules follow the country.
                    state.recheck_if_showing(Field::Zip);
                }
            >
                {countries::all()
                    .map(|(code, name)| {
                        view! { <option value=code selected=code == DEFAULT_COUNTRY>{name}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="error" id="country-error">{error}</p>
        </div>
    }
}

const RECEIVED_ID: &str = "portico-received";

fn input_id(field: Field) -> String {
    format!("portico-{}", field.name())
}

fn focus_field(field: Field) {
    focus_by_id(&input_id(field));
}

fn focus_by_id(id: &str) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// A random Idempotency-Key from the browser's CSPRNG.
fn random_key() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}
