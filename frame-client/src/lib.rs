//! The frames lab client (course handout "Week 2 - Concurrency and Parallelism", 2023).
//!
//! Two phases, each timed:
//!
//! 1. **Download**: connect to the frame server `frames` times; each connection yields one
//!    PNG (the server closes to mark its end), saved raw as `frames/{i}.png`.
//! 2. **GIF**: decode every frame and write them, in order, into one animated GIF.
//!
//! The sequential mode is the handout's baseline. `--optimized` runs the downloads on N std
//! threads (waiting on the network is what dominates, and threads overlap the waits), and
//! decodes and compresses the GIF's frames on rayon's pool ([`animation::Mode::Parallel`]),
//! a third faster than one frame after another on an idle 2-core machine (see "The GIF phase
//! in parallel" in this crate's `README.md`).
//!
//! How to run the lab, what it prints, where its time goes and its memory: `README.md` in this
//! crate's folder.

#![warn(missing_docs)]

pub mod animation;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::client::{Mode, Server, Source};
use common::download::{Downloads, download_to_files};
use common::net::ReadLimits;
use common::report::progress_bar_if;
use common::shutdown::Shutdown;

/// Largest frame accepted from the server, in bytes. A 10x10 PNG is about 360 bytes; the
/// bound only stops a misbehaving server from filling memory or disk.
pub const MAX_FRAME_BYTES: usize = 1 << 20;

/// Bound on one download, from connect to the server's close.
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(10);

/// One run of the lab; the command-line options of `frame-client`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to download from.
    pub server: Server,
    /// Sequential, or downloads on threads (the GIF is built sequentially either way).
    pub mode: Mode,
    /// Number of frames to download.
    pub frames: usize,
    /// Folder for `{i}.png`; created if missing.
    pub out_dir: PathBuf,
    /// Path of the GIF to write.
    pub gif: PathBuf,
    /// Show progress bars on stderr (they stay hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

/// How long each phase took.
#[derive(Debug, Clone, Copy)]
pub struct Report {
    /// Wall time of the download phase, files written included.
    pub download: Duration,
    /// Wall time of the GIF phase: reading and decoding frames, encoding, writing the GIF.
    pub gif: Duration,
}

/// Runs both phases. Once `shutdown` is triggered (Ctrl-C) the run stops at the next frame
/// with a [`common::shutdown::Interrupted`] error: the frames saved so far are whole, and
/// there is no GIF and no temporary file. Errors: unreachable server (after a short retry),
/// a bad or oversized frame (named), I/O errors on the output folder or GIF.
pub fn run(options: &Options, shutdown: &Shutdown) -> anyhow::Result<Report> {
    anyhow::ensure!(options.frames > 0, "--frames must be at least 1");
    std::fs::create_dir_all(&options.out_dir)
        .with_context(|| format!("cannot create {}", options.out_dir.display()))?;
    let source = Source::open(options.server, frame_server::run)?;

    let started = Instant::now();
    download_frames(options, source.addr(), shutdown)?;
    let download = started.elapsed();
    source.close();

    shutdown.check()?;
    let started = Instant::now();
    let mode = match options.mode {
        Mode::Sequential => animation::Mode::Sequential,
        Mode::Optimized { .. } => animation::Mode::Parallel,
    };
    let progress = progress_bar_if(options.progress, options.frames, "GIF");
    animation::build_gif(
        &options.out_dir,
        options.frames,
        &options.gif,
        mode,
        &progress,
        shutdown,
    )?;
    progress.finish_and_clear();
    Ok(Report {
        download,
        gif: started.elapsed(),
    })
}

/// The download phase: fetches `options.frames` frames from `server` into
/// `options.out_dir` (which must exist), as `options.mode` says. Errors: unreachable
/// server, an oversized or slow frame, a write error, or
/// [`common::shutdown::Interrupted`] once `shutdown` is triggered.
pub fn download_frames(
    options: &Options,
    server: SocketAddr,
    shutdown: &Shutdown,
) -> anyhow::Result<()> {
    let limits = ReadLimits {
        max_bytes: MAX_FRAME_BYTES,
        timeout: DOWNLOAD_TIMEOUT,
    };
    let spec = Downloads::new(server, options.frames, options.mode.strategy(), limits);
    let progress = progress_bar_if(options.progress, options.frames, "frames");
    download_to_files(&spec, shutdown, &progress, |index| {
        animation::frame_path(&options.out_dir, index)
    })?;
    progress.finish_and_clear();
    Ok(())
}
