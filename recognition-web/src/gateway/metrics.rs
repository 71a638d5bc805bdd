//! The gateway's Prometheus metrics (`GET /metrics`), kept with `prometheus-client`, the
//! Prometheus project's own Rust client, and exposed in the Prometheus text format 0.0.4.
//!
//! Counters and the latency histogram are updated where things happen; the per-worker
//! series (state, in-flight exchanges, results, failed health checks, source) are read from
//! the pool at each scrape by a collector, so a deleted or drained worker's series simply
//! stop, and nothing has to be kept in step with the pool.
//!
//! prometheus-client appends `_total` to counter names itself, so counters are registered
//! without it: `recognition_requests` is exposed as `recognition_requests_total`.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::config::DnsName;
use super::pool::{Pool, State};

/// Upper bounds of the latency histogram's buckets, in seconds: a classification takes tens
/// of milliseconds on a warm release worker, seconds on a loaded debug one.
pub const LATENCY_BUCKETS: [f64; 12] = [
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// The `Content-Type` of `GET /metrics`: Prometheus text format 0.0.4.
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// How a classification request ended, the `outcome` label of `recognition_requests_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestOutcome {
    /// Answered with labels.
    Ok,
    /// Refused as the client's fault (no file, not an image, too large): 4xx.
    ClientError,
    /// No worker could answer within the retry budget and deadline: 502/503/504.
    Failed,
    /// Refused because the gateway was at its concurrency limit: 503.
    Busy,
}

impl RequestOutcome {
    const ALL: [RequestOutcome; 4] = [Self::Ok, Self::ClientError, Self::Failed, Self::Busy];

    fn name(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::ClientError => "client_error",
            Self::Failed => "failed",
            Self::Busy => "busy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct NameResultLabels {
    name: String,
    result: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct NameLabels {
    name: String,
}

/// The gateway's metrics; shared by all handlers and background tasks.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<OutcomeLabels, Counter>,
    duration: Histogram,
    retries: Counter,
    ejections: Counter,
    readmissions: Counter,
    health_checks: Family<ResultLabels, Counter>,
    health_check_ejections: Counter,
    connections_accepted: Counter,
    connections_open: Gauge,
    header_timeouts: Counter,
    write_timeouts: Counter,
    dns_lookups: Family<NameResultLabels, Counter>,
    dns_addresses: Family<NameLabels, Gauge>,
    admin_logins: Family<ResultLabels, Counter>,
}

impl Metrics {
    /// Every metric at zero, and the per-worker series read from `pool` at each scrape.
    pub fn new(pool: Arc<Pool>) -> Self {
        let mut metrics = Self {
            registry: Registry::default(),
            requests: Family::default(),
            duration: Histogram::new(LATENCY_BUCKETS),
            retries: Counter::default(),
            ejections: Counter::default(),
            readmissions: Counter::default(),
            health_checks: Family::default(),
            health_check_ejections: Counter::default(),
            connections_accepted: Counter::default(),
            connections_open: Gauge::default(),
            header_timeouts: Counter::default(),
            write_timeouts: Counter::default(),
            dns_lookups: Family::default(),
            dns_addresses: Family::default(),
            admin_logins: Family::default(),
        };
        // Every label value shows from the start, at 0, so a rate() has a first sample.
        for outcome in RequestOutcome::ALL {
            drop(metrics.requests.get_or_create(&OutcomeLabels {
                outcome: outcome.name(),
            }));
        }
        for result in ["pass", "fail"] {
            drop(
                metrics
                    .health_checks
                    .get_or_create(&ResultLabels { result }),
            );
        }
        for result in ["ok", "wrong_token", "rate_limited"] {
            drop(metrics.admin_logins.get_or_create(&ResultLabels { result }));
        }
        let registry = &mut metrics.registry;
        registry.register(
            "recognition_requests",
            "Classification requests by outcome",
            metrics.requests.clone(),
        );
        registry.register(
            "recognition_request_duration_seconds",
            "Time from a classification request's arrival to its answer",
            metrics.duration.clone(),
        );
        for (name, help, counter) in [
            (
                "recognition_retries",
                "Attempts beyond a request's first",
                &metrics.retries,
            ),
            (
                "recognition_ejections",
                "Workers taken out of rotation",
                &metrics.ejections,
            ),
            (
                "recognition_readmissions",
                "Ejected workers put back after a probe",
                &metrics.readmissions,
            ),
            (
                "recognition_health_check_ejections",
                "Workers taken out of rotation after failing consecutive health checks \
                 (included in recognition_ejections_total)",
                &metrics.health_check_ejections,
            ),
            (
                "recognition_http_connections",
                "HTTP connections accepted",
                &metrics.connections_accepted,
            ),
            (
                "recognition_http_header_timeouts",
                "HTTP connections closed because the request headers were not complete in \
                 time (slow or idle clients, idle keep-alive connections)",
                &metrics.header_timeouts,
            ),
            (
                "recognition_http_write_timeouts",
                "HTTP connections closed because the client stopped reading its answer",
                &metrics.write_timeouts,
            ),
        ] {
            registry.register(name, help, counter.clone());
        }
        registry.register(
            "recognition_http_connections_open",
            "HTTP connections open now",
            metrics.connections_open.clone(),
        );
        registry.register(
            "recognition_health_checks",
            "Active health checks (TCP connects) of workers in rotation, by result",
            metrics.health_checks.clone(),
        );
        registry.register(
            "recognition_dns_lookups",
            "Lookups of the --workers-dns names, by name and result",
            metrics.dns_lookups.clone(),
        );
        registry.register(
            "recognition_dns_addresses",
            "Addresses the last successful lookup of the name gave",
            metrics.dns_addresses.clone(),
        );
        registry.register(
            "recognition_admin_logins",
            "Admin token checks (login form or bearer token), by result",
            metrics.admin_logins.clone(),
        );
        registry.register_collector(Box::new(WorkerCollector(pool)));
        metrics
    }

