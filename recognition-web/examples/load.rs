//! Load generator for the recognition service: requests/s and latency percentiles, through
//! the gateway's HTTP API or straight to one worker over the socket protocol (the worker's
//! own rate, to see what the gateway adds).
//!
//! ```sh
//! cargo run --release -p recognition-web --example load -- --gateway http://127.0.0.1:9999 --requests 200 --concurrency 6
//! cargo run --release -p recognition-web --example load -- --worker 127.0.0.1:8881 --requests 100 --concurrency 2
//! ```
//!
//! Photos are the 11 test photos in turn. Every request is checked (status 200, 5 labels);
//! failures are counted and reported, never retried by the tool.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use clap::Parser;
use recognition_web::protocol::{self, Answer, Connection, Limits};

/// Sends a bounded number of classification requests and reports the rate and latency.
#[derive(Debug, Parser)]
struct Args {
    /// The gateway's base URL, e.g. http://127.0.0.1:9999.
    #[arg(long, conflicts_with = "worker", required_unless_present = "worker")]
    gateway: Option<String>,
    /// One worker's IP:PORT, spoken to over the socket protocol.
    #[arg(long)]
    worker: Option<SocketAddr>,
    /// Requests in all.
    #[arg(long, default_value_t = 100)]
    requests: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Folder of JPEG photos [default: the repository's testdata/photos].
    #[arg(long)]
    photos: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = args
        .photos
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testdata/photos"));
    let mut photos = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "jpg" || e == "jpeg") {
            photos.push(std::fs::read(path)?);
        }
    }
    anyhow::ensure!(!photos.is_empty(), "no photos in {}", dir.display());
    let photos = Arc::new(photos);
    let next = Arc::new(AtomicUsize::new(0));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // Loopback and test namespaces only: never through a proxy from the environment.
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    let args = Arc::new(args);
    let started = Instant::now();
    let threads: Vec<_> = (0..args.concurrency.max(1))
        .map(|_| {
            let (args, photos, next, agent) =
                (args.clone(), photos.clone(), next.clone(), agent.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut errors = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= args.requests {
                        return (latencies, errors);
                    }
                    let photo = &photos[i % photos.len()];
                    let sent = Instant::now();
                    let result = match (&args.gateway, args.worker) {
                        (Some(url), _) => via_gateway(&agent, url, photo),
                        (None, Some(worker)) => via_protocol(worker, photo),
                        (None, None) => unreachable!("clap requires one"),
                    };
                    match result {
                        Ok(()) => latencies.push(sent.elapsed()),
                        Err(e) => errors.push(e),
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for thread in threads {
        let (l, e) = thread.join().expect("a load thread panicked");
        latencies.extend(l);
        errors.extend(e);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let percentile = |p: f64| -> f64 {
        common::report::percentile(&latencies, p * 100.0)
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{} ok, {} failed in {:.2} s: {:.1} req/s, p50 {:.0} ms, p99 {:.0} ms (concurrency {})",
        latencies.len(),
        errors.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(0.50),
        percentile(0.99),
        args.concurrency
    );
    for error in errors.iter().take(5) {
        println!("  failure: {error}");
    }
    Ok(())
}

fn via_gateway(agent: &ureq::Agent, url: &str, photo: &[u8]) -> Result<(), String> {
    let mut response = agent
        .post(format!("{url}/api/classify"))
        .header("content-type", "image/jpeg")
        .send(photo)
        .map_err(|e| e.to_string())?;
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    if response.status() != 200 || !body.contains("\"predictions\"") {
        return Err(format!("{}: {body}", response.status()));
    }
    Ok(())
}

fn via_protocol(worker: SocketAddr, photo: &[u8]) -> Result<(), String> {
    let text = base64::engine::general_purpose::STANDARD.encode(photo);
    let mut conn = Connection::connect(worker, Duration::from_secs(2), Limits::default())
        .map_err(|e| e.to_string())?;
    let data = protocol::request(&mut conn, text.as_bytes()).map_err(|e| e.to_string())?;
    match protocol::parse_result(&data) {
        Ok(Answer::Labels(labels)) if labels.len() == 5 => Ok(()),
        other => Err(format!("{other:?}")),
    }
}
