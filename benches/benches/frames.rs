//! Frames lab: download and GIF phases, sequential against optimized.
//!
//! Run with `cargo bench -p benches --bench frames`. Each iteration handles the handout's
//! full 5000 frames, so the numbers compare directly with the client's printed times;
//! `frames_run_5000` is the whole optimized run, both phases.

use criterion::{Criterion, criterion_group, criterion_main};
use frame_client::animation::{Mode, build_gif};

use benches::{frame_options, frame_server};
use common::client::Server;
use common::shutdown::Shutdown;

const FRAMES: usize = 5000;

fn download(c: &mut Criterion) {
    let server = frame_server();
    let dir = tempfile::tempdir().unwrap();
    let shutdown = Shutdown::new().unwrap();
    benches::compare(
        "frames_download_5000",
        "download of 5000 frames from a local frame-server, sequential against 4, 8 and 16 threads",
    );
    let mut group = c.benchmark_group("frames_download_5000");
    group.sample_size(10);
    for (name, optimized, threads) in [
        ("sequential", false, 1),
        ("threads_4", true, 4),
        ("threads_8", true, 8),
        ("threads_16", true, 16),
    ] {
        let options = frame_options(dir.path(), FRAMES, optimized, threads);
        std::fs::create_dir_all(&options.out_dir).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| frame_client::download_frames(&options, server.addr(), &shutdown).unwrap())
        });
    }
    group.finish();
}

fn gif(c: &mut Criterion) {
    let server = frame_server();
    let dir = tempfile::tempdir().unwrap();
    let options = frame_options(dir.path(), FRAMES, true, 8);
    let shutdown = Shutdown::new().unwrap();
    std::fs::create_dir_all(&options.out_dir).unwrap();
    frame_client::download_frames(&options, server.addr(), &shutdown).unwrap();
    benches::compare(
        "frames_gif_5000",
        "GIF of the 5000 frames, frame by frame against rayon",
    );
    let mut group = c.benchmark_group("frames_gif_5000");
    group.sample_size(10);
    for (name, mode) in [("sequential", Mode::Sequential), ("rayon", Mode::Parallel)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let hidden = indicatif::ProgressBar::hidden();
                build_gif(
                    &options.out_dir,
                    FRAMES,
                    &options.gif,
                    mode,
                    &hidden,
                    &shutdown,
                )
                .unwrap()
            })
        });
    }
    group.finish();
}

/// The headline run: `frame-client --optimized` end to end (5000 frames downloaded from a
/// frame-server on loopback, then the GIF), as one figure.
fn whole_run(c: &mut Criterion) {
    let server = frame_server();
    let dir = tempfile::tempdir().unwrap();
    let shutdown = Shutdown::new().unwrap();
    let options = frame_client::Options {
        server: Server::Remote(server.addr()),
        ..frame_options(dir.path(), FRAMES, true, 8)
    };
    benches::compare(
        "frames_run_5000",
        "the whole frame-client --optimized run (download and GIF)",
    );
    let mut group = c.benchmark_group("frames_run_5000");
    group.sample_size(10);
    group.bench_function("optimized", |b| {
        b.iter(|| frame_client::run(&options, &shutdown).unwrap())
    });
    group.finish();
}

criterion_group!(frames, download, gif, whole_run);
criterion_main!(frames);
