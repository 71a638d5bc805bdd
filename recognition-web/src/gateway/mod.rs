//! The web gateway (the course's Flask `client.py`): the upload page, the workers page, a
//! JSON API, and the worker pool that every image is sent through.
//!
//! One file per concern, none importing one that imports it back:
//!
//! - [`config`]: [`GatewayConfig`] and the command line ([`GatewayArgs`]), with its clamps;
//! - [`state`]: the shared state, [`Gateway`]: configuration, pool, metrics, admin sessions
//!   and request slots;
//! - [`pool`]: the workers with their states and counters, round-robin choice, where each
//!   came from;
//! - [`exchange`]: one exchange with a worker, the gateway's side;
//! - [`classify`]: the classify path ([`Gateway::classify`]): checks, retries over workers;
//! - [`ejection`]: when a worker leaves the rotation and how it comes back (the probe), for
//!   the classify path and the health checks alike;
//! - [`health`]: the background work on the workers' health: the active health checks of
//!   the workers in rotation, and the timer of the probe of the ejected ones;
//! - [`dns`]: workers found through DNS (`--workers-dns`), refreshed in the background;
//! - [`admin_session`]: the admin token, browser sessions, the rate limit on wrong tokens;
//! - [`metrics`]: the Prometheus metrics (`prometheus-client`);
//! - [`routes`]: the HTTP handlers and [`router`], with the HTML pages they serve
//!   ([`routes::page`]);
//! - [`http`]: the HTTP connections' bounds (header and write timeouts, connection limit);
//! - [`local`]: a gateway in-process on an ephemeral port, for tests and benchmarks.
//!
//! Imports run one way, down through these tiers: [`serve`] here (and [`local`] over it);
//! `routes` (its handlers over its pages); `dns` over `health`; `classify`, `health` and
//! `http`; `ejection`; `state`; `metrics`; `pool`; and at the bottom `config`,
//! `admin_session` and `exchange`. [`serve`] runs it all on a listener, so tests serve a
//! gateway on a port-0 listener in-process.

pub mod admin_session;
pub mod classify;
pub mod config;
pub mod dns;
pub mod ejection;
pub mod exchange;
pub mod health;
pub mod http;
pub mod local;
pub mod metrics;
pub mod pool;
pub mod routes;
pub mod state;

use std::future::Future;
use std::sync::Arc;

pub use classify::{Classified, ClassifyError};
pub use config::{GatewayArgs, GatewayConfig};
pub use routes::router;
pub use state::Gateway;

/// Serves [`router`] on `listener` until `shutdown` completes, with the HTTP bounds of
/// [`http::serve`] and the background work: health checks of the workers in rotation,
/// probes of the ejected ones, and DNS refreshes. The `--workers-dns` names are looked up
/// once before the first connection is accepted. When `shutdown` completes it stops
/// accepting, finishes the requests in progress and returns.
///
/// Errors: none so far (accept failures are logged and retried); the `Result` leaves room
/// for setup that can fail.
pub async fn serve(
    listener: tokio::net::TcpListener,
    gateway: Arc<Gateway>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let mut refresher = dns::Refresher::default();
    refresher.refresh(&gateway).await;
    let _health = health::spawn(&gateway);
    let _dns = dns::spawn(&gateway, refresher);
    http::serve(listener, router(gateway.clone()), gateway, shutdown).await
}
