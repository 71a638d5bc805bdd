//! Who may change the worker pool: the admin token, the browser sessions it opens, and the
//! rate limit on wrong tokens.
//!
//! The course manages workers by opening `http://<web>:9999/add/<ip>:<port>` in a browser.
//! A link cannot carry an `Authorization` header, so a person logs in once at `GET /admin`
//! (the form posts the token to `POST /admin/login`) and the gateway answers with a session
//! cookie; from then on the course's links work from that browser, on any host.
//!
//! - The cookie holds 32 random bytes (hex), never the token, and is `HttpOnly` (no script
//!   reads it) and `SameSite=Strict`: a browser sends it only on requests that start on the
//!   gateway's own pages or from the address bar, so another site cannot make a logged-in
//!   admin's browser add or remove workers through a link, an image or a form. It has no
//!   `Secure` flag, since the gateway speaks plain HTTP; behind a TLS proxy the proxy can add
//!   it.
//! - Sessions last [`GatewayConfig::session_lifetime`](super::config::GatewayConfig) and are
//!   kept in memory (a restart logs everyone out); at most [`MAX_SESSIONS`] exist at once,
//!   the oldest going first.
//! - Every wrong token (from the form or a bearer header) is logged with the client's
//!   address, and a client with [`MAX_FAILURES`] wrong tokens within [`FAILURE_WINDOW`] is
//!   refused without its token being checked until the window has passed (`429`), so the
//!   token cannot be guessed at network speed.
//! - Tokens are compared in constant time.
//!
//! Without a token configured, admin calls are accepted from loopback clients only (as
//! before: a person on the gateway's own machine), and the login form says how to enable
//! remote admin.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rand::RngCore as _;

/// The session cookie's name.
pub const COOKIE: &str = "recognition_admin";

/// Wrong tokens a client may send within [`FAILURE_WINDOW`] before it is refused for the
/// rest of the window: enough for a person's typos, a few guesses a minute for a script.
pub const MAX_FAILURES: usize = 5;

/// The window of [`MAX_FAILURES`].
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// Sessions kept at once; a new login beyond it ends the oldest.
pub const MAX_SESSIONS: usize = 1024;

/// Clients whose wrong tokens are remembered at once (a bound on the limiter's memory when
/// many addresses try); beyond it the clients with the oldest failures are forgotten.
const MAX_TRACKED_CLIENTS: usize = 4096;

/// What a request presents to prove it may administer the pool.
#[derive(Debug, Clone, Copy, Default)]
pub struct Credentials<'a> {
    /// The client's address, when known.
    pub peer: Option<SocketAddr>,
    /// The token of an `Authorization: Bearer` header.
    pub bearer: Option<&'a str>,
    /// The value of the session cookie.
    pub session: Option<&'a str>,
}

/// How a request is admitted without a token being checked (see [`Admin::admitted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admitted {
    /// A live session, opened with the token at the login form.
    Session,
    /// A client on the loopback interface, when no token is configured.
    Loopback,
}

/// Why an admin request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// No token is configured and the client is not on loopback: 403.
    #[error(
        "admin calls are accepted from loopback only (start the gateway with --admin-token \
         to manage it from other hosts)"
    )]
    NotLoopback,
    /// A token is configured and the request has neither it nor a session: 403.
    #[error(
        "admin calls need the gateway's admin token: log in at /admin, or send \
         Authorization: Bearer TOKEN"
    )]
    NoCredentials,
    /// The token sent is wrong: 403.
    #[error("wrong admin token")]
    WrongToken,
    /// Too many wrong tokens from this client lately: 429 with `Retry-After`.
    #[error("too many wrong admin tokens from this address; try again in {} s", .0.as_secs().max(1))]
    RateLimited(Duration),
    /// A login was attempted but no token is configured: 403.
    #[error("this gateway has no admin token, so there is nothing to log in with")]
    NoToken,
}

