//! The Signup form, with the seed's labels. Each field is checked by the shared rules, under the
//! reseller's options, when the person leaves it and again on submit; the server runs the same
//! rules and its answer is shown the same way.

use portico_shared::countries::DEFAULT_COUNTRY;
use portico_shared::password::strength;
use portico_shared::regional::{has_postal_format, has_subdivisions, subdivisions};
use portico_shared::signup::{FormRules, NextStep, SignupRequest};
use portico_shared::{Field, FieldError, VariantArray};

use crate::api::{self, Failure};
use crate::config::FrameConfig;
use crate::dom::{self, button, el, El};
use crate::words::{self, fill, w};
use crate::{with_app, App, Tab};

#[derive(Clone, PartialEq)]
enum Status {
    Editing,
    Sending,
    Failed(String),
    Received { email: String, next_step: NextStep },
}

pub struct Signup {
    values: SignupRequest,
    rules: FormRules,
    /// Errors on display: only for fields the person has left, or all after a submit.
    shown: Vec<FieldError>,
    touched: Vec<Field>,
    status: Status,
    /// Both password fields show what was typed, or neither does.
    show_password: bool,
    /// One key per form: a double click or a retry after a lost answer creates one customer.
    idempotency_key: String,
    opened_at: f64,
    /// What "Send it again" answered.
    resend_note: String,
}

impl Signup {
    pub fn new(config: &FrameConfig) -> Signup {
        Signup {
            values: SignupRequest { country: DEFAULT_COUNTRY.into(), ..SignupRequest::default() },
            rules: config.rules,
            shown: Vec::new(),
            touched: Vec::new(),
            status: Status::Editing,
            show_password: false,
            idempotency_key: random_key(),
            opened_at: js_sys::Date::now(),
            resend_note: String::new(),
        }
    }

    fn errors(&self) -> Vec<FieldError> {
        self.values.errors(self.rules)
    }

    fn refresh(&mut self) {
        let touched = &self.touched;
        self.shown = self.errors().into_iter().filter(|e| touched.contains(&e.field)).collect();
    }

    /// The message on display for `field`, in the widget's language.
    fn error(&self, field: Field) -> Option<&str> {
        let error = self.shown.iter().find(|e| e.field == field)?;
        Some(words::field_message(error.field, error.code).unwrap_or(&error.message))
    }

    /// Whether the field is required under the reseller's rules (and, for Zip and State, the country).
    fn required(&self, field: Field) -> bool {
        match field {
            Field::CompanyName | Field::ContactName | Field::Phone | Field::Country | Field::Email => true,
            Field::Password | Field::VerifyPassword => true,
            Field::StreetAddress | Field::City => self.rules.require_address,
            Field::State => self.rules.require_address && has_subdivisions(self.values.country.trim()),
            Field::Zip => self.rules.require_address && has_postal_format(self.values.country.trim()),
            _ => false,
        }
    }
}

pub fn show(app: &mut App) {
    let form = &app.signup;
    let screen = match &form.status {
        Status::Received { email, next_step } => received(form, &app.config.reseller_name, email, *next_step),
        _ => draw_form(form, &app.config),
    };
    app.draw(screen);
    paint(&app.signup);
}

