//! Handing accepted connections from the main process to worker processes.
//!
//! The handout's Python server puts each accepted socket on a `multiprocessing.Queue`, and
//! a free worker takes the next one. The Rust counterpart here is a Unix-domain socket pair
//! of type `SOCK_SEQPACKET`:
//!
//! - the main process keeps the **sender** end and `sendmsg`s one message per connection:
//!   the peer address as text in the data, and the connection's file descriptor as
//!   `SCM_RIGHTS` ancillary data, which makes the kernel install a duplicate of the
//!   descriptor in whichever process receives the message;
//! - every worker inherits the **receiver** end; each idle worker thread blocks in
//!   `recvmsg`, and the kernel gives every message to exactly one of them. So the next
//!   connection goes to a thread that is free, in whichever worker it is.
//!
//! `SEQPACKET` keeps message boundaries (one message = one connection) like a datagram
//! socket, but is connection-oriented: when the main process exits, its end closes and
//! every worker's `recvmsg` returns end-of-file, so workers never outlive it.

use std::io::{self, IoSlice, IoSliceMut};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::socket::{
    AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType, recvmsg,
    sendmsg, setsockopt, socketpair, sockopt,
};

/// Longest peer address text, e.g. `[ffff:...:ffff%eth0]:65535`, in bytes.
const MAX_PEER_TEXT: usize = 128;

/// Creates the queue: `(sender, receiver)`, both close-on-exec (a worker receives the
/// receiver explicitly, see [`QueueReceiver::into_raw_fd`]).
pub fn connection_queue() -> io::Result<(QueueSender, QueueReceiver)> {
    let (sender, receiver) = socketpair(
        AddressFamily::Unix,
        SockType::SeqPacket,
        None,
        SockFlag::SOCK_CLOEXEC,
    )?;
    Ok((QueueSender(sender), QueueReceiver(receiver)))
}

/// The main process's end of the queue.
#[derive(Debug)]
pub struct QueueSender(OwnedFd);

impl QueueSender {
    /// Bounds one blocked [`send`](Self::send) when every worker is busy and the kernel's
    /// queue (`net.unix.max_dgram_qlen` messages) is full, so the caller can check for
    /// shutdown and retry.
    pub fn set_send_timeout(&self, timeout: Duration) -> io::Result<()> {
        let timeout =
            nix::sys::time::TimeVal::new(timeout.as_secs() as _, timeout.subsec_micros() as _);
        setsockopt(&self.0, sockopt::SendTimeout, &timeout)?;
        Ok(())
    }

    /// Queues `stream` (its descriptor is duplicated into the receiving worker; the caller
    /// may close its own copy right after) with its `peer` address.
    ///
    /// Errors: `WouldBlock` when the send timeout passed with the queue full; `BrokenPipe`
    /// when no process holds the receiver.
    pub fn send(&self, stream: &TcpStream, peer: SocketAddr) -> io::Result<()> {
        let text = peer.to_string();
        let fds = [stream.as_raw_fd()];
        loop {
            match sendmsg::<()>(
                self.0.as_raw_fd(),
                &[IoSlice::new(text.as_bytes())],
                &[ControlMessage::ScmRights(&fds)],
                MsgFlags::MSG_NOSIGNAL,
                None,
            ) {
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// A worker's end of the queue.
#[derive(Debug)]
pub struct QueueReceiver(OwnedFd);

impl QueueReceiver {
    /// Adopts descriptor `fd` inherited from the main process.
    ///
    /// # Safety
    /// `fd` must be an open `SOCK_SEQPACKET` receiver end that nothing else in this process
    /// owns (the worker takes it once, at start).
    pub unsafe fn from_raw_fd(fd: RawFd) -> Self {
        // SAFETY: the caller guarantees `fd` is open and owned by no one else.
        Self(unsafe { OwnedFd::from_raw_fd(fd) })
    }

    /// The descriptor, to be inherited by a worker process.
    pub fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }

    /// Takes the next connection; blocks until one is queued. `Ok(None)` means the main
    /// process has closed the queue: time for the worker to finish.
    ///
    /// Errors: a malformed message (no descriptor or no address), or the OS's.
    pub fn recv(&self) -> io::Result<Option<(TcpStream, SocketAddr)>> {
        let mut text = [0u8; MAX_PEER_TEXT];
        let mut control = nix::cmsg_space!([RawFd; 1]);
        loop {
            let mut iov = [IoSliceMut::new(&mut text)];
            let message = match recvmsg::<()>(
                self.0.as_raw_fd(),
                &mut iov,
                Some(&mut control),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Ok(message) => message,
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            };
            let mut stream = None;
            for cmsg in message.cmsgs()? {
                if let ControlMessageOwned::ScmRights(fds) = cmsg {
                    for fd in fds {
                        // SAFETY: SCM_RIGHTS just installed `fd` in this process for us alone.
                        let owned = unsafe { OwnedFd::from_raw_fd(fd) };
                        stream.get_or_insert(TcpStream::from(owned));
                    }
                }
            }
            let len = message.bytes;
            if len == 0 && stream.is_none() {
                return Ok(None);
            }
            let peer = std::str::from_utf8(&text[..len])
                .ok()
                .and_then(|t| t.parse().ok());
            return match (stream, peer) {
                (Some(stream), Some(peer)) => Ok(Some((stream, peer))),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "malformed connection hand-off message",
                )),
            };
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
        sender.send(&accepted, peer).unwrap();
        drop(accepted); // the main process closes its copy

        let (mut handed, got_peer) = receiver.recv().unwrap().unwrap();
        assert_eq!(got_peer, peer);
        handed.write_all(b"from the worker").unwrap();
        drop(handed);
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
