//! The gateway's configuration: [`GatewayConfig`] (what the library runs with) and
//! [`GatewayArgs`] (the `recognition-gateway` command line), with the clamps that turn the
//! second into the first.
//!
//! The command-line parser lives here rather than in the binary so that tests can parse the
//! command lines written in `deploy/` (Compose, Kubernetes) with the very parser the binary
//! uses: a renamed flag then fails a test instead of a deployment.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

/// Bounds and policies of a gateway.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Largest accepted upload, in bytes (the photo itself; multipart framing is extra).
    pub max_upload_bytes: usize,
    /// Largest accepted width or height, in pixels, read from the image's header.
    pub max_side: u32,
    /// Largest accepted width x height, in pixels, read from the image's header.
    pub max_pixels: u64,
    /// Time from an upload's arrival to its answer, all attempts included.
    pub request_deadline: Duration,
    /// Bound on one exchange with one worker (its classification included).
    pub attempt_timeout: Duration,
    /// Bound on one TCP handshake with a worker.
    pub connect_timeout: Duration,
    /// Workers tried per request at most (the retry budget is this minus one).
    pub max_attempts: u32,
    /// Classification requests handled at once; more get 503 with `Retry-After`.
    pub max_concurrent: usize,
    /// Consecutive failures that take a worker out of rotation.
    pub eject_after: u32,
    /// Pause between two rounds of probing the ejected workers.
    pub probe_interval: Duration,
    /// Pause between two rounds of health checks of the workers in rotation; `None`: no
    /// active health check (failures are then seen through requests only).
    pub health_check_interval: Option<Duration>,
    /// Bound on one health check's TCP handshake.
    pub health_check_timeout: Duration,
    /// Consecutive failed health checks that take a worker out of rotation.
    pub health_check_failures: u32,
    /// Time a client has to send a request's line and headers, from the moment the
    /// connection is ready for one: after accepting it, and after each answer on a
    /// keep-alive connection (so this is also the idle keep-alive timeout).
    pub header_timeout: Duration,
    /// Time a write to an HTTP client may make no progress (the client is not reading its
    /// answer) before the connection is closed.
    pub write_timeout: Duration,
    /// HTTP connections open at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// The admin token: admin calls need it (as `Authorization: Bearer`, or a session cookie
    /// from `POST /admin/login`); with none, they are accepted from loopback only.
    pub admin_token: Option<String>,
    /// How long an admin session cookie stays valid.
    pub session_lifetime: Duration,
    /// Names whose addresses are workers, looked up at start and every [`dns_refresh`].
    ///
    /// [`dns_refresh`]: GatewayConfig::dns_refresh
    pub workers_dns: Vec<DnsName>,
    /// Pause between two lookups of [`GatewayConfig::workers_dns`].
    pub dns_refresh: Duration,
}

impl Default for GatewayConfig {
    /// 10 MiB uploads, 10 000 px per side and 64 megapixels (a 48-megapixel phone photo
    /// passes), 30 s per request and 15 s per attempt, 2 s to connect, 4 attempts, 64
    /// concurrent requests, ejection after 2 consecutive failures, probes every second, no
    /// admin token, admin sessions of 12 hours, no DNS names (refreshed every 5 s when
    /// given: a Kubernetes endpoint change shows within seconds, for one lookup per name).
    ///
    /// Health checks every 2 s with a 1 s handshake bound, ejection after 2 failed in a row:
    /// a worker that dies while idle leaves the rotation 2–6 s later, for one connection per
    /// worker every 2 s. 10 s for request headers (a browser sends them in one packet; 10 s
    /// allows a very slow link), 30 s for a client to take any of its answer, and 512 open
    /// connections: with the default descriptor limit of 1024, this leaves room for the
    /// worker connections (at most [`GatewayConfig::max_concurrent`] plus the checks) and the
    /// process's own files.
    fn default() -> Self {
        Self {
            max_upload_bytes: 10 << 20,
            max_side: 10_000,
            max_pixels: 64_000_000,
            request_deadline: Duration::from_secs(30),
            attempt_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(2),
            max_attempts: 4,
            max_concurrent: 64,
            eject_after: 2,
            probe_interval: Duration::from_secs(1),
            health_check_interval: Some(Duration::from_secs(2)),
            health_check_timeout: Duration::from_secs(1),
            health_check_failures: 2,
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: 512,
            admin_token: None,
            session_lifetime: Duration::from_secs(12 * 3600),
            workers_dns: Vec::new(),
            dns_refresh: Duration::from_secs(5),
        }
    }
}

