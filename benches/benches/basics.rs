//! Basics (the client-server slides): a process per request against a process pool, and
//! the asynchronous square server at 1 and at 1000 concurrent clients.
//!
//! Run with `cargo bench -p benches --bench basics`.
//!
//! - `basics_pid_200_greetings`: `pid-server` (the binary, built first, run as a process of
//!   its own) answering 200 greetings from 8 client threads, each waiting for its answer
//!   before sending the next: a new process per request against `--pool 4`.
//! - `basics_square_1000_numbers`: the square server (in this process, on its one tokio
//!   thread) squaring 1000 numbers, each on its own connection, with the client keeping 1
//!   connection open at a time against 1000 at once.

use std::cell::OnceCell;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use basics::datagram::{Retry, request};
use basics::pid::{answer_pid, greeting};
use basics::square::{client, server};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const GREETINGS: usize = 200;
const CLIENT_THREADS: usize = 8;
const NUMBERS: usize = 1000;

/// A `pid-server` process on a free loopback port; stopped (SIGTERM, as Ctrl-C) when dropped.
struct PidServer {
    child: Child,
    addr: SocketAddr,
}

impl PidServer {
    fn start(exe: &std::path::Path, args: &[&str]) -> Self {
        let mut child = Command::new(exe)
            .args(["--host", "127.0.0.1", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pid-server");
        // Its first line: `Server up and running at 127.0.0.1:PORT`. The rest (a line per
        // greeting and per answer) is drained, so a full pipe never stalls the server.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let addr = first
            .trim()
            .strip_prefix("Server up and running at ")
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("not pid-server's first line: {first:?}"));
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Self { child, addr }
    }

    /// [`GREETINGS`] greetings from [`CLIENT_THREADS`] threads, one at a time each; how
    /// long they took.
    fn greet(&self) -> Duration {
        let next = AtomicUsize::new(0);
        let retry = Retry {
            attempts: 5,
            timeout: Duration::from_secs(2),
        };
        let started = Instant::now();
        std::thread::scope(|scope| {
            for _ in 0..CLIENT_THREADS {
                scope.spawn(|| {
                    while next.fetch_add(1, Ordering::Relaxed) < GREETINGS {
                        let message = greeting(std::process::id(), self.addr);
                        let answer = request(self.addr, message.as_bytes(), retry).unwrap();
                        assert!(answer_pid(&String::from_utf8_lossy(&answer)).is_some());
                    }
                });
            }
        });
        started.elapsed()
    }
}

impl Drop for PidServer {
    fn drop(&mut self) {
        let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
        let _ = self.child.wait();
    }
}

fn pid(c: &mut Criterion) {
    let group_name = "basics_pid_200_greetings";
    benches::compare(
        group_name,
        "pid-server, a new process per request against a pool of 4 processes; 200 greetings \
         from 8 client threads",
    );
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    let exe = OnceCell::new();
    for (name, args) in [
        ("process_per_request", &[][..]),
        ("pool_4", &["--pool", "4"][..]),
    ] {
        let server = OnceCell::new();
        group.bench_function(name, |b| {
            let server = server.get_or_init(|| {
                let exe = exe.get_or_init(|| benches::workspace_binary("basics", "pid-server"));
                PidServer::start(exe, args)
            });
            b.iter_custom(|iters| (0..iters).map(|_| server.greet()).sum())
        });
    }
    group.finish();
}

/// The square server on its own thread and tokio runtime; stops when dropped.
struct SquareServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SquareServer {
    fn start() -> Self {
        let listener =
            common::net::bind_listener(([127, 0, 0, 1], 0).into(), common::net::DEFAULT_BACKLOG)
                .unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let shutdown = async move {
                    let _ = stopped.await;
                };
                server::run(listener, shutdown, server::Limits::default())
                    .await
                    .unwrap();
            });
        });
        Self {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for SquareServer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn square(c: &mut Criterion) {
    let group_name = "basics_square_1000_numbers";
    benches::compare(
        group_name,
        "square-server on one tokio thread; 1000 numbers, each on its own connection, 1 \
         client at a time against 1000 at once",
    );
    // Client and server share this process: 2000 descriptors at once.
    basics::square::raise_open_files_limit().unwrap();
    let numbers: Vec<String> = (0..NUMBERS as i64)
        .map(|n| (n * 7919 - 3_000_000).to_string())
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = OnceCell::new();
    let mut group = c.benchmark_group(group_name);
    // Flat: each sample the same number of runs, so 10 samples of a 0.2 s run take 2 s.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (name, concurrency) in [("clients_1", 1), ("clients_1000", 1000)] {
        group.bench_function(name, |b| {
            let addr = server.get_or_init(SquareServer::start).addr;
            b.iter_custom(|iters| {
                let started = Instant::now();
                for _ in 0..iters {
                    let answers = runtime
                        .block_on(client::square_all(
                            addr,
                            &numbers,
                            concurrency,
                            Duration::from_secs(30),
                        ))
                        .unwrap();
                    assert_eq!(answers.len(), NUMBERS);
                }
                started.elapsed()
            })
        });
    }
    group.finish();
}

criterion_group!(basics_benches, pid, square);
criterion_main!(basics_benches);
