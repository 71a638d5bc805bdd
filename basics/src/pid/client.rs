//! The client side: several client processes, each greeting the server with its own pid
//! (the slides' `multiprocessing.Process(target=send_message)` clients).
//!
//! `pid-client` starts `--clients` copies of itself in a hidden `one` mode, all at once, and
//! waits for them; each copy is one client ([`ask`]).

use std::ffi::OsString;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command};

use crate::datagram::Retry;

/// One client: sends [`super::greeting`] with this process's pid to `server`, waits for the
/// answer and closes, printing the slides' lines (`Sent to server:  Hi from 4242 at
/// 127.0.0.1:10002`, `Waiting for response...`, `Received message:  <answer>`,
/// `Socket closed`). Returns the answer. Errors:
/// [`NoAnswer`](common::net::NoAnswer) after `retry`, or the socket failed.
pub fn ask(server: SocketAddr, retry: Retry) -> anyhow::Result<String> {
    let greeting = super::greeting(std::process::id(), server);
    crate::udp::converse(server, &greeting, retry, "Received message:")
}

/// Starts `clients` processes `EXE one --name Process-<i> ARGS...`, all before waiting for
/// any, then waits for every one; returns how many failed (non-zero exit). Their standard
/// output and error are this process's.
///
/// Errors: a process could not be started; those already started are still waited for.
pub fn run_processes(exe: &Path, args: &[OsString], clients: usize) -> io::Result<usize> {
    let mut started: Vec<Child> = Vec::with_capacity(clients);
    let mut failed_to_start = None;
    for number in 1..=clients {
        let spawned = Command::new(exe)
            .args(["one", "--name", &format!("Process-{number}")])
            .args(args)
            .spawn();
        match spawned {
            Ok(child) => started.push(child),
            Err(e) => {
                failed_to_start = Some(e);
                break;
            }
        }
    }
    let mut failures = 0;
    for mut child in started {
        // `wait` reaps: no client is left a zombie.
        if !child.wait()?.success() {
            failures += 1;
        }
    }
    match failed_to_start {
        Some(e) => Err(e),
        None => Ok(failures),
    }
}
