//! A new process for every request: the slides' `multiprocessing.Process` server.
//!
//! The main process receives a greeting, starts `Process-N` with the client's address, and
//! goes back to receiving; the child sends one answer from the server's socket and exits.
//! A thread per child waits for its exit and reaps it. At most `max_processes` children run
//! at once: at the cap the main process stops receiving, so a flood of requests waits in
//! the socket's receive buffer (and, beyond it, is dropped as UDP may; clients ask again)
//! instead of becoming an unbounded number of processes.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use common::shutdown::Shutdown;

use super::child::{self, Children, SOCKET_FD};
use crate::datagram::{MAX_DATAGRAM, recv_next};

/// Default for [`PerRequest::max_processes`]: plenty for a class, far from a fork bomb.
pub const DEFAULT_MAX_PROCESSES: usize = 16;

/// How to run the process-per-request server.
#[derive(Debug, Clone)]
pub struct PerRequest {
    /// The executable started for each request as `EXE reply --name Process-N --to ADDR`
    /// with the socket at [`SOCKET_FD`]: this binary (`std::env::current_exe()`) in
    /// production, the built `pid-server` in tests.
    pub exe: PathBuf,
    /// Most answering processes alive at once (at least 1).
    pub max_processes: usize,
    /// How long children may take to finish after shutdown before they are killed.
    pub grace: Duration,
}

/// Receives greetings on `socket` and starts a process to answer each, until `shutdown`;
/// then waits for the children (killing them after `config.grace`) and returns.
///
/// Makes `socket` non-blocking. Errors: the socket's own failures. A child that cannot be
/// started is logged and its request dropped (the client asks again).
pub fn serve(socket: &UdpSocket, shutdown: &Shutdown, config: &PerRequest) -> io::Result<()> {
    socket.set_nonblocking(true)?;
    log::info!(
        "Waiting for requests on {}; a new process answers each (at most {} at once)",
        socket.local_addr()?,
        config.max_processes
    );
    super::print_up(socket)?;
    let children = Arc::new(Children::new());
    let mut buffer = [0u8; MAX_DATAGRAM];
    let mut number = 0;
    let received = loop {
        if !children.wait_for_room(config.max_processes, shutdown) {
            break Ok(());
        }
        let (len, client) = match recv_next(socket, shutdown, &mut buffer) {
            Ok(Some(datagram)) => datagram,
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        };
        super::print_received(&buffer[..len], client);
        number += 1;
        let name = format!("Process-{number}");
        if let Err(e) = start_answering(config, socket, client, &name, &children) {
            log::error!("cannot start {name} to answer {client}: {e}");
        }
    };
    children.stop(config.grace);
    received?;
    log::info!("Server stopped");
    Ok(())
}

/// Starts `name` to answer `client`, and a thread that reaps it.
fn start_answering(
    config: &PerRequest,
    socket: &UdpSocket,
    client: SocketAddr,
    name: &str,
    children: &Arc<Children>,
) -> io::Result<()> {
    // The reaping thread comes first: a child without one would never be reaped.
    let (hand_over, handed) = mpsc::channel::<Child>();
    {
        let children = Arc::clone(children);
        let name = name.to_owned();
        std::thread::Builder::new()
            .name(format!("reaper-{name}"))
            .spawn(move || {
                let Ok(mut child) = handed.recv() else { return };
                match children.wait(&mut child) {
                    Ok(status) if status.success() => {}
                    Ok(status) => log::warn!("{name} (pid {}) exited: {status}", child.id()),
                    Err(e) => log::error!("cannot wait for {name}: {e}"),
                }
            })?;
    }
    let mut command = Command::new(&config.exe);
    command.args(["reply", "--name", name, "--to", &client.to_string()]);
    let child = child::spawn(&mut command, &[(socket.as_fd(), SOCKET_FD)])?;
    log::info!("Started {name} (pid {}) to answer {client}", child.id());
    children.insert(&child, name);
    hand_over
        .send(child)
        .expect("the reaper waits for its child");
    Ok(())
}
