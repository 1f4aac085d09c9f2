//! The e-mails Portico sends end customers, in one place: the words, and both the plain-text and
//! HTML forms of each.

use maud::{html, DOCTYPE};
use portico_shared::language::Language;

use crate::mail::OutgoingMail;

/// A message with one optional call-to-action link.
struct Draft<'a> {
    to: &'a str,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    link: Option<(&'a str, &'a str)>,
    after: Vec<String>,
    reseller: &'a str,
}

impl Draft<'_> {
    fn render(self) -> OutgoingMail {
        self.render_in(Language::En)
    }

    /// The message, with the words around the draft's own (the link's fallback, the footer) in
    /// `language`: a plain-text part, and an HTML part made by a template that escapes every
    /// value it is given.
    fn render_in(self, language: Language) -> OutgoingMail {
        let footer = if self.reseller == PORTICO {
            PORTICO.to_owned()
        } else {
            language.say(
                format!("{}, powered by Portico", self.reseller),
                format!("{}, con la tecnología de Portico", self.reseller),
            )
        };
        let fallback = language.say(
            "If the button does not work, copy this address into your browser:",
            "Si el botón no funciona, copie esta dirección en su navegador:",
        );
        let mut text = format!("{}\n\n", self.greeting);
        for paragraph in &self.paragraphs {
            text.push_str(&format!("{paragraph}\n\n"));
        }
        if let Some((label, url)) = self.link {
            text.push_str(&format!("{label}:\n{url}\n\n"));
        }
        for paragraph in &self.after {
            text.push_str(&format!("{paragraph}\n\n"));
        }
        text.push_str(&format!("{footer}\n"));
        let html = html! {
            (DOCTYPE)
            html lang=(language.tag()) {
                body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1d2733" {
                    p { (self.greeting) }
                    @for paragraph in &self.paragraphs { p { (paragraph) } }
                    @if let Some((label, url)) = self.link {
                        p {
                            a href=(url) style="display:inline-block;background:#1f5fa8;color:#fff;padding:10px 18px;\
                                border-radius:4px;text-decoration:none" { (label) }
                        }
                        p style="font-size:13px;color:#5b6675" { (fallback) br; (url) }
                    }
                    @for paragraph in &self.after { p { (paragraph) } }
                    p style="font-size:13px;color:#5b6675" { (footer) }
                }
            }
        };
        OutgoingMail { to: self.to.to_owned(), subject: self.subject, text, html: html.into_string() }
    }
}

/// The sender of portal e-mails, which are the platform's own rather than a reseller's.
const PORTICO: &str = "Portico";

/// An invitation to the portal; `team` is the reseller's name, or `None` for the platform's staff.
pub fn portal_invitation(
    to: &str,
    name: &str,
    team: Option<&str>,
    inviter: &str,
    role: &str,
    link: &str,
) -> OutgoingMail {
    let joining = match team {
        Some(reseller) => format!("{reseller}'s team on Portico as {role}"),
        None => format!("the Portico platform staff as {role}"),
    };
    Draft {
        to,
        subject: match team {
            Some(reseller) => format!("You are invited to {reseller} on Portico"),
            None => "You are invited to Portico".into(),
        },
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("{inviter} invited you to join {joining}."),
            "Open the link to choose your password. It works for 7 days and only once.".into(),
        ],
        link: Some(("Accept the invitation", link)),
        after: vec!["If you did not expect this, ignore this message: nothing happens without you.".into()],
        reseller: PORTICO,
    }
    .render()
}

pub fn portal_password_reset(to: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: "Choose a new Portico password".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["Someone asked to reset the password you use to sign in to Portico. The link works for one hour and only once.".into()],
        link: Some(("Choose a new password", link)),
        after: vec!["If it was not you, ignore this message: your password stays as it is.".into()],
        reseller: PORTICO,
    }
    .render()
}

pub fn portal_password_changed(to: &str) -> OutgoingMail {
    Draft {
        to,
        subject: "Your Portico password was changed".into(),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "The password you use to sign in to Portico was just changed, and every session was signed out.".into(),
            "If you did not do this, choose \"Forgot your password?\" on the sign-in page right away.".into(),
        ],
        link: None,
        after: Vec::new(),
        reseller: PORTICO,
    }
    .render()
}

pub fn customer_invitation(to: &str, name: &str, organization: &str, reseller: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("You are invited to {organization}'s account with {reseller}"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("{reseller} added you as a user of {organization}'s account."),
            "Open the link to choose your password. It works for 7 days and only once; then use Login where you found us.".into(),
        ],
        link: Some(("Choose my password", link)),
        after: vec!["If you did not expect this, ignore this message.".into()],
        reseller,
    }
    .render()
}