fn draw_form(form: &Signup, config: &FrameConfig) -> El {
    let input = |field, label, kind, autocomplete, class| text_input(form, field, label, kind, autocomplete, class);
    let password_kind = if form.show_password { "text" } else { "password" };
    let license_required = form.rules.require_license_acceptance;
    let license = config.license_url.as_deref();
    let legal = el("p").class("legal");
    let legal = if license_required {
        legal
    } else {
        legal.text(w().accept_before).child(license_link(license)).text(w().accept_after)
    };
    el("form")
        .class("panel signup")
        .attr("novalidate", "")
        .child(el("h1").text(w().signup))
        .maybe((!config.custom_text.is_empty()).then(|| el("p").class("custom-text").text(&config.custom_text)))
        .child(input(Field::CompanyName, w().company_name, "text", "organization", ""))
        .child(input(Field::ContactName, w().contact_name, "text", "name", ""))
        .child(input(Field::Title, w().title, "text", "organization-title", ""))
        .child(input(Field::Phone, w().phone, "tel", "tel", ""))
        .child(country_select(form))
        .child(el("div").class("row").children([
            input(Field::StreetAddress, w().street_address, "text", "address-line1", ""),
            input(Field::Suite, w().suite, "text", "address-line2", "narrow"),
        ]))
        .child(el("div").class("row").children([
            input(Field::City, w().city, "text", "address-level2", ""),
            state_field(form),
            input(Field::Zip, w().zip, "text", "postal-code", "narrow"),
        ]))
        .child(input(Field::Email, w().email, "email", "email", ""))
        .child(el("div").class("row").children([
            input(Field::Password, w().password, password_kind, "new-password", ""),
            input(Field::VerifyPassword, w().verify_password, password_kind, "new-password", ""),
        ]))
        .child(el("p").class("hint").id(PASSWORD_HINT).attr("aria-live", "polite"))
        .child(
            el("div").class("checkbox compact").child(
                el("label")
                    .child(
                        el("input")
                            .attr("type", "checkbox")
                            .attr("name", SHOW_PASSWORD)
                            .flag("checked", form.show_password),
                    )
                    .text(w().show_password),
            ),
        )
        // Hidden from people and assistive technology; robots that fill every field fill it.
        .child(
            el("div")
                .class("hp")
                .attr("aria-hidden", "true")
                .child(el("label").attr("for", "portico-website").text("Website"))
                .child(
                    el("input")
                        .id("portico-website")
                        .attr("name", "website")
                        .attr("tabindex", "-1")
                        .attr("autocomplete", "off"),
                ),
        )
        .maybe(license_required.then(|| license_box(license)))
        .child(legal.text(w().existing_account).child(button("link", "tab:login", w().login_here)))
        .child(el("p").class("form-error").id(FORM_ERROR).attr("role", "alert"))
        .child(el("button").attr("type", "submit").class("primary").id(SUBMIT))
}

fn text_input(form: &Signup, field: Field, label: &str, kind: &str, autocomplete: &str, class: &str) -> El {
    let described_by =
        if field == Field::Password { format!("{} {PASSWORD_HINT}", error_id(field)) } else { error_id(field) };
    let input =
        el("input").attr("type", kind).attr("aria-describedby", &described_by).attr("value", form.values.value(field));
    labelled(field, label, autocomplete, class, input)
}

/// A form control for `field` in its box: the label with its required mark, and the error line.
fn labelled(field: Field, label: &str, autocomplete: &str, class: &str, control: El) -> El {
    el("div")
        .class(&format!("field {class}"))
        .child(el("label").attr("for", &input_id(field)).text(label).child(required_mark(field)))
        .child(control.id(&input_id(field)).attr("name", field.name()).attr("autocomplete", autocomplete))
        .child(el("p").class("error").id(&error_id(field)))
}

/// State: a list where Portico knows the country's states, provinces or territories, else text.
/// Drawn again when the country changes.
fn state_field(form: &Signup) -> El {
    let field = Field::State;
    let country = form.values.country.trim();
    let Some(listed) = subdivisions(country) else {
        return text_input(form, field, w().state, "text", "address-level1", "").id(STATE_FIELD);
    };
    let chosen = form.values.state.as_str();
    let options = listed.map(|(_, name)| (name, name, name == chosen));
    let choose = ("", w().choose, false);
    select_field(field, w().state, "address-level1", std::iter::once(choose).chain(options)).id(STATE_FIELD)
}

/// A labelled list with its error line, as `text_input` is for text. Options are (value, label,
/// selected).
fn select_field<'a>(
    field: Field,
    label: &str,
    autocomplete: &str,
    options: impl IntoIterator<Item = (&'a str, &'a str, bool)>,
) -> El {
    let select = el("select").attr("aria-describedby", &error_id(field));
    select.0.set_inner_html(&dom::options_html(options));
    labelled(field, label, autocomplete, "", select)
}

/// The red star of a required field; `paint` shows it when the rules require the field.
fn required_mark(field: Field) -> El {
    el("span").class("req").id(&format!("{}-req", field.name())).attr("aria-hidden", "true").text(" *")
}

