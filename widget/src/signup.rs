//! The Signup form, with the seed's labels. Each field is checked by the shared rules, under the
//! reseller's options, when the person leaves it and again on submit; the server runs the same
//! rules and its answer is shown the same way.

use leptos::prelude::*;
use portico_shared::countries::DEFAULT_COUNTRY;
use portico_shared::password::strength;
use portico_shared::regional::{has_postal_format, has_subdivisions};
use portico_shared::signup::{FormRules, NextStep, SignupRequest};
use portico_shared::ui::{self, FieldBox};
use portico_shared::{Field, FieldError, VariantArray};

use crate::api::{self, Failure};
use crate::browser;
use crate::config::FrameConfig;
use crate::shell::{FirstPaint, Shell, Tab};
use crate::words::{self, fill, w};

#[derive(Clone, Debug, PartialEq)]
enum Status {
    Editing,
    Sending,
    Failed(String),
    Received { email: String, next_step: NextStep },
}

/// The form's state, kept while the visitor looks at another tab.
#[derive(Clone, Copy)]
pub struct SignupForm {
    values: RwSignal<SignupRequest>,
    rules: FormRules,
    /// Errors on display: only for fields the person has left, or all after a submit.
    shown: RwSignal<Vec<FieldError>>,
    touched: RwSignal<Vec<Field>>,
    status: RwSignal<Status>,
    /// Both password fields show what was typed, or neither does.
    show_password: RwSignal<bool>,
    /// One key per form, made at its first submit: a double click or a retry after a lost
    /// answer creates one customer.
    idempotency_key: StoredValue<String>,
    /// What "Send it again" answered, and whether it is being asked.
    resend_note: RwSignal<String>,
    resend_busy: RwSignal<bool>,
    /// The Country list's `<option>`s as the server wrote them.
    country_options: StoredValue<String>,
}

impl SignupForm {
    /// The form as the first paint left it: empty on the server, with whatever the visitor typed
    /// in the browser.
    pub fn new(config: &FrameConfig, first_paint: &FirstPaint) -> SignupForm {
        let mut values = SignupRequest { country: DEFAULT_COUNTRY.into(), ..SignupRequest::default() };
        for (name, value) in &first_paint.typed.values {
            match Field::from_name(name) {
                Some(field) => values.set(field, value.clone()),
                None if name == HONEYPOT => values.website = value.clone(),
                None => {}
            }
        }
        let ticked = |name: &str| first_paint.typed.ticked.iter().any(|t| t == name);
        values.license_accepted = ticked(Field::LicenseAccepted.name());
        SignupForm {
            values: RwSignal::new(values),
            rules: config.rules,
            shown: RwSignal::new(Vec::new()),
            touched: RwSignal::new(Vec::new()),
            status: RwSignal::new(Status::Editing),
            show_password: RwSignal::new(ticked(SHOW_PASSWORD)),
            idempotency_key: StoredValue::new(String::new()),
            resend_note: RwSignal::new(String::new()),
            resend_busy: RwSignal::new(false),
            country_options: StoredValue::new(first_paint.country_options.clone()),
        }
    }

    /// The message on display for `field`, in the widget's language.
    fn message(self, field: Field) -> Signal<Option<String>> {
        Signal::derive(move || {
            self.shown.with(|shown| {
                let error = shown.iter().find(|e| e.field == field)?;
                Some(words::field_message(error.field, error.code).map_or_else(|| error.message.clone(), str::to_owned))
            })
        })
    }

    /// Whether the field is required under the reseller's rules (and, for Zip and State, the country).
    fn required(self, field: Field) -> Signal<bool> {
        let rules = self.rules;
        Signal::derive(move || match field {
            Field::CompanyName | Field::ContactName | Field::Phone | Field::Country | Field::Email => true,
            Field::Password | Field::VerifyPassword => true,
            Field::StreetAddress | Field::City => rules.require_address,
            Field::State => rules.require_address && self.values.with(|v| has_subdivisions(v.country.trim())),
            Field::Zip => rules.require_address && self.values.with(|v| has_postal_format(v.country.trim())),
            _ => false,
        })
    }

    fn refresh(self) {
        let errors = self.values.with_untracked(|values| values.errors(self.rules));
        let touched = self.touched.get_untracked();
        self.shown.set(errors.into_iter().filter(|e| touched.contains(&e.field)).collect());
    }