pub fn verify_email(language: Language, to: &str, name: &str, reseller: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: language.say(
            format!("Confirm your e-mail address for {reseller}"),
            format!("Confirme su dirección de correo para {reseller}"),
        ),
        greeting: language.say(format!("Hello {name},"), format!("Hola, {name}:")),
        paragraphs: vec![language.say(
            format!("Thank you for signing up with {reseller}. Please confirm your e-mail address within 24 hours."),
            format!(
                "Gracias por registrarse con {reseller}. Confirme su dirección de correo en las próximas 24 horas."
            ),
        )],
        link: Some((language.say("Confirm my e-mail address", "Confirmar mi dirección de correo"), link)),
        after: vec![language
            .say(
                "If you did not sign up, ignore this message: nothing will happen.",
                "Si no se ha registrado, ignore este mensaje: no ocurrirá nada.",
            )
            .into()],
        reseller,
    }
    .render_in(language)
}

pub fn already_registered(language: Language, to: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: language.say(format!("You already have an account with {reseller}"),
            format!("Ya tiene una cuenta con {reseller}"),
        ),
        greeting: language.say("Hello,", "Hola:").into(),
        paragraphs: vec![
            language.say(format!("Someone, probably you, just tried to sign up with {reseller} using this e-mail address. You already have an account, so nothing was changed."),
                format!("Alguien, probablemente usted, acaba de intentar registrarse con {reseller} con esta dirección de correo. Ya tiene una cuenta, así que no se ha cambiado nada."),
            ),
            language.say("To get in, use Login where you signed up. If you forgot your password, choose \"Forgot password\" there.",
                "Para entrar, use Acceso donde se registró. Si olvidó su contraseña, elija allí \"¿Olvidó su contraseña?\".",
            )
            .into(),
        ],
        link: None,
        after: vec![language.say("If it was not you, ignore this message: your account is safe.",
            "Si no fue usted, ignore este mensaje: su cuenta está segura.",
        )
        .into()],
        reseller,
    }
    .render_in(language)
}

pub fn signup_received(language: Language, to: &str, name: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: language.say(format!("We received your signup for {reseller}"),
            format!("Hemos recibido su registro en {reseller}"),
        ),
        greeting: language.say(format!("Hello {name},"), format!("Hola, {name}:")),
        paragraphs: vec![language.say(format!("{reseller} has your request and will review it shortly. We will write to you again as soon as your account is approved."),
            format!("{reseller} tiene su solicitud y la revisará en breve. Le escribiremos de nuevo en cuanto aprueben su cuenta."),
        )],
        link: None,
        after: Vec::new(),
        reseller,
    }
    .render_in(language)
}

pub fn account_ready(language: Language, to: &str, name: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: language
            .say(format!("Your {reseller} account is ready"), format!("Su cuenta de {reseller} está lista")),
        greeting: language.say(format!("Hello {name},"), format!("Hola, {name}:")),
        paragraphs: vec![language.say(
            format!("Your account with {reseller} is ready. Use Login where you signed up to get started."),
            format!("Su cuenta con {reseller} está lista. Use Acceso donde se registró para empezar."),
        )],
        link: None,
        after: Vec::new(),
        reseller,
    }
    .render_in(language)
}

pub fn signup_rejected(language: Language, to: &str, name: &str, reseller: &str, reason: &str) -> OutgoingMail {
    Draft {
        to,
        subject: language.say(format!("Your signup with {reseller}"), format!("Su registro en {reseller}")),
        greeting: language.say(format!("Hello {name},"), format!("Hola, {name}:")),
        paragraphs: vec![
            language.say(
                format!("{reseller} has reviewed your signup and cannot open an account for you. They wrote:"),
                format!("{reseller} ha revisado su registro y no puede abrirle una cuenta. Le escriben:"),
            ),
            reason.to_owned(),
        ],
        link: None,
        after: vec![language.say(
            format!("If you have questions, reply to {reseller} directly."),
            format!("Si tiene preguntas, responda directamente a {reseller}."),
        )],
        reseller,
    }
    .render_in(language)
}

pub fn password_reset(language: Language, to: &str, reseller: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: language.say(
            format!("Choose a new password for {reseller}"),
            format!("Elija una contraseña nueva para {reseller}"),
        ),
        greeting: language.say("Hello,", "Hola:").into(),
        paragraphs: vec![language
            .say(
                "Someone asked to reset the password of your account. The link works for one hour.",
                "Alguien ha pedido restablecer la contraseña de su cuenta. El enlace sirve durante una hora.",
            )
            .into()],
        link: Some((language.say("Choose a new password", "Elegir una contraseña nueva"), link)),
        after: vec![language
            .say(
                "If it was not you, ignore this message: your password stays as it is.",
                "Si no fue usted, ignore este mensaje: su contraseña no cambia.",
            )
            .into()],
        reseller,
    }
    .render_in(language)
}

