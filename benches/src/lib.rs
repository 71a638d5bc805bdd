//! Fixtures shared by the labs' benchmarks (`cargo bench -p benches`).
//!
//! Each benchmark times one phase of a lab, sequential against optimized, on this machine's
//! loopback and disk: the figures the handouts ask students to compare.
//!
//! What each group compares and the figures it measured: `README.md` in this crate's folder.

#![warn(missing_docs)]

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::client::{Mode, Server};
use common::local::LocalServer;

/// An in-process frame-server on an ephemeral loopback port.
pub fn frame_server() -> LocalServer {
    LocalServer::start(frame_server::run).expect("start a local frame-server")
}

/// frame-client options for `frames` frames into `dir/frames` and `dir/frames.gif`;
/// `threads` only matters when `optimized`.
pub fn frame_options(
    dir: &Path,
    frames: usize,
    optimized: bool,
    threads: usize,
) -> frame_client::Options {
    let download_threads = NonZeroUsize::new(threads).expect("at least one thread");
    frame_client::Options {
        server: Server::Local,
        mode: match optimized {
            true => Mode::Optimized { download_threads },
            false => Mode::Sequential,
        },
        frames,
        out_dir: dir.join("frames"),
        gif: dir.join("frames.gif"),
        progress: false,
    }
}

/// Prints what a benchmark group compares, above criterion's figures:
/// `prefork_32_requests: sequential server against 2 workers x 4 threads; ...`.
pub fn compare(group: &str, what: &str) {
    println!("{group}: {what}");
}

/// The path of binary `bin` of workspace package `package`, built first (`cargo build -p
/// package --bin bin`, in this benchmark's profile and target folder) so that it is never
/// stale: the labs whose servers start processes by re-executing their own binary
/// (`inference-server`'s workers, `pid-server`'s children) need it beside the benchmark.
///
/// Cargo releases its build lock before it runs benchmarks, so the nested build does not
/// wait. Panics if the build fails.
pub fn workspace_binary(package: &str, bin: &str) -> PathBuf {
    // A benchmark runs as <target>/<profile>/deps/<name>-<hash>.
    let exe = std::env::current_exe().expect("the benchmark's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("a benchmark lives in <target>/<profile>/deps");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet", "-p", package, "--bin", bin]);
    if profile_dir.ends_with("release") {
        build.arg("--release");
    }
    if let Some(target) = profile_dir.parent() {
        build.env("CARGO_TARGET_DIR", target);
    }
    let status = build.status().expect("cargo runs");
    assert!(status.success(), "cannot build {bin} of {package}");
    profile_dir.join(bin)
}

/// One download from `server` as the lab clients make it: connect, read to end of stream
/// within `limits`, close. For the per-step benchmarks (`frames_phases`, `numbers_phases`).
pub fn receive_one(server: std::net::SocketAddr, limits: common::net::ReadLimits) {
    use common::download::{Downloads, Strategy, download_all};
    let spec = Downloads::new(server, 1, Strategy::Sequential, limits);
    let shutdown = common::shutdown::Shutdown::new().expect("a shutdown signal");
    let hidden = indicatif::ProgressBar::hidden();
    download_all(&spec, &shutdown, &hidden, |_, bytes| {
        std::hint::black_box(bytes);
        Ok(())
    })
    .expect("a download");
}
