//! Scripted servers: the grader's stand-ins on the other side of a student's program (a
//! photo server for the pre-fork lab, the slides' UDP and square servers, recognition
//! workers). One skeleton for all: a listener on a thread of its own until stopped or
//! dropped, each TCP connection served on a thread of its own by the stand-in's closure.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A stand-in server running on a thread of its own. Stopping it (or dropping it) closes
/// its socket, so later connections are refused as if it had died; connections already
/// being served finish on their own threads.
pub struct ScriptedServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptedServer {
    /// Listens on `addr` (port 0: a free one) and serves each connection with `serve` on a
    /// thread of its own, the stream blocking.
    ///
    /// Errors: the address cannot be bound.
    pub fn tcp(
        addr: impl ToSocketAddrs,
        serve: impl Fn(TcpStream) + Send + Sync + 'static,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        // Non-blocking, so the loop sees the stop flag between connections.
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let serve = Arc::new(serve);
        Ok(Self::run(addr, move |stop| {
            while !stop.load(Ordering::Relaxed) {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let serve = serve.clone();
                std::thread::spawn(move || serve(stream));
            }
        }))
    }

    /// Binds UDP `addr` and answers each datagram with what `answer(payload, sender)`
    /// returns (nothing for `None`).
    ///
    /// Errors: the address cannot be bound.
    pub fn udp(
        addr: impl ToSocketAddrs,
        mut answer: impl FnMut(&[u8], SocketAddr) -> Option<Vec<u8>> + Send + 'static,
    ) -> io::Result<Self> {
        let socket = UdpSocket::bind(addr)?;
        socket.set_read_timeout(Some(Duration::from_millis(50)))?;
        let addr = socket.local_addr()?;
        Ok(Self::run(addr, move |stop| {
            let mut buf = [0u8; 2048];
            while !stop.load(Ordering::Relaxed) {
                if let Ok((n, from)) = socket.recv_from(&mut buf)
                    && let Some(reply) = answer(&buf[..n], from)
                {
                    let _ = socket.send_to(&reply, from);
                }
            }
        }))
    }

    fn run(addr: SocketAddr, body: impl FnOnce(&AtomicBool) + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || body(&flag));
        Self {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes the socket: further connections are refused, or datagrams go unanswered.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts a stand-in on the lab's own port, retrying for up to 2 s: the student's program
/// that held the port was just killed, and a process of its group may take a moment to die
/// and free it.
///
/// Errors: the last bind error after 2 s.
pub fn bind_retrying<T>(start: impl Fn() -> io::Result<T>) -> io::Result<T> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match start() {
            Ok(server) => return Ok(server),
            Err(e) if Instant::now() >= deadline => return Err(e),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}