pub fn password_changed(language: Language, to: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: language.say(
            format!("Your {reseller} password was changed"),
            format!("Se ha cambiado su contraseña de {reseller}"),
        ),
        greeting: language.say("Hello,", "Hola:").into(),
        paragraphs: vec![
            language
                .say(
                    "The password of your account was just changed, and every session was signed out.",
                    "Se acaba de cambiar la contraseña de su cuenta y se han cerrado todas las sesiones.",
                )
                .into(),
            language.say(
                format!("If you did not do this, choose \"Forgot password\" on Login right away and tell {reseller}."),
                format!(
                    "Si no fue usted, elija \"¿Olvidó su contraseña?\" en Acceso ahora mismo y avise a {reseller}."
                ),
            ),
        ],
        link: None,
        after: Vec::new(),
        reseller,
    }
    .render_in(language)
}

/// To the customer's primary contact: the platform has invited their AWS account.
pub fn aws_invitation_sent(to: &str, name: &str, account: &str, expires: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Accept the invitation for AWS account {account}"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("{reseller} has invited AWS account {account} to join its organization through AWS Organizations."),
            "Sign in to that account's AWS console as its owner, open AWS Organizations → Invitations, and accept it."
                .into(),
            format!("The invitation expires on {expires}."),
        ],
        link: None,
        after: vec![format!("If you have questions, reply to {reseller} directly.")],
        reseller,
    }
    .render()
}

/// To the customer's primary contact, before the invitation expires unanswered.
pub fn aws_invitation_reminder(to: &str, name: &str, account: &str, expires: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Reminder: the invitation for AWS account {account} expires soon"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("The invitation for AWS account {account} to join {reseller}'s organization is still open."),
            format!("It expires on {expires}. Accept it in the AWS console under AWS Organizations → Invitations."),
        ],
        link: None,
        after: vec![format!("After it expires, {reseller} can send a new one.")],
        reseller,
    }
    .render()
}

/// A portal notification as an e-mail (to a reseller's admins or to Cloud Support): the same
/// subject and paragraphs as the Notifications page shows.
pub fn portal_notice(to: &str, subject: &str, paragraphs: &[String]) -> OutgoingMail {
    Draft {
        to,
        subject: subject.to_owned(),
        greeting: "Hello,".into(),
        paragraphs: paragraphs.to_vec(),
        link: None,
        after: Vec::new(),
        reseller: PORTICO,
    }
    .render()
}

/// To a new account's end user (the customer's primary contact): a one-time link to their admin
/// access, never a password.
pub fn aws_admin_access(to: &str, name: &str, account: &str, reseller: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Your new AWS account {account} is ready"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("{reseller} has created AWS account {account} for you, with you as its administrator."),
            "Open the link to sign in. It works once and for 7 days; nobody will ever send you a password by e-mail."
                .into(),
        ],
        link: Some(("Sign in to my AWS account", link)),
        after: vec![format!("If you did not expect this, tell {reseller}.")],
        reseller,
    }
    .render()
}

/// The one-time link a reseller user asked for with **Request credentials for me**.
pub fn aws_reseller_access(to: &str, name: &str, account: &str, reseller: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Your admin access to AWS account {account}"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("You asked for credentials of your own to AWS account {account}, which the platform created for your customer."),
            "Open the link to sign in. It works once and for 7 days; nobody will ever send you a password by e-mail."
                .into(),
        ],
        link: Some(("Sign in to the AWS account", link)),
        after: vec!["If you did not ask for this, tell Cloud Support.".into()],
        reseller,
    }
    .render()
}

/// To the customer's primary contact when a month closes: the invoice, attached as a PDF.
pub fn invoice(to: &str, reseller: &str, reference: &str, month: &str, total: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("{reseller} invoice {reference} for {month}"),
        greeting: "Hello,".into(),
        paragraphs: vec![
            format!("Your invoice {reference} from {reseller} for {month} is attached as a PDF."),
            format!("Amount due: {total}."),
        ],
        link: None,
        after: vec![format!("Questions about it? Reply to {reseller}, who issued it.")],
        reseller,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_what_people_typed_and_text_keeps_it() {
        let mail = verify_email(Language::En, "a@b.com", "<b>Eve</b>", "Acme & Co", "https://portico.test/v?t=1&x=2");
        assert!(mail.text.starts_with("Hello <b>Eve</b>,"));
        assert!(mail.html.contains("Hello &lt;b&gt;Eve&lt;/b&gt;,"));
        assert!(mail.html.contains("href=\"https://portico.test/v?t=1&amp;x=2\""));
        assert!(mail.text.contains("https://portico.test/v?t=1&x=2"));
        assert_eq!(mail.subject, "Confirm your e-mail address for Acme & Co");
    }

    #[test]
    fn spanish_mail_is_spanish_around_the_draft_too() {
        let mail = password_reset(Language::Es, "a@b.com", "Acme", "https://portico.test/r?t=1");
        assert_eq!(mail.subject, "Elija una contraseña nueva para Acme");
        assert!(mail.html.starts_with("<!DOCTYPE html><html lang=\"es\">"));
        assert!(mail.html.contains("Si el botón no funciona, copie esta dirección en su navegador:"));
        assert!(mail.text.contains("Elegir una contraseña nueva:\nhttps://portico.test/r?t=1"));
        assert!(mail.text.ends_with("Acme, con la tecnología de Portico\n"));
    }
}
