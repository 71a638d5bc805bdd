//! The asynchronous square server: one task per client on whatever tokio runtime runs
//! [`run`] (`square-server` uses a single-threaded one).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use common::net::py_addr;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use super::{Line, MAX_LINE, answer, read_line};

/// Bounds that keep one client from hurting the others.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most clients served at once; further ones wait in the listener's backlog.
    pub max_connections: usize,
    /// How long a client may stay silent, or leave an answer unread, before it is dropped.
    pub idle_timeout: Duration,
    /// How long clients connected at shutdown may take to finish before they are cut off.
    pub grace: Duration,
}

impl Default for Limits {
    /// 10 000 clients (each a task of a few KiB and a descriptor), 30 s idle, 5 s grace.
    fn default() -> Self {
        Self {
            max_connections: 10_000,
            idle_timeout: Duration::from_secs(30),
            grace: Duration::from_secs(5),
        }
    }
}

/// Serves clients on `listener` until `shutdown` completes; then stops accepting, lets the
/// connected clients have the answers to lines already sent (for up to `limits.grace`),
/// and returns.
///
/// Errors: only `listener.local_addr()`'s. A failed accept (say, out of descriptors) is
/// logged and retried after a pause; a failed client is logged and affects no other.
pub async fn run(
    listener: TcpListener,
    shutdown: impl Future<Output = ()>,
    limits: Limits,
) -> io::Result<()> {
    log::info!("Listening on {}", listener.local_addr()?);
    let (stopping, stop) = watch::channel(false);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut clients = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    log::warn!("accept failed: {e}; retrying shortly");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let stop = stop.clone();
        clients.spawn(async move {
            let _slot = slot; // freed when this client is done
            if let Err(e) = serve_client(stream, peer, limits.idle_timeout, stop).await {
                log::warn!("Client {} failed: {e}", py_addr(&peer, true));
            }
        });
        // Collect finished clients so the set holds only live ones.
        while clients.try_join_next().is_some() {}
    }
    while clients.try_join_next().is_some() {}
    log::info!("Shutting down: {} clients still connected", clients.len());
    let _ = stopping.send(true);
    let drained = tokio::time::timeout(limits.grace, async {
        while clients.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        log::warn!(
            "{} clients did not finish within {:?}; closing them",
            clients.len(),
            limits.grace
        );
        clients.shutdown().await;
    }
    log::info!("Server stopped");
    Ok(())
}

/// One client: answer each line, in order, until it closes, idles out or the server stops.
async fn serve_client(
    stream: TcpStream,
    peer: SocketAddr,
    idle_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()> {
    let peer_text = py_addr(&peer, true);
    log::debug!("Client connected: {peer_text}");
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut line = Vec::with_capacity(64);
    loop {
        let read = tokio::select! {
            // Stopping: close now, between lines; an answer in progress is never cut.
            _ = stop.wait_for(|stopping| *stopping) => break,
            read = tokio::time::timeout(idle_timeout, read_line(&mut reader, &mut line, MAX_LINE)) => read,
        };
        let mut reply = match read {
            Err(_) => {
                log::info!("Client {peer_text} silent for {idle_timeout:?}; closing");
                break;
            }
            Ok(read) => match read? {
                Line::Eof => break,
                Line::TooLong => format!("error: line longer than {MAX_LINE} bytes"),
                Line::Complete => answer(&line),
            },
        };
        // Answers at debug, or a load of 10 000 numbers spends its time logging; refusals
        // at info, where whoever runs the server sees them.
        let level = if reply.starts_with("error: ") {
            log::Level::Info
        } else {
            log::Level::Debug
        };
        log::log!(
            level,
            "{peer_text}: {:?} -> {reply}",
            String::from_utf8_lossy(&line)
        );
        reply.push('\n');
        tokio::time::timeout(idle_timeout, writer.write_all(reply.as_bytes()))
            .await
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client does not read its answers",
                )
            })??;
    }
    log::debug!("Client disconnected: {peer_text}");
    Ok(())
}

/// Completes on the first Ctrl-C (SIGINT) or SIGTERM, after logging it; a second one while
/// the server shuts down exits the process at once with status 130, as shells expect of an
/// impatient user. Must be called inside a tokio runtime. Errors: the signal handlers could
/// not be installed.
pub fn ctrl_c_or_term() -> io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        log::info!("Shutting down (Ctrl-C again to exit at once)");
        tokio::spawn(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            std::process::exit(130);
        });
    })
}