/// A DNS name whose addresses are workers, and their port: `workers:8888`. In Kubernetes a
/// headless Service's name has one A record per ready pod; in Compose a service's name has
/// one per replica.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DnsName {
    /// The name looked up (through the system resolver, so `/etc/hosts` counts).
    pub host: String,
    /// The workers' port.
    pub port: u16,
}

impl fmt::Display for DnsName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

impl FromStr for DnsName {
    type Err = String;

    /// Parses `NAME:PORT`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let expected = || format!("{text:?} is not NAME:PORT, e.g. workers:8888");
        let (host, port) = text.rsplit_once(':').ok_or_else(expected)?;
        let port = port.parse().map_err(|_| expected())?;
        if host.is_empty() || host.contains(['/', ' ', '[', ']']) {
            return Err(expected());
        }
        Ok(Self {
            host: host.to_owned(),
            port,
        })
    }
}

/// `recognition-gateway`'s command line.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "recognition-gateway",
    version,
    about = "The web gateway of the image recognition service: serves the upload page on \
             HTTP and sends every photo to one of its recognition workers, round-robin, \
             retrying elsewhere when a worker fails. Workers can be added and removed while it \
             runs (GET /add/IP:PORT, GET /del/IP:PORT, the /workers page), or found through DNS."
)]
pub struct GatewayArgs {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    pub host: String,
    /// Port to listen on (0 picks a free one; the log says which).
    #[arg(long, default_value_t = 9999)]
    pub port: u16,
    /// A recognition worker, IP:PORT (or host:port, resolved once at start); repeat for more.
    #[arg(long = "worker", value_name = "HOST:PORT")]
    pub workers: Vec<String>,
    /// A DNS name whose every address is a worker on PORT, looked up at start and every
    /// --dns-refresh-ms (a Kubernetes headless Service, a Compose service); repeat for more.
    #[arg(long = "workers-dns", value_name = "NAME:PORT")]
    pub workers_dns: Vec<DnsName>,
    /// Milliseconds between two lookups of the --workers-dns names.
    #[arg(long, default_value_t = GatewayConfig::default().dns_refresh.as_millis() as u64)]
    pub dns_refresh_ms: u64,
    /// The admin token: admin calls (/add, /del, /api/workers changes, the forms of
    /// /workers) need it, as `Authorization: Bearer TOKEN` or through a session cookie from
    /// the login form at /admin; without one they are accepted from loopback clients only.
    #[arg(long, env = "RECOGNITION_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Largest upload, in MiB.
    #[arg(long, default_value_t = 10)]
    pub max_upload_mib: usize,
    /// Seconds an upload may take to be answered, all attempts included.
    #[arg(long, default_value_t = 30)]
    pub deadline: u64,
    /// Workers tried per upload at most.
    #[arg(long, default_value_t = GatewayConfig::default().max_attempts)]
    pub max_attempts: u32,
    /// Uploads classified at once; more are answered 503 with Retry-After.
    #[arg(long, default_value_t = GatewayConfig::default().max_concurrent)]
    pub max_concurrent: usize,
    /// Consecutive failed exchanges (refused, timed out, broken answer) that take a worker
    /// out of rotation.
    #[arg(long, default_value_t = GatewayConfig::default().eject_after)]
    pub eject_after: u32,
    /// Milliseconds between probes of ejected workers (a real classification of a small
    /// picture; a worker that answers is put back in rotation).
    #[arg(long, default_value_t = 1000)]
    pub probe_interval_ms: u64,
    /// Milliseconds between health checks of the workers in rotation (a TCP connect, closed
    /// at once: no classification); 0 turns them off, so a dead worker is then noticed only
    /// when a request reaches it.
    #[arg(long, default_value_t = millis(GatewayConfig::default().health_check_interval))]
    pub health_check_interval_ms: u64,
    /// Milliseconds a health check waits for the TCP handshake.
    #[arg(long, default_value_t = millis(Some(GatewayConfig::default().health_check_timeout)))]
    pub health_check_timeout_ms: u64,
    /// Consecutive failed health checks that take a worker out of rotation.
    #[arg(long, default_value_t = GatewayConfig::default().health_check_failures)]
    pub health_check_failures: u32,
    /// Seconds a client has to send a request's line and headers; also how long an idle
    /// keep-alive connection stays open. Slower clients are disconnected.
    #[arg(long, default_value_t = GatewayConfig::default().header_timeout.as_secs())]
    pub header_timeout: u64,
    /// Seconds an answer may wait for a client that does not read it (no byte taken)
    /// before the connection is closed.
    #[arg(long, default_value_t = GatewayConfig::default().write_timeout.as_secs())]
    pub write_timeout: u64,
    /// HTTP connections open at once; further clients wait in the listen backlog until one
    /// closes. Keep it well under the descriptor limit (`ulimit -n`).
    #[arg(long, default_value_t = GatewayConfig::default().max_connections)]
    pub max_connections: usize,
}

