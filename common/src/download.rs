//! The client side of the frames and numbers labs: connect, read one whole message until
//! the server closes, hand it to a sink; many times, one after another or on N threads.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Context as _;
use indicatif::ProgressBar;

use crate::fs::write_in_place;
use crate::net::{
    ReadLimits, RecvBuffer, RetryPolicy, Until, connect_with_retry, read_message_into,
};
use crate::shutdown::Shutdown;

/// How downloads are spread over threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// One connection after another on the calling thread: the handout's baseline.
    Sequential,
    /// This many std threads, each taking the next download number until none is left.
    Threads(NonZeroUsize),
}

/// What to download and how.
#[derive(Debug, Clone, Copy)]
pub struct Downloads {
    /// The server to connect to.
    pub server: SocketAddr,
    /// Number of messages, numbered `0..count`.
    pub count: usize,
    /// Sequential or threaded.
    pub strategy: Strategy,
    /// Bounds on each message (size in bytes, time from connect to end of stream).
    pub limits: ReadLimits,
    /// Retry per connection, so a server that is starting or briefly saturated is waited for.
    pub retry: RetryPolicy,
}

impl Downloads {
    /// `count` downloads from `server` in `strategy`, each bounded by `limits`, with the
    /// default [`RetryPolicy`].
    pub fn new(server: SocketAddr, count: usize, strategy: Strategy, limits: ReadLimits) -> Self {
        Self {
            server,
            count,
            strategy,
            limits,
            retry: RetryPolicy::default(),
        }
    }
}

/// Downloads messages `0..count` and passes each to `sink(number, bytes)`, ticking
/// `progress` once per message. Each thread reads into one [`RecvBuffer`] for all its
/// messages, so `bytes` is only borrowed: a sink that keeps a message copies it.
///
/// Stops at the first error (unreachable server, oversized or slow message, a sink error)
/// and returns it with the message's number; with threads, the others finish the download
/// they are in and take no new one. Once `shutdown` is triggered no new download starts
/// and the result is an [`Interrupted`](crate::shutdown::Interrupted) error.
pub fn download_all<S>(
    spec: &Downloads,
    shutdown: &Shutdown,
    progress: &ProgressBar,
    sink: S,
) -> anyhow::Result<()>
where
    S: Fn(usize, &[u8]) -> anyhow::Result<()> + Sync,
{
    let fetch = |buffer: &mut RecvBuffer, number: usize| -> anyhow::Result<()> {
        shutdown.check()?;
        let stream = connect_with_retry(spec.server, spec.retry)?;
        let bytes = read_message_into(&stream, Until::Eof, spec.limits, buffer)
            .with_context(|| format!("download {number} from {}", spec.server))?;
        // Closed before the sink runs, so the server's thread is not kept waiting.
        drop(stream);
        sink(number, bytes)?;
        progress.inc(1);
        Ok(())
    };

    match spec.strategy {
        Strategy::Sequential => {
            let mut buffer = RecvBuffer::default();
            (0..spec.count).try_for_each(|number| fetch(&mut buffer, number))
        }
        Strategy::Threads(threads) => {
            // A shared counter is the whole work queue: each thread takes the next number.
            let next = AtomicUsize::new(0);
            let failed = AtomicBool::new(false);
            let first_error = Mutex::new(None);
            std::thread::scope(|scope| {
                for t in 0..threads.get().min(spec.count.max(1)) {
                    let (next, failed, first_error, fetch) = (&next, &failed, &first_error, &fetch);
                    let spawned = std::thread::Builder::new()
                        .name(format!("download-{t}"))
                        .spawn_scoped(scope, move || {
                            let mut buffer = RecvBuffer::default();
                            while !failed.load(Ordering::Relaxed) {
                                let number = next.fetch_add(1, Ordering::Relaxed);
                                if number >= spec.count {
                                    break;
                                }
                                if let Err(e) = fetch(&mut buffer, number) {
                                    failed.store(true, Ordering::Relaxed);
                                    first_error.lock().unwrap().get_or_insert(e);
                                }
                            }
                        });
                    if let Err(e) = spawned {
                        // Out of threads: stop, and let the threads already started finish.
                        failed.store(true, Ordering::Relaxed);
                        let e = anyhow::Error::new(e).context("cannot start a download thread");
                        first_error.lock().unwrap().get_or_insert(e);
                        break;
                    }
                }
            });
            match first_error.into_inner().unwrap() {
                Some(e) => Err(e),
                None => Ok(()),
            }
        }
    }
}