    fn touch(self, field: Field) {
        self.touched.update(|touched| {
            if !touched.contains(&field) {
                touched.push(field);
            }
        });
        self.refresh();
    }

    fn change(self, field: Field, value: String) {
        self.values.update(|values| values.set(field, value));
        // Re-checks as they type only where an error is already showing, so it clears promptly
        // without scolding someone halfway through typing. Zip and State rules follow the
        // country, and Verify password follows Password.
        let showing = self.shown.with_untracked(|shown| {
            shown
                .iter()
                .any(|e| matches!(e.field, Field::VerifyPassword | Field::Zip | Field::State) || e.field == field)
        });
        if showing {
            self.refresh();
        }
    }

    fn change_country(self, country: String) {
        self.values.update(|values| {
            // A state chosen from the former country's list means nothing in the new one.
            if has_subdivisions(values.country.trim()) && values.country != country {
                values.state.clear();
            }
            values.country = country;
        });
        self.touch(Field::Country);
    }

    fn submit(self, shell: Shell) {
        if self.status.get_untracked() == Status::Sending {
            return;
        }
        self.touched.set(Field::VARIANTS.to_vec());
        let errors = self.values.with_untracked(|values| values.errors(self.rules));
        if let Some(first) = errors.first() {
            browser::focus_soon(input_id(first.field));
            self.shown.set(errors);
            return;
        }
        self.shown.set(Vec::new());
        self.status.set(Status::Sending);
        let mut request = self.values.get_untracked();
        request.form_token = shell.config.with_value(|config| config.form_token.clone());
        request.language = words::lang();
        self.idempotency_key.update_value(|key| {
            if key.is_empty() {
                *key = browser::random_key();
            }
        });
        let (key, idempotency_key) = (shell.key(), self.idempotency_key.get_value());
        leptos::task::spawn_local(async move {
            let answer = api::signup(&key, &request, &idempotency_key).await;
            self.answered(shell, request.email.trim().to_owned(), answer);
        });
    }