/// `duration` in whole milliseconds, 0 for none (a default shown by `--help`).
const fn millis(duration: Option<Duration>) -> u64 {
    match duration {
        Some(d) => d.as_millis() as u64,
        None => 0,
    }
}

impl GatewayArgs {
    /// The configuration these options describe, each value clamped to what the gateway
    /// can run with: at least one attempt, worker, connection and request; intervals of at
    /// least 10 ms (a probe or lookup every millisecond would only burn CPU); an attempt
    /// never longer than the deadline; an empty admin token counts as none.
    pub fn config(&self) -> GatewayConfig {
        let defaults = GatewayConfig::default();
        let deadline = Duration::from_secs(self.deadline.max(1));
        GatewayConfig {
            max_upload_bytes: self.max_upload_mib.max(1) << 20,
            request_deadline: deadline,
            attempt_timeout: defaults.attempt_timeout.min(deadline),
            max_attempts: self.max_attempts.max(1),
            max_concurrent: self.max_concurrent.max(1),
            eject_after: self.eject_after.max(1),
            probe_interval: Duration::from_millis(self.probe_interval_ms.max(10)),
            health_check_interval: (self.health_check_interval_ms > 0)
                .then(|| Duration::from_millis(self.health_check_interval_ms.max(10))),
            health_check_timeout: Duration::from_millis(self.health_check_timeout_ms.max(1)),
            health_check_failures: self.health_check_failures.max(1),
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            write_timeout: Duration::from_secs(self.write_timeout.max(1)),
            max_connections: self.max_connections.max(1),
            admin_token: self.admin_token.clone().filter(|t| !t.is_empty()),
            workers_dns: self.workers_dns.clone(),
            dns_refresh: Duration::from_millis(self.dns_refresh_ms.max(10)),
            ..defaults
        }
    }

    /// The `--worker` addresses, each resolved once.
    ///
    /// Errors: the first that is not `host:port` or has no address.
    pub fn worker_addresses(&self) -> std::io::Result<Vec<SocketAddr>> {
        self.workers
            .iter()
            .map(|w| common::net::resolve_addr(w))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    #[test]
    fn dns_names_parse_as_name_and_port() {
        let name: DnsName = "workers.default.svc:8888".parse().unwrap();
        assert_eq!(
            (name.host.as_str(), name.port),
            ("workers.default.svc", 8888)
        );
        assert_eq!(name.to_string(), "workers.default.svc:8888");
        for bad in ["workers", "workers:", ":8888", "workers:http", "a b:1"] {
            assert!(bad.parse::<DnsName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn options_are_clamped_into_the_configuration() {
        let args = GatewayArgs::parse_from([
            "recognition-gateway",
            "--deadline",
            "0",
            "--max-attempts",
            "0",
            "--health-check-interval-ms",
            "0",
            "--dns-refresh-ms",
            "1",
            "--admin-token",
            "",
            "--workers-dns",
            "workers:8888",
        ]);
        let config = args.config();
        assert_eq!(config.request_deadline, Duration::from_secs(1));
        assert_eq!(config.attempt_timeout, Duration::from_secs(1));
        assert_eq!(config.max_attempts, 1);
        assert_eq!(config.health_check_interval, None);
        assert_eq!(config.dns_refresh, Duration::from_millis(10));
        assert_eq!(config.admin_token, None);
        assert_eq!(config.workers_dns[0].port, 8888);
    }
}
