//! Handing accepted connections from the main process to worker processes.
//!
//! The handout's Python server puts each accepted socket on a `multiprocessing.Queue`, and
//! a free worker takes the next one. The Rust counterpart here is [`common::queue`], a
//! Unix-domain socket pair of type `SOCK_SEQPACKET`:
//!
//! - the main process keeps the **sender** end and sends one message per connection:
//!   the peer address and the request the main process already read from the client (see
//!   [`super::reception`]) as data, and the connection's file descriptor as `SCM_RIGHTS`
//!   ancillary data, which makes the kernel install a duplicate of the
//!   descriptor in whichever process receives the message;
//! - every worker inherits the **receiver** end; each idle worker thread blocks in
//!   `recvmsg`, and the kernel gives every message to exactly one of them. So the next
//!   connection goes to a thread that is free, in whichever worker it is.
//!
//! `SEQPACKET` keeps message boundaries (one message = one connection) like a datagram
//! socket, but is connection-oriented: when the main process exits, its end closes and
//! every worker's `recvmsg` returns end-of-file, so workers never outlive it.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use common::queue;

use crate::protocol::Received;

/// Largest hand-off message, bytes: a peer address (at most 128 bytes of text), a tag and a
/// request, which [`crate::protocol::REQUEST_LIMITS`] keeps far below this.
const MAX_MESSAGE: usize = 64 * 1024;

/// One connection as a worker receives it.
#[derive(Debug)]
pub struct Handoff {
    /// The client's socket, already read up to the end of its request.
    pub stream: TcpStream,
    /// The client's address.
    pub peer: SocketAddr,
    /// What the main process read from it.
    pub request: Received,
}

/// The message body: `<peer>\n` then `R<request bytes>` or `E<reason>`.
fn encode(peer: SocketAddr, request: &Received) -> Vec<u8> {
    let mut data = format!("{peer}\n").into_bytes();
    match request {
        Received::Complete(bytes) => {
            data.push(b'R');
            data.extend_from_slice(bytes);
        }
        Received::Failed(reason) => {
            data.push(b'E');
            data.extend_from_slice(reason.as_bytes());
        }
    }
    data
}

fn decode(data: &[u8]) -> Option<(SocketAddr, Received)> {
    let newline = data.iter().position(|&b| b == b'\n')?;
    let peer = std::str::from_utf8(&data[..newline]).ok()?.parse().ok()?;
    let (&tag, rest) = data[newline + 1..].split_first()?;
    let request = match tag {
        b'R' => Received::Complete(rest.to_vec()),
        b'E' => Received::Failed(String::from_utf8_lossy(rest).into_owned()),
        _ => return None,
    };
    Some((peer, request))
}

/// Creates the queue: `(sender, receiver)`, both close-on-exec (a worker receives the
/// receiver explicitly, see [`QueueReceiver::as_fd`]).
pub fn connection_queue() -> io::Result<(QueueSender, QueueReceiver)> {
    let (sender, receiver) = queue::pair()?;
    Ok((QueueSender(sender), QueueReceiver(receiver)))
}

/// The main process's end of the queue.
#[derive(Debug)]
pub struct QueueSender(queue::Sender);

impl QueueSender {
    /// The descriptor, to poll for room in the queue (`POLLOUT`).
    pub fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }

    /// Queues `stream` (its descriptor is duplicated into the receiving worker; the caller
    /// may close its own copy right after) with its `peer` address and its `request`.
    /// Never blocks.
    ///
    /// Errors: `WouldBlock` when the queue is full (every worker busy); `BrokenPipe` when no
    /// process holds the receiver; `InvalidInput` for a request over the message size.
    pub fn send(&self, stream: &TcpStream, peer: SocketAddr, request: &Received) -> io::Result<()> {
        let data = encode(peer, request);
        if data.len() > MAX_MESSAGE {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "request too large for the hand-off queue",
            ));
        }
        self.0.try_send(&data, Some(stream.as_fd()))
    }
}

/// A worker's end of the queue.
#[derive(Debug)]
pub struct QueueReceiver(queue::Receiver);

impl QueueReceiver {
    /// Adopts descriptor `fd` inherited from the main process.
    ///
    /// # Safety
    /// `fd` must be an open `SOCK_SEQPACKET` receiver end that nothing else in this process
    /// owns (the worker takes it once, at start).
    pub unsafe fn from_raw_fd(fd: RawFd) -> Self {
        // SAFETY: the caller guarantees `fd` is open and owned by no one else.
        Self(queue::Receiver::from(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// The descriptor, to be inherited by a worker process.
    pub fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }

    /// Takes the next connection; blocks until one is queued. `Ok(None)` means the main
    /// process has closed the queue: time for the worker to finish.
    ///
    /// Errors: a malformed message (no descriptor, no address, cut short), or the OS's.
    pub fn recv(&self) -> io::Result<Option<Handoff>> {
        let malformed = || {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "malformed connection hand-off message",
            )
        };
        let mut data = vec![0u8; MAX_MESSAGE];
        let message = match self.0.recv(&mut data) {
            Ok(Some(message)) => message,
            Ok(None) => return Ok(None),
            // Cut short: longer than any message the main process sends.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Err(malformed()),
            Err(e) => return Err(e),
        };
        let stream = message.descriptor.map(TcpStream::from);
        match (stream, decode(&data[..message.len])) {
            (Some(stream), Some((peer, request))) => Ok(Some(Handoff {
                stream,
                peer,
                request,
            })),
            _ => Err(malformed()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;

    #[test]
    fn a_connection_crosses_the_queue_and_stays_usable() {
        let (sender, receiver) = connection_queue().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, peer) = listener.accept().unwrap();
        let request = Received::Complete(b"http://x/y.jpg".to_vec());
        sender.send(&accepted, peer, &request).unwrap();
        drop(accepted); // the main process closes its copy

        let mut handed = receiver.recv().unwrap().unwrap();
        assert_eq!(handed.peer, peer);
        assert_eq!(handed.request, request);
        let failed = Received::Failed("too slow".into());
        assert_eq!(decode(&encode(peer, &failed)), Some((peer, failed)));
        handed.stream.write_all(b"from the worker").unwrap();
        drop(handed.stream);
        let mut reply = String::new();
        client.read_to_string(&mut reply).unwrap();
        assert_eq!(reply, "from the worker");
    }

    #[test]
    fn closing_the_sender_ends_every_receiver() {
        let (sender, receiver) = connection_queue().unwrap();
        drop(sender);
        assert!(receiver.recv().unwrap().is_none());
        assert!(receiver.recv().unwrap().is_none());
    }
}
