//! A work queue between processes: the two ends of a Unix-domain `SOCK_SEQPACKET` socket
//! pair, the counterpart of the `multiprocessing.Queue` the course's Python servers hand
//! work to their worker processes through.
//!
//! A main process keeps the [`Sender`] and its worker processes inherit the [`Receiver`]:
//!
//! - a message is sent and received whole (`SEQPACKET` keeps message boundaries, like a
//!   datagram socket), so one message is one piece of work;
//! - every worker blocks in [`Receiver::recv`] on the same end, and the kernel gives each
//!   message to exactly one of them: work always goes to a worker that is free;
//! - the kernel bounds the queue (`net.unix.max_dgram_qlen` messages, and the socket's send
//!   buffer): when it is full, [`Sender::send`] waits (as long as [`Sender::set_send_timeout`]
//!   allows) and [`Sender::try_send`] fails with `WouldBlock`;
//! - the socket is connection-oriented: once the sender's end is closed (dropped, or its
//!   process gone), every `recv` returns `Ok(None)`, so workers never outlive the main
//!   process;
//! - a message may carry one file descriptor as `SCM_RIGHTS` ancillary data, which makes
//!   the kernel install a duplicate of it in whichever process receives the message: how a
//!   pre-fork server hands a client's connection to a worker.
//!
//! Both ends are close-on-exec. A worker process is given the receiver at a descriptor
//! number its parent chooses and adopts it with [`Receiver::from`]`(OwnedFd)`.

use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::socket::{
    AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags, SockFlag, SockType, recvmsg,
    sendmsg, setsockopt, socketpair, sockopt,
};

/// Creates a queue: `(sender, receiver)`, both close-on-exec.
///
/// Errors: the OS's (out of descriptors).
pub fn pair() -> io::Result<(Sender, Receiver)> {
    let (sender, receiver) = socketpair(
        AddressFamily::Unix,
        SockType::SeqPacket,
        None,
        SockFlag::SOCK_CLOEXEC,
    )?;
    Ok((Sender(sender), Receiver(receiver)))
}

/// The end work is put on.
#[derive(Debug)]
pub struct Sender(OwnedFd);

impl AsFd for Sender {
    /// The descriptor, e.g. to `poll` for room in the queue (`POLLOUT`).
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

impl Sender {
    /// Bounds how long one [`send`](Self::send) waits on a full queue.
    ///
    /// Errors: the OS's.
    pub fn set_send_timeout(&self, timeout: Duration) -> io::Result<()> {
        let timeout =
            nix::sys::time::TimeVal::new(timeout.as_secs() as _, timeout.subsec_micros() as _);
        setsockopt(&self.0, sockopt::SendTimeout, &timeout)?;
        Ok(())
    }

    /// Queues `message`, with a duplicate of `descriptor` if one is given (the caller may
    /// close its own copy as soon as this returns). Waits while the queue is full.
    ///
    /// Errors: `WouldBlock` when the send timeout passed with the queue still full;
    /// `BrokenPipe` when no process holds the receiver; `InvalidInput` for an empty message
    /// (it would read as the end of the queue); the OS's, e.g. `EMSGSIZE` for a message
    /// larger than the socket's send buffer.
    pub fn send(&self, message: &[u8], descriptor: Option<BorrowedFd<'_>>) -> io::Result<()> {
        self.send_with(message, descriptor, MsgFlags::empty())
    }

    /// [`send`](Self::send), but never waits: a full queue is `WouldBlock` at once.
    ///
    /// Errors: as [`send`](Self::send)'s.
    pub fn try_send(&self, message: &[u8], descriptor: Option<BorrowedFd<'_>>) -> io::Result<()> {
        self.send_with(message, descriptor, MsgFlags::MSG_DONTWAIT)
    }

