//! What the pre-fork and the sequential server share, importing neither: serving one client
//! whose request has been read ([`Service`]: download the image, save it, classify it,
//! reply, close), the options that serving runs with ([`args`]), and the download ([`fetch`]).
//!
//! A pre-fork worker's threads and the sequential server both serve their clients this way,
//! so both log the handout's events in the same words, from here:
//!
//! ```text
//! Start listening for connections on port 50001
//! Client ('127.0.0.1', 49264) connected.
//! Received Client ('127.0.0.1', 49264).
//! Client submitted URL http://127.0.0.1:8000/plane.jpg
//! Image saved to images/image-cm3Po3fBREOb.jpg
//! SqueezeNet result: ("airliner", 0.995)
//! Client connection closed
//! ```

pub mod args;
pub mod fetch;

use std::io::{Read, Write};
use std::net::{Shutdown as Half, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use common::net::py_addr;
use squeezenet::Classifier;

use crate::protocol::{Received, error_reply, parse_url, result_reply};
use fetch::{Fetched, Fetcher};

pub use args::WorkerArgs;

/// The handout's first event, `Start listening for connections on port 50001`, and the
/// whole address at debug level.
pub fn log_listening(listener: &TcpListener) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    log::info!("Start listening for connections on port {}", addr.port());
    log::debug!("Listening on {addr}");
    Ok(())
}

/// The handout's `Client ('127.0.0.1', 49264) connected.`, logged where the connection is
/// accepted (the pre-fork reception loop, or the sequential server).
pub fn log_connected(peer: &SocketAddr) {
    log::info!("Client {} connected.", py_addr(peer, true));
}

/// What serving a client needs, loaded once per process and shared by its threads: the
/// classifier, the downloader and the images folder.
pub struct Service {
    classifier: Classifier,
    fetcher: Fetcher,
    images_dir: PathBuf,
}

impl Service {
    /// Creates the images folder and loads the classifier that `args` name.
    ///
    /// Errors: the folder cannot be created, or the model or labels cannot be loaded.
    pub fn new(args: &WorkerArgs) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&args.images_dir)
            .with_context(|| format!("cannot create {}", args.images_dir.display()))?;
        Ok(Self {
            classifier: args.model.load().context("cannot load the classifier")?,
            fetcher: Fetcher::new(args.fetch_limits()),
            images_dir: args.images_dir.clone(),
        })
    }

    /// The classifier's engine, for the logs.
    pub fn engine(&self) -> squeezenet::EngineKind {
        self.classifier.engine()
    }

    /// Serves `peer`, whose `request` has been read from `stream`: one reply line, then
    /// close. Every failure becomes an `error: ...` reply; nothing here can take the calling
    /// thread down.
    pub fn serve(&self, mut stream: TcpStream, peer: SocketAddr, request: Received) {
        let peer_text = py_addr(&peer, true);
        log::info!("Received Client {peer_text}.");
        let reply = match self.answer(request) {
            Ok(reply) => reply,
            Err(e) => {
                log::warn!("Request from {peer_text} failed: {e:#}");
                error_reply(&format!("{e:#}"))
            }
        };
        if let Err(e) = stream.write_all(reply.as_bytes()) {
            log::warn!("cannot reply to {peer_text}: {e}");
        }
        // The handout: shut down before closing, so the client sees the end at once.
        let _ = stream.shutdown(Half::Write);
        linger(&mut stream);
        log::info!("Client connection closed");
    }

    /// The reply to one request, or why there is none.
    fn answer(&self, request: Received) -> anyhow::Result<String> {
        let url = match request {
            Received::Complete(bytes) => parse_url(bytes).map_err(String::from),
            Received::Failed(reason) => Err(reason),
        }
        .map_err(|reason: String| anyhow::anyhow!("bad request: {reason}"))?;
        log::info!("Client submitted URL {url}");
        let fetched = self.fetcher.fetch(&url)?;
        let path = save(&self.images_dir, &fetched)?;
        log::info!("Image saved to {}", path.display());
        let top = self
            .classifier
            .classify(&fetched.bytes, 1)
            .context("cannot classify the image")?;
        let best = top.first().context("the model returned no class")?;
        let reply = result_reply(&best.label, best.probability);
        log::info!("SqueezeNet result: {reply}");
        Ok(reply)
    }
}

/// Saves an image as `dir/image-<random>.<ext>` and returns that path as `dir` is written
/// (`images/image-cm3Po3fBREOb.jpg` for the default, relative folder). The random part is
/// created exclusively (`O_EXCL`), so concurrent downloads in any process never collide.
fn save(dir: &Path, fetched: &Fetched) -> anyhow::Result<PathBuf> {
    let mut file = tempfile::Builder::new()
        .prefix("image-")
        .suffix(&format!(".{}", fetched.extension))
        .rand_bytes(12)
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    file.write_all(&fetched.bytes)?;
    // tempfile makes the path absolute; the log shows it relative, as the user gave the folder.
    let (_, path) = file.keep().context("cannot keep the saved image")?;
    let name = path.file_name().context("a saved image has a file name")?;
    Ok(dir.join(name))
}

/// Reads and drops what the client still sends, briefly, before closing. Closing a socket
/// with unread input makes the kernel send a reset, which can destroy our reply before the
/// client reads it — exactly when the reply says its request was too long. A client with
/// nothing unread (the usual case, and every idle client) is closed at once, so no thread
/// waits on it.
fn linger(stream: &mut TcpStream) {
    let mut sink = [0u8; 16 * 1024];
    if stream.set_nonblocking(true).is_err() || !matches!(stream.read(&mut sink), Ok(n) if n > 0) {
        return;
    }
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut budget = 1 << 20;
    while budget > 0 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => budget -= n.min(budget),
        }
    }
}
