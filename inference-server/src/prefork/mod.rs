//! The pre-fork inference server (course "Assignment 2 - A Multi-process TCP Server", 2018).
//!
//! **Model.** The main process binds the port and only accepts. At start it creates N
//! worker processes (re-executions of this same binary in a hidden `worker` mode: forking
//! a process that already runs threads is unsafe, re-executing is not). It passes every
//! accepted connection to the workers through a shared queue ([`handoff`]); inside each
//! worker a pool of at most 4 threads takes connections from that queue, so a connection
//! always goes to a thread that is free. Each worker loads the model once and its threads
//! share it.
//!
//! **Supervision.** The main process waits on every worker; one that dies is logged and
//! replaced ([`supervisor`]). On Ctrl-C or SIGTERM the main process stops accepting and
//! closes the queue; workers finish the requests they hold and exit, and the main process
//! waits for them (killing stragglers after a grace period), so no process is left behind.
//!
//! **Per request**: the main process reads the URL up to `[END]` ([`reception`],
//! [`crate::protocol`]) so that idle or slow clients never hold a worker thread; a worker
//! thread ([`worker`]) downloads it within limits ([`crate::service::fetch`]), saves it under
//! `images/`, classifies it, replies and closes ([`crate::service`]).
//!
//! **Logs**: the handout's 8 events in its own words. The main process logs
//! `Start listening for connections on port 50001`, `Created process Process-1` per worker
//! and `Client ('127.0.0.1', 49264) connected.`; the worker thread the other five (see
//! [`crate::service`]). Our own lines (a worker ready, a worker replaced, shutdown) say
//! things the handout's events do not; the workers' pids are logged at debug level.

pub mod handoff;
pub mod reception;
pub mod supervisor;
pub mod worker;

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use common::shutdown::Shutdown;

use crate::service::WorkerArgs;

/// How to run the pre-fork server.
#[derive(Debug, Clone)]
pub struct Prefork {
    /// Worker processes to keep running (the handout's `PROCESSES`), at least 1.
    pub processes: usize,
    /// The executable to start as `EXE worker ...`: this binary in production
    /// (`std::env::current_exe()`), the built `inference-server` in tests.
    pub worker_exe: PathBuf,
    /// Options handed to every worker.
    pub worker: WorkerArgs,
    /// How long workers may take to finish their requests after shutdown before they are
    /// killed.
    pub grace: Duration,
}

/// Runs the main process: starts the workers, accepts on `listener`, reads each client's
/// request ([`reception`]) and hands it to them, until `shutdown`; then stops the workers and
/// returns.
///
/// Errors: the queue or a worker could not be created, or the listener failed.
pub fn run(listener: TcpListener, shutdown: Shutdown, prefork: &Prefork) -> anyhow::Result<()> {
    crate::service::log_listening(&listener)?;
    let (sender, receiver) = handoff::connection_queue()?;
    let workers = supervisor::Supervisor::start(prefork, receiver, &shutdown)?;

    let served = reception::run(
        &listener,
        &shutdown,
        &sender,
        prefork.worker.request_limits(),
    );

    // Closing the queue tells every worker to finish and exit.
    drop(sender);
    workers.stop(prefork.grace);
    served?;
    log::info!("Server stopped");
    Ok(())
}
