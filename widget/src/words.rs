//! What the widget says, in English and in Spanish. The language comes from the embed tag's
//! `data-lang`, else the host page's `lang` (the loader passes it as `lang` in the frame's
//! address, and the server puts it in the frame's configuration); anything other than Spanish
//! reads as English, the seed's wording.
//!
//! Messages the server sends come with a stable code: the widget words the ones it shows by that
//! code and field, and falls back to the server's English text for any it does not know.

use std::cell::Cell;

use portico_shared::api::{ErrorCode, Problem};
pub use portico_shared::language::fill;
use portico_shared::language::Language;
use portico_shared::password::Strength;
use portico_shared::test_drives::{span, InstanceState, Span};
use portico_shared::{Field, VariantArray};

thread_local! {
    static LANG: Cell<Language> = const { Cell::new(Language::En) };
}

/// Sets the language the widget speaks on this thread: in the browser once at start, on the
/// server for the one synchronous render of a first paint.
pub fn set_language(language: Language) {
    LANG.with(|cell| cell.set(language));
}

pub fn lang() -> Language {
    LANG.with(Cell::get)
}

/// The words of the current language.
pub fn w() -> &'static Words {
    match lang() {
        Language::En => &EN,
        Language::Es => &ES,
    }
}

pub struct Words {
    pub tabs_label: &'static str,
    pub test_drives: &'static str,
    pub signup: &'static str,
    pub login: &'static str,
    pub powered_by: &'static str,
    pub logo: &'static str,
    pub loading: &'static str,
    pub unreachable: &'static str,
    // Signup
    pub company_name: &'static str,
    pub contact_name: &'static str,
    pub title: &'static str,
    pub phone: &'static str,
    pub country: &'static str,
    pub street_address: &'static str,
    pub suite: &'static str,
    pub city: &'static str,
    pub state: &'static str,
    pub zip: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub verify_password: &'static str,
    pub show_password: &'static str,
    pub choose: &'static str,
    pub accept_before: &'static str,
    pub license_agreement: &'static str,
    pub accept_after: &'static str,
    pub accept_box: &'static str,
    pub existing_account: &'static str,
    pub login_here: &'static str,
    pub sending: &'static str,
    pub check_email: &'static str,
    pub check_email_lines: [&'static str; 2],
    pub thanks: &'static str,
    pub thanks_lines: [&'static str; 2],
    pub ready: &'static str,
    pub ready_line: &'static str,
    pub didnt_get_it: &'static str,
    pub send_again: &'static str,
    pub sent_again: &'static str,
    // Login
    pub resend_link: &'static str,
    pub sent_again_login: &'static str,
    pub logging_in: &'static str,
    pub forgot: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub send_link: &'static str,
    pub reset_sent: &'static str,
    pub back_to_login: &'static str,
    pub welcome: &'static str,
    pub signed_in_as: &'static str,
    pub active: &'static str,
    pub awaiting_approval: &'static str,
    pub inactive: &'static str,
    pub log_out: &'static str,
    // Test Drives
    pub no_drives: &'static str,
    pub drives_failed: &'static str,
    pub your_drives: &'static str,
    pub launch_after_approval: &'static str,
    pub needs_account: &'static str,
    pub or: &'static str,
    pub launch: &'static str,
    pub launch_named: &'static str,
    pub launching: &'static str,
    pub none_launched: &'static str,
    pub stop: &'static str,
    pub stop_named: &'static str,
    pub stop_question: &'static str,
    pub stop_confirm: &'static str,
    pub stopping: &'static str,
    pub keep_running: &'static str,
    /// Why a test drive failed to start, as the cloud said it: `{}`.
    pub could_not_start: &'static str,
    pub states: [&'static str; 5],
    pub facts: &'static str,
    pub units: [(&'static str, &'static str); 3],
    pub hours_minutes: &'static str,
    pub time_left: &'static str,
    pub under_a_minute: &'static str,
    // The password hint
    pub hint_empty: &'static str,
    pub hint_short: &'static str,
    pub hint_common: &'static str,
    pub hint_long: &'static str,
    pub hint_acceptable: &'static str,
    pub hint_strong: &'static str,
}

pub const EN: Words = Words {
    tabs_label: "{} customer portal",
    test_drives: "Test Drives",
    signup: "Signup",
    login: "Login",
    powered_by: "Powered By ",
    logo: "{} logo",
    loading: "Loading…",
    unreachable: "We could not reach the server. Check your connection and try again.",
    company_name: "Company name",
    contact_name: "Contact name",
    title: "Title",
    phone: "Phone number",
    country: "Country",
    street_address: "Street Address",
    suite: "Suite #",
    city: "City",
    state: "State",
    zip: "Zip",
    email: "E-mail",
    password: "Password",
    verify_password: "Verify password",
    show_password: "Show password",
    choose: "Choose…",
    accept_before: "By clicking on the \"Signup\" button you accept the ",
    license_agreement: "license agreement",
    accept_after: " to use this Test Drive. ",
    accept_box: " I accept the ",
    existing_account: "If you have an existing account ",
    login_here: "Login here",
    sending: "Sending…",
    check_email: "Check your e-mail",
    check_email_lines: [
        "We sent a link to {}. Open it within 24 hours to confirm your address.",
        "{} receives your request as soon as your address is confirmed.",
    ],
    thanks: "Thank you for signing up",
    thanks_lines: [
        "{} has received your request and will review it shortly.",
        "We will write to {} as soon as your account is ready.",
    ],
    ready: "Your account is ready",
    ready_line: "We sent the details to {}. You can log in now.",
    didnt_get_it: "Didn't get it? ",
    send_again: "Send it again",
    sent_again: "We sent another link. It can take a minute to arrive; check your spam folder too.",
    resend_link: "Send the confirmation link again",
    sent_again_login: "We sent another link. Open it, then log in.",
    logging_in: "Logging in…",
    forgot: "Forgot password?",
    forgot_title: "Forgot password",
    forgot_intro: "Enter the e-mail address of your account. We will send you a link to choose a new password.",
    send_link: "Send me a link",
    reset_sent: "If an account uses {}, we sent it a link to choose a new password. It works for one hour.",
    back_to_login: "Back to Login",
    welcome: "Welcome, {}",
    signed_in_as: "Signed in as {} for {}.",
    active: "Your account is active.",
    awaiting_approval: "Your account is waiting for approval by {}. We will e-mail you once it is ready.",
    inactive: "Your account is not active. Please contact {}.",
    log_out: "Log out",
    no_drives: "{} offers no test drives at the moment.",
    drives_failed: "The test drives could not be loaded.",
    your_drives: "Your test drives",
    launch_after_approval:
        "Your account is waiting for approval by {}. You can launch test drives once it is approved.",
    needs_account: "Launching needs a verified account. ",
    or: " or ",
    launch: "Launch",
    launch_named: "Launch {}",
    launching: "Launching…",
    none_launched: "You have not launched a test drive yet.",
    stop: "Stop",
    stop_named: "Stop {}",
    stop_question: "Stop it now? Its sandbox and everything in it are deleted.",
    stop_confirm: "Stop test drive",
    stopping: "Stopping…",
    keep_running: "Keep it running",
    could_not_start: "It could not start. The cloud said: {}",
    states: ["Launching", "Running", "Stopped", "Expired", "Failed"],
    facts: "{} · {} · up to {} at once per customer",
    units: [("1 day", "{} days"), ("1 hour", "{} hours"), ("1 minute", "{} minutes")],
    hours_minutes: "{} h {} min",
    time_left: "{} left",
    under_a_minute: "less than a minute left",
    hint_empty: "Use at least {} characters. A few unrelated words make a strong password.",
    hint_short: "Too short: {} of at least {} characters.",
    hint_common: "Too easy to guess: try a few unrelated words.",
    hint_long: "Too long: at most {} characters.",
    hint_acceptable: "Acceptable. A few more words would make it strong.",
    hint_strong: "Strong password.",
};

pub const ES: Words = Words {
    tabs_label: "Portal de clientes de {}",
    test_drives: "Pruebas",
    signup: "Registro",
    login: "Acceso",
    powered_by: "Con la tecnología de ",
    logo: "Logotipo de {}",
    loading: "Cargando…",
    unreachable: "No pudimos conectar con el servidor. Compruebe su conexión e inténtelo de nuevo.",
    company_name: "Nombre de la empresa",
    contact_name: "Nombre de contacto",
    title: "Cargo",
    phone: "Número de teléfono",
    country: "País",
    street_address: "Dirección",
    suite: "Oficina/piso",
    city: "Ciudad",
    state: "Estado/provincia",
    zip: "Código postal",
    email: "Correo electrónico",
    password: "Contraseña",
    verify_password: "Repita la contraseña",
    show_password: "Mostrar la contraseña",
    choose: "Elija…",
    accept_before: "Al pulsar el botón \"Registro\" acepta el ",
    license_agreement: "acuerdo de licencia",
    accept_after: " para usar esta prueba. ",
    accept_box: " Acepto el ",
    existing_account: "Si ya tiene una cuenta, ",
    login_here: "acceda aquí",
    sending: "Enviando…",
    check_email: "Revise su correo",
    check_email_lines: [
        "Enviamos un enlace a {}. Ábralo en las próximas 24 horas para confirmar su dirección.",
        "{} recibirá su solicitud en cuanto confirme su dirección.",
    ],
    thanks: "Gracias por registrarse",
    thanks_lines: [
        "{} ha recibido su solicitud y la revisará en breve.",
        "Le escribiremos a {} en cuanto su cuenta esté lista.",
    ],
    ready: "Su cuenta está lista",
    ready_line: "Enviamos los datos a {}. Ya puede acceder.",
    didnt_get_it: "¿No le ha llegado? ",
    send_again: "Enviarlo de nuevo",
    sent_again: "Enviamos otro enlace. Puede tardar un minuto en llegar; revise también la carpeta de spam.",
    resend_link: "Enviar de nuevo el enlace de confirmación",
    sent_again_login: "Enviamos otro enlace. Ábralo y después acceda.",
    logging_in: "Accediendo…",
    forgot: "¿Olvidó su contraseña?",
    forgot_title: "Contraseña olvidada",
    forgot_intro:
        "Escriba la dirección de correo de su cuenta. Le enviaremos un enlace para elegir una contraseña nueva.",
    send_link: "Enviarme un enlace",
    reset_sent:
        "Si alguna cuenta usa {}, le enviamos un enlace para elegir una contraseña nueva. Sirve durante una hora.",
    back_to_login: "Volver a Acceso",
    welcome: "Le damos la bienvenida, {}",
    signed_in_as: "Ha accedido como {} para {}.",
    active: "Su cuenta está activa.",
    awaiting_approval: "Su cuenta espera la aprobación de {}. Le escribiremos en cuanto esté lista.",
    inactive: "Su cuenta no está activa. Póngase en contacto con {}.",
    log_out: "Cerrar sesión",
    no_drives: "{} no ofrece pruebas en este momento.",
    drives_failed: "No se pudieron cargar las pruebas.",
    your_drives: "Sus pruebas",
    launch_after_approval: "Su cuenta espera la aprobación de {}. Podrá lanzar pruebas en cuanto la aprueben.",
    needs_account: "Para lanzar una prueba necesita una cuenta verificada. ",
    or: " o ",
    launch: "Lanzar",
    launch_named: "Lanzar {}",
    launching: "Lanzando…",
    none_launched: "Todavía no ha lanzado ninguna prueba.",
    stop: "Detener",
    stop_named: "Detener {}",
    stop_question: "¿Detenerla ahora? Su entorno y todo lo que contiene se eliminan.",
    stop_confirm: "Detener la prueba",
    stopping: "Deteniendo…",
    keep_running: "Dejarla en marcha",
    could_not_start: "No se pudo iniciar. La nube respondió: {}",
    states: ["Iniciando", "En marcha", "Detenida", "Caducada", "Fallida"],
    facts: "{} · {} · hasta {} a la vez por cliente",
    units: [("1 día", "{} días"), ("1 hora", "{} horas"), ("1 minuto", "{} minutos")],
    hours_minutes: "{} h {} min",
    time_left: "quedan {}",
    under_a_minute: "queda menos de un minuto",
    hint_empty: "Use al menos {} caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña fuerte.",
    hint_short: "Demasiado corta: {} de al menos {} caracteres.",
    hint_common: "Demasiado fácil de adivinar: pruebe con varias palabras sin relación.",
    hint_long: "Demasiado larga: como máximo {} caracteres.",
    hint_acceptable: "Aceptable. Unas palabras más la harían fuerte.",
    hint_strong: "Contraseña fuerte.",
};

impl Words {
    pub fn state(&self, state: InstanceState) -> &'static str {
        let index = InstanceState::VARIANTS.iter().position(|s| *s == state).unwrap_or(0);
        self.states[index]
    }

    /// "2 hours", "1 h 30 min": a length in the largest exact unit.
    pub fn duration(&self, minutes: i64) -> String {
        let count =
            |n: i64, (one, many): (&str, &str)| if n == 1 { one.to_owned() } else { fill(many, &[&n.to_string()]) };
        match span(minutes) {
            Span::Days(n) => count(n, self.units[0]),
            Span::Hours(n) => count(n, self.units[1]),
            Span::HoursMinutes(h, m) => fill(self.hours_minutes, &[&h.to_string(), &m.to_string()]),
            Span::Minutes(n) => count(n, self.units[2]),
        }
    }

    pub fn time_left(&self, expires_at: i64, now: i64) -> String {
        match (expires_at - now) / 60_000 {
            m if m <= 0 => self.under_a_minute.to_owned(),
            m if m < 60 => fill(self.time_left, &[&format!("{m} min")]),
            m => fill(self.time_left, &[&fill(self.hours_minutes, &[&(m / 60).to_string(), &(m % 60).to_string()])]),
        }
    }

    pub fn strength(&self, strength: Strength) -> String {
        match strength {
            Strength::Empty { min } => fill(self.hint_empty, &[&min.to_string()]),
            Strength::TooShort { chars, min } => fill(self.hint_short, &[&chars.to_string(), &min.to_string()]),
            Strength::TooCommon => self.hint_common.to_owned(),
            Strength::TooLong { max } => fill(self.hint_long, &[&max.to_string()]),
            Strength::Acceptable => self.hint_acceptable.to_owned(),
            Strength::Strong => self.hint_strong.to_owned(),
        }
    }
}

/// A field's error in the current language; `None` keeps the message as the rules wrote it.
pub fn field_message(field: Field, code: Problem) -> Option<&'static str> {
    lang().field_message(field, code)
}

/// A refusal of the server, by its code, in the current language; `None` keeps the server's text.
pub fn api_message(code: ErrorCode) -> Option<&'static str> {
    if lang() == Language::En {
        return None;
    }
    Some(match code {
        ErrorCode::LoginFailed => "Ese correo y esa contraseña no corresponden a ninguna cuenta.",
        ErrorCode::EmailNotVerified => {
            "Confirme primero su dirección de correo: abra el enlace que le enviamos o pida uno nuevo."
        }
        ErrorCode::AccountInactive => {
            "Esta cuenta no está activa. Póngase en contacto con la empresa con la que se registró."
        }
        ErrorCode::RateLimited => "Demasiados intentos. Espere unos minutos y vuelva a intentarlo.",
        ErrorCode::Busy => "Hay mucha actividad en este momento. Vuelva a intentarlo en unos segundos.",
        ErrorCode::SendAgain => "Revise el formulario y pulse Registro de nuevo.",
        ErrorCode::Unauthorized => "Acceda de nuevo, por favor.",
        ErrorCode::Internal => "Algo ha fallado. Inténtelo de nuevo.",
        _ => return None,
    })
}

