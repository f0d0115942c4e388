//! Delivering the outbox over SMTP with `lettre`, a maintained client: a plain local relay
//! (`smtp://host:25`), STARTTLS (`smtp://user:password@host:587?tls=required`, or `?tls=opportunistic`)
//! or implicit TLS (`smtps://user:password@host:465`), with AUTH when the URL carries credentials.
//! Messages wait in `outbox` as `pending`; a background task sends them and marks each `sent` or
//! `failed` with the server's answer.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("PORTICO_SMTP_URL must look like smtp://host:port, smtp://user:password@host:587?tls=required or smtps://user:password@host:465 ({0})")]
    Url(String),
    #[error("{0} is not an e-mail address")]
    Address(String),
    #[error("the message cannot be built: {0}")]
    Message(String),
    #[error("SMTP: {0}")]
    Smtp(String),
}

/// The transport a URL describes; errors name what is wrong without echoing a password.
pub fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let parsed = url::Url::parse(url).map_err(|e| MailError::Url(e.to_string()))?;
    if !matches!(parsed.scheme(), "smtp" | "smtps") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(MailError::Url(format!("scheme {} or host missing", parsed.scheme())));
    }
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| MailError::Url(e.to_string()))?;
    Ok(transport.timeout(Some(Duration::from_secs(30))).build())
}

/// One plain-text message; header values are encoded by lettre, so a line break in a subject
/// cannot start a header of its own.
pub fn message(from: &str, to: &str, subject: &str, body: &str) -> Result<Message, MailError> {
    let from_box = format!("Portico <{from}>").parse().map_err(|_| MailError::Address(from.to_string()))?;
    let to_box = to.parse().map_err(|_| MailError::Address(to.to_string()))?;
    Message::builder()
        .from(from_box)
        .to(to_box)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_string())
        .map_err(|e| MailError::Message(e.to_string()))
}

pub async fn send(transport: &AsyncSmtpTransport<Tokio1Executor>, from: &str, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
    let m = message(from, to, subject, body)?;
    transport.send(m).await.map(|_| ()).map_err(|e| MailError::Smtp(e.to_string()))
}

/// Sends pending messages every few seconds, for as long as the server runs.
pub fn spawn_sender(db: domain::DatabaseConnection, url: String, from: String) {
    tokio::spawn(async move {
        let smtp = match transport(&url) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!("{e}; e-mail stays in the outbox");
                return;
            }
        };
        let mut every = tokio::time::interval(Duration::from_secs(3));
        loop {
            every.tick().await;
            let Ok(pending) = domain::outbox::pending(&db, 20).await else { continue };
            for m in pending {
                let (delivery, error) = match send(&smtp, &from, &m.to_address, &m.subject, &m.body).await {
                    Ok(()) => ("sent", String::new()),
                    Err(e) => {
                        tracing::warn!(id = m.id, error = %e, "e-mail not delivered");
                        ("failed", e.to_string())
                    }
                };
                if let Err(e) = domain::outbox::mark(&db, m.id, delivery, &error).await {
                    tracing::warn!(error = ?e, "recording e-mail delivery failed");
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn urls_are_checked() {
        assert!(transport("smtp://mail.example.net").is_ok());
        assert!(transport("smtp://127.0.0.1:2525").is_ok());
        assert!(transport("smtp://user:secret@mail.example.net:587?tls=required").is_ok());
        assert!(transport("smtps://user:secret@mail.example.net").is_ok());
        assert!(transport("http://x").is_err());
        let err = transport("ftp://user:hunter2@x").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(!err.contains("hunter2"), "{err}");
    }

    /// A one-message SMTP server on loopback that records the conversation.
    async fn fake_server(auth: bool) -> (String, tokio::task::JoinHandle<String>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.expect("accept");
            let mut seen = String::new();
            s.write_all(b"220 test ESMTP\r\n").await.expect("greet");
            let mut buf = [0u8; 8192];
            let mut in_data = false;
            loop {
                let n = s.read(&mut buf).await.expect("read");
                if n == 0 {
                    break;
                }
                let chunk = String::from_utf8_lossy(&buf[..n]).to_string();
                seen.push_str(&chunk);
                let answer: &[u8] = if in_data {
                    if !seen.ends_with("\r\n.\r\n") {
                        continue;
                    }
                    in_data = false;
                    b"250 queued\r\n"
                } else if chunk.starts_with("EHLO") {
                    if auth { b"250-test\r\n250-AUTH PLAIN LOGIN\r\n250 OK\r\n" } else { b"250-test\r\n250 OK\r\n" }
                } else if chunk.starts_with("AUTH") {
                    b"235 welcome\r\n"
                } else if chunk.starts_with("DATA") {
                    in_data = true;
                    b"354 go on\r\n"
                } else if chunk.starts_with("QUIT") {
                    b"221 bye\r\n"
                } else {
                    b"250 OK\r\n"
                };
                s.write_all(answer).await.expect("answer");
                if chunk.starts_with("QUIT") {
                    break;
                }
            }
            seen
        });
        (addr, server)
    }

    #[tokio::test]
    async fn a_message_reaches_an_smtp_relay_dot_stuffed_and_without_injected_headers() {
        let (addr, server) = fake_server(false).await;
        let smtp = transport(&format!("smtp://{addr}")).expect("transport");
        send(&smtp, "portico@localhost", "ops@acme.example", "Hi\r\nBcc: evil@example.net", "line one\n.hidden\nend").await.expect("sent");
        drop(smtp);
        let seen = tokio::time::timeout(Duration::from_secs(10), server).await.expect("in time").expect("server");
        assert!(seen.contains("RCPT TO:<ops@acme.example>"), "{seen}");
        assert!(!seen.contains("\r\nBcc: evil"), "no header injection: {seen}");
        assert!(!seen.contains("RCPT TO:<evil@example.net>"), "{seen}");
        assert!(seen.contains("\r\n..hidden\r\n"), "dot-stuffed: {seen}");
    }

    #[tokio::test]
    async fn credentials_in_the_url_authenticate() {
        let (addr, server) = fake_server(true).await;
        let smtp = transport(&format!("smtp://portico:s3cret@{addr}")).expect("transport");
        let sent = send(&smtp, "portico@localhost", "ops@acme.example", "Hello", "body").await;
        drop(smtp);
        let seen = tokio::time::timeout(Duration::from_secs(10), server).await.expect("in time").expect("server");
        sent.expect("sent");
        let auth = seen.find("AUTH PLAIN").expect("authenticated");
        let mail = seen.find("MAIL FROM").expect("then sent");
        assert!(auth < mail, "{seen}");
    }
}
