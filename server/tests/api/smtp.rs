//! A real SMTP server on loopback that keeps what it receives: each test's mail goes here over
//! the actual protocol, and the test reads it back.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    /// The message as sent, with quoted-printable soft line breaks and escapes decoded.
    pub message: String,
}

#[derive(Clone, Default)]
pub struct SmtpSink {
    /// What it received; `None` for a sink that answers and forgets (the benchmarks').
    received: Option<Arc<Mutex<Vec<Received>>>>,
    pub port: u16,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        SmtpSink::listen(Some(Arc::default())).await
    }

    /// A sink that takes every message over SMTP and keeps none, so memory stays flat however
    /// many arrive. (For the signup benchmark, which includes this file.)
    #[allow(dead_code)]
    pub async fn start_discarding() -> SmtpSink {
        SmtpSink::listen(None).await
    }

    async fn listen(received: Option<Arc<Mutex<Vec<Received>>>>) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = SmtpSink { received, port: listener.local_addr().unwrap().port() };
        let received = sink.received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, received.clone()));
            }
        });
        sink
    }

    /// Every message so far addressed to `to`.
    pub fn to(&self, to: &str) -> Vec<Received> {
        let received = self.received.as_ref().expect("a sink that keeps its messages");
        received.lock().unwrap().iter().filter(|m| m.to.iter().any(|r| r == to)).cloned().collect()
    }

    /// The Message-ID of every message that arrived, in order.
    pub fn message_ids(&self) -> Vec<String> {
        let received = self.received.as_ref().expect("a sink that keeps its messages").lock().unwrap();
        received
            .iter()
            .filter_map(|m| {
                m.message.lines().find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("message-id").then(|| value.trim().to_owned())
                })
            })
            .collect()
    }

    /// How many messages arrived, to anyone.
    pub fn total(&self) -> usize {
        self.received.as_ref().expect("a sink that keeps its messages").lock().unwrap().len()
    }

    /// Waits (up to 10 s) until `count` messages have reached `to`, and returns them.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Received> {
        self.wait_for_timeout(to, count, 10).await
    }

    /// As [`SmtpSink::wait_for`], up to `seconds`.
    pub async fn wait_for_timeout(&self, to: &str, count: usize, seconds: u64) -> Vec<Received> {
        for _ in 0..seconds * 20 {
            let found = self.to(to);
            if found.len() >= count {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {count} message(s) to {to}, got {:?}", self.to(to));
    }
}

async fn serve(socket: tokio::net::TcpStream, received: Option<Arc<Mutex<Vec<Received>>>>) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 portico-test-sink ESMTP\r\n").await;
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let command = line.to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250-portico-test-sink\r\n250 8BITMIME\r\n"
        } else if command.starts_with("RCPT TO:") {
            to.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
            b"250 OK\r\n"
        } else if command.starts_with("DATA") {
            let _ = write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await;
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                data.push('\n');
            }
            let to = std::mem::take(&mut to);
            if let Some(received) = &received {
                received.lock().unwrap().push(Received { to, message: decode_parts(&data) });
            }
            b"250 OK: queued\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 Bye\r\n").await;
            return;
        } else {
            // MAIL FROM, RSET, NOOP and anything else.
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// The message with each quoted-printable MIME part decoded (soft line breaks joined, `=XX`
/// escapes turned back into bytes); other parts are kept as they are.
fn decode_parts(data: &str) -> String {
    let mut out = String::new();
    let (mut in_headers, mut quoted_printable, mut body) = (true, false, String::new());
    let flush = |out: &mut String, body: &mut String, qp: bool| {
        out.push_str(&if qp { decode_quoted_printable(body) } else { body.clone() });
        body.clear();
    };
    for line in data.lines() {
        if line.starts_with("--") {
            flush(&mut out, &mut body, quoted_printable);
            out.push_str(line);
            out.push('\n');
            (in_headers, quoted_printable) = (true, false);
        } else if in_headers {
            in_headers = !line.is_empty();
            quoted_printable |= line.eq_ignore_ascii_case("Content-Transfer-Encoding: quoted-printable");
            out.push_str(line);
            out.push('\n');
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&mut out, &mut body, quoted_printable);
    out
}

fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first `…/widget/v1/verify?token=…` link in a message.
pub fn verification_link(message: &str) -> String {
    let start = message.find("http").expect("a link");
    let link: String = message[start..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<').collect();
    assert!(link.contains("/widget/v1/verify?token="), "{link}");
    link
}

/// The first link in a message whose address contains `path` (`/invitation?token=`), and its token.
pub fn link_to(message: &str, path: &str) -> (String, String) {
    let start = message.find(path).expect("a link to the path");
    let begin = message[..start].rfind("http").expect("an absolute link");
    let link: String = message[begin..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<').collect();
    let token = link.split("token=").nth(1).expect("a token").to_owned();
    (link, token)
}
