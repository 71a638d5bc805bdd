//! The recognition service: photos per second through one worker straight over the
//! protocol, at 1, 4 and 16 requests in flight, with and without dynamic batching, for every
//! engine compiled in; then the gateway in front of 1 and 2 workers.
//!
//! ```text
//! cargo bench -p benches --bench recognition                                  # rten
//! cargo bench -p benches --bench recognition --features tract,onnxruntime     # all three
//! ```
//!
//! Everything runs in this process on loopback (workers on threads, the gateway on its own
//! tokio runtime), so the figures show the service's own costs on this machine's cores: a
//! worker on other hosts would add its network, not its CPU. Each iteration sends `N`
//! photos at once (the 11 test photos in turn) and waits for every answer; criterion's
//! throughput is photos per second. Before criterion's groups, a table of photos per second
//! and latency percentiles (p50, p99) per engine, batching and requests in flight: clients
//! that each send their next photo as soon as the previous one is answered, as a loaded
//! service sees them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::local::LocalServer;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use recognition_web::gateway::GatewayConfig;
use recognition_web::gateway::local::LocalGateway;
use recognition_web::protocol::{self, Answer, Connection, Limits};
use recognition_web::worker::{BatchConfig, Worker, WorkerConfig};
use squeezenet::{Classifier, ClassifierOptions, EngineKind, EngineOptions};

/// A worker on a thread of this process: batches of up to 8 photos waiting at most 5 ms,
/// or no batching.
fn worker(classifier: &Arc<Classifier>, batched: bool) -> LocalServer {
    let config = WorkerConfig {
        batch: BatchConfig {
            max_batch: if batched { 8 } else { 1 },
            wait: Duration::from_millis(5),
        },
        ..WorkerConfig::default()
    };
    let worker = Arc::new(Worker::new(classifier.clone(), config));
    LocalServer::start(move |listener, shutdown, _| worker.serve(listener, &shutdown)).unwrap()
}

/// One exchange over the protocol; panics unless the worker answers 5 labels.
fn exchange(addr: SocketAddr, text: &[u8]) {
    let mut conn = Connection::connect(addr, Duration::from_secs(5), Limits::default()).unwrap();
    let data = protocol::request(&mut conn, text).unwrap();
    match protocol::parse_result(&data).unwrap() {
        Answer::Labels(labels) => assert_eq!(labels.len(), 5),
        Answer::BadImage(reason) => panic!("{reason}"),
    }
}

/// Runs `send(i)` for `in_flight` values of `i` at once, each on its own thread.
fn at_once(in_flight: usize, send: impl Fn(usize) + Sync) {
    std::thread::scope(|scope| {
        for i in 0..in_flight {
            let send = &send;
            scope.spawn(move || send(i));
        }
    });
}

fn mode(batched: bool) -> &'static str {
    if batched { "batched" } else { "one_by_one" }
}

/// The test photos as the gateway sends them: base64 text.
fn texts() -> Vec<Vec<u8>> {
    testkit::data::photos()
        .iter()
        .map(|p| {
            base64::engine::general_purpose::STANDARD
                .encode(p)
                .into_bytes()
        })
        .collect()
}

/// The classifier for `kind`, with the engine's own choice of threads (as a worker runs).
fn classifier(kind: EngineKind) -> Arc<Classifier> {
    let options = ClassifierOptions {
        engine: EngineOptions {
            kind,
            threads: None,
        },
        ..ClassifierOptions::default()
    };
    Arc::new(Classifier::embedded(&options).unwrap())
}

/// Sends `requests` photos to `addr` from `in_flight` clients at once and returns the
/// photos per second, p50 and p99 in milliseconds.
fn load(addr: SocketAddr, texts: &[Vec<u8>], in_flight: usize, requests: usize) -> (f64, f64, f64) {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..in_flight)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= requests {
                            return mine;
                        }
                        let sent = Instant::now();
                        exchange(addr, &texts[i % texts.len()]);
                        mine.push(sent.elapsed());
                    }
                })
            })
            .collect();
        clients
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |p: f64| {
        common::report::percentile(&latencies, p).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    (requests as f64 / elapsed, at(50.0), at(99.0))
}

/// Prints photos/s, p50 and p99 for every engine, batched or not, at 1, 4 and 16 in flight.
fn latency_table(_: &mut Criterion) {
    let texts = texts();
    println!("engine       batching    in flight  photos/s      p50      p99");
    for &kind in EngineKind::ALL {
        let classifier = classifier(kind);
        for batched in [false, true] {
            let server = worker(&classifier, batched);
            load(server.addr(), &texts, 4, 8); // warm-up
            for in_flight in [1usize, 4, 16] {
                let (rate, p50, p99) =
                    load(server.addr(), &texts, in_flight, 6 * in_flight.max(4) + 24);
                println!(
                    "{:<12} {:<11} {in_flight:>9} {rate:>9.1} {p50:>6.1} ms {p99:>6.1} ms",
                    kind.name(),
                    mode(batched)
                );
            }
        }
    }
}

fn worker_over_protocol(c: &mut Criterion) {
    let texts = texts();
    let mut group = c.benchmark_group("recognition_worker");
    group.sample_size(10);
    for &kind in EngineKind::ALL {
        let classifier = classifier(kind);
        for batched in [false, true] {
            let server = worker(&classifier, batched);
            let addr = server.addr();
            for in_flight in [1usize, 4, 16] {
                group.throughput(Throughput::Elements(in_flight as u64));
                let id = BenchmarkId::new(format!("{kind}/{}", mode(batched)), in_flight);
                let mut round = 0;
                group.bench_function(id, |b| {
                    b.iter(|| {
                        round += 1;
                        at_once(in_flight, |i| {
                            exchange(addr, &texts[(round * in_flight + i) % texts.len()])
                        });
                    })
                });
            }
        }
    }
    group.finish();
}

fn gateway(c: &mut Criterion) {
    let photos = testkit::data::photos();
    let classifier = classifier(EngineKind::default());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let in_flight = 4;
    let mut group = c.benchmark_group("recognition_gateway");
    group.sample_size(10);
    group.throughput(Throughput::Elements(in_flight as u64));
    for workers in [1usize, 2] {
        for batched in [false, true] {
            let servers: Vec<LocalServer> =
                (0..workers).map(|_| worker(&classifier, batched)).collect();
            let addrs: Vec<SocketAddr> = servers.iter().map(LocalServer::addr).collect();
            let gateway = LocalGateway::start(GatewayConfig::default(), &addrs);
            let url = gateway.url("/api/classify");
            let id = BenchmarkId::new(format!("{workers}_workers/{}", mode(batched)), in_flight);
            let mut round = 0;
            group.bench_function(id, |b| {
                b.iter(|| {
                    round += 1;
                    at_once(in_flight, |i| {
                        let photo = &photos[(round * in_flight + i) % photos.len()];
                        let response = agent
                            .post(&url)
                            .header("content-type", "image/jpeg")
                            .send(photo)
                            .unwrap();
                        assert_eq!(response.status(), 200);
                    });
                })
            });
        }
    }
    group.finish();
}

criterion_group!(recognition, latency_table, worker_over_protocol, gateway);
criterion_main!(recognition);