/// The admin token, the open sessions and the wrong-token limiter.
#[derive(Debug)]
pub struct Admin {
    token: Option<String>,
    session_lifetime: Duration,
    sessions: Mutex<HashMap<String, Instant>>,
    failures: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

/// The result of a token check, for the metrics: `ok`, `wrong_token` or `rate_limited`.
pub type CheckResult = &'static str;

impl Admin {
    /// Admin with `token` (none: loopback only) and sessions lasting `session_lifetime`.
    pub fn new(token: Option<String>, session_lifetime: Duration) -> Self {
        Self {
            token,
            session_lifetime,
            sessions: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a token is configured.
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Whether `credentials` may change the pool; a bearer token is checked (and counted
    /// against the client when wrong) only if no valid session comes with it. Returns the
    /// token check's result for the metrics when a token was checked.
    ///
    /// Errors: see [`Denied`].
    pub fn authorize(
        &self,
        credentials: &Credentials<'_>,
    ) -> (Result<(), Denied>, Option<CheckResult>) {
        if self.admitted(credentials).is_some() {
            return (Ok(()), None);
        }
        if self.token.is_none() {
            return (Err(Denied::NotLoopback), None);
        }
        match credentials.bearer {
            Some(token) => {
                let (result, check) = self.check_token(credentials.peer, token);
                (result, Some(check))
            }
            None => (Err(Denied::NoCredentials), None),
        }
    }

    /// How `credentials` are admitted without a token being checked: a live session when a
    /// token is configured, the loopback interface when none is; `None` otherwise (then
    /// only a bearer token can admit them).
    pub fn admitted(&self, credentials: &Credentials<'_>) -> Option<Admitted> {
        if self.token.is_none() {
            let loopback = credentials.peer.is_some_and(|p| p.ip().is_loopback());
            return loopback.then_some(Admitted::Loopback);
        }
        credentials
            .session
            .is_some_and(|id| self.is_session(id))
            .then_some(Admitted::Session)
    }

    /// Checks a token sent to the login form and opens a session: returns its id, the
    /// cookie's value.
    ///
    /// Errors: [`Denied::NoToken`], [`Denied::WrongToken`], [`Denied::RateLimited`]; the
    /// second element is the token check's result for the metrics.
    pub fn login(
        &self,
        peer: Option<SocketAddr>,
        token: &str,
    ) -> (Result<String, Denied>, Option<CheckResult>) {
        if self.token.is_none() {
            return (Err(Denied::NoToken), None);
        }
        let (result, check) = self.check_token(peer, token);
        (result.map(|()| self.open_session()), Some(check))
    }

    /// Ends the session `id` (nothing happens for an unknown one).
    pub fn logout(&self, id: &str) {
        lock(&self.sessions).remove(id);
    }

    /// Whether `id` is a session that has not expired.
    pub fn is_session(&self, id: &str) -> bool {
        let now = Instant::now();
        let mut sessions = lock(&self.sessions);
        match sessions.get(id) {
            Some(&expires) if expires > now => true,
            Some(_) => {
                sessions.remove(id);
                false
            }
            None => false,
        }
    }

    /// The `Set-Cookie` value that stores session `id` in the browser.
    pub fn cookie(&self, id: &str) -> String {
        format!(
            "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
            self.session_lifetime.as_secs()
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn expired_cookie() -> String {
        format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }

    fn open_session(&self) -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let now = Instant::now();
        let mut sessions = lock(&self.sessions);
        sessions.retain(|_, expires| *expires > now);
        if sessions.len() >= MAX_SESSIONS
            && let Some(oldest) = sessions
                .iter()
                .min_by_key(|(_, expires)| **expires)
                .map(|(id, _)| id.clone())
        {
            sessions.remove(&oldest);
        }
        sessions.insert(id.clone(), now + self.session_lifetime);
        id
    }

    /// Compares `given` with the token, unless the client is over its limit of wrong
    /// tokens; logs and counts a wrong one.
    fn check_token(
        &self,
        peer: Option<SocketAddr>,
        given: &str,
    ) -> (Result<(), Denied>, CheckResult) {
        let expected = self.token.as_deref().unwrap_or_default();
        let client = peer.map_or(IpAddr::from([0, 0, 0, 0]), |p| p.ip());
        let now = Instant::now();
        let mut failures = lock(&self.failures);
        let recent = failures.entry(client).or_default();
        while recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= FAILURE_WINDOW)
        {
            recent.pop_front();
        }
        if recent.len() >= MAX_FAILURES {
            let wait = FAILURE_WINDOW.saturating_sub(now.duration_since(recent[0]));
            log::warn!("admin token from {client} refused unchecked: too many wrong tokens");
            return (Err(Denied::RateLimited(wait)), "rate_limited");
        }
        if constant_time_eq(given.trim().as_bytes(), expected.as_bytes()) {
            if recent.is_empty() {
                failures.remove(&client);
            }
            return (Ok(()), "ok");
        }
        recent.push_back(now);
        let count = recent.len();
        log::warn!(
            "wrong admin token from {client} ({count} of {MAX_FAILURES} allowed per {} s)",
            FAILURE_WINDOW.as_secs()
        );
        if failures.len() > MAX_TRACKED_CLIENTS {
            forget_oldest(&mut failures);
        }
        (Err(Denied::WrongToken), "wrong_token")
    }
}

/// Drops the quarter of the tracked clients whose last failure is oldest.
fn forget_oldest(failures: &mut HashMap<IpAddr, VecDeque<Instant>>) {
    let mut by_age: Vec<(Instant, IpAddr)> = failures
        .iter()
        .map(|(ip, times)| (times.back().copied().unwrap_or_else(Instant::now), *ip))
        .collect();
    by_age.sort();
    for (_, ip) in by_age.iter().take(failures.len() / 4 + 1) {
        failures.remove(ip);
    }
}

/// Equality whose time depends on the lengths only, not on where the bytes differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let differences = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    differences == 0 && a.len() == b.len()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain maps: still consistent if a holder panicked.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The session cookie's value in a `Cookie` header (`a=1; recognition_admin=...; b=2`).
pub fn session_from_cookies(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(last: u8) -> Option<SocketAddr> {
        Some(SocketAddr::from(([10, 0, 0, last], 40000)))
    }

    #[test]
    fn without_a_token_only_loopback_may_administer() {
        let admin = Admin::new(None, Duration::from_secs(60));
        let local = Credentials {
            peer: Some(SocketAddr::from(([127, 0, 0, 1], 1))),
            ..Credentials::default()
        };
        assert_eq!(admin.authorize(&local).0, Ok(()));
        let remote = Credentials {
            peer: peer(1),
            bearer: Some("anything"),
            ..Credentials::default()
        };
        assert_eq!(admin.authorize(&remote).0, Err(Denied::NotLoopback));
        assert_eq!(admin.login(peer(1), "x").0, Err(Denied::NoToken));
    }

    #[test]
    fn a_login_opens_a_session_that_logout_closes() {
        let admin = Admin::new(Some("s3cret".into()), Duration::from_secs(60));
        let (id, check) = admin.login(peer(1), "s3cret");
        let id = id.unwrap();
        assert_eq!((id.len(), check), (64, Some("ok")));
        let with_session = Credentials {
            peer: peer(2),
            session: Some(&id),
            ..Credentials::default()
        };
        assert_eq!(admin.authorize(&with_session).0, Ok(()));
        let cookie = admin.cookie(&id);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assert_eq!(
            session_from_cookies(&format!("theme=dark; {COOKIE}={id}; x=y")),
            Some(id.as_str())
        );
        admin.logout(&id);
        assert_eq!(admin.authorize(&with_session).0, Err(Denied::NoCredentials));
        let expired = Admin::new(Some("s3cret".into()), Duration::ZERO);
        let id = expired.login(peer(1), "s3cret").0.unwrap();
        assert!(!expired.is_session(&id));
    }

    #[test]
    fn wrong_tokens_are_rate_limited_per_client() {
        let admin = Admin::new(Some("s3cret".into()), Duration::from_secs(60));
        for _ in 0..MAX_FAILURES {
            assert_eq!(admin.login(peer(1), "guess").0, Err(Denied::WrongToken));
        }
        // Over the limit, even the right token is refused unchecked.
        let (result, check) = admin.login(peer(1), "s3cret");
        assert!(matches!(result, Err(Denied::RateLimited(_))), "{result:?}");
        assert_eq!(check, Some("rate_limited"));
        let bearer = Credentials {
            peer: peer(1),
            bearer: Some("s3cret"),
            ..Credentials::default()
        };
        assert!(matches!(
            admin.authorize(&bearer).0,
            Err(Denied::RateLimited(_))
        ));
        // Another client is not affected.
        assert!(admin.login(peer(2), "s3cret").0.is_ok());
    }

    #[test]
    fn token_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
