//! `recognition-gateway`: the upload page and JSON API in front of the recognition workers.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use recognition_web::gateway::{self, Gateway, GatewayArgs};

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    common::cli::exit_code(run(GatewayArgs::parse()))
}

fn run(args: GatewayArgs) -> anyhow::Result<()> {
    let workers = args.worker_addresses()?;
    let config = args.config();
    let addr = common::net::resolve(&args.host, args.port)?;
    let listener = common::net::bind_listener(addr, common::net::DEFAULT_BACKLOG)
        .with_context(|| format!("cannot listen on {addr}"))?;
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        log::info!(
            "Recognition gateway listening on http://{} with {} workers{}, at most {} \
             connections{}",
            listener.local_addr()?,
            workers.len(),
            dns_names(&config),
            config.max_connections,
            if config.admin_token.is_some() {
                ""
            } else {
                " (admin calls from loopback only)"
            }
        );
        if workers.is_empty() && config.workers_dns.is_empty() {
            log::warn!("no workers yet: add one with GET /add/IP:PORT or on /workers");
        }
        let gateway = Gateway::new(config, workers);
        gateway::serve(listener, gateway, shutdown_signal()).await?;
        log::info!("Recognition gateway stopped");
        anyhow::Ok(())
    })
}

/// ` and the addresses of NAME:PORT, ...` for the start-up line.
fn dns_names(config: &gateway::GatewayConfig) -> String {
    if config.workers_dns.is_empty() {
        return String::new();
    }
    let names: Vec<String> = config.workers_dns.iter().map(ToString::to_string).collect();
    format!(
        " and the addresses of {} (looked up every {} ms)",
        names.join(", "),
        config.dns_refresh.as_millis()
    )
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
