//! The gateway's counters and the Prometheus text exposition of `GET /metrics`.
//!
//! A handful of atomics, written by hand: the metric set is small and fixed, and the format
//! (`# HELP`, `# TYPE`, `name{label="v"} value`) is simple enough that a metrics library
//! would add more than it saves.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::pool::{State, WorkerStatus};

/// Upper bounds of the latency histogram's buckets, in seconds: a classification takes tens
/// of milliseconds on a warm release worker, seconds on a loaded debug one.
pub const LATENCY_BUCKETS: [f64; 12] = [
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// How a classification request ended, the `outcome` label of `recognition_requests_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    /// Answered with labels.
    Ok = 0,
    /// Refused as the client's fault (no file, not an image, too large): 4xx.
    ClientError = 1,
    /// No worker could answer within the retry budget and deadline: 502/503/504.
    Failed = 2,
    /// Refused because the gateway was at its concurrency limit: 503.
    Busy = 3,
}

const OUTCOMES: [&str; 4] = ["ok", "client_error", "failed", "busy"];

/// The gateway's counters; shared by all handlers.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: [AtomicU64; 4],
    buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    retries: AtomicU64,
    ejections: AtomicU64,
    readmissions: AtomicU64,
    /// Active health checks: passed, failed.
    health_checks: [AtomicU64; 2],
    health_check_ejections: AtomicU64,
    connections_accepted: AtomicU64,
    connections_open: AtomicU64,
    header_timeouts: AtomicU64,
    write_timeouts: AtomicU64,
}

