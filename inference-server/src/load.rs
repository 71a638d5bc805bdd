//! `inference-client` as a load generator: `--requests N --concurrency C`.
//!
//! C client threads share N requests: each takes the next request number, asks for URL
//! number `i % URLS` (one URL, or every line of a file in turn), waits for the reply, and
//! takes the next, until all N are done. So at most C connections are open at once, and C
//! are open at once as long as requests remain. Against the pre-fork server, C up to its
//! workers x threads are served at once; against `--sequential`, one at a time, the others
//! waiting in its listen backlog.
//!
//! What a run reports ([`Report`]): the wall time (`Requests time: 3.210`, the other labs'
//! timing line), and on stderr requests per second and the latency percentiles p50 and p99
//! (nearest rank over every request, failed ones included: a failure took its time too).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::shutdown::{Interrupted, Shutdown};

use crate::client::exchange;

/// How many requests, and how many at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Requests in all, at least 1.
    pub requests: usize,
    /// Most requests in flight at once (client threads), at least 1.
    pub concurrency: usize,
}

/// The outcome of a [`run`].
#[derive(Debug)]
pub struct Report {
    /// What was asked for.
    pub load: Load,
    /// Wall time from the first request's start to the last reply.
    pub elapsed: Duration,
    /// Every request's time, from connecting to the end of the reply, sorted.
    pub latencies: Vec<Duration>,
    /// Each failed request's error, one client thread's after another's; whole, so that a
    /// caller can tell a server that is not there (`common::report::server_unreachable`).
    pub failures: Vec<anyhow::Error>,
}

impl Report {
    /// Requests completed (answered or failed) per second of wall time.
    pub fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
    }

    /// The `p`-th percentile latency (`p` in (0, 100]) by nearest rank: the smallest time
    /// that at least `p`% of requests took no longer than. `None` with no requests.
    pub fn percentile(&self, p: f64) -> Option<Duration> {
        common::report::percentile(&self.latencies, p)
    }

    /// One line: `32 requests, 8 at a time, in 1.234 s: 25.9 requests/s, latency p50
    /// 245 ms, p99 512 ms; 0 failed`.
    pub fn summary(&self) -> String {
        let millis = |d: Option<Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1e3);
        format!(
            "{} requests, {} at a time, in {:.3} s: {:.1} requests/s, latency p50 {:.0} ms, \
             p99 {:.0} ms; {} failed",
            self.latencies.len(),
            self.load.concurrency,
            self.elapsed.as_secs_f64(),
            self.throughput(),
            millis(self.percentile(50.0)),
            millis(self.percentile(99.0)),
            self.failures.len()
        )
    }
}

/// Sends `load.requests` requests for `urls` (in turn) to the server at `addr`, called
/// `host` in the logs, `load.concurrency` at a time. Each request logs the client's three
/// lines at debug level.
///
/// Errors: [`Interrupted`] when `shutdown` comes first; requests in flight finish, no new
/// one starts. A request that fails is counted in [`Report::failures`], not an error.
///
/// # Panics
/// If `urls` is empty.
pub fn run(
    host: &str,
    addr: SocketAddr,
    urls: &[String],
    load: Load,
    shutdown: &Shutdown,
) -> Result<Report, Interrupted> {
    assert!(!urls.is_empty(), "a load needs at least one URL");
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let outcomes: Vec<(Duration, Option<anyhow::Error>)> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..load.concurrency.clamp(1, load.requests.max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut outcomes = Vec::new();
                    while !shutdown.is_triggered() {
                        let number = next.fetch_add(1, Ordering::Relaxed);
                        if number >= load.requests {
                            break;
                        }
                        let url = &urls[number % urls.len()];
                        let sent = Instant::now();
                        let result = exchange(host, addr, url, log::Level::Debug);
                        let failure = result.err();
                        if let Some(failure) = &failure {
                            log::debug!("Request {} failed: {failure:#}", number + 1);
                        }
                        outcomes.push((sent.elapsed(), failure));
                    }
                    outcomes
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|thread| thread.join().expect("a client thread panicked"))
            .collect()
    });
    let elapsed = started.elapsed();
    shutdown.check()?;
    let mut latencies = Vec::with_capacity(outcomes.len());
    let mut failures = Vec::new();
    for (latency, failure) in outcomes {
        latencies.push(latency);
        failures.extend(failure);
    }
    latencies.sort();
    Ok(Report {
        load,
        elapsed,
        latencies,
        failures,
    })
}

/// The URLs of a file, one per line; blank lines and lines starting with `#` are skipped.
///
/// Errors: the file cannot be read, or holds no URL.
pub fn read_urls(path: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the URL file {}", path.display()))?;
    let urls: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    anyhow::ensure!(!urls.is_empty(), "{} holds no URL", path.display());
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(millis: &[u64]) -> Report {
        Report {
            load: Load {
                requests: millis.len(),
                concurrency: 2,
            },
            elapsed: Duration::from_secs(2),
            latencies: millis.iter().map(|&m| Duration::from_millis(m)).collect(),
            failures: vec![anyhow::anyhow!("error")],
        }
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let hundred = report(&(1..=100).collect::<Vec<_>>());
        assert_eq!(hundred.percentile(50.0), Some(Duration::from_millis(50)));
        assert_eq!(hundred.percentile(99.0), Some(Duration::from_millis(99)));
        assert_eq!(hundred.percentile(100.0), Some(Duration::from_millis(100)));
        let few = report(&[10, 20, 30]);
        assert_eq!(few.percentile(50.0), Some(Duration::from_millis(20)));
        assert_eq!(few.percentile(99.0), Some(Duration::from_millis(30)));
        assert_eq!(report(&[]).percentile(50.0), None);
    }

    #[test]
    fn the_summary_names_counts_rate_and_percentiles() {
        assert_eq!(
            report(&[100, 200, 300, 400]).summary(),
            "4 requests, 2 at a time, in 2.000 s: 2.0 requests/s, latency p50 200 ms, \
             p99 400 ms; 1 failed"
        );
    }

    #[test]
    fn url_files_skip_blanks_and_comments() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("urls.txt");
        std::fs::write(&path, "# photos\nhttp://a/1.jpg\n\n  http://a/2.jpg  \n").unwrap();
        assert_eq!(
            read_urls(&path).unwrap(),
            ["http://a/1.jpg", "http://a/2.jpg"]
        );
        std::fs::write(&path, "# nothing\n\n").unwrap();
        assert!(
            read_urls(&path)
                .unwrap_err()
                .to_string()
                .contains("holds no URL")
        );
    }
}
