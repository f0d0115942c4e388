//! Request hygiene shared by every route: refusing cross-site writes, and safe response headers.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The scheme pages are served with, as browsers see it: that of `PORTICO_PUBLIC_URL` (`https`
/// behind a TLS proxy), else `http`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scheme(pub &'static str);

impl Scheme {
    pub fn of_public_url(public_url: &str) -> Scheme {
        if public_url.trim().to_ascii_lowercase().starts_with("https://") {
            Scheme("https")
        } else {
            Scheme("http")
        }
    }
}

/// Server functions are POSTs authenticated by a SameSite=Lax cookie, which browsers already withhold
/// from cross-site POSTs. This adds a second, explicit check: a state-changing request whose `Origin`
/// (or `Sec-Fetch-Site`) says it came from another origin is refused.
pub async fn refuse_cross_site(State(scheme): State<Scheme>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && is_cross_site(req.headers(), scheme) {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    next.run(req).await
}

/// An origin is scheme, host and port: `https://portal:3000` is another origin than
/// `http://portal:3000`, so the scheme is compared as well as the host.
fn is_cross_site(headers: &HeaderMap, scheme: Scheme) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false; // not a browser, or a same-origin GET-style navigation: SameSite still applies
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    match origin.split_once("://") {
        Some((origin_scheme, origin_host)) => !origin_scheme.eq_ignore_ascii_case(scheme.0) || !origin_host.eq_ignore_ascii_case(host),
        None => true, // "null" and anything else that names no origin
    }
}

/// The largest body a server function accepts. The largest real form (a device template: a 256 KiB
/// configuration and its parameters) is well inside it; uploads have routes and limits of their own.
pub const API_BODY_LIMIT: usize = 1024 * 1024;

fn bad_request(status: StatusCode, reason: &str) -> Response {
    (status, reason.to_string()).into_response()
}

/// No text a person types contains a NUL character, and PostgreSQL refuses to store one (a 500 deep
/// in a query). So a request carrying one — `%00` in its query string or form body, `\u0000` in JSON,
/// a raw zero byte — is refused at the door with a 400 that says why, before any page or server
/// function sees it. Server-function bodies are read here with a size limit (413 beyond it).
pub async fn refuse_unreadable(req: Request, next: Next) -> Response {
    const NUL_REFUSED: &str = "The request contains a NUL character (%00), which no field accepts.";
    if req.uri().query().is_some_and(has_encoded_nul) {
        return bad_request(StatusCode::BAD_REQUEST, NUL_REFUSED);
    }
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > API_BODY_LIMIT as u64) {
        return bad_request(StatusCode::PAYLOAD_TOO_LARGE, "The request body is larger than the 1 MiB a form may send.");
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, API_BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return bad_request(StatusCode::PAYLOAD_TOO_LARGE, "The request body is larger than the 1 MiB a form may send, or was cut off."),
    };
    if bytes.contains(&0) || has_encoded_nul_bytes(&bytes) {
        return bad_request(StatusCode::BAD_REQUEST, NUL_REFUSED);
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

fn has_encoded_nul(text: &str) -> bool {
    has_encoded_nul_bytes(text.as_bytes())
}

/// `%00` (form and query encoding) or `\u0000` (JSON) anywhere.
fn has_encoded_nul_bytes(b: &[u8]) -> bool {
    b.windows(3).any(|w| w == b"%00") || b.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const HTTP: Scheme = Scheme("http");

    #[test]
    fn encoded_nul_is_found_in_every_encoding() {
        assert!(has_encoded_nul("q=a%00b"));
        assert!(has_encoded_nul_bytes(br#"{"name":"a\u0000"}"#));
        assert!(has_encoded_nul_bytes(br#"{"name":"a\U0000"}"#));
        assert!(!has_encoded_nul("q=100%25&page=2"), "an encoded percent sign followed by zeros is text");
        assert!(!has_encoded_nul("q=%2500"));
    }

    #[test]
    fn same_origin_passes_and_foreign_origin_is_refused() {
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]), HTTP));
        assert!(is_cross_site(&headers(&[("host", "127.0.0.1:3000"), ("origin", "https://evil.example")]), HTTP));
        assert!(is_cross_site(&headers(&[("host", "127.0.0.1:3000"), ("origin", "null")]), HTTP));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")]), HTTP));
        assert!(!is_cross_site(&headers(&[("host", "127.0.0.1:3000")]), HTTP), "no Origin: not a browser form");
    }

    #[test]
    fn the_same_host_under_another_scheme_is_another_origin() {
        let h = headers(&[("host", "127.0.0.1:3000"), ("origin", "https://127.0.0.1:3000")]);
        assert!(is_cross_site(&h, HTTP));
        assert!(!is_cross_site(&h, Scheme("https")));
        assert!(is_cross_site(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")]), Scheme("https")));
        assert_eq!(Scheme::of_public_url("HTTPS://portal.example"), Scheme("https"));
        assert_eq!(Scheme::of_public_url("http://127.0.0.1:3000"), HTTP);
    }
}
