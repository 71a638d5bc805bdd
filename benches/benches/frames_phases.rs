//! Frames lab, one frame at a time: each step of both phases, so the frames lab's
//! per-phase floor (frame-client's `README.md`) has a measured figure per step.
//!
//! Run with `cargo bench -p benches --bench frames_phases`. Groups:
//!
//! - `frames_one_download`: the server making a frame (`generate`), one whole connection
//!   against the in-process thread-per-connection server (`receive`: connect, the server's
//!   thread, the frame, both closes), and saving it in place (`save`);
//! - `frames_floor`: what the lab's model costs this machine before any of our code runs:
//!   creating and joining one empty std thread (`thread`), and the download phase's 5000
//!   connections on 8 client threads against a server with none of our code, answering on
//!   its accepting thread (`burst_one_thread`) or on a thread per connection as the lab
//!   requires (`burst_threads`), with no files written;
//! - `frames_gif_256`: reading and decoding one frame (`load`), and the GIF phase over 256
//!   frames, sequential against rayon (one chunk of the parallel mode).

use std::sync::Arc;

use benches::{frame_server, receive_one};
use common::fs::write_in_place;
use common::net::ReadLimits;
use common::shutdown::Shutdown;
use criterion::{Criterion, criterion_group, criterion_main};
use frame_client::animation::{Mode, build_gif, frame_path, load_frame};

const FRAMES: usize = 256;

fn download(c: &mut Criterion) {
    let mut group = c.benchmark_group("frames_one_download");
    group.bench_function("generate", |b| {
        let mut rng = rand::rng();
        b.iter(|| frame_server::frame::random_png(&mut rng).expect("a PNG"))
    });
    let server = frame_server();
    let limits = ReadLimits {
        max_bytes: frame_client::MAX_FRAME_BYTES,
        timeout: frame_client::DOWNLOAD_TIMEOUT,
    };
    group.bench_function("receive", |b| b.iter(|| receive_one(server.addr(), limits)));
    let dir = tempfile::tempdir().expect("a temporary folder");
    let png = frame_server::frame::random_png(&mut rand::rng()).expect("a PNG");
    let path = dir.path().join("0.png");
    group.bench_function("save", |b| {
        b.iter(|| write_in_place(&path, &png).expect("a write"))
    });
    group.finish();
}

fn gif(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut rng = rand::rng();
    for index in 0..FRAMES {
        let png = frame_server::frame::random_png(&mut rng).expect("a PNG");
        std::fs::write(frame_path(dir.path(), index), png).expect("write a frame");
    }
    let gif_path = dir.path().join("frames.gif");
    let shutdown = Shutdown::new().expect("a shutdown signal");
    let mut group = c.benchmark_group("frames_gif_256");
    group.sample_size(20);
    group.bench_function("load", |b| {
        b.iter(|| load_frame(dir.path(), 1).expect("a frame"))
    });
    for (name, mode) in [("sequential", Mode::Sequential), ("rayon", Mode::Parallel)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let hidden = indicatif::ProgressBar::hidden();
                build_gif(dir.path(), FRAMES, &gif_path, mode, &hidden, &shutdown).expect("a GIF")
            })
        });
    }
    group.finish();
}

/// Connections in one burst of the `frames_floor` group: the lab's 5000 frames.
const BURST: usize = 5000;

/// Client threads of a burst: `frame-client --optimized`'s default.
const BURST_THREADS: usize = common::client::DEFAULT_DOWNLOAD_THREADS.get();

fn floor(c: &mut Criterion) {
    let mut group = c.benchmark_group("frames_floor");
    group.bench_function("thread", |b| {
        b.iter(|| std::thread::spawn(|| ()).join().expect("an empty thread"))
    });
    group.sample_size(10);
    let png: Arc<[u8]> = frame_server::frame::random_png(&mut rand::rng())
        .expect("a PNG")
        .into();
    for (name, thread_per_connection) in [("burst_one_thread", false), ("burst_threads", true)] {
        let addr = bare_server(png.clone(), thread_per_connection);
        group.bench_function(name, |b| b.iter(|| burst(addr)));
    }
    group.finish();
}

/// A server with none of our code: it writes `png` to each connection and closes, on the
/// accepting thread or on a new std thread per connection (the lab's model).
fn bare_server(png: Arc<[u8]>, thread_per_connection: bool) -> std::net::SocketAddr {
    use std::io::Write as _;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback listener");
    let addr = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if thread_per_connection {
                // A reference count per thread, not a copy of the frame.
                let png = Arc::clone(&png);
                std::thread::spawn(move || drop((&stream).write_all(&png)));
            } else {
                drop((&stream).write_all(&png));
            }
        }
    });
    addr
}

/// [`BURST`] connections to `addr` on [`BURST_THREADS`] threads, each read to its end:
/// the download phase with none of our client code and no files.
fn burst(addr: std::net::SocketAddr) {
    use std::io::Read as _;
    std::thread::scope(|scope| {
        for _ in 0..BURST_THREADS {
            scope.spawn(|| {
                let mut frame = Vec::new();
                for _ in 0..BURST / BURST_THREADS {
                    let mut stream = std::net::TcpStream::connect(addr).expect("a connection");
                    frame.clear();
                    stream.read_to_end(&mut frame).expect("a frame");
                }
            });
        }
    });
}

criterion_group!(frames_phases, download, floor, gif);
criterion_main!(frames_phases);