/// [`download_all`] into files: message `n` is saved at `path(n)` with [`write_in_place`]
/// (see [`crate::fs`] for why not through a temporary file), so an interrupted or failed
/// run leaves only complete files.
///
/// Errors: those of [`download_all`], and a file that cannot be written (named).
pub fn download_to_files<P>(
    spec: &Downloads,
    shutdown: &Shutdown,
    progress: &ProgressBar,
    path: P,
) -> anyhow::Result<()>
where
    P: Fn(usize) -> PathBuf + Sync,
{
    download_all(spec, shutdown, progress, |number, bytes| {
        Ok(write_in_place(&path(number), bytes)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::LocalServer;
    use std::io::Write;
    use std::time::Duration;

    fn echo_number_server() -> LocalServer {
        let served = std::sync::Arc::new(AtomicUsize::new(0));
        LocalServer::start(move |listener, shutdown, config| {
            let handler = move |mut stream: std::net::TcpStream, _| {
                let n = served.fetch_add(1, Ordering::SeqCst);
                stream.write_all(format!("message {n}").as_bytes())?;
                Ok(())
            };
            crate::server::serve(listener, &shutdown, config, handler)
        })
        .unwrap()
    }

    fn spec(server: SocketAddr, strategy: Strategy) -> Downloads {
        Downloads {
            server,
            count: 40,
            strategy,
            limits: ReadLimits {
                max_bytes: 1024,
                timeout: Duration::from_secs(10),
            },
            retry: RetryPolicy::default(),
        }
    }

    #[test]
    fn every_number_is_downloaded_once_in_both_strategies() {
        let server = echo_number_server();
        for strategy in [
            Strategy::Sequential,
            Strategy::Threads(NonZeroUsize::new(4).unwrap()),
        ] {
            let got = Mutex::new(vec![None; 40]);
            download_all(
                &spec(server.addr(), strategy),
                &Shutdown::new().unwrap(),
                &ProgressBar::hidden(),
                |i, bytes| {
                    let text = String::from_utf8(bytes.to_vec())?;
                    assert!(text.starts_with("message "));
                    assert!(got.lock().unwrap()[i].replace(text).is_none());
                    Ok(())
                },
            )
            .unwrap();
            assert!(got.into_inner().unwrap().iter().all(Option::is_some));
        }
    }

    #[test]
    fn a_sink_error_names_the_download_and_stops() {
        let server = echo_number_server();
        let strategy = Strategy::Threads(NonZeroUsize::new(3).unwrap());
        let err = download_all(
            &spec(server.addr(), strategy),
            &Shutdown::new().unwrap(),
            &ProgressBar::hidden(),
            |i, _| {
                anyhow::ensure!(i != 7, "sink refused {i}");
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "sink refused 7");
    }

    #[test]
    fn a_triggered_shutdown_starts_no_download() {
        let server = echo_number_server();
        let shutdown = Shutdown::new().unwrap();
        shutdown.trigger();
        let dir = tempfile::tempdir().unwrap();
        let err = download_to_files(
            &spec(server.addr(), Strategy::Sequential),
            &shutdown,
            &ProgressBar::hidden(),
            |i| dir.path().join(format!("{i}.txt")),
        )
        .unwrap_err();
        assert!(err.is::<crate::shutdown::Interrupted>(), "{err:#}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn files_hold_the_messages() {
        let server = echo_number_server();
        let dir = tempfile::tempdir().unwrap();
        let strategy = Strategy::Threads(NonZeroUsize::new(4).unwrap());
        download_to_files(
            &spec(server.addr(), strategy),
            &Shutdown::new().unwrap(),
            &ProgressBar::hidden(),
            |i| dir.path().join(format!("{i}.txt")),
        )
        .unwrap();
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        let mut expected: Vec<_> = (0..40).map(|i| format!("{i}.txt")).collect();
        expected.sort();
        assert_eq!(names, expected, "every file, and no temporary one");
        for name in names {
            let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
            assert!(text.starts_with("message "), "{text}");
        }
    }
}