impl Metrics {
    /// Counts one request that ended with `outcome` after `elapsed`.
    pub fn request(&self, outcome: RequestOutcome, elapsed: Duration) {
        self.requests[outcome as usize].fetch_add(1, Ordering::Relaxed);
        let seconds = elapsed.as_secs_f64();
        // Cumulative buckets are summed at exposition; here each request lands in one.
        if let Some(bucket) = LATENCY_BUCKETS.iter().position(|&le| seconds <= le) {
            self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    /// Counts one attempt beyond a request's first.
    pub fn retry(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one worker taken out of rotation.
    pub fn ejection(&self) {
        self.ejections.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one worker put back after a successful probe.
    pub fn readmission(&self) {
        self.readmissions.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one active health check of a worker in rotation.
    pub fn health_check(&self, passed: bool) {
        self.health_checks[usize::from(!passed)].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one ejection caused by failed health checks (also count it with
    /// [`Metrics::ejection`]).
    pub fn health_check_ejection(&self) {
        self.health_check_ejections.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one accepted HTTP connection, open until [`Metrics::connection_closed`].
    pub fn connection_opened(&self) {
        self.connections_accepted.fetch_add(1, Ordering::Relaxed);
        self.connections_open.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one HTTP connection closed.
    pub fn connection_closed(&self) {
        self.connections_open.fetch_sub(1, Ordering::Relaxed);
    }

    /// Counts one HTTP connection closed because its request headers were not complete in
    /// time.
    pub fn header_timeout(&self) {
        self.header_timeouts.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts one HTTP connection closed because the client stopped reading its answer.
    pub fn write_timeout(&self) {
        self.write_timeouts.fetch_add(1, Ordering::Relaxed);
    }

    /// HTTP connections open now.
    pub fn open_connections(&self) -> u64 {
        self.connections_open.load(Ordering::Relaxed)
    }

    /// Requests so far that ended with `outcome`.
    pub fn requests(&self, outcome: RequestOutcome) -> u64 {
        self.requests[outcome as usize].load(Ordering::Relaxed)
    }

    /// The Prometheus text format of these counters and of `workers`.
    pub fn render(&self, workers: &[WorkerStatus]) -> String {
        let mut out = String::new();
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        header(
            &mut out,
            "recognition_requests_total",
            "counter",
            "Classification requests by outcome.",
        );
        for (name, count) in OUTCOMES.iter().zip(&self.requests) {
            let _ = writeln!(
                out,
                "recognition_requests_total{{outcome=\"{name}\"}} {}",
                load(count)
            );
        }
        header(
            &mut out,
            "recognition_request_duration_seconds",
            "histogram",
            "Time from a classification request's arrival to its answer.",
        );
        let mut cumulative = 0;
        for (le, count) in LATENCY_BUCKETS.iter().zip(&self.buckets) {
            cumulative += load(count);
            let _ = writeln!(
                out,
                "recognition_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}"
            );
        }
        let count = load(&self.latency_count);
        let _ = writeln!(
            out,
            "recognition_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = load(&self.latency_sum_micros) as f64 / 1e6;
        let _ = writeln!(out, "recognition_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "recognition_request_duration_seconds_count {count}");
        for (name, help, value) in [
            (
                "recognition_retries_total",
                "Attempts beyond a request's first.",
                &self.retries,
            ),
            (
                "recognition_ejections_total",
                "Workers taken out of rotation.",
                &self.ejections,
            ),
            (
                "recognition_readmissions_total",
                "Ejected workers put back after a probe.",
                &self.readmissions,
            ),
            (
                "recognition_health_check_ejections_total",
                "Workers taken out of rotation after failing consecutive health checks \
                 (included in recognition_ejections_total).",
                &self.health_check_ejections,
            ),
            (
                "recognition_http_connections_total",
                "HTTP connections accepted.",
                &self.connections_accepted,
            ),
            (
                "recognition_http_header_timeouts_total",
                "HTTP connections closed because the request headers were not complete in \
                 time (slow or idle clients, idle keep-alive connections).",
                &self.header_timeouts,
            ),
            (
                "recognition_http_write_timeouts_total",
                "HTTP connections closed because the client stopped reading its answer.",
                &self.write_timeouts,
            ),
        ] {
            header(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", load(value));
        }
        header(
            &mut out,
            "recognition_http_connections_open",
            "gauge",
            "HTTP connections open now.",
        );
        let _ = writeln!(
            out,
            "recognition_http_connections_open {}",
            load(&self.connections_open)
        );
        header(
            &mut out,
            "recognition_health_checks_total",
            "counter",
            "Active health checks (TCP connects) of workers in rotation, by result.",
        );
        for (name, count) in ["pass", "fail"].iter().zip(&self.health_checks) {
            let _ = writeln!(
                out,
                "recognition_health_checks_total{{result=\"{name}\"}} {}",
                load(count)
            );
        }
        header(
            &mut out,
            "recognition_worker_up",
            "gauge",
            "1 if the worker is in rotation, 0 if ejected.",
        );
        for w in workers {
            let up = u8::from(w.state == State::Healthy);
            let _ = writeln!(
                out,
                "recognition_worker_up{{worker=\"{}\"}} {up}",
                w.address
            );
        }
        header(
            &mut out,
            "recognition_worker_in_flight",
            "gauge",
            "Exchanges running with the worker.",
        );
        for w in workers {
            let _ = writeln!(
                out,
                "recognition_worker_in_flight{{worker=\"{}\"}} {}",
                w.address, w.in_flight
            );
        }
        header(
            &mut out,
            "recognition_worker_exchanges_total",
            "counter",
            "Exchanges with the worker by result.",
        );
        for w in workers {
            let _ = writeln!(
                out,
                "recognition_worker_exchanges_total{{worker=\"{}\",result=\"success\"}} {}",
                w.address, w.successes
            );
            let _ = writeln!(
                out,
                "recognition_worker_exchanges_total{{worker=\"{}\",result=\"failure\"}} {}",
                w.address, w.failures
            );
        }
        header(
            &mut out,
            "recognition_worker_failed_health_checks_total",
            "counter",
            "Active health checks the worker failed.",
        );
        for w in workers {
            let _ = writeln!(
                out,
                "recognition_worker_failed_health_checks_total{{worker=\"{}\"}} {}",
                w.address, w.failed_checks
            );
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}
