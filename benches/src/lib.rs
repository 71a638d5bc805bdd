//! Fixtures shared by the labs' benchmarks (`cargo bench -p benches`).
//!
//! Each benchmark times one phase of a lab, sequential against optimized, on this machine's
//! loopback and disk: the figures the handouts ask students to compare.

#![warn(missing_docs)]

use std::num::NonZeroUsize;
use std::path::Path;

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