    fn send_with(
        &self,
        message: &[u8],
        descriptor: Option<BorrowedFd<'_>>,
        flags: MsgFlags,
    ) -> io::Result<()> {
        if message.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an empty message cannot be queued: it would read as the end of the queue",
            ));
        }
        let fds: Vec<RawFd> = descriptor.iter().map(AsRawFd::as_raw_fd).collect();
        let rights = [ControlMessage::ScmRights(&fds)];
        let control: &[ControlMessage<'_>] = if fds.is_empty() { &[] } else { &rights };
        loop {
            // MSG_NOSIGNAL: a receiver gone is an error to return, not SIGPIPE.
            match sendmsg::<()>(
                self.0.as_raw_fd(),
                &[IoSlice::new(message)],
                control,
                MsgFlags::MSG_NOSIGNAL | flags,
                None,
            ) {
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

/// The end work is taken from; shared by every worker.
#[derive(Debug)]
pub struct Receiver(OwnedFd);

impl From<OwnedFd> for Receiver {
    /// Adopts a receiver inherited from the main process.
    fn from(fd: OwnedFd) -> Self {
        Self(fd)
    }
}

impl AsFd for Receiver {
    /// The descriptor, e.g. to be inherited by a worker process.
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.0.as_fd()
    }
}

/// One message taken from the queue.
#[derive(Debug)]
pub struct Message {
    /// Bytes of the message, at the start of the buffer given to [`Receiver::recv`].
    pub len: usize,
    /// The descriptor it carried, now open in this process and owned by the caller.
    pub descriptor: Option<OwnedFd>,
}

impl Receiver {
    /// Takes the next message into `buffer`, blocking until one is queued. `Ok(None)` once
    /// the sender's end is closed and the queue is empty.
    ///
    /// Errors: `InvalidData` for a message longer than `buffer` (it is dropped, with its
    /// descriptor); the OS's.
    pub fn recv(&self, buffer: &mut [u8]) -> io::Result<Option<Message>> {
        let capacity = buffer.len();
        let mut control = nix::cmsg_space!([RawFd; 1]);
        loop {
            let mut iov = [IoSliceMut::new(&mut *buffer)];
            let received = match recvmsg::<()>(
                self.0.as_raw_fd(),
                &mut iov,
                Some(&mut control),
                MsgFlags::MSG_CMSG_CLOEXEC,
            ) {
                Ok(received) => received,
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            };
            let mut descriptor = None;
            for cmsg in received.cmsgs()? {
                if let ControlMessageOwned::ScmRights(fds) = cmsg {
                    for fd in fds {
                        // SAFETY: SCM_RIGHTS just installed `fd` in this process for us alone.
                        let owned = unsafe { OwnedFd::from_raw_fd(fd) };
                        // Only one is ever sent; any other is closed here.
                        descriptor.get_or_insert(owned);
                    }
                }
            }
            let len = received.bytes;
            if len == 0 && descriptor.is_none() {
                return Ok(None);
            }
            if received.flags.contains(MsgFlags::MSG_TRUNC) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a queued message is longer than the {capacity}-byte buffer"),
                ));
            }
            return Ok(Some(Message { len, descriptor }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, Write};

    #[test]
    fn messages_cross_whole_and_in_order_until_the_sender_closes() {
        let (sender, receiver) = pair().unwrap();
        sender.send(b"first", None).unwrap();
        sender.try_send(b"second message", None).unwrap();
        let mut buffer = [0u8; 64];
        let first = receiver.recv(&mut buffer).unwrap().unwrap();
        assert_eq!(&buffer[..first.len], b"first");
        let second = receiver.recv(&mut buffer).unwrap().unwrap();
        assert_eq!(&buffer[..second.len], b"second message");
        assert!(second.descriptor.is_none());
        drop(sender);
        assert!(receiver.recv(&mut buffer).unwrap().is_none());
        assert!(receiver.recv(&mut buffer).unwrap().is_none());
    }

    #[test]
    fn a_descriptor_crosses_with_its_message() {
        let (sender, receiver) = pair().unwrap();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(b"shared").unwrap();
        sender.send(b"file", Some(file.as_fd())).unwrap();
        drop(file); // the receiver has its own copy
        let mut buffer = [0u8; 16];
        let message = receiver.recv(&mut buffer).unwrap().unwrap();
        assert_eq!(&buffer[..message.len], b"file");
        let mut received = std::fs::File::from(message.descriptor.unwrap());
        received.rewind().unwrap();
        let mut text = String::new();
        received.read_to_string(&mut text).unwrap();
        assert_eq!(text, "shared");
    }

    #[test]
    fn a_full_queue_makes_the_sender_wait_not_grow() {
        let (sender, _receiver) = pair().unwrap();
        let full = (0..100_000)
            .map(|_| sender.try_send(b"task", None))
            .find_map(Result::err)
            .expect("the kernel bounds the queue");
        assert_eq!(full.kind(), io::ErrorKind::WouldBlock);
        sender.set_send_timeout(Duration::from_millis(20)).unwrap();
        let waited = sender.send(b"task", None).unwrap_err();
        assert_eq!(waited.kind(), io::ErrorKind::WouldBlock);
    }

    #[test]
    fn refusals() {
        let (sender, receiver) = pair().unwrap();
        let empty = sender.send(b"", None).unwrap_err();
        assert_eq!(empty.kind(), io::ErrorKind::InvalidInput);
        sender.send(b"too long for the buffer", None).unwrap();
        let mut small = [0u8; 4];
        let long = receiver.recv(&mut small).unwrap_err();
        assert_eq!(long.kind(), io::ErrorKind::InvalidData);
        drop(receiver);
        let gone = sender.send(b"x", None).unwrap_err();
        assert_eq!(gone.kind(), io::ErrorKind::BrokenPipe);
    }
}
