//! The thread-per-connection server loop shared by the frames and numbers labs.
//!
//! The lab's lesson is the model itself: the main thread only accepts, and each accepted
//! connection gets a fresh thread that serves it and ends. Two bounds make it safe to run
//! in public, which the handouts leave out:
//!
//! - **A cap on live handler threads.** At the cap the loop stops calling `accept()`, so
//!   further clients wait in the kernel's backlog instead of the process spawning threads
//!   until it runs out of memory.
//! - **Socket timeouts.** A client that connects and never reads fills its socket buffer;
//!   the handler's `write` then fails after `write_timeout` instead of holding its thread
//!   (and a slot under the cap) forever.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::shutdown::{Shutdown, Wait};

/// Bounds of a [`serve`] loop.
#[derive(Debug, Clone, Copy)]
pub struct ServerConfig {
    /// Most connections served at once, i.e. live handler threads (at least 1).
    pub max_connections: usize,
    /// Bound on one blocked `write` to a client (e.g. one that never reads).
    pub write_timeout: Duration,
    /// Bound on one blocked `read` from a client.
    pub read_timeout: Duration,
    /// How long each handler thread waits before it serves its client: zero by default.
    /// A stand-in for a slower server's per-connection work (course-shaped Python
    /// servers answer a frame connection in 0.45-0.8 ms and a list in about 0.1 s, see `labs
    /// show frames`),
    /// so that a client which overlaps its connections is faster against this server on
    /// any machine, as it is against theirs. The wait costs no CPU and, the handlers being
    /// threads, overlaps between connections.
    pub latency: Duration,
}

impl Default for ServerConfig {
    /// 256 handler threads (each reserves a 2 MiB stack of address space, little of it
    /// touched), 10 s write and read timeouts.
    fn default() -> Self {
        Self {
            max_connections: 256,
            write_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(10),
            latency: Duration::ZERO,
        }
    }
}

/// Accepts connections on `listener` until `shutdown`, serving each on its own thread with
/// `handler(stream, peer)`; then waits for in-flight handlers to finish and returns.
///
/// Handler threads are named `Thread-1`, `Thread-2`, ... like Python's `threading`, so the
/// course-format log shows which one served whom. A handler's error is logged as a warning
/// and affects no other connection. Returns an error only if `accept()` fails in a way that
/// is not about one client (e.g. the listener was closed).
pub fn serve<H>(
    listener: TcpListener,
    shutdown: &Shutdown,
    config: ServerConfig,
    handler: H,
) -> io::Result<()>
where
    H: Fn(TcpStream, SocketAddr) -> anyhow::Result<()> + Send + Sync + 'static,
{
    let handler = Arc::new(handler);
    let limit = ConnectionLimit::new(config.max_connections);
    let thread_ids = AtomicU64::new(0);
    listener.set_nonblocking(true)?;
    configure_listener(&listener, &config)?;

    let result = loop {
        let Some(permit) = limit.acquire(shutdown) else {
            break Ok(());
        };
        let (stream, peer) = match accept_next(&listener, shutdown) {
            Ok(Some(accepted)) => accepted,
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        };
        if let Err(e) = configure(&stream, &config) {
            log::warn!("{peer}: {e}");
            continue;
        }
        let name = format!("Thread-{}", thread_ids.fetch_add(1, Ordering::Relaxed) + 1);
        let handler = Arc::clone(&handler);
        let latency = config.latency;
        // std's default stack size (2 MiB of address space, little of it touched): 256 KiB
        // measured no cheaper per connection, since glibc reuses the stacks of finished
        // threads, and would only risk overflowing in a heavier handler.
        let spawned = std::thread::Builder::new().name(name).spawn(move || {
            let _permit = permit; // released when the handler returns or panics
            if !latency.is_zero() {
                std::thread::sleep(latency);
            }
            if let Err(e) = handler(stream, peer) {
                log::warn!("Connection from {peer} failed: {e:#}");
            }
        });
        if let Err(e) = spawned {
            // The permit and the stream went down with the closure: the client sees a close.
            log::error!("cannot spawn a handler thread for {peer}: {e}");
        }
    };
    limit.wait_idle();
    result
}

