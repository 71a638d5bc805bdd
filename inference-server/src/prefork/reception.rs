//! The main process's reception: accept clients and read each one's request *before* any
//! worker sees it.
//!
//! A worker thread is the scarce resource of the pre-fork model: 2 workers of 4 threads
//! serve 8 clients at once. If a thread were handed a connection as soon as it was accepted,
//! 8 clients that connect and send nothing would hold every thread until their request
//! timeout, and everyone behind them would wait. So the main process reads requests itself,
//! the way nginx's event loop or a kernel accept filter (`TCP_DEFER_ACCEPT`,
//! FreeBSD's `accf_data`) does: one thread, one `poll(2)` over the listener and every client
//! still sending, each socket non-blocking. A connection reaches the worker queue only with
//! its whole request (or the reason it has none: too long, too slow, closed early), so a
//! worker thread never waits on a client's network speed.
//!
//! Bounds: at most [`MAX_PENDING`] clients are being read at once (more wait in the
//! listen backlog), each for at most the request timeout, each request at most
//! [`crate::protocol::REQUEST_LIMITS`]'s size.

use std::collections::VecDeque;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::time::Instant;

use common::net::{ReadLimits, py_addr};
use common::server::{is_per_connection, is_resource_exhaustion};
use common::shutdown::Shutdown;
use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::handoff::QueueSender;
use crate::protocol::{Received, RequestReader};

/// Most clients whose requests are read at once; beyond this the main process stops
/// accepting until some finish, and new clients wait in the kernel's backlog.
pub const MAX_PENDING: usize = 1024;

/// A client still sending its request.
struct Pending {
    stream: TcpStream,
    peer: SocketAddr,
    reader: RequestReader,
    deadline: Instant,
}

/// A client whose request is read, waiting for room in the worker queue.
struct Ready {
    stream: TcpStream,
    peer: SocketAddr,
    request: Received,
}

/// Accepts on `listener` (made non-blocking here), reads every client's request within
/// `limits`, and hands each connection with its request to the workers through `queue`,
/// until `shutdown`. Clients still sending, or still waiting for a worker, when shutdown
/// comes are closed.
///
/// Errors: only failures of the listener, of `poll` or of the queue itself.
pub fn run(
    listener: &TcpListener,
    shutdown: &Shutdown,
    queue: &QueueSender,
    limits: ReadLimits,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let mut pending: Vec<Pending> = Vec::new();
    let mut ready: VecDeque<Ready> = VecDeque::new();
    while !shutdown.is_triggered() {
        let accepting = pending.len() + ready.len() < MAX_PENDING;
        let events = wait(listener, shutdown, queue, &pending, &ready, accepting)?;
        if events.shutdown {
            break;
        }
        if accepting && events.listener {
            let room = MAX_PENDING - pending.len() - ready.len();
            accept_all(listener, &mut pending, limits, room)?;
        }
        // Read from every client poll saw ready; close the books on those past their deadline.
        let now = Instant::now();
        let mut still_sending = Vec::with_capacity(pending.len());
        for (index, mut client) in pending.drain(..).enumerate() {
            let has_input = events.readable.get(index).copied().unwrap_or(false);
            let outcome = has_input
                .then(|| client.reader.read_from(&client.stream, limits))
                .flatten()
                .or_else(|| (now >= client.deadline).then(|| client.reader.timed_out(limits)));
            match outcome {
                Some(request) => ready.push_back(Ready {
                    stream: client.stream,
                    peer: client.peer,
                    request,
                }),
                None => still_sending.push(client),
            }
        }
        pending = still_sending;
        hand_off(queue, &mut ready)?;
    }
    Ok(())
}

/// What one `poll` saw.
struct Events {
    shutdown: bool,
    listener: bool,
    /// For each client in `pending`, whether it has data (or an error or hang-up) to read.
    readable: Vec<bool>,
}

