//! The course mini project "Image Recognition Application": a web gateway with an upload
//! page that spreads photos over recognition workers on other hosts.
//!
//! ```text
//!  browser ──HTTP──▶ recognition-gateway :9999 ──TCP, checksummed packets──▶ recognition-worker :8888
//!                     (upload page, JSON API,        round-robin, retries,       (SqueezeNet 1.1,
//!                      worker pool, metrics)         ejection, probes)            top 5)
//! ```
//!
//! One module per concern:
//!
//! - [`protocol`]: the packets (`A`, `N`, `D <data> <checksum>`), their checksum, bounded
//!   framing, and both sides of one exchange — shared by the worker and the gateway;
//! - [`worker`]: the recognition worker's server loop ([`worker::run`]);
//! - [`gateway`]: the axum application ([`gateway::router`], [`gateway::serve`]) with its
//!   HTML pages (upload, workers, admin login, in [`gateway::routes::page`]), the HTTP
//!   connection bounds (header timeout, connection limit), the worker pool, the ejection and
//!   re-admission of workers with the active health check and the probe, workers found
//!   through DNS, the admin sessions, and the metrics.
//!
//! How to run the gateway and the workers, on one machine or several, their routes and options,
//! the tests and the figures: `README.md` in this crate's folder.

#![warn(missing_docs)]

pub mod gateway;
pub mod worker;

/// The gateway–worker packets, re-exported from the `recognition-protocol` crate.
pub use recognition_protocol as protocol;