fn country_select(form: &Signup) -> El {
    let chosen = form.values.country.as_str();
    let countries = words::countries();
    let options = countries.iter().map(|(code, name)| (*code, name.as_str(), *code == chosen));
    select_field(Field::Country, w().country, "country", options)
}

fn license_link(url: Option<&str>) -> El {
    match url {
        Some(url) => {
            el("a").attr("href", url).attr("target", "_blank").attr("rel", "noopener").text(w().license_agreement)
        }
        None => el("span").text(w().license_agreement),
    }
}

/// The box the reseller's options may require instead of the implicit acceptance sentence.
fn license_box(url: Option<&str>) -> El {
    let field = Field::LicenseAccepted;
    el("div")
        .class("field checkbox")
        .child(
            el("label")
                .child(
                    el("input")
                        .id(&input_id(field))
                        .attr("type", "checkbox")
                        .attr("name", field.name())
                        .attr("aria-describedby", &error_id(field)),
                )
                .text(w().accept_box)
                .child(license_link(url))
                .text(w().accept_after.trim_end()),
        )
        .child(el("p").class("error").id(&error_id(field)))
}

/// Brings what is on screen in line with the form's state: errors and their `aria-invalid`,
/// required marks, the password hint, the busy button.
fn paint(form: &Signup) {
    for field in Field::SIGNUP.into_iter().chain([Field::LicenseAccepted]) {
        let error = form.error(field);
        dom::set_text(&error_id(field), error.unwrap_or(""));
        dom::set_attr(&input_id(field), "aria-invalid", Some(if error.is_some() { "true" } else { "false" }));
        let required = form.required(field);
        dom::set_attr(&input_id(field), "required", required.then_some(""));
        dom::set_attr(&format!("{}-req", field.name()), "hidden", (!required).then_some(""));
    }
    dom::set_text(PASSWORD_HINT, &w().strength(strength(&form.values.password)));
    let sending = form.status == Status::Sending;
    dom::set_text(FORM_ERROR, if let Status::Failed(message) = &form.status { message } else { "" });
    dom::set_attr(SUBMIT, "aria-busy", Some(if sending { "true" } else { "false" }));
    dom::set_text(SUBMIT, if sending { w().sending } else { w().signup });
}

pub fn change(app: &mut App, name: &str, value: String, checked: bool) {
    let form = &mut app.signup;
    if name == SHOW_PASSWORD {
        form.show_password = checked;
        let kind = if checked { "text" } else { "password" };
        dom::set_attr(&input_id(Field::Password), "type", Some(kind));
        dom::set_attr(&input_id(Field::VerifyPassword), "type", Some(kind));
        return;
    }
    if name == "website" {
        form.values.website = value;
        return;
    }
    let Some(field) = Field::from_name(name) else { return };
    if field == Field::LicenseAccepted {
        form.values.license_accepted = checked;
        touch(form, field);
    } else if field == Field::Country {
        // A state chosen from the former country's list means nothing in the new one.
        if has_subdivisions(form.values.country.trim()) && form.values.country != value {
            form.values.state.clear();
        }
        form.values.country = value;
        touch(form, field);
        if let Some(old) = dom::by_id(STATE_FIELD) {
            let _ = old.replace_with_with_node_1(&state_field(form).0);
        }
    } else {
        form.values.set(field, value);
    }
    // Re-checks as they type only where an error is already showing, so it clears promptly
    // without scolding someone halfway through typing. Zip and State rules follow the country,
    // and Verify password follows Password.
    if form
        .shown
        .iter()
        .any(|e| matches!(e.field, Field::VerifyPassword | Field::Zip | Field::State) || e.field == field)
    {
        form.refresh();
    }
    paint(form);
}

pub fn leave(app: &mut App, name: &str) {
    let form = &mut app.signup;
    let Some(field) = Field::from_name(name) else { return };
    touch(form, field);
    paint(form);
}

fn touch(form: &mut Signup, field: Field) {
    if !form.touched.contains(&field) {
        form.touched.push(field);
    }
    form.refresh();
}

