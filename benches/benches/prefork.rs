//! Pre-fork lab: the sequential server against the pre-fork server, 32 requests.
//!
//! Run with `cargo bench -p benches --bench prefork`. Both servers run the real code
//! in-process on loopback (`inference_server::sequential::run`, and
//! `inference_server::prefork::run` with 2 worker processes of 4 threads, the workers being
//! the `inference-server` binary, built first). The photos come from a local HTTP server
//! that answers each download after a fixed 50 ms, as a real web server far away would, so
//! a server that overlaps its clients' downloads shows it. Each iteration is
//! `inference-client --requests 32 --concurrency 8` over the test photos in turn; before
//! measuring, one such run per server prints its throughput and latency percentiles.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::thread::JoinHandle;
use std::time::Duration;

use common::local::LocalServer;
use common::net::{DEFAULT_BACKLOG, ReadLimits, Until, bind_listener, read_message};
use common::server::{ServerConfig, serve};
use common::shutdown::Shutdown;
use criterion::{Criterion, criterion_group, criterion_main};
use inference_server::load::{self, Load};
use inference_server::prefork::{self, Prefork};
use inference_server::sequential;
use inference_server::service::WorkerArgs;

const LOAD: Load = Load {
    requests: 32,
    concurrency: 8,
};
/// How long the photo server takes to answer each download.
const PHOTO_DELAY: Duration = Duration::from_millis(50);

/// An HTTP server on loopback serving the test photos, each answer after [`PHOTO_DELAY`]
/// (the server's per-connection latency: a thread per download, so delays overlap).
fn photo_server() -> LocalServer {
    // Read once: the benchmark times the servers, not this stand-in's disk.
    let photos: HashMap<String, Vec<u8>> = testkit::data::photo_names()
        .into_iter()
        .zip(testkit::data::photos())
        .collect();
    let handler = move |mut stream: std::net::TcpStream, _| -> anyhow::Result<()> {
        let limits = ReadLimits {
            max_bytes: 8192,
            timeout: Duration::from_secs(10),
        };
        let head = read_message(&stream, Until::Delimiter(b"\r\n\r\n"), limits)?;
        let head = String::from_utf8_lossy(&head);
        let name = head.split_whitespace().nth(1).unwrap_or("/");
        let body = photos
            .get(name.trim_start_matches('/'))
            .ok_or_else(|| anyhow::anyhow!("no photo {name}"))?;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n",
            body.len()
        )?;
        stream.write_all(body)?;
        Ok(())
    };
    let config = ServerConfig {
        latency: PHOTO_DELAY,
        ..ServerConfig::default()
    };
    LocalServer::start_with(
        move |listener, shutdown, config| serve(listener, &shutdown, config, handler),
        config,
    )
    .expect("start the photo server")
}

/// The photo URLs on `photos`, in name order.
fn urls(photos: &LocalServer) -> Vec<String> {
    let addr = photos.addr();
    testkit::data::photo_names()
        .iter()
        .map(|name| format!("http://{addr}/{name}"))
        .collect()
}

/// A server under test, in this process, on a loopback port; stopped when dropped.
struct Running {
    addr: SocketAddr,
    shutdown: Shutdown,
    thread: Option<JoinHandle<anyhow::Result<()>>>,
    _images: tempfile::TempDir,
}

impl Running {
    /// Starts `run(listener, shutdown, options)`, options saving images in a temporary
    /// folder and fetching from loopback.
    fn start<F>(run: F) -> Self
    where
        F: FnOnce(std::net::TcpListener, Shutdown, WorkerArgs) -> anyhow::Result<()>,
        F: Send + 'static,
    {
        let images = tempfile::tempdir().unwrap();
        let options = WorkerArgs {
            images_dir: images.path().to_owned(),
            allow_private_urls: true,
            ..WorkerArgs::default()
        };
        let listener = bind_listener(([127, 0, 0, 1], 0).into(), DEFAULT_BACKLOG).unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = Shutdown::new().unwrap();
        let thread = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || run(listener, shutdown, options))
        };
        Self {
            addr,
            shutdown,
            thread: Some(thread),
            _images: images,
        }
    }

    /// One run of [`LOAD`]; panics if any request failed.
    fn load(&self, urls: &[String]) -> load::Report {
        let never = Shutdown::new().unwrap();
        let report = load::run("127.0.0.1", self.addr, urls, LOAD, &never).unwrap();
        assert!(report.failures.is_empty(), "{:?}", report.failures);
        report
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.trigger();
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap().unwrap();
        }
    }
}

fn sequential_server() -> Running {
    Running::start(|listener, shutdown, options| sequential::run(listener, &shutdown, &options))
}

/// The pre-fork server, its workers being the `inference-server` binary, built first.
fn prefork_server() -> Running {
    let worker_exe = benches::workspace_binary("inference-server", "inference-server");
    Running::start(move |listener, shutdown, worker| {
        let prefork = Prefork {
            processes: 2,
            worker_exe,
            worker,
            grace: Duration::from_secs(10),
        };
        prefork::run(listener, shutdown, &prefork)
    })
}

fn requests(c: &mut Criterion) {
    let group_name = "prefork_32_requests";
    benches::compare(
        group_name,
        "inference-server --sequential (1 process, 1 thread) against the pre-fork server \
         (2 workers x 4 threads); 32 requests, 8 at a time, each photo served after 50 ms",
    );
    let photos = photo_server();
    let urls = urls(&photos);
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    let servers = [
        ("sequential", sequential_server as fn() -> Running),
        ("prefork_2x4", prefork_server),
    ];
    for (name, start) in servers {
        // Started on first use, so `--list` and filters start nothing; stopped after its
        // benchmark.
        let server = OnceCell::new();
        group.bench_function(name, |b| {
            let server = server.get_or_init(|| {
                let server = start();
                // The first run loads every worker's model; the second is the one shown.
                server.load(&urls);
                println!("{group_name}/{name}: {}", server.load(&urls).summary());
                server
            });
            b.iter_custom(|iters| (0..iters).map(|_| server.load(&urls).elapsed).sum())
        });
    }
    group.finish();
}

criterion_group!(prefork, requests);
criterion_main!(prefork);
