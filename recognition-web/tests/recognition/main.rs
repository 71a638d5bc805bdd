//! The recognition web service's tests: one binary, one module per concern.
//!
//! Opt-in tests (`cargo test -p recognition-web -- --ignored`) need what their `#[ignore]`
//! says: root for network namespaces, Chromium and chromedriver for the browser.

mod admin;
mod batching;
mod browser;
mod deploy;
mod dns;
mod end_to_end;
mod health_check;
mod http_limits;
mod interop;
mod metrics;
mod netns;
mod protocol;
mod support;
