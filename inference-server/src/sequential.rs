//! The sequential server (`inference-server --sequential PORT`): one process, one thread,
//! one client at a time. The baseline the pre-fork model improves on.
//!
//! The loop is the handout's per-client work with nothing around it: accept, read the
//! request up to `[END]`, download the image, save it, classify it, reply, close, and only
//! then accept the next client. Clients who connect meanwhile wait in the kernel's listen
//! backlog; while one client's image downloads (or one client takes its time sending the
//! URL, up to the request timeout), nobody else is served and the CPU idles. Pre-forking
//! overlaps exactly those waits, and uses every core for classification.
//!
//! It logs the same events as the pre-fork server, all from `[MainProcess] [MainThread]`,
//! minus `Created process` (there is none).

use std::net::TcpListener;

use common::net::{Until, py_addr, read_message};
use common::server::accept_next;
use common::shutdown::Shutdown;

use crate::protocol::{END_MARKER, Received};
use crate::service::Service;
use crate::service::{WorkerArgs, log_connected, log_listening};

/// Loads the classifier, then serves clients on `listener` one after another until
/// `shutdown`; the client being served when it comes is finished first.
///
/// Errors: the classifier or the images folder could not be set up, or the listener failed.
pub fn run(listener: TcpListener, shutdown: &Shutdown, args: &WorkerArgs) -> anyhow::Result<()> {
    let service = Service::new(args)?;
    log_listening(&listener)?;
    log::debug!("Serving one client at a time, {} engine", service.engine());
    // Non-blocking only so that Ctrl-C can interrupt the wait for a client (accept_next).
    listener.set_nonblocking(true)?;
    let limits = args.request_limits();
    while let Some((stream, peer)) = accept_next(&listener, shutdown)? {
        log_connected(&peer);
        // Linux does not pass the listener's O_NONBLOCK to accepted sockets; other systems do.
        if let Err(e) = stream.set_nonblocking(false) {
            log::warn!("cannot serve {}: {e}", py_addr(&peer, true));
            continue;
        }
        let request = match read_message(&stream, Until::Delimiter(END_MARKER), limits) {
            Ok(bytes) => Received::Complete(bytes),
            Err(e) => Received::Failed(e.to_string()),
        };
        service.serve(stream, peer, request);
    }
    log::info!("Server stopped");
    Ok(())
}
