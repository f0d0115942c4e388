//! Delivering the outbox over SMTP: a small client for a plain relay (`smtp://host:port`, no TLS, no
//! authentication — the usual local MTA or smart host). Messages wait in `outbox` as `pending`; a
//! background task sends them and marks each `sent` or `failed` with the server's answer.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("PORTICO_SMTP_URL must look like smtp://host:port, not {0}")]
    Url(String),
    #[error("SMTP connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("SMTP server answered {0}")]
    Refused(String),
    #[error("SMTP server did not answer in time")]
    Timeout,
}

/// `smtp://host[:port]` → `host:port` (port 25 by default).
pub fn parse_url(url: &str) -> Result<String, MailError> {
    let rest = url.strip_prefix("smtp://").ok_or_else(|| MailError::Url(url.to_string()))?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains('/') || rest.contains('@') {
        return Err(MailError::Url(url.to_string()));
    }
    Ok(if rest.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) { rest.to_string() } else { format!("{rest}:25") })
}

/// Reads one (possibly multi-line) reply and checks its code starts with `expect`.
async fn reply(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, expect: char) -> Result<(), MailError> {
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(Duration::from_secs(30), reader.read_line(&mut line)).await.map_err(|_| MailError::Timeout)??;
        if n == 0 {
            return Err(MailError::Refused("nothing (connection closed)".into()));
        }
        // "250-…" continues, "250 …" ends the reply.
        if line.len() < 4 || line.as_bytes()[3] != b'-' {
            return if line.starts_with(expect) { Ok(()) } else { Err(MailError::Refused(line.trim_end().to_string())) };
        }
    }
}

/// Header values come from user input (display names): no line breaks may reach the wire.
fn header_safe(s: &str) -> String {
    s.chars().filter(|c| *c != '\r' && *c != '\n').collect()
}

pub async fn send(addr: &str, from: &str, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
    let stream = tokio::time::timeout(Duration::from_secs(10), TcpStream::connect(addr)).await.map_err(|_| MailError::Timeout)??;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    reply(&mut reader, '2').await?;
    let (from, to) = (header_safe(from), header_safe(to));
    for (command, expect) in [
        ("EHLO portico".to_string(), '2'),
        (format!("MAIL FROM:<{from}>"), '2'),
        (format!("RCPT TO:<{to}>"), '2'),
        ("DATA".to_string(), '3'),
    ] {
        write.write_all(format!("{command}\r\n").as_bytes()).await?;
        reply(&mut reader, expect).await?;
    }
    let mut data = format!(
        "From: Portico <{from}>\r\nTo: <{to}>\r\nSubject: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
        header_safe(subject)
    );
    for line in body.lines() {
        // Dot-stuffing (RFC 5321 4.5.2): a line starting with '.' gets another.
        if line.starts_with('.') {
            data.push('.');
        }
        data.push_str(line);
        data.push_str("\r\n");
    }
    data.push_str(".\r\n");
    write.write_all(data.as_bytes()).await?;
    reply(&mut reader, '2').await?;
    write.write_all(b"QUIT\r\n").await?;
    Ok(())
}

/// Sends pending messages every few seconds, for as long as the server runs.
pub fn spawn_sender(db: domain::DatabaseConnection, url: String, from: String) {
    tokio::spawn(async move {
        let addr = match parse_url(&url) {
            Ok(a) => a,
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
                let (delivery, error) = match send(&addr, &from, &m.to_address, &m.subject, &m.body).await {
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
    use tokio::io::AsyncReadExt;

    #[test]
    fn urls_name_host_and_port() {
        assert_eq!(parse_url("smtp://mail.example.net").ok().as_deref(), Some("mail.example.net:25"));
        assert_eq!(parse_url("smtp://127.0.0.1:2525/").ok().as_deref(), Some("127.0.0.1:2525"));
        assert!(parse_url("http://x").is_err());
        assert!(parse_url("smtp://user@x").is_err());
    }

    /// A one-message SMTP server on loopback that records what it was sent.
    #[tokio::test]
    async fn a_message_reaches_an_smtp_server_dot_stuffed() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.expect("accept");
            let mut seen = String::new();
            s.write_all(b"220 test ESMTP\r\n").await.expect("greet");
            let mut buf = [0u8; 4096];
            loop {
                let n = s.read(&mut buf).await.expect("read");
                if n == 0 {
                    break;
                }
                let chunk = String::from_utf8_lossy(&buf[..n]).to_string();
                seen.push_str(&chunk);
                let answer: &[u8] = if chunk.starts_with("EHLO") {
                    b"250-test\r\n250 OK\r\n"
                } else if chunk.starts_with("DATA") {
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
        send(&addr, "portico@localhost", "ops@acme.example", "Hi\r\nBcc: evil", "line one\n.hidden\nend").await.expect("sent");
        let seen = server.await.expect("server");
        assert!(seen.contains("RCPT TO:<ops@acme.example>"), "{seen}");
        assert!(seen.contains("Subject: HiBcc: evil\r\n"), "no header injection: {seen}");
        assert!(seen.contains("\r\n..hidden\r\n"), "dot-stuffed: {seen}");
        assert!(seen.contains("\r\n.\r\n"), "terminated: {seen}");
    }
}