pub fn submit(app: &mut App) {
    let form = &mut app.signup;
    if form.status == Status::Sending {
        return;
    }
    form.touched = Field::VARIANTS.to_vec();
    let errors = form.errors();
    if let Some(first) = errors.first() {
        dom::focus_soon(&input_id(first.field));
        form.shown = errors;
        paint(form);
        return;
    }
    form.status = Status::Sending;
    paint(form);
    let mut request = form.values.clone();
    request.fill_ms = (js_sys::Date::now() - form.opened_at).max(0.0) as u64;
    request.language = words::lang();
    let (key, idempotency_key) = (app.config.key.clone(), form.idempotency_key.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let answer = api::signup(&key, &request, &idempotency_key).await;
        with_app(|app| answered(app, request.email.trim(), answer));
    });
}

fn answered(app: &mut App, email: &str, answer: Result<NextStep, Failure>) {
    let form = &mut app.signup;
    match answer {
        Ok(next_step) => {
            app.host.emit("signup", &format!(r#"{{"next_step":"{}"}}"#, next_step.as_str()));
            form.status = Status::Received { email: email.to_owned(), next_step };
            // Nothing of the password stays in memory once it has been sent.
            form.values.password.clear();
            form.values.verify_password.clear();
            if app.tab == Tab::Signup {
                show(app);
                // Screen readers announce the confirmation once focus lands on it.
                dom::focus_soon(RECEIVED_ID);
            }
        }
        Err(Failure::Fields(errors)) => {
            if let Some(first) = errors.first() {
                dom::focus_soon(&input_id(first.field));
            }
            form.shown = errors;
            form.status = Status::Editing;
            paint(form);
        }
        Err(Failure::Message(message)) => {
            form.status = Status::Failed(message);
            paint(form);
        }
    }
}

fn received(form: &Signup, reseller: &str, email: &str, next_step: NextStep) -> El {
    let words = w();
    let (title, lines) = match next_step {
        NextStep::VerifyEmail => (
            words.check_email,
            vec![fill(words.check_email_lines[0], &[email]), fill(words.check_email_lines[1], &[reseller])],
        ),
        NextStep::AwaitApproval => {
            (words.thanks, vec![fill(words.thanks_lines[0], &[reseller]), fill(words.thanks_lines[1], &[email])])
        }
        NextStep::SignIn => (words.ready, vec![fill(words.ready_line, &[email])]),
    };
    let resend = (next_step == NextStep::VerifyEmail).then(|| {
        el("div")
            .child(el("p").text(words.didnt_get_it).child(button("link", RESEND, words.send_again).id(RESEND_BUTTON)))
            .child(el("p").class("note").id(RESEND_NOTE).attr("aria-live", "polite").text(&form.resend_note))
    });
    el("section")
        .class("panel received")
        .attr("role", "status")
        .child(el("h1").id(RECEIVED_ID).attr("tabindex", "-1").text(title))
        .children(lines.iter().map(|line| el("p").text(line)))
        .maybe(resend)
}

pub fn click(app: &mut App, action: &str) {
    if action != RESEND {
        return;
    }
    let Status::Received { email, .. } = &app.signup.status else { return };
    dom::set_attr(RESEND_BUTTON, "aria-busy", Some("true"));
    let (key, email) = (app.config.key.clone(), email.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let note = match api::resend_verification(&key, &email).await {
            Ok(()) => w().sent_again.to_owned(),
            Err(failure) => failure.words(),
        };
        dom::set_attr(RESEND_BUTTON, "aria-busy", Some("false"));
        dom::set_text(RESEND_NOTE, &note);
        with_app(|app| app.signup.resend_note = note);
    });
}

const STATE_FIELD: &str = "portico-state-field";
const RECEIVED_ID: &str = "portico-received";
const PASSWORD_HINT: &str = "portico-password-hint";
const FORM_ERROR: &str = "portico-signup-error";
const SUBMIT: &str = "portico-signup-submit";
const SHOW_PASSWORD: &str = "show_password";
const RESEND: &str = "resend";
const RESEND_BUTTON: &str = "portico-resend";
const RESEND_NOTE: &str = "portico-resend-note";

fn input_id(field: Field) -> String {
    format!("portico-{}", field.name())
}

fn error_id(field: Field) -> String {
    format!("{}-error", field.name())
}

/// A random Idempotency-Key from the browser's CSPRNG.
fn random_key() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}