/// Waits until shutdown, a new client, data from a pending client, room in the queue for a
/// ready one, or the earliest pending deadline.
fn wait(
    listener: &TcpListener,
    shutdown: &Shutdown,
    queue: &QueueSender,
    pending: &[Pending],
    ready: &VecDeque<Ready>,
    accepting: bool,
) -> io::Result<Events> {
    let input = PollFlags::POLLIN;
    let mut fds = Vec::with_capacity(pending.len() + 3);
    fds.push(PollFd::new(shutdown.as_fd(), input));
    // Polling the listener only while accepting: otherwise a waiting client would wake us
    // in a busy loop.
    let listener_flags = if accepting { input } else { PollFlags::empty() };
    fds.push(PollFd::new(listener.as_fd(), listener_flags));
    let queue_flags = if ready.is_empty() {
        PollFlags::empty()
    } else {
        PollFlags::POLLOUT
    };
    fds.push(PollFd::new(queue.as_fd(), queue_flags));
    fds.extend(pending.iter().map(|p| PollFd::new(p.stream.as_fd(), input)));

    let timeout = match pending.iter().map(|p| p.deadline).min() {
        None => PollTimeout::NONE,
        Some(deadline) => {
            let left = deadline.saturating_duration_since(Instant::now());
            // Rounded up, so a sub-millisecond remainder does not spin.
            let millis = left.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32;
            PollTimeout::try_from(millis).unwrap_or(PollTimeout::MAX)
        }
    };
    loop {
        match poll(&mut fds, timeout) {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
            Ok(_) => break,
        }
    }
    let seen = |fd: &PollFd| fd.revents().is_some_and(|r| !r.is_empty());
    Ok(Events {
        shutdown: seen(&fds[0]) || shutdown.is_triggered(),
        listener: seen(&fds[1]),
        readable: fds[3..].iter().map(seen).collect(),
    })
}

/// Accepts every waiting client, up to `room`, starting its request deadline.
fn accept_all(
    listener: &TcpListener,
    pending: &mut Vec<Pending>,
    limits: ReadLimits,
    room: usize,
) -> io::Result<()> {
    for _ in 0..room {
        match listener.accept() {
            Ok((stream, peer)) => {
                crate::service::log_connected(&peer);
                stream.set_nonblocking(true)?;
                pending.push(Pending {
                    stream,
                    peer,
                    reader: RequestReader::default(),
                    deadline: Instant::now() + limits.timeout,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            // The client reset before we accepted, or we are out of descriptors: nothing to
            // do for it now; the pending clients finishing will free descriptors.
            Err(e) if is_per_connection(&e) || is_resource_exhaustion(&e) => {
                log::warn!("accept failed: {e}");
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Queues ready clients, oldest first, until the queue is full.
fn hand_off(queue: &QueueSender, ready: &mut VecDeque<Ready>) -> io::Result<()> {
    while let Some(client) = ready.front() {
        // Workers take blocking sockets: the request is read, what is left is one reply.
        client.stream.set_nonblocking(false)?;
        match queue.send(&client.stream, client.peer, &client.request) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Err(e),
            Err(e) => log::error!(
                "cannot hand {} to a worker: {e}",
                py_addr(&client.peer, true)
            ),
        }
        // The worker has its own copy of the descriptor; ours closes here.
        ready.pop_front();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefork::handoff::connection_queue;
    use crate::protocol;
    use std::io::Write;
    use std::time::Duration;

    /// Idle clients stay in reception; a complete request overtakes them into the queue.
    #[test]
    fn only_complete_requests_reach_the_queue() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let (sender, receiver) = connection_queue().unwrap();
        let shutdown = Shutdown::new().unwrap();
        let limits = ReadLimits {
            timeout: Duration::from_millis(300),
            ..protocol::REQUEST_LIMITS
        };
        let reception = {
            let shutdown = shutdown.clone();
            std::thread::spawn(move || run(&listener, &shutdown, &sender, limits))
        };
        let idle: Vec<TcpStream> = (0..30).map(|_| TcpStream::connect(addr).unwrap()).collect();
        let mut good = TcpStream::connect(addr).unwrap();
        good.write_all(b"http://example.com/a.jpg[END]").unwrap();

        let first = receiver.recv().unwrap().unwrap();
        assert_eq!(
            first.request,
            Received::Complete(b"http://example.com/a.jpg".to_vec())
        );
        assert_eq!(first.peer, good.local_addr().unwrap());
        // Then each idle client, once its deadline passes, with the reason.
        for _ in &idle {
            let handed = receiver.recv().unwrap().unwrap();
            match handed.request {
                Received::Failed(reason) => assert!(
                    reason.starts_with("no complete message within 0.3 s (0 bytes received)"),
                    "{reason}"
                ),
                other => panic!("an idle client was handed over as {other:?}"),
            }
        }
        shutdown.trigger();
        reception.join().unwrap().unwrap();
    }
}
