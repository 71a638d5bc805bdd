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

#![warn(missing_docs)]

pub mod parse;
pub mod sort;

use std::fs;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::download::{Downloads, Strategy, download_all};
use common::local::LocalServer;
use common::net::{ReadLimits, RetryPolicy};
use common::report::progress_bar;
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::sort::{Scratch, sort_file};

/// Lists the handout's client downloads: 100.
pub const DEFAULT_LISTS: usize = 100;

/// Download threads of `--optimized` unless told otherwise: 8. Downloads wait on the network
/// more than on the CPU, so a few more threads than cores keep the loopback busy.
pub const DEFAULT_THREADS: usize = 8;

/// Bound on one downloaded list: 64 MiB. A handout list is about 2.6 MiB (250000 integers of
/// up to 10 bytes plus commas); the bound only stops a runaway server from filling memory.
pub const MAX_LIST_BYTES: usize = 64 << 20;

/// Deadline for one whole list, from connect to end of stream: 60 s.
pub const LIST_TIMEOUT: Duration = Duration::from_secs(60);

/// Where the lists come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// A running numbers server, e.g. `127.0.0.1:12345`.
    Remote(SocketAddr),
    /// A `numbers-server` started in this process on an ephemeral loopback port and stopped
    /// after the download phase: the whole lab in one command.
    Local,
}

/// How each phase is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The handout's baseline: one download after another, then one file after another.
    Sequential,
    /// Downloads on `download_threads` std threads, then files sorted in parallel with one
    /// rayon worker per core ([`std::thread::available_parallelism`]).
    Optimized {
        /// Std threads for the download phase.
        download_threads: NonZeroUsize,
    },
}

/// One run of the lab.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to download from.
    pub server: Server,
    /// How many lists to download and sort, numbered `0..lists`.
    pub lists: usize,
    /// Sequential or optimized.
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
/// The first error stops the run; lists finished before it stay on disk.
pub fn run(options: &Options) -> anyhow::Result<Report> {
    for dir in [&options.unsorted_dir, &options.sorted_dir] {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // The local server lives until the downloads are done, then stops with `local`.
    let (addr, local) = match options.server {
        Server::Remote(addr) => (addr, None),
        Server::Local => {
            let server = LocalServer::start(|listener, shutdown| {
                numbers_server::run(listener, shutdown, Default::default())
            })
            .context("cannot start the local numbers server")?;
            (server.addr(), Some(server))
        }
    };

    let started = Instant::now();
    download_phase(options, addr)?;
    let download = started.elapsed();
    drop(local);

    let started = Instant::now();
    sort_phase(options)?;
    let sorting = started.elapsed();

    Ok(Report {
        lists: options.lists,
        download,
        sorting,
    })
}

fn bar(options: &Options, what: &str) -> ProgressBar {
    if options.progress {
        progress_bar(options.lists, what)
    } else {
        ProgressBar::hidden()
    }
}

fn download_phase(options: &Options, server: SocketAddr) -> anyhow::Result<()> {
    let spec = Downloads {
        server,
        count: options.lists,
        strategy: match options.mode {
            Mode::Sequential => Strategy::Sequential,
            Mode::Optimized { download_threads } => Strategy::Threads(download_threads),
        },
        limits: ReadLimits {
            max_bytes: MAX_LIST_BYTES,
            timeout: LIST_TIMEOUT,
        },
        retry: RetryPolicy::default(),
    };
    let progress = bar(options, "download");
    download_all(&spec, &progress, |number, bytes| {
        let path = list_path(&options.unsorted_dir, number);
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    })?;
    progress.finish_and_clear();
    Ok(())
}

fn sort_phase(options: &Options) -> anyhow::Result<()> {
    let progress = bar(options, "sort");
    let sort_one = |scratch: &mut Scratch, number: usize| -> anyhow::Result<()> {
        sort_file(
            &list_path(&options.unsorted_dir, number),
            &list_path(&options.sorted_dir, number),
            scratch,
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
                (0..options.lists)
                    .into_par_iter()
                    // Scratch buffers per rayon job, which covers a run of lists: rayon
                    // splits the range only as finely as idle workers need.
                    .try_for_each_init(Scratch::default, sort_one)
            })?;
        }
    }
    progress.finish_and_clear();
    Ok(())
}
