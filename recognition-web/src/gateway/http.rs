//! The gateway's HTTP connections: accepting them under a limit, bounding how long a client
//! may take to send a request's headers, and closing them gracefully at shutdown.
//!
//! `axum::serve` accepts without limit and gives hyper no timer, so an idle or slow client
//! (slowloris: a header line every few seconds, or nothing at all) could hold a connection
//! and its descriptor forever. Here each connection is served by hyper's HTTP/1.1 builder
//! directly, with
//!
//! - a **header-read timeout** ([`GatewayConfig::header_timeout`]): hyper closes a connection
//!   whose request line and headers are not complete in time. The same timer runs while a
//!   keep-alive connection waits for its next request, so it is also the **idle keep-alive
//!   timeout**. Once the headers are in, the body and the answer are bounded by the router's
//!   timeout layer instead;
//! - a **connection limit** ([`GatewayConfig::max_connections`]): a slot is taken *before*
//!   `accept()`, so clients beyond the limit wait in the kernel's listen backlog (served in
//!   turn as slots free, nothing refused) rather than holding descriptors in the process;
//! - **graceful shutdown** (hyper-util's `GracefulShutdown`): no new connection is accepted,
//!   idle ones are closed, and requests in progress finish.
//!
//! [`GatewayConfig::header_timeout`]: super::GatewayConfig::header_timeout
//! [`GatewayConfig::max_connections`]: super::GatewayConfig::max_connections

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service as _;

use super::Gateway;

/// Least time between two "connection limit reached" warnings: under a flood the limit is
/// hit on every accept, and one line a minute says as much as thousands.
const LIMIT_WARNING_EVERY: Duration = Duration::from_secs(60);

/// Pause after an `accept()` failure that is not about one client (e.g. out of descriptors),
/// so the loop does not spin while connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` under `gateway`'s connection bounds until `shutdown`
/// completes; then stops accepting, lets the requests in progress finish, and returns.
///
/// Each request carries `ConnectInfo<SocketAddr>` (the client's address), as
/// `into_make_service_with_connect_info` would give it.
///
/// Errors: none so far; `accept()` failures are logged and retried (see the module docs).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    gateway: Arc<Gateway>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let config = gateway.config();
    let max_connections = config.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max_connections));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout);
    let mut make_service = app.into_make_service_with_connect_info::<SocketAddr>();
    let graceful = GracefulShutdown::new();
    let mut last_limit_warning: Option<Instant> = None;
    tokio::pin!(shutdown);

    loop {
        if slots.available_permits() == 0
            && last_limit_warning.is_none_or(|at| at.elapsed() >= LIMIT_WARNING_EVERY)
        {
            log::warn!(
                "{max_connections} HTTP connections open (the limit): new clients wait in the \
                 listen backlog until one closes"
            );
            last_limit_warning = Some(Instant::now());
        }
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => {
                permit.expect("the semaphore is never closed")
            }
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) if common::server::is_per_connection(&e) => continue,
                Err(e) => {
                    log::warn!("accept failed: {e}; retrying shortly");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let metrics_gateway = gateway.clone();
        metrics_gateway.metrics().connection_opened();
        let service = match make_service.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = permit; // the slot frees when the connection ends, however it ends
            let result: Result<(), hyper::Error> = connection.await;
            let metrics = metrics_gateway.metrics();
            match result {
                Ok(()) => {}
                Err(e) if e.is_timeout() => {
                    metrics.header_timeout();
                    log::debug!("{peer}: closed, no complete request headers in time");
                }
                Err(e) => log::debug!("{peer}: connection ended: {e}"),
            }
            metrics.connection_closed();
        });
    }

    // Clients still in the backlog are refused from here on rather than left waiting.
    drop(listener);
    let open = graceful.count();
    if open > 0 {
        log::info!("waiting for {open} HTTP connections to finish their requests");
    }
    graceful.shutdown().await;
    Ok(())
}
