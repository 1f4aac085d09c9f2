//! Outgoing e-mail over SMTP. Mail is never sent inside a request: it is queued as a job in the
//! transaction that decided to send it (see `jobs`), and the job sends it after the commit.

use anyhow::Context;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

/// One message, as stored in the jobs table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Clone)]
pub struct Mailer {
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp_url` as lettre reads it: `smtp://host:port` (plain, for a local relay or a test
    /// sink), `smtp://user:pass@host:587?tls=required`, or `smtps://user:pass@host:465`.
    /// Without one, messages are written to the log instead, which is enough for a demo.
    pub fn new(smtp_url: Option<&str>, from: &str) -> anyhow::Result<Mailer> {
        let transport = smtp_url
            .map(|url| AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map(|b| b.build()))
            .transpose()
            .context("reading PORTICO_SMTP_URL")?;
        let from = from.parse().with_context(|| format!("PORTICO_MAIL_FROM is not an address: {from:?}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends `mail` for the job `job_id`.
    pub async fn send(&self, mail: &OutgoingMail, job_id: &str) -> anyhow::Result<()> {
        self.send_with(mail, job_id, None).await
    }

    /// Sends `mail` for the job `job_id`, with one file attached: its name, its media type and its
    /// bytes. The message's Message-ID is the job's, so a message sent again after a crash (a
    /// worker killed between the SMTP server's "250 OK" and marking the job done) is the same
    /// message to mail servers and clients, which show it once.
    pub async fn send_with(
        &self,
        mail: &OutgoingMail,
        job_id: &str,
        attachment: Option<(&str, &str, Vec<u8>)>,
    ) -> anyhow::Result<()> {
        let Some(transport) = &self.transport else {
            // Only the demo runs without an SMTP server. The body is not logged: it may hold a
            // one-time link, and no link goes to a log.
            tracing::info!(to = %mail.to, subject = %mail.subject, "e-mail not sent: no SMTP server configured");
            return Ok(());
        };
        let alternative = MultiPart::alternative()
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(mail.text.clone()))
            .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(mail.html.clone()));
        let body = match attachment {
            None => alternative,
            Some((name, media_type, bytes)) => {
                let media_type = ContentType::parse(media_type).context("attachment media type")?;
                MultiPart::mixed()
                    .multipart(alternative)
                    .singlepart(Attachment::new(name.to_owned()).body(bytes, media_type))
            }
        };
        let message = Message::builder()
            .message_id(Some(format!("<{job_id}@{}>", self.from.email.domain())))
            .from(self.from.clone())
            .to(mail.to.parse().with_context(|| format!("recipient {:?}", mail.to))?)
            .subject(&mail.subject)
            .multipart(body)
            .context("building the message")?;
        transport.send(message).await.context("SMTP delivery")?;
        Ok(())
    }
}
