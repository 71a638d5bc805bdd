//! A worker process: a pool of threads taking connections from the main process's queue.
//!
//! Each of the (at most 4) threads loops: take the next connection from the queue, serve
//! it ([`crate::service`]), repeat. A thread only takes a connection when it is free, so a
//! busy worker leaves new clients to idle workers — the point of the pre-fork model. The
//! model is loaded once per process and shared by its threads.

use crate::service::{Service, WorkerArgs};

use super::handoff::QueueReceiver;

/// Runs worker process `name` (e.g. `Process-2`) on `queue` until the main process closes
/// it, then returns once every thread has finished its client.
///
/// Errors: the classifier or the images folder could not be set up.
pub fn run(name: &str, queue: QueueReceiver, args: &WorkerArgs) -> anyhow::Result<()> {
    common::logging::set_process_name(name);
    let service = Service::new(args)?;
    log::info!(
        "Ready: pid {}, {} threads, {} engine",
        std::process::id(),
        args.threads_per_worker,
        service.engine()
    );
    std::thread::scope(|scope| {
        for number in 1..=args.threads_per_worker {
            let (queue, service) = (&queue, &service);
            let spawned = std::thread::Builder::new()
                .name(format!("Thread-{number}"))
                .spawn_scoped(scope, move || serve_from(queue, service));
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
fn serve_from(queue: &QueueReceiver, service: &Service) {
    loop {
        match queue.recv() {
            Ok(Some(handoff)) => service.serve(handoff.stream, handoff.peer, handoff.request),
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