    fn answered(self, shell: Shell, email: String, answer: Result<NextStep, Failure>) {
        match answer {
            Ok(next_step) => {
                shell.emit("signup", &format!(r#"{{"next_step":"{}"}}"#, next_step.as_str()));
                // Nothing of the password stays in memory once it has been sent.
                self.values.update(|values| {
                    values.password.clear();
                    values.verify_password.clear();
                });
                self.status.set(Status::Received { email, next_step });
                if shell.tab.get_untracked() == Tab::Signup {
                    // Screen readers announce the confirmation once focus lands on it.
                    browser::focus_soon(RECEIVED_ID.to_owned());
                }
            }
            Err(Failure::Fields(errors)) => {
                if let Some(first) = errors.first() {
                    browser::focus_soon(input_id(first.field));
                }
                self.shown.set(errors);
                self.status.set(Status::Editing);
            }
            Err(Failure::Message(message, _)) => self.status.set(Status::Failed(message)),
        }
    }

    fn resend(self, shell: Shell, email: String) {
        self.resend_busy.set(true);
        let key = shell.key();
        leptos::task::spawn_local(async move {
            let note = match api::resend_verification(&key, &email).await {
                Ok(()) => w().sent_again.to_owned(),
                Err(failure) => failure.words(),
            };
            self.resend_busy.set(false);
            self.resend_note.set(note);
        });
    }
}

/// The Signup tab: the form, or once sent, what happens next.
#[component]
pub fn SignupTab(shell: Shell, form: SignupForm) -> impl IntoView {
    let received = Memo::new(move |_| {
        form.status.with(|status| match status {
            Status::Received { email, next_step } => Some((email.clone(), *next_step)),
            _ => None,
        })
    });
    move || match received.get() {
        Some((email, next_step)) => received_view(shell, form, email, next_step).into_any(),
        None => form_view(shell, form).into_any(),
    }
}

fn form_view(shell: Shell, form: SignupForm) -> impl IntoView {
    let config = shell.config.get_value();
    let password_kind = Signal::derive(move || if form.show_password.get() { "text" } else { "password" });
    let license = config.license_url.clone();
    let license_required = form.rules.require_license_acceptance;
    let sending = move || form.status.with(|status| *status == Status::Sending);
    let implicit_acceptance = (!license_required).then(|| {
        view! { {w().accept_before}{license_link(license.clone())}{w().accept_after} }
    });
    view! {
        <form
            class="panel signup"
            novalidate
            on:submit=browser::on_submit(move || form.submit(shell))
        >
            <h1>{w().signup}</h1>
            {(!config.custom_text.is_empty()).then(|| view! { <p class="custom-text">{config.custom_text.clone()}</p> })}
            {text_input(form, Field::CompanyName, w().company_name, Signal::stored("text"), "organization", "")}
            {text_input(form, Field::ContactName, w().contact_name, Signal::stored("text"), "name", "")}
            {text_input(form, Field::Title, w().title, Signal::stored("text"), "organization-title", "")}
            {text_input(form, Field::Phone, w().phone, Signal::stored("tel"), "tel", "")}
            {country_select(form)}
            <div class="row">
                {text_input(form, Field::StreetAddress, w().street_address, Signal::stored("text"), "address-line1", "")}
                {text_input(form, Field::Suite, w().suite, Signal::stored("text"), "address-line2", "narrow")}
            </div>
            <div class="row">
                {text_input(form, Field::City, w().city, Signal::stored("text"), "address-level2", "")}
                {state_field(form)}
                {text_input(form, Field::Zip, w().zip, Signal::stored("text"), "postal-code", "narrow")}
            </div>
            {text_input(form, Field::Email, w().email, Signal::stored("email"), "email", "")}
            <div class="row">
                {text_input(form, Field::Password, w().password, password_kind, "new-password", "")}
                {text_input(form, Field::VerifyPassword, w().verify_password, password_kind, "new-password", "")}
            </div>
            <p class="hint" id=PASSWORD_HINT aria-live="polite">
                {move || form.values.with(|values| w().strength(strength(&values.password)))}
            </p>
            <div class="checkbox compact">
                <label>
                    <input
                        type="checkbox"
                        name=SHOW_PASSWORD
                        checked=form.show_password.get_untracked()
                        on:change=move |event| form.show_password.set(event_target_checked(&event))
                    />
                    {w().show_password}
                </label>
            </div>
            // Hidden from people and assistive technology; robots that fill every field fill it.
            <div class="hp" aria-hidden="true">
                <label for="portico-website">"Website"</label>
                <input
                    id="portico-website"
                    name=HONEYPOT
                    tabindex="-1"
                    autocomplete="off"
                    on:input=move |event| form.values.update(|values| values.website = event_target_value(&event))
                />
            </div>
            {license_required.then(|| license_box(form, license.clone()))}
            <p class="legal">
                {implicit_acceptance}
                {w().existing_account}
                <button type="button" class="link" on:click=move |_| shell.tab.set(Tab::Login)>{w().login_here}</button>
            </p>
            <p class="form-error" id="portico-signup-error" role="alert">
                {move || form.status.with(|status| match status {
                    Status::Failed(message) => message.clone(),
                    _ => String::new(),
                })}
            </p>
            <button type="submit" class="primary" id="portico-signup-submit" aria-busy=move || sending().to_string()>
                {move || if sending() { w().sending } else { w().signup }}
            </button>
        </form>
    }
}

/// A labelled input with its error line, wired for assistive technology.
fn text_input(
    form: SignupForm,
    field: Field,
    label: &'static str,
    kind: Signal<&'static str>,
    autocomplete: &'static str,
    class: &'static str,
) -> impl IntoView {
    let error_id = error_id(field);
    let described = if field == Field::Password { format!("{error_id} {PASSWORD_HINT}") } else { error_id.clone() };
    let (message, required) = (form.message(field), form.required(field));
    let value = form.values.with_untracked(|values| values.value(field).to_owned());
    view! {
        <FieldBox control=input_id(field) label required message error_id class>
            <input
                id=input_id(field)
                name=field.name()
                type=kind
                autocomplete=autocomplete
                value=value
                aria-describedby=described
                aria-invalid=move || message.with(Option::is_some).to_string()
                required=move || required.get()
                on:input=move |event| form.change(field, event_target_value(&event))
                on:focusout=move |_| form.touch(field)
            />
        </FieldBox>
    }
}

/// A labelled list with its error line, as `text_input` is for text. Its `<option>`s come as
/// markup: the countries as the server wrote them (names in the visitor's language, which the
/// WebAssembly does not carry), a country's states from the shared list.
fn select_field(
    form: SignupForm,
    field: Field,
    label: &'static str,
    autocomplete: &'static str,
    options: String,
) -> impl IntoView {
    let (message, required) = (form.message(field), form.required(field));
    let chosen = form.values.with_untracked(|values| values.value(field).to_owned());
    view! {
        <FieldBox control=input_id(field) label required message error_id=error_id(field)>
            <select
                id=input_id(field)
                name=field.name()
                autocomplete=autocomplete
                aria-describedby=error_id(field)
                aria-invalid=move || message.with(Option::is_some).to_string()
                required=move || required.get()
                inner_html=options
                prop:value=chosen
                on:change=move |event| {
                    let value = event_target_value(&event);
                    if field == Field::Country {
                        form.change_country(value);
                    } else {
                        form.change(field, value);
                        form.touch(field);
                    }
                }
                on:focusout=move |_| form.touch(field)
            ></select>
        </FieldBox>
    }
}

fn country_select(form: SignupForm) -> impl IntoView {
    select_field(form, Field::Country, w().country, "country", form.country_options.get_value())
}

/// State: a list where Portico knows the country's states, provinces or territories, else text.
/// Drawn again when the country changes.
fn state_field(form: SignupForm) -> impl IntoView {
    let country = Memo::new(move |_| form.values.with(|values| values.country.trim().to_owned()));
    move || match ui::state_choices(&country.get(), "", w().choose) {
        Some(choices) => {
            let chosen = form.values.with_untracked(|values| values.state.clone());
            let options =
                ui::options_markup(choices.iter().map(|(value, label)| (value.as_str(), label.as_str())), &chosen);
            select_field(form, Field::State, w().state, "address-level1", options).into_any()
        }
        None => text_input(form, Field::State, w().state, Signal::stored("text"), "address-level1", "").into_any(),
    }
}

fn license_link(url: Option<String>) -> impl IntoView {
    match url {
        Some(url) => view! { <a href=url target="_blank" rel="noopener">{w().license_agreement}</a> }.into_any(),
        None => view! { <span>{w().license_agreement}</span> }.into_any(),
    }
}

/// The box the reseller's options may require instead of the implicit acceptance sentence.
fn license_box(form: SignupForm, url: Option<String>) -> impl IntoView {
    let field = Field::LicenseAccepted;
    let message = form.message(field);
    view! {
        <div class="field checkbox">
            <label>
                <input
                    id=input_id(field)
                    type="checkbox"
                    name=field.name()
                    checked=form.values.with_untracked(|values| values.license_accepted)
                    aria-describedby=error_id(field)
                    aria-invalid=move || message.with(Option::is_some).to_string()
                    on:change=move |event| {
                        form.values.update(|values| values.license_accepted = event_target_checked(&event));
                        form.touch(field);
                    }
                />
                {w().accept_box}
                {license_link(url)}
                {w().accept_after.trim_end()}
            </label>
            <p class="field-error" id=error_id(field)>{move || message.get()}</p>
        </div>
    }
}

fn received_view(shell: Shell, form: SignupForm, email: String, next_step: NextStep) -> impl IntoView {
    let words = w();
    let reseller = shell.reseller();
    let (title, lines) = match next_step {
        NextStep::VerifyEmail => (
            words.check_email,
            vec![fill(words.check_email_lines[0], &[&email]), fill(words.check_email_lines[1], &[&reseller])],
        ),
        NextStep::AwaitApproval => {
            (words.thanks, vec![fill(words.thanks_lines[0], &[&reseller]), fill(words.thanks_lines[1], &[&email])])
        }
        NextStep::SignIn => (words.ready, vec![fill(words.ready_line, &[&email])]),
    };
    let resend = (next_step == NextStep::VerifyEmail).then(|| {
        view! {
            <div>
                <p>
                    {words.didnt_get_it}
                    <button
                        type="button"
                        class="link"
                        id="portico-resend"
                        aria-busy=move || form.resend_busy.get().to_string()
                        on:click=move |_| form.resend(shell, email.clone())
                    >
                        {words.send_again}
                    </button>
                </p>
                <p class="note" id="portico-resend-note" aria-live="polite">{move || form.resend_note.get()}</p>
            </div>
        }
    });
    view! {
        <section class="panel received" role="status">
            <h1 id=RECEIVED_ID tabindex="-1">{title}</h1>
            {lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
            {resend}
        </section>
    }
}

const RECEIVED_ID: &str = "portico-received";
const PASSWORD_HINT: &str = "portico-password-hint";
const SHOW_PASSWORD: &str = "show_password";
const HONEYPOT: &str = "website";

fn input_id(field: Field) -> String {
    format!("portico-{}", field.name())
}

fn error_id(field: Field) -> String {
    format!("{}-error", field.name())
}
