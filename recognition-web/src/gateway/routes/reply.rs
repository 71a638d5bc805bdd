//! Answers the handlers share: JSON errors, admin refusals, redirects, and reading a
//! request's admin credentials.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

use crate::gateway::admin_session::{Credentials, Denied, session_from_cookies};
use crate::gateway::state::Gateway;

/// The client's address as the connection gives it (absent when the router is served
/// without connect info).
pub type Peer = Option<Extension<ConnectInfo<SocketAddr>>>;

/// `{"error": message}` with `status` and `headers`.
pub fn json_error(status: StatusCode, headers: HeaderMap, message: &str) -> Response {
    let body = Json(serde_json::json!({ "error": message }));
    (status, headers, body).into_response()
}

/// The status and headers a refusal is answered with: 429 with `Retry-After` when rate
/// limited, else 403.
pub fn denied_status(denied: &Denied) -> (StatusCode, HeaderMap) {
    let mut headers = HeaderMap::new();
    match denied {
        Denied::RateLimited(wait) => {
            let seconds = wait.as_secs().max(1).to_string();
            if let Ok(value) = HeaderValue::from_str(&seconds) {
                headers.insert(header::RETRY_AFTER, value);
            }
            (StatusCode::TOO_MANY_REQUESTS, headers)
        }
        _ => (StatusCode::FORBIDDEN, headers),
    }
}

/// A JSON call's refusal or bad input: a status and a message, answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    /// The status answered.
    pub status: StatusCode,
    /// What went wrong, for the JSON body.
    pub message: String,
    /// Extra headers answered (a rate-limited refusal's `Retry-After`); boxed, since a
    /// `HeaderMap` in place would make every `Result<_, ApiError>` large.
    headers: Box<HeaderMap>,
}

impl ApiError {
    /// `status` with `message`.
    pub fn new(status: StatusCode, message: String) -> Self {
        Self {
            status,
            message,
            headers: Box::default(),
        }
    }
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        let (status, headers) = denied_status(&denied);
        Self {
            status,
            message: denied.to_string(),
            headers: Box::new(headers),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status, *self.headers, &self.message)
    }
}

/// The admin credentials a request carries: its peer, a bearer token, a session cookie.
pub fn credentials<'a>(headers: &'a HeaderMap, peer: &Peer) -> Credentials<'a> {
    Credentials {
        peer: peer.as_ref().map(|Extension(ConnectInfo(addr))| *addr),
        bearer: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ")),
        session: headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(session_from_cookies),
    }
}

/// Whether the request may change the pool; a checked token is counted in the metrics.
///
/// Errors: the reason it may not.
pub fn authorize(gateway: &Gateway, headers: &HeaderMap, peer: &Peer) -> Result<(), Denied> {
    gateway.authorize(&credentials(headers, peer))
}

/// `303 See Other` to `location`, optionally setting a cookie.
pub fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    (StatusCode::SEE_OTHER, headers).into_response()
}