    /// Counts one request that ended with `outcome` after `elapsed`.
    pub fn request(&self, outcome: RequestOutcome, elapsed: Duration) {
        self.requests
            .get_or_create(&OutcomeLabels {
                outcome: outcome.name(),
            })
            .inc();
        self.duration.observe(elapsed.as_secs_f64());
    }

    /// Counts one attempt beyond a request's first.
    pub fn retry(&self) {
        self.retries.inc();
    }

    /// Counts one worker taken out of rotation.
    pub fn ejection(&self) {
        self.ejections.inc();
    }

    /// Counts one worker put back after a successful probe.
    pub fn readmission(&self) {
        self.readmissions.inc();
    }

    /// Counts one active health check of a worker in rotation.
    pub fn health_check(&self, passed: bool) {
        let result = if passed { "pass" } else { "fail" };
        self.health_checks
            .get_or_create(&ResultLabels { result })
            .inc();
    }

    /// Counts one ejection caused by failed health checks (also count it with
    /// [`Metrics::ejection`]).
    pub fn health_check_ejection(&self) {
        self.health_check_ejections.inc();
    }

    /// Counts one accepted HTTP connection, open until [`Metrics::connection_closed`].
    pub fn connection_opened(&self) {
        self.connections_accepted.inc();
        self.connections_open.inc();
    }

    /// Counts one HTTP connection closed.
    pub fn connection_closed(&self) {
        self.connections_open.dec();
    }

    /// Counts one HTTP connection closed because its request headers were not complete in
    /// time.
    pub fn header_timeout(&self) {
        self.header_timeouts.inc();
    }

    /// Counts one HTTP connection closed because the client stopped reading its answer.
    pub fn write_timeout(&self) {
        self.write_timeouts.inc();
    }

    /// Counts one lookup of `name`: `Some(n)` addresses found, or `None` for a failure.
    pub fn dns_lookup(&self, name: &DnsName, addresses: Option<usize>) {
        let result = if addresses.is_some() { "ok" } else { "error" };
        let name = name.to_string();
        self.dns_lookups
            .get_or_create(&NameResultLabels {
                name: name.clone(),
                result,
            })
            .inc();
        if let Some(count) = addresses {
            self.dns_addresses
                .get_or_create(&NameLabels { name })
                .set(count as i64);
        }
    }

    /// Counts one admin token check: `ok`, `wrong_token` or `rate_limited`.
    pub fn admin_login(&self, result: &'static str) {
        self.admin_logins
            .get_or_create(&ResultLabels { result })
            .inc();
    }

    /// HTTP connections open now.
    pub fn open_connections(&self) -> u64 {
        self.connections_open.get().max(0) as u64
    }

    /// Requests so far that ended with `outcome`.
    pub fn requests(&self, outcome: RequestOutcome) -> u64 {
        self.requests
            .get_or_create(&OutcomeLabels {
                outcome: outcome.name(),
            })
            .get()
    }

    /// The Prometheus text format (0.0.4) of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }
}

/// The per-worker series, read from the pool at each scrape.
#[derive(Debug)]
struct WorkerCollector(Arc<Pool>);

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct WorkerLabels {
    worker: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct WorkerResultLabels {
    worker: String,
    result: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct WorkerInfoLabels {
    worker: String,
    state: &'static str,
    source: String,
}

impl Collector for WorkerCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let workers = self.0.snapshot();
        let label = |w: &super::pool::WorkerStatus| WorkerLabels {
            worker: w.address.to_string(),
        };
        let mut gauge = |name: &str, help: &str, value: &dyn Fn(&_) -> i64| {
            let mut family = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
            for w in &workers {
                ConstGauge::new(value(w)).encode(family.encode_family(&label(w))?)?;
            }
            Ok::<_, std::fmt::Error>(())
        };
        gauge(
            "recognition_worker_up",
            "1 if the worker is in rotation, 0 if ejected or draining.",
            &|w| i64::from(w.state == State::Healthy),
        )?;
        gauge(
            "recognition_worker_in_flight",
            "Exchanges running with the worker.",
            &|w| i64::from(w.in_flight),
        )?;
        let mut family = encoder.encode_descriptor(
            "recognition_worker_exchanges",
            "Exchanges with the worker by result.",
            None,
            MetricType::Counter,
        )?;
        for w in &workers {
            for (result, count) in [("success", w.successes), ("failure", w.failures)] {
                let labels = WorkerResultLabels {
                    worker: w.address.to_string(),
                    result,
                };
                ConstCounter::new(count).encode(family.encode_family(&labels)?)?;
            }
        }
        let mut family = encoder.encode_descriptor(
            "recognition_worker_failed_health_checks",
            "Active health checks the worker failed.",
            None,
            MetricType::Counter,
        )?;
        for w in &workers {
            ConstCounter::new(w.failed_checks).encode(family.encode_family(&label(w))?)?;
        }
        let mut family = encoder.encode_descriptor(
            "recognition_worker_info",
            "Always 1: the worker's state (healthy, ejected, draining) and where it came from \
             (flag, admin, dns NAME:PORT).",
            None,
            MetricType::Gauge,
        )?;
        for w in &workers {
            let labels = WorkerInfoLabels {
                worker: w.address.to_string(),
                state: w.state.name(),
                source: w.source.to_string(),
            };
            ConstGauge::new(1i64).encode(family.encode_family(&labels)?)?;
        }
        Ok(())
    }
}