/// Waits for the next connection on `listener` and accepts it; `Ok(None)` once `shutdown`
/// is triggered. Skips failures that concern one client only (it reset before we accepted)
/// and waits out descriptor exhaustion.
///
/// `listener` must be non-blocking (`set_nonblocking(true)`): `poll` reporting a connection
/// does not guarantee it is still there for `accept`, and a blocking `accept` would then
/// sleep where shutdown cannot reach it. Errors: the listener's own failures.
pub fn accept_next(
    listener: &TcpListener,
    shutdown: &Shutdown,
) -> io::Result<Option<(TcpStream, SocketAddr)>> {
    loop {
        if shutdown.is_triggered() {
            return Ok(None);
        }
        // Try first, wait only when nobody is waiting: under load a connection is almost
        // always ready, and this saves a poll() and a wake-up per client.
        match listener.accept() {
            Ok(accepted) => return Ok(Some(accepted)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if shutdown.wait_readable(listener.as_fd(), None)? != Wait::Ready {
                    return Ok(None);
                }
            }
            Err(e) if is_per_connection(&e) => continue,
            Err(e) if is_resource_exhaustion(&e) => {
                // Out of file descriptors: wait for handlers to close some, then retry.
                log::warn!("accept failed: {e}; retrying shortly");
                shutdown.sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Socket options every connection needs, set where it costs least. Linux copies the send
/// and receive timeouts of a listening socket into each socket it accepts, so there they
/// are set once here rather than with two `setsockopt` calls per connection.
fn configure_listener(listener: &TcpListener, config: &ServerConfig) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let socket = socket2::SockRef::from(listener);
        socket.set_write_timeout(Some(config.write_timeout))?;
        socket.set_read_timeout(Some(config.read_timeout))?;
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (listener, config);
    Ok(())
}

/// Per-connection set-up where the listener's settings are not inherited.
fn configure(stream: &TcpStream, config: &ServerConfig) -> io::Result<()> {
    // BSDs and macOS pass the listener's O_NONBLOCK (and not its timeouts) to accepted
    // sockets; Linux needs nothing per connection (see configure_listener).
    #[cfg(not(target_os = "linux"))]
    {
        stream.set_nonblocking(false)?;
        stream.set_write_timeout(Some(config.write_timeout))?;
        stream.set_read_timeout(Some(config.read_timeout))?;
    }
    #[cfg(target_os = "linux")]
    let _ = (stream, config);
    Ok(())
}

/// Errors that concern one connection only: skip it and keep accepting.
pub fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::Interrupted
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Out of descriptors or kernel memory (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`): a server
/// should wait for some connections to close, then accept again.
pub fn is_resource_exhaustion(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(nix::libc::EMFILE | nix::libc::ENFILE | nix::libc::ENOBUFS | nix::libc::ENOMEM)
    )
}

/// A counting semaphore over live connections.
struct ConnectionLimit {
    state: Arc<(Mutex<usize>, Condvar)>,
    max: usize,
}

/// One live connection's slot; dropping it frees the slot.
struct Permit {
    state: Arc<(Mutex<usize>, Condvar)>,
}

impl ConnectionLimit {
    fn new(max: usize) -> Self {
        Self {
            state: Arc::new((Mutex::new(0), Condvar::new())),
            max: max.max(1),
        }
    }

    /// Waits for a free slot; `None` once shutdown is triggered.
    fn acquire(&self, shutdown: &Shutdown) -> Option<Permit> {
        let (live, freed) = &*self.state;
        let mut live = live.lock().unwrap_or_else(|e| e.into_inner());
        while *live >= self.max {
            if shutdown.is_triggered() {
                return None;
            }
            // Only reached when saturated; the timeout lets shutdown interrupt the wait.
            live = freed
                .wait_timeout(live, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        if shutdown.is_triggered() {
            return None;
        }
        *live += 1;
        Some(Permit {
            state: Arc::clone(&self.state),
        })
    }

    /// Blocks until every permit has been dropped.
    fn wait_idle(&self) {
        let (live, freed) = &*self.state;
        let live = live.lock().unwrap_or_else(|e| e.into_inner());
        let _idle = freed
            .wait_while(live, |live| *live > 0)
            .unwrap_or_else(|e| e.into_inner());
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let (live, freed) = &*self.state;
        *live.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn the_cap_holds_connections_in_the_backlog() {
        let listener = crate::net::bind_listener("127.0.0.1:0".parse().unwrap(), 64).unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = Shutdown::new().unwrap();
        let live = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let config = ServerConfig {
            max_connections: 2,
            ..ServerConfig::default()
        };
        let server = {
            let (shutdown, live, peak) = (shutdown.clone(), live.clone(), peak.clone());
            std::thread::spawn(move || {
                serve(listener, &shutdown, config, move |mut stream, _| {
                    let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    live.fetch_sub(1, Ordering::SeqCst);
                    stream.write_all(b"ok")?;
                    Ok(())
                })
            })
        };
        let clients: Vec<_> = (0..8)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut reply = String::new();
                    std::net::TcpStream::connect(addr)
                        .unwrap()
                        .read_to_string(&mut reply)
                        .unwrap();
                    reply
                })
            })
            .collect();
        for client in clients {
            assert_eq!(client.join().unwrap(), "ok");
        }
        assert!(peak.load(Ordering::SeqCst) <= 2);
        shutdown.trigger();
        server.join().unwrap().unwrap();
    }

    #[test]
    fn shutdown_lets_an_accepted_connection_finish() {
        let listener = crate::net::bind_listener("127.0.0.1:0".parse().unwrap(), 8).unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = Shutdown::new().unwrap();
        let (accepted_tx, accepted_rx) = std::sync::mpsc::channel();
        let server = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || {
                serve(
                    listener,
                    &shutdown,
                    ServerConfig::default(),
                    move |mut stream, _| {
                        accepted_tx.send(())?;
                        std::thread::sleep(Duration::from_millis(200));
                        stream.write_all(b"finished")?;
                        Ok(())
                    },
                )
            })
        };
        let mut client = std::net::TcpStream::connect(addr).unwrap();
        accepted_rx.recv().unwrap();
        shutdown.trigger();
        let mut reply = String::new();
        client.read_to_string(&mut reply).unwrap();
        assert_eq!(reply, "finished");
        server.join().unwrap().unwrap();
        assert!(
            std::net::TcpStream::connect(addr).is_err(),
            "no longer accepting"
        );
    }

    #[test]
    fn latency_delays_every_answer_by_at_least_its_length() {
        let listener = crate::net::bind_listener("127.0.0.1:0".parse().unwrap(), 8).unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = Shutdown::new().unwrap();
        let latency = Duration::from_millis(150);
        let config = ServerConfig {
            latency,
            ..ServerConfig::default()
        };
        let server = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || {
                serve(listener, &shutdown, config, |mut stream, _| {
                    stream.write_all(b"ok")?;
                    Ok(())
                })
            })
        };
        let clients: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(move || {
                    let connected = std::time::Instant::now();
                    let mut reply = String::new();
                    std::net::TcpStream::connect(addr)
                        .unwrap()
                        .read_to_string(&mut reply)
                        .unwrap();
                    (reply, connected.elapsed())
                })
            })
            .collect();
        for client in clients {
            let (reply, waited) = client.join().unwrap();
            assert_eq!(reply, "ok");
            assert!(waited >= latency, "answered after {waited:?}");
        }
        shutdown.trigger();
        server.join().unwrap().unwrap();
    }
}
