//! The frames lab client (course handout "Week 2 - Concurrency and Parallelism", 2023).
//!
//! Two phases, each timed:
//!
//! 1. **Download**: connect to the frame server `frames` times; each connection yields one
//!    PNG (the server closes to mark its end), saved raw as `frames/{i}.png`.
//! 2. **GIF**: decode every frame and write them, in order, into one animated GIF.
//!
//! The sequential mode is the handout's baseline. `--optimized` runs the downloads on N std
//! threads (waiting on the network is what dominates, and threads overlap the waits) and
//! the GIF's per-frame work on rayon's pool, one worker per core (that phase is CPU-bound).

#![warn(missing_docs)]

pub mod animation;

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::download::{Downloads, Strategy, download_all};
use common::local::LocalServer;
use common::net::{ReadLimits, RetryPolicy};
use common::report::progress_bar;
use common::server::ServerConfig;
use common::shutdown::Shutdown;

/// Largest frame accepted from the server, in bytes. A 10x10 PNG is about 360 bytes; the
/// bound only stops a misbehaving server from filling memory or disk.
pub const MAX_FRAME_BYTES: usize = 1 << 20;

/// Bound on one download, from connect to the server's close.
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(10);

/// What to run; the command-line options of `frame-client`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Frame server as `host:port`; ignored with `local_server`.
    pub server: String,
    /// Start an in-process frame-server on an ephemeral loopback port and use it.
    pub local_server: bool,
    /// Number of frames to download.
    pub frames: usize,
    /// Folder for `{i}.png`; created if missing.
    pub out_dir: PathBuf,
    /// Path of the GIF to write.
    pub gif: PathBuf,
    /// Download on `threads` threads and build the GIF in parallel.
    pub optimized: bool,
    /// Download threads in optimized mode.
    pub threads: NonZeroUsize,
}

/// How long each phase took.
#[derive(Debug, Clone, Copy)]
pub struct Report {
    /// Wall time of the download phase, files written included.
    pub download: Duration,
    /// Wall time of the GIF phase: reading and decoding frames, encoding, writing the GIF.
    pub gif: Duration,
}

/// Runs both phases. `shutdown` (e.g. Ctrl-C) stops between frames with an error, leaving
/// no GIF behind. Errors: unreachable server (after a short retry), a bad or oversized
/// frame (named), I/O errors on the output folder or GIF.
pub fn run(options: &Options, shutdown: &Shutdown) -> anyhow::Result<Report> {
    anyhow::ensure!(options.frames > 0, "--frames must be at least 1");
    // Kept alive for the whole run; dropping it stops the local server.
    let local = match options.local_server {
        true => Some(LocalServer::start(|listener, shutdown| {
            frame_server::run(listener, shutdown, ServerConfig::default())
        })?),
        false => None,
    };
    let server = match &local {
        Some(local) => local.addr(),
        None => common::net::resolve_addr(&options.server)?,
    };
    std::fs::create_dir_all(&options.out_dir)
        .with_context(|| format!("cannot create {}", options.out_dir.display()))?;

    let started = Instant::now();
    download_frames(options, server, shutdown)?;
    let download = started.elapsed();
    drop(local);

    anyhow::ensure!(!shutdown.is_triggered(), "interrupted");
    let started = Instant::now();
    let mode = match options.optimized {
        true => animation::Mode::Parallel,
        false => animation::Mode::Sequential,
    };
    let progress = progress_bar(options.frames, "GIF");
    animation::build_gif(
        &options.out_dir,
        options.frames,
        &options.gif,
        mode,
        &progress,
    )?;
    progress.finish_and_clear();
    Ok(Report {
        download,
        gif: started.elapsed(),
    })
}

/// The download phase: fetches `options.frames` frames from `server` into
/// `options.out_dir` (which must exist), sequentially or on `options.threads` threads.
/// Errors: unreachable server, an oversized or slow frame, a write error, or `"interrupted"`
/// once `shutdown` is triggered.
pub fn download_frames(
    options: &Options,
    server: SocketAddr,
    shutdown: &Shutdown,
) -> anyhow::Result<()> {
    let spec = Downloads {
        server,
        count: options.frames,
        strategy: match options.optimized {
            true => Strategy::Threads(options.threads),
            false => Strategy::Sequential,
        },
        limits: ReadLimits {
            max_bytes: MAX_FRAME_BYTES,
            timeout: DOWNLOAD_TIMEOUT,
        },
        retry: RetryPolicy::default(),
    };
    let progress = progress_bar(options.frames, "frames");
    download_all(&spec, &progress, |index, png| {
        anyhow::ensure!(!shutdown.is_triggered(), "interrupted");
        let path = animation::frame_path(&options.out_dir, index);
        std::fs::write(&path, png).with_context(|| format!("cannot write {}", path.display()))
    })?;
    progress.finish_and_clear();
    Ok(())
}
