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
//!   timeout**. Once the headers are in, receiving the body and classifying are bounded by
//!   the router's timeout layer;
//! - a **write timeout** ([`GatewayConfig::write_timeout`], tokio-io-timeout): a client that
//!   stops reading its answer (its window stays shut) is disconnected once a write has made
//!   no progress for that long, instead of holding the connection forever;
//! - a **connection limit** ([`GatewayConfig::max_connections`]): a slot is taken *before*
//!   `accept()`, so clients beyond the limit wait in the kernel's listen backlog (served in
//!   turn as slots free, nothing refused) rather than holding descriptors in the process;
//! - a **lingering close** ([`LingeringClose`]): a connection is closed by first sending
//!   our FIN, then reading and discarding what the client still sends for up to
//!   [`LINGER_TIME`], so a client uploading a file we already refused (413) reads our
//!   answer instead of a connection reset;
//! - **graceful shutdown** (hyper-util's `GracefulShutdown`): no new connection is accepted,
//!   idle ones are closed, and requests in progress finish.
//!
//! Connections closed by a timeout are counted in `/metrics` and logged at debug level only:
//! under a flood of them, a line each would flood the log as well.
//!
//! [`GatewayConfig::header_timeout`]: super::config::GatewayConfig::header_timeout
//! [`GatewayConfig::max_connections`]: super::config::GatewayConfig::max_connections
//! [`GatewayConfig::write_timeout`]: super::config::GatewayConfig::write_timeout

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Sleep;
use tokio_io_timeout::TimeoutStream;
use tower::Service as _;

use super::state::Gateway;

/// Least time between two "connection limit reached" warnings: under a flood the limit is
/// hit on every accept, and one line a minute says as much as thousands.
const LIMIT_WARNING_EVERY: Duration = Duration::from_secs(60);

/// Pause after an `accept()` failure that is not about one client (e.g. out of descriptors),
/// so the loop does not spin while connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Longest a closing connection goes on reading what the client still sends (nginx's
/// `lingering_time`, shorter): enough for an upload on loopback or a LAN to arrive whole,
/// short enough that a client that never stops costs little.
pub const LINGER_TIME: Duration = Duration::from_secs(5);

/// A closing connection from which nothing arrives for this long is closed at once
/// (nginx's `lingering_timeout`): an idle keep-alive client, closed at shutdown, is not
/// sending anything and must not hold the gateway for the whole [`LINGER_TIME`].
pub const LINGER_QUIET: Duration = Duration::from_millis(500);

/// Serves `app` on `listener` under `gateway`'s connection bounds until `shutdown`
/// completes; then stops accepting, lets the requests in progress finish, and returns.
///
/// Each request carries `ConnectInfo<SocketAddr>` (the client's address), as
/// `into_make_service_with_connect_info` would give it.
///
/// Errors: none so far. A failing `accept()` is retried: at once when it concerns one
/// client that gave up, after [`ACCEPT_BACKOFF`] otherwise (e.g. out of descriptors).
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
        let gateway = gateway.clone();
        gateway.metrics().connection_opened();
        let service = match make_service.call(peer).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        // An answer is written whole; Nagle's algorithm would only hold its tail back until
        // the client's delayed ACK.
        if let Err(e) = stream.set_nodelay(true) {
            log::debug!("{peer}: cannot set TCP_NODELAY: {e}");
        }
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(gateway.config().write_timeout));
        let connection = builder.serve_connection(
            TokioIo::new(LingeringClose::new(stream)),
            TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _slot = permit; // the slot frees when the connection ends, however it ends
            let result: Result<(), hyper::Error> = connection.await;
            let metrics = gateway.metrics();
            match result {
                Ok(()) => {}
                Err(e) if e.is_timeout() => {
                    metrics.header_timeout();
                    log::debug!("{peer}: closed, no complete request headers in time");
                }
                Err(e) if is_write_timeout(&e) => {
                    metrics.write_timeout();
                    log::debug!("{peer}: closed, the client stopped reading its answer");
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

/// Whether hyper gave up on a connection because a write to it timed out (the
/// [`TimeoutStream`] error, somewhere in the error's chain of sources).
fn is_write_timeout(error: &hyper::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::TimedOut)
        {
            return true;
        }
        source = e.source();
    }
    false
}

/// A connection's stream whose shutdown is a lingering close (RFC 9112, section 9.6): send
/// our FIN, then read and discard until the client closes too, [`LINGER_TIME`] passes,
/// nothing arrives for [`LINGER_QUIET`], or reading fails.
///
/// Why: hyper may answer before it has read the request body, as with an upload refused
/// from its `Content-Length` (413). Closing a socket with unread bytes in its receive
/// buffer makes the kernel send a reset, and a client still sending (ureq, browsers) then
/// gets "connection reset" or "broken pipe" instead of the answer already on its way.
pub struct LingeringClose<S> {
    inner: Pin<Box<S>>,
    /// Set once shutdown has begun.
    linger: Option<Linger>,
}

struct Linger {
    deadline: Pin<Box<Sleep>>,
    /// Pushed back by [`LINGER_QUIET`] each time bytes arrive.
    quiet: Pin<Box<Sleep>>,
    fin_sent: bool,
}

impl<S> LingeringClose<S> {
    /// Wraps `inner`; reads and writes pass straight through.
    pub fn new(inner: S) -> Self {
        Self {
            inner: Box::pin(inner),
            linger: None,
        }
    }
}

impl<S: AsyncRead> AsyncRead for LingeringClose<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_mut().inner.as_mut().poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite> AsyncWrite for LingeringClose<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.as_mut().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().inner.as_mut().poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner.as_mut().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let linger = this.linger.get_or_insert_with(|| Linger {
            deadline: Box::pin(tokio::time::sleep(LINGER_TIME)),
            quiet: Box::pin(tokio::time::sleep(LINGER_QUIET)),
            fin_sent: false,
        });
        if !linger.fin_sent {
            ready!(this.inner.as_mut().poll_shutdown(cx))?;
            linger.fin_sent = true;
        }
        let mut scratch = [0u8; 16 * 1024];
        loop {
            if linger.deadline.as_mut().poll(cx).is_ready()
                || linger.quiet.as_mut().poll(cx).is_ready()
            {
                return Poll::Ready(Ok(()));
            }
            let mut discard = ReadBuf::new(&mut scratch);
            match ready!(this.inner.as_mut().poll_read(cx, &mut discard)) {
                // End of stream: the client has closed its side too.
                Ok(()) if discard.filled().is_empty() => return Poll::Ready(Ok(())),
                Ok(()) => {
                    let later = tokio::time::Instant::now() + LINGER_QUIET;
                    linger.quiet.as_mut().reset(later);
                }
                // A reset or a timeout: nothing more will come.
                Err(_) => return Poll::Ready(Ok(())),
            }
        }
    }
}
