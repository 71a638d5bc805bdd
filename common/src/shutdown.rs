//! A shutdown signal that blocking servers can wait on.
//!
//! A thread blocked in `accept()` cannot be told to stop by a flag alone: it sleeps in the
//! kernel until a client arrives. So [`Shutdown`] also owns a socket pair (the classic
//! "self-pipe"): triggering writes one byte to it, and a server waits with `poll(2)` on its
//! listener *and* that socket at once. The byte is never read, so the socket stays readable
//! and every waiter, now or later, sees the shutdown.

use std::io::{self, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

/// A cloneable handle on one shutdown signal; all clones see the same state.
#[derive(Clone, Debug)]
pub struct Shutdown {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    triggered: AtomicBool,
    /// Written once on trigger; never read.
    wake_tx: UnixStream,
    /// Polled by waiters; readable once triggered.
    wake_rx: UnixStream,
}

/// The error of a run stopped by Ctrl-C or SIGTERM; it displays as `interrupted`.
/// [`crate::report::finish`] turns it into exit status 130, as shells report an interrupt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// What [`Shutdown::wait_readable`] saw first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The watched descriptor is readable (for a listener: a connection is waiting).
    Ready,
    /// Shutdown was triggered.
    Shutdown,
    /// The timeout passed with neither.
    TimedOut,
}

impl Shutdown {
    /// A new, untriggered signal. Errors only if the OS refuses a socket pair.
    pub fn new() -> io::Result<Self> {
        let (wake_tx, wake_rx) = UnixStream::pair()?;
        Ok(Self {
            inner: Arc::new(Inner {
                triggered: AtomicBool::new(false),
                wake_tx,
                wake_rx,
            }),
        })
    }

    /// A new signal triggered by Ctrl-C (SIGINT) and SIGTERM.
    ///
    /// The handler runs on a thread of the `ctrlc` crate, not inside the signal handler, so
    /// it may take locks and write. A second Ctrl-C while shutting down exits at once with
    /// status 130, as shells expect of an impatient user, removing the files still being
    /// written ([`crate::fs::exit_removing_unfinished`]). Errors if a handler is already
    /// installed in this process (call it once, in `main`).
    pub fn on_signals() -> io::Result<Self> {
        let shutdown = Self::new()?;
        let handle = shutdown.clone();
        ctrlc::set_handler(move || {
            if handle.is_triggered() {
                crate::fs::exit_removing_unfinished(130);
            }
            log::info!("Shutting down (Ctrl-C again to exit at once)");
            handle.trigger();
        })
        .map_err(io::Error::other)?;
        Ok(shutdown)
    }

    /// Triggers the signal; idempotent and safe from any thread.
    pub fn trigger(&self) {
        if !self.inner.triggered.swap(true, Ordering::SeqCst) {
            // A full buffer cannot happen with one byte; any other error leaves the flag set,
            // which waiters with a timeout still notice.
            let _ = (&self.inner.wake_tx).write_all(&[1]);
        }
    }

    /// Whether the signal has been triggered.
    pub fn is_triggered(&self) -> bool {
        self.inner.triggered.load(Ordering::SeqCst)
    }

    /// `Err(Interrupted)` once triggered: what a client checks between two units of work
    /// (a download, a frame, a list), so it stops at a boundary with every file whole.
    pub fn check(&self) -> Result<(), Interrupted> {
        match self.is_triggered() {
            true => Err(Interrupted),
            false => Ok(()),
        }
    }

    /// Blocks until `fd` is readable, shutdown is triggered, or `timeout` (None: forever)
    /// passes. Shutdown wins when both are ready, so a server stops promptly under load.
    pub fn wait_readable(&self, fd: BorrowedFd<'_>, timeout: Option<Duration>) -> io::Result<Wait> {
        self.poll(Some(fd), timeout)
    }

    /// The descriptor that becomes readable (and stays so) once shutdown is triggered, for an
    /// event loop that polls many descriptors at once. Never read from it.
    pub fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.wake_rx.as_fd()
    }

    /// Sleeps for `duration` unless shutdown comes first; returns `true` on shutdown.
    pub fn sleep(&self, duration: Duration) -> bool {
        matches!(self.poll(None, Some(duration)), Ok(Wait::Shutdown)) || self.is_triggered()
    }

    fn poll(&self, fd: Option<BorrowedFd<'_>>, timeout: Option<Duration>) -> io::Result<Wait> {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            if self.is_triggered() {
                return Ok(Wait::Shutdown);
            }
            let mut fds = vec![PollFd::new(self.inner.wake_rx.as_fd(), PollFlags::POLLIN)];
            if let Some(fd) = fd {
                fds.push(PollFd::new(fd, PollFlags::POLLIN));
            }
            let wait = match deadline {
                None => PollTimeout::NONE,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    // Round up so that a sub-millisecond remainder does not spin.
                    let millis = left.as_micros().div_ceil(1000);
                    PollTimeout::try_from(millis.min(i32::MAX as u128) as i32)
                        .unwrap_or(PollTimeout::MAX)
                }
            };
            match poll(&mut fds, wait) {
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
                Ok(0) => {
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        return Ok(Wait::TimedOut);
                    }
                }
                Ok(_) => {
                    if self.is_triggered() {
                        return Ok(Wait::Shutdown);
                    }
                    // Errors and hang-ups count as readable: the caller's next read reports them.
                    if fds
                        .get(1)
                        .and_then(PollFd::revents)
                        .is_some_and(|r| !r.is_empty())
                    {
                        return Ok(Wait::Ready);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn trigger_wakes_a_blocked_waiter() {
        let shutdown = Shutdown::new().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let waiter = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || shutdown.wait_readable(listener.as_fd(), None).unwrap())
        };
        std::thread::sleep(Duration::from_millis(50));
        shutdown.trigger();
        assert_eq!(waiter.join().unwrap(), Wait::Shutdown);
        assert!(shutdown.is_triggered());
    }

    #[test]
    fn a_pending_connection_is_ready() {
        let shutdown = Shutdown::new().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let _client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let seen = shutdown.wait_readable(listener.as_fd(), Some(Duration::from_secs(5)));
        assert_eq!(seen.unwrap(), Wait::Ready);
    }

    #[test]
    fn timeout_and_sleep() {
        let shutdown = Shutdown::new().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let seen = shutdown.wait_readable(listener.as_fd(), Some(Duration::from_millis(20)));
        assert_eq!(seen.unwrap(), Wait::TimedOut);
        assert!(!shutdown.sleep(Duration::from_millis(5)));
        shutdown.trigger();
        shutdown.trigger();
        assert!(shutdown.sleep(Duration::from_secs(60)));
    }
}
