//! The numbers lab client (course handout "Week 2 - Concurrency and Parallelism", 2024).
//!
//! Two timed phases, as in the handout:
//!
//! 1. **Download**: `lists` connections to the server, each read to end of stream and saved
//!    raw as `<unsorted_dir>/<i>.txt`. Sequential: one after another. Optimized: on N plain
//!    std threads (the handout forbids thread-pool libraries for this phase).
//! 2. **Sort**: each unsorted file is read back, parsed strictly (see [`parse`]), sorted and
//!    written as `<sorted_dir>/<i>.txt` in the same comma format (see [`sort`]).
//!    Sequential: one file after another. Optimized: files in parallel on a rayon pool with
//!    one worker per core, since sorting is CPU-bound and more workers would only contend.
//!
//! How to run the lab, what it prints, what it does with bad input, where its time goes and its
//! memory: `README.md` in this crate's folder.

#![warn(missing_docs)]

pub mod parse;
pub mod sort;

use std::fs;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::client::Source;
pub use common::client::{Mode, Server};
use common::download::{Downloads, download_to_files};
use common::net::ReadLimits;
use common::report::progress_bar_if;
use common::shutdown::Shutdown;
use rayon::prelude::*;

use crate::sort::{Method, Scratch, sort_file};

/// Lists the handout's client downloads: 100.
pub const DEFAULT_LISTS: usize = 100;

/// Bound on one downloaded list: 64 MiB. A handout list is about 2.6 MiB (250000 integers of
/// up to 10 bytes plus commas); the bound only stops a runaway server from filling memory.
pub const MAX_LIST_BYTES: usize = 64 << 20;

/// Deadline for one whole list, from connect to end of stream: 60 s.
pub const LIST_TIMEOUT: Duration = Duration::from_secs(60);

/// One run of the lab; the command-line options of `numbers-client`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to download from.
    pub server: Server,
    /// How many lists to download and sort, numbered `0..lists`.
    pub lists: usize,
    /// Sequential, or downloads on threads and files sorted in parallel.
    pub mode: Mode,
    /// Folder for the raw downloads, created if missing (the handout's `unsorted_files`).
    pub unsorted_dir: PathBuf,
    /// Folder for the sorted lists, created if missing (the handout's `sorted_files`).
    pub sorted_dir: PathBuf,
    /// Show progress bars on stderr (they stay hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

/// What a run measured: the wall-clock time of each phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Lists downloaded and sorted.
    pub lists: usize,
    /// Download phase: connecting, receiving and saving every list.
    pub download: Duration,
    /// Sort phase: reading back, parsing, sorting, formatting and writing every list.
    pub sorting: Duration,
}

/// The file list `number` is stored in, within `dir`: `<dir>/<number>.txt`.
pub fn list_path(dir: &Path, number: usize) -> PathBuf {
    dir.join(format!("{number}.txt"))
}

/// Runs both phases as `options` says and times them.
///
/// Errors, each naming what failed: a folder cannot be created; the server cannot be
/// reached (the message names its address) or a download fails or exceeds
/// [`MAX_LIST_BYTES`] / [`LIST_TIMEOUT`]; a list is not a valid comma list of `i64`s (the
/// message names the unsorted file and the byte offset, and no sorted file is left for it).
/// The first error stops the run; lists finished before it stay on disk. Once `shutdown`
/// is triggered (Ctrl-C) the run stops at the next list with a
/// [`common::shutdown::Interrupted`] error, every file on disk whole.
pub fn run(options: &Options, shutdown: &Shutdown) -> anyhow::Result<Report> {
    for dir in [&options.unsorted_dir, &options.sorted_dir] {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let source = Source::open(options.server, numbers_server::run)?;

    let started = Instant::now();
    download_phase(options, source.addr(), shutdown)?;
    let download = started.elapsed();
    source.close();

    let started = Instant::now();
    sort_phase(options, shutdown)?;
    let sorting = started.elapsed();

    Ok(Report {
        lists: options.lists,
        download,
        sorting,
    })
}

fn download_phase(
    options: &Options,
    server: SocketAddr,
    shutdown: &Shutdown,
) -> anyhow::Result<()> {
    let limits = ReadLimits {
        max_bytes: MAX_LIST_BYTES,
        timeout: LIST_TIMEOUT,
    };
    let spec = Downloads::new(server, options.lists, options.mode.strategy(), limits);
    let progress = progress_bar_if(options.progress, options.lists, "download");
    download_to_files(&spec, shutdown, &progress, |number| {
        list_path(&options.unsorted_dir, number)
    })?;
    progress.finish_and_clear();
    Ok(())
}

thread_local! {
    /// The buffers a sorting worker reuses from list to list (see `sort_phase`).
    static WORKER_SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

fn sort_phase(options: &Options, shutdown: &Shutdown) -> anyhow::Result<()> {
    let progress = progress_bar_if(options.progress, options.lists, "sort");
    let method = match options.mode {
        Mode::Sequential => Method::Plain,
        Mode::Optimized { .. } => Method::Fast,
    };
    let sort_one = |scratch: &mut Scratch, number: usize| -> anyhow::Result<()> {
        shutdown.check()?;
        sort_file(
            &list_path(&options.unsorted_dir, number),
            &list_path(&options.sorted_dir, number),
            scratch,
            method,
        )?;
        progress.inc(1);
        Ok(())
    };
    match options.mode {
        Mode::Sequential => {
            let mut scratch = Scratch::default();
            (0..options.lists).try_for_each(|number| sort_one(&mut scratch, number))?;
        }
        Mode::Optimized { .. } => {
            // An explicit pool rather than rayon's global one, so the bound of one worker
            // per core is stated here and not inherited from whatever configured it first.
            let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(cores)
                .thread_name(|i| format!("sort-{i}"))
                .build()
                .context("cannot start the sorting threads")?;
            pool.install(|| {
                (0..options.lists).into_par_iter().try_for_each(|number| {
                    // Scratch buffers per worker thread, not per rayon job: rayon splits
                    // 100 lists into dozens of jobs, and fresh buffers for each (some 11 MB)
                    // cost 30000 page faults a run. They go when the pool's threads end.
                    WORKER_SCRATCH.with_borrow_mut(|scratch| sort_one(scratch, number))
                })
            })?;
        }
    }
    progress.finish_and_clear();
    Ok(())
}
