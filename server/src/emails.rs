//! The e-mails Portico sends end customers, in one place: the words, and both the plain-text and
//! HTML forms of each.

use crate::html::escape_html;
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
        let mut text = format!("{}\n\n", self.greeting);
        let mut html = format!(
            "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1d2733\"><p>{}</p>",
            escape_html(&self.greeting)
        );
        for paragraph in &self.paragraphs {
            text.push_str(&format!("{paragraph}\n\n"));
            html.push_str(&format!("<p>{}</p>", escape_html(paragraph)));
        }
        if let Some((label, url)) = self.link {
            text.push_str(&format!("{label}:\n{url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{url}\" style=\"display:inline-block;background:#1f5fa8;color:#fff;padding:10px 18px;\
                 border-radius:4px;text-decoration:none\">{label}</a></p><p style=\"font-size:13px;color:#5b6675\">\
                 If the button does not work, copy this address into your browser:<br>{url}</p>",
                url = escape_html(url),
                label = escape_html(label)
            ));
        }
        for paragraph in &self.after {
            text.push_str(&format!("{paragraph}\n\n"));
            html.push_str(&format!("<p>{}</p>", escape_html(paragraph)));
        }
        let footer = if self.reseller == PORTICO {
            PORTICO.to_owned()
        } else {
            format!("{}, powered by Portico", self.reseller)
        };
        text.push_str(&format!("{footer}\n"));
        html.push_str(&format!("<p style=\"font-size:13px;color:#5b6675\">{}</p></body></html>", escape_html(&footer)));
        OutgoingMail { to: self.to.to_owned(), subject: self.subject, text, html }
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

pub fn verify_email(to: &str, name: &str, reseller: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Confirm your e-mail address for {reseller}"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![format!(
            "Thank you for signing up with {reseller}. Please confirm your e-mail address within 24 hours."
        )],
        link: Some(("Confirm my e-mail address", link)),
        after: vec!["If you did not sign up, ignore this message: nothing will happen.".into()],
        reseller,
    }
    .render()
}

pub fn already_registered(to: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("You already have an account with {reseller}"),
        greeting: "Hello,".into(),
        paragraphs: vec![
            format!("Someone, probably you, just tried to sign up with {reseller} using this e-mail address. You already have an account, so nothing was changed."),
            "To get in, use Login where you signed up. If you forgot your password, choose \"Forgot password\" there.".into(),
        ],
        link: None,
        after: vec!["If it was not you, ignore this message: your account is safe.".into()],
        reseller,
    }
    .render()
}

pub fn signup_received(to: &str, name: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("We received your signup for {reseller}"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![format!("{reseller} has your request and will review it shortly. We will write to you again as soon as your account is approved.")],
        link: None,
        after: Vec::new(),
        reseller,
    }
    .render()
}

pub fn account_ready(to: &str, name: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Your {reseller} account is ready"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![format!(
            "Your account with {reseller} is ready. Use Login where you signed up to get started."
        )],
        link: None,
        after: Vec::new(),
        reseller,
    }
    .render()
}

pub fn signup_rejected(to: &str, name: &str, reseller: &str, reason: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Your signup with {reseller}"),
        greeting: format!("Hello {name},"),
        paragraphs: vec![
            format!("{reseller} has reviewed your signup and cannot open an account for you. They wrote:"),
            reason.to_owned(),
        ],
        link: None,
        after: vec![format!("If you have questions, reply to {reseller} directly.")],
        reseller,
    }
    .render()
}

pub fn password_reset(to: &str, reseller: &str, link: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Choose a new password for {reseller}"),
        greeting: "Hello,".into(),
        paragraphs: vec!["Someone asked to reset the password of your account. The link works for one hour.".into()],
        link: Some(("Choose a new password", link)),
        after: vec!["If it was not you, ignore this message: your password stays as it is.".into()],
        reseller,
    }
    .render()
}

pub fn password_changed(to: &str, reseller: &str) -> OutgoingMail {
    Draft {
        to,
        subject: format!("Your {reseller} password was changed"),
        greeting: "Hello,".into(),
        paragraphs: vec![
            "The password of your account was just changed, and every session was signed out.".into(),
            format!("If you did not do this, choose \"Forgot password\" on Login right away and tell {reseller}."),
        ],
        link: None,
        after: Vec::new(),
        reseller,
    }
    .render()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_what_people_typed_and_text_keeps_it() {
        let mail = verify_email("a@b.com", "<b>Eve</b>", "Acme & Co", "https://portico.test/v?t=1&x=2");
        assert!(mail.text.starts_with("Hello <b>Eve</b>,"));
        assert!(mail.html.contains("Hello &lt;b&gt;Eve&lt;/b&gt;,"));
        assert!(mail.html.contains("href=\"https://portico.test/v?t=1&amp;x=2\""));
        assert!(mail.text.contains("https://portico.test/v?t=1&x=2"));
        assert_eq!(mail.subject, "Confirm your e-mail address for Acme & Co");
    }
}
