//! Frames lab, one frame at a time: each step of both phases, so the README's per-phase
//! floor has a measured figure per step.
//!
//! Run with `cargo bench -p benches --bench frames_phases`. Groups:
//!
//! - `frames_one_download`: the server making a frame (`generate`), one whole connection
//!   against the in-process thread-per-connection server (`receive`: connect, the server's
//!   thread, the frame, both closes), and saving it in place (`save`);
//! - `frames_gif_256`: reading and decoding one frame (`load`), and the GIF phase over 256
//!   frames, sequential against rayon (one chunk of the parallel mode).

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

criterion_group!(frames_phases, download, gif);
criterion_main!(frames_phases);