/// Why a launch was refused, for the codes whose meaning only a launch gives them.
pub fn launch_refusal(code: ErrorCode) -> Option<&'static str> {
    if lang() == Language::En {
        return None;
    }
    match code {
        ErrorCode::Conflict => {
            Some("Ya tiene en marcha el máximo de esta prueba a la vez: detenga una para lanzar otra.")
        }
        ErrorCode::Forbidden => Some("Las pruebas no están disponibles para esta cuenta."),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_word_durations_and_time_left() {
        let minute = 60_000;
        for (words, durations, left) in [
            (
                &EN,
                ["15 minutes", "1 hour", "1 h 30 min", "2 days"],
                ["less than a minute left", "59 min left", "1 h 59 min left"],
            ),
            (
                &ES,
                ["15 minutos", "1 hora", "1 h 30 min", "2 días"],
                ["queda menos de un minuto", "quedan 59 min", "quedan 1 h 59 min"],
            ),
        ] {
            let read: Vec<String> = [15, 60, 90, 2880].into_iter().map(|m| words.duration(m)).collect();
            assert_eq!(read, durations);
            let read: Vec<String> =
                [30_000, 59 * minute, 119 * minute + 59_000].into_iter().map(|l| words.time_left(l, 0)).collect();
            assert_eq!(read, left);
        }
    }

    #[test]
    fn every_instance_state_has_a_word() {
        assert_eq!(EN.state(InstanceState::Running), "Running");
        assert_eq!(ES.state(InstanceState::Expired), "Caducada");
    }
}
