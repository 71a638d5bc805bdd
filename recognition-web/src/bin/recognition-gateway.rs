//! `recognition-gateway`: the upload page and JSON API in front of the recognition workers.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser;
use recognition_web::gateway::{self, Gateway, GatewayConfig};

/// The web gateway of the image recognition service: serves the upload page on HTTP and
/// sends every photo to one of its recognition workers, round-robin, retrying elsewhere when
/// a worker fails. Workers can be added and removed while it runs (`GET /add/IP:PORT`,
/// `GET /del/IP:PORT`).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    host: String,
    /// Port to listen on (0 picks a free one; the log says which).
    #[arg(long, default_value_t = 9999)]
    port: u16,
    /// A recognition worker, IP:PORT (or host:port); repeat for more.
    #[arg(long = "worker", value_name = "HOST:PORT")]
    workers: Vec<String>,
    /// Bearer token the admin calls (/add, /del, /api/workers changes) require; without
    /// one they are accepted from loopback clients only.
    #[arg(long)]
    admin_token: Option<String>,
    /// Largest upload, in MiB.
    #[arg(long, default_value_t = 10)]
    max_upload_mib: usize,
    /// Seconds an upload may take to be answered, all attempts included.
    #[arg(long, default_value_t = 30)]
    deadline: u64,
    /// Workers tried per upload at most.
    #[arg(long, default_value_t = GatewayConfig::default().max_attempts)]
    max_attempts: u32,
    /// Uploads classified at once; more are answered 503 with Retry-After.
    #[arg(long, default_value_t = GatewayConfig::default().max_concurrent)]
    max_concurrent: usize,
    /// Consecutive failed exchanges (refused, timed out, broken answer) that take a worker
    /// out of rotation.
    #[arg(long, default_value_t = GatewayConfig::default().eject_after)]
    eject_after: u32,
    /// Milliseconds between probes of ejected workers (a real classification of a small
    /// picture; a worker that answers is put back in rotation).
    #[arg(long, default_value_t = 1000)]
    probe_interval_ms: u64,
    /// Milliseconds between health checks of the workers in rotation (a TCP connect, closed
    /// at once: no classification); 0 turns them off, so a dead worker is then noticed only
    /// when a request reaches it.
    #[arg(long, default_value_t = millis(GatewayConfig::default().health_check_interval))]
    health_check_interval_ms: u64,
    /// Milliseconds a health check waits for the TCP handshake.
    #[arg(long, default_value_t = millis(Some(GatewayConfig::default().health_check_timeout)))]
    health_check_timeout_ms: u64,
    /// Consecutive failed health checks that take a worker out of rotation.
    #[arg(long, default_value_t = GatewayConfig::default().health_check_failures)]
    health_check_failures: u32,
    /// Seconds a client has to send a request's line and headers; also how long an idle
    /// keep-alive connection stays open. Slower clients are disconnected.
    #[arg(long, default_value_t = GatewayConfig::default().header_timeout.as_secs())]
    header_timeout: u64,
    /// Seconds an answer may wait for a client that does not read it (no byte taken)
    /// before the connection is closed.
    #[arg(long, default_value_t = GatewayConfig::default().write_timeout.as_secs())]
    write_timeout: u64,
    /// HTTP connections open at once; further clients wait in the listen backlog until one
    /// closes. Keep it well under the descriptor limit (`ulimit -n`).
    #[arg(long, default_value_t = GatewayConfig::default().max_connections)]
    max_connections: usize,
}

/// `duration` in whole milliseconds, 0 for none (a default shown by `--help`).
const fn millis(duration: Option<Duration>) -> u64 {
    match duration {
        Some(d) => d.as_millis() as u64,
        None => 0,
    }
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    common::cli::exit_code(run(Args::parse()))
}

fn run(args: Args) -> anyhow::Result<()> {
    let workers = args
        .workers
        .iter()
        .map(|w| common::net::resolve_addr(w))
        .collect::<Result<Vec<SocketAddr>, _>>()?;
    let defaults = GatewayConfig::default();
    let config = GatewayConfig {
        max_upload_bytes: args.max_upload_mib << 20,
        request_deadline: Duration::from_secs(args.deadline.max(1)),
        attempt_timeout: defaults
            .attempt_timeout
            .min(Duration::from_secs(args.deadline.max(1))),
        max_attempts: args.max_attempts.max(1),
        max_concurrent: args.max_concurrent.max(1),
        eject_after: args.eject_after.max(1),
        probe_interval: Duration::from_millis(args.probe_interval_ms.max(10)),
        health_check_interval: (args.health_check_interval_ms > 0)
            .then(|| Duration::from_millis(args.health_check_interval_ms.max(10))),
        health_check_timeout: Duration::from_millis(args.health_check_timeout_ms.max(1)),
        health_check_failures: args.health_check_failures.max(1),
        header_timeout: Duration::from_secs(args.header_timeout.max(1)),
        write_timeout: Duration::from_secs(args.write_timeout.max(1)),
        max_connections: args.max_connections.max(1),
        admin_token: args.admin_token.filter(|t| !t.is_empty()),
        ..defaults
    };
    let addr = common::net::resolve(&args.host, args.port)?;
    let listener = common::net::bind_listener(addr, common::net::DEFAULT_BACKLOG)
        .with_context(|| format!("cannot listen on {addr}"))?;
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        log::info!(
            "Recognition gateway listening on http://{} with {} workers, at most {} \
             connections{}",
            listener.local_addr()?,
            workers.len(),
            config.max_connections,
            if config.admin_token.is_some() {
                ""
            } else {
                " (admin calls from loopback only)"
            }
        );
        if workers.is_empty() {
            log::warn!("no workers yet: add one with GET /add/IP:PORT");
        }
        let gateway = Gateway::new(config, workers);
        gateway::serve(listener, gateway, shutdown_signal()).await?;
        log::info!("Recognition gateway stopped");
        anyhow::Ok(())
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    log::info!("Shutting down: finishing the requests in progress");
}
