//! A worker process: a pool of threads taking connections from the main process's queue.
//!
//! Each of the (at most 4) threads loops: take the next connection from the queue, serve
//! it, repeat. A thread only takes a connection when it is free, so a busy worker leaves
//! new clients to idle workers — the point of the pre-fork model. The model is loaded once
//! per process and shared by its threads.

use std::io::{Read, Write};
use std::net::{Shutdown as Half, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use common::net::py_addr;
use squeezenet::Classifier;

use super::WorkerArgs;
use super::fetch::{Fetched, Fetcher};
use super::handoff::{Handoff, QueueReceiver};
use super::protocol::{Received, error_reply, parse_url, result_reply};

/// What every thread of a worker shares.
struct Context {
    classifier: Classifier,
    fetcher: Fetcher,
    images_dir: PathBuf,
}

/// Runs worker process `name` (e.g. `Process-2`) on `queue` until the main process closes
/// it, then returns once every thread has finished its client.
///
/// Errors: the classifier or the images folder could not be set up.
pub fn run(name: &str, queue: QueueReceiver, args: &WorkerArgs) -> anyhow::Result<()> {
    common::logging::set_process_name(name);
    std::fs::create_dir_all(&args.images_dir)
        .with_context(|| format!("cannot create {}", args.images_dir.display()))?;
    let context = Context {
        classifier: args.model.load()?,
        fetcher: Fetcher::new(args.fetch_limits()),
        images_dir: args.images_dir.clone(),
    };
    log::info!(
        "Ready: {} threads, {} engine",
        args.threads_per_worker,
        context.classifier.engine()
    );
    std::thread::scope(|scope| {
        for number in 1..=args.threads_per_worker {
            let (queue, context) = (&queue, &context);
            let spawned = std::thread::Builder::new()
                .name(format!("Thread-{number}"))
                .spawn_scoped(scope, move || serve_from(queue, context));
            // Fewer threads still serve; with none the worker exits and is replaced.
            if let Err(e) = spawned {
                log::error!("cannot start pool thread {number}: {e}");
            }
        }
    });
    log::info!("Queue closed; exiting");
    Ok(())
}

/// One pool thread: serve connections from the queue until it closes.
fn serve_from(queue: &QueueReceiver, context: &Context) {
    loop {
        match queue.recv() {
            Ok(Some(handoff)) => serve(handoff, context),
            Ok(None) => return,
            Err(e) => {
                log::error!("cannot take a connection from the queue: {e}");
                if e.kind() != std::io::ErrorKind::InvalidData {
                    return;
                }
            }
        }
    }
}

/// Serves one client, whose request the main process has read: one reply line, close.
/// Every failure becomes an `error: ...` reply; nothing here can take the thread down.
fn serve(handoff: Handoff, context: &Context) {
    let Handoff {
        mut stream,
        peer,
        request,
    } = handoff;
    let peer_text = py_addr(&peer, false);
    log::info!("Received client {peer_text}");
    let reply = match answer(request, context) {
        Ok(reply) => reply,
        Err(e) => {
            log::warn!("Request from {peer_text} failed: {e:#}");
            error_reply(&format!("{e:#}"))
        }
    };
    if let Err(e) = stream.write_all(reply.as_bytes()) {
        log::warn!("cannot reply to {peer_text}: {e}");
    }
    let _ = stream.shutdown(Half::Write);
    linger(&mut stream);
    log::info!("Connection closed: {peer_text}");
}

/// The reply to one request, or why there is none.
fn answer(request: Received, context: &Context) -> anyhow::Result<String> {
    let url = match request {
        Received::Complete(bytes) => parse_url(bytes).map_err(String::from),
        Received::Failed(reason) => Err(reason),
    }
    .map_err(|reason: String| anyhow::anyhow!("bad request: {reason}"))?;
    log::info!("URL received: {url}");
    let fetched = context.fetcher.fetch(&url)?;
    let path = save(&context.images_dir, &fetched)?;
    log::info!("Image saved: {}", path.display());
    let top = context
        .classifier
        .classify(&fetched.bytes, 1)
        .context("cannot classify the image")?;
    let best = top.first().context("the model returned no class")?;
    let reply = result_reply(&best.label, best.probability);
    log::info!("SqueezeNet result: {reply}");
    Ok(reply)
}

/// Saves an image as `dir/image-<random>.<ext>`; the random part is created exclusively
/// (`O_EXCL`), so concurrent downloads in any process never collide.
fn save(dir: &Path, fetched: &Fetched) -> anyhow::Result<PathBuf> {
    let mut file = tempfile::Builder::new()
        .prefix("image-")
        .suffix(&format!(".{}", fetched.extension))
        .rand_bytes(12)
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    file.write_all(&fetched.bytes)?;
    let (_, path) = file.keep().context("cannot keep the saved image")?;
    Ok(path)
}

/// Reads and drops what the client still sends, briefly, before closing. Closing a socket
/// with unread input makes the kernel send a reset, which can destroy our reply before the
/// client reads it — exactly when the reply says its request was too long. A client with
/// nothing unread (the usual case, and every idle client) is closed at once, so no worker
/// thread waits on it.
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
