//! A fixed pool of worker processes: the slides' `Pool.apply_async` server.
//!
//! The pool's `ForkPoolWorker-1` ... `ForkPoolWorker-N` (Python's names for them) start
//! once. For each greeting the main process puts one task, the client's address, on a
//! queue and goes straight back to receiving, as `apply_async` returns at once; a free
//! worker takes the task and answers from the server's socket.
//!
//! **The queue** ([`task_queue`]) is [`common::queue`], a Unix-domain socket pair of type
//! `SOCK_SEQPACKET`: one message per task, and the kernel hands each message to exactly
//! one of the workers blocked reading it, so a task always goes to a free worker. The
//! kernel bounds the queue (`net.unix.max_dgram_qlen` messages); when it is full, every
//! worker busy, the main process waits, and further requests wait in the UDP socket's
//! buffer. When the main process closes its end, or dies, every worker reads end-of-file
//! and exits, so workers never outlive it.
//!
//! **Supervision.** A thread per worker waits for it; a worker that dies is logged and
//! replaced, as Python's pool replaces its workers. On shutdown the main process closes
//! the queue and waits for the workers, killing stragglers after a grace period.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsFd, OwnedFd};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::queue;
use common::shutdown::Shutdown;

use super::child::{self, Children, QUEUE_FD, SOCKET_FD};
use crate::datagram::{MAX_DATAGRAM, recv_next};

/// A worker that dies sooner than this after its start is replaced only after this long, so
/// a worker that cannot start at all does not make the server spin.
const MIN_LIFETIME: Duration = Duration::from_secs(1);

/// Longest task message: a client address as text, e.g. `[ffff:...:ffff%eth0]:65535`.
const MAX_TASK: usize = 128;

/// How to run the pool server.
#[derive(Debug, Clone)]
pub struct Pool {
    /// The executable started as `EXE pool-worker --name ForkPoolWorker-N` with the socket
    /// at [`SOCKET_FD`] and the queue at [`QUEUE_FD`]: this binary in production, the built
    /// `pid-server` in tests.
    pub exe: PathBuf,
    /// Worker processes (at least 1): the slides' `number_processes`.
    pub processes: usize,
    /// How long workers may take to finish their tasks after shutdown before they are
    /// killed.
    pub grace: Duration,
}

/// Starts the pool, then receives greetings on `socket` and queues each for the workers,
/// until `shutdown`; then stops the workers and returns.
///
/// Makes `socket` non-blocking. Errors: the queue or the first workers could not be
/// created, or the socket failed.
pub fn serve(socket: &UdpSocket, shutdown: &Shutdown, config: &Pool) -> io::Result<()> {
    socket.set_nonblocking(true)?;
    let (tasks, queue) = task_queue()?;
    // Bounded, so a full queue cannot keep shutdown waiting.
    tasks.set_send_timeout(Duration::from_millis(200))?;
    log::info!(
        "Waiting for requests on {}; a pool of {} processes answers them",
        socket.local_addr()?,
        config.processes.max(1)
    );
    let workers = Workers::start(config, socket, queue)?;
    super::print_up(socket)?;
    let dispatched = dispatch(socket, shutdown, &tasks);
    workers.stop(tasks, config.grace);
    dispatched?;
    log::info!("Server stopped");
    Ok(())
}

/// The main process's loop: receive a greeting, queue its task, repeat until shutdown.
fn dispatch(socket: &UdpSocket, shutdown: &Shutdown, tasks: &TaskSender) -> io::Result<()> {
    let mut buffer = [0u8; MAX_DATAGRAM];
    while let Some((len, client)) = recv_next(socket, shutdown, &mut buffer)? {
        super::print_received(&buffer[..len], client);
        loop {
            match tasks.send(client) {
                Ok(()) => break,
                // Every worker busy and the queue full: wait, unless stopping anyway.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && !shutdown.is_triggered() => {}
                Err(e) => {
                    log::error!("cannot queue the answer to {client}: {e}");
                    break;
                }
            }
        }
    }
    Ok(())
}

/// A worker process's loop: answer each task from the queue from `socket` until the queue
/// closes. Errors: the queue failed.
pub fn work(socket: &UdpSocket, queue: &TaskReceiver) -> io::Result<()> {
    log::info!("Ready");
    while let Some(client) = queue.recv()? {
        if let Err(e) = super::send_answer(socket, client) {
            log::warn!("cannot answer {client}: {e}");
        }
    }
    log::info!("Queue closed; exiting");
    Ok(())
}

/// Creates the task queue: `(sender, receiver)`, both close-on-exec (workers get the
/// receiver explicitly, at [`QUEUE_FD`]).
pub fn task_queue() -> io::Result<(TaskSender, TaskReceiver)> {
    let (sender, receiver) = queue::pair()?;
    Ok((TaskSender(sender), TaskReceiver(receiver)))
}

/// The main process's end of the task queue.
#[derive(Debug)]
pub struct TaskSender(queue::Sender);

impl TaskSender {
    /// Bounds one blocked [`send`](Self::send) on a full queue.
    pub fn set_send_timeout(&self, timeout: Duration) -> io::Result<()> {
        self.0.set_send_timeout(timeout)
    }

    /// Queues the task "answer `client`". Errors: `WouldBlock` when the send timeout passed
    /// with the queue full; `BrokenPipe` when no worker holds the receiver.
    pub fn send(&self, client: SocketAddr) -> io::Result<()> {
        self.0.send(client.to_string().as_bytes(), None)
    }
}

/// A worker's end of the task queue.
#[derive(Debug)]
pub struct TaskReceiver(queue::Receiver);

impl From<OwnedFd> for TaskReceiver {
    /// Adopts a receiver inherited from the main process.
    fn from(fd: OwnedFd) -> Self {
        Self(queue::Receiver::from(fd))
    }
}

impl TaskReceiver {
    /// Takes the next task, blocking until there is one; `Ok(None)` once the main process
    /// has closed the queue. Errors: a malformed task (`InvalidData`), or the OS's.
    pub fn recv(&self) -> io::Result<Option<SocketAddr>> {
        let mut text = [0u8; MAX_TASK];
        let Some(task) = self.0.recv(&mut text)? else {
            return Ok(None);
        };
        std::str::from_utf8(&text[..task.len])
            .ok()
            .and_then(|text| text.parse().ok())
            .map(Some)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "malformed task"))
    }
}

/// The running workers and their supervising threads.
struct Workers {
    children: Arc<Children>,
    stopping: Arc<AtomicBool>,
    supervisors: Vec<JoinHandle<()>>,
}

/// What a supervising thread needs to start a replacement.
struct Starter {
    exe: PathBuf,
    socket: UdpSocket,
    queue: TaskReceiver,
    numbers: AtomicUsize,
}

impl Starter {
    /// Starts `ForkPoolWorker-<next number>`.
    fn start(&self) -> io::Result<(Child, String)> {
        let name = format!(
            "ForkPoolWorker-{}",
            self.numbers.fetch_add(1, Ordering::SeqCst)
        );
        let mut command = Command::new(&self.exe);
        command.args(["pool-worker", "--name", &name]);
        let child = child::spawn(
            &mut command,
            &[
                (self.socket.as_fd(), SOCKET_FD),
                (self.queue.0.as_fd(), QUEUE_FD),
            ],
        )?;
        log::info!("Started {name} (pid {})", child.id());
        Ok((child, name))
    }
}

impl Workers {
    /// Starts `config.processes` workers, each watched by its own thread.
    fn start(config: &Pool, socket: &UdpSocket, queue: TaskReceiver) -> io::Result<Self> {
        let starter = Arc::new(Starter {
            exe: config.exe.clone(),
            socket: socket.try_clone()?,
            queue,
            numbers: AtomicUsize::new(1),
        });
        let mut workers = Self {
            children: Arc::new(Children::new()),
            stopping: Arc::new(AtomicBool::new(false)),
            supervisors: Vec::new(),
        };
        for slot in 1..=config.processes.max(1) {
            // A worker that cannot start at all (a bad executable) fails the server now.
            let (child, name) = match starter.start() {
                Ok(started) => started,
                Err(e) => {
                    // Those started read end-of-file when the caller drops the queue, and
                    // their supervisors must not replace them.
                    workers.stopping.store(true, Ordering::SeqCst);
                    return Err(e);
                }
            };
            workers.children.insert(&child, &name);
            let (starter, children, stopping) = (
                Arc::clone(&starter),
                Arc::clone(&workers.children),
                Arc::clone(&workers.stopping),
            );
            let supervisor = std::thread::Builder::new()
                .name(format!("supervisor-{slot}"))
                .spawn(move || supervise(child, name, &starter, &children, &stopping))?;
            workers.supervisors.push(supervisor);
        }
        Ok(workers)
    }

    /// Closes the queue, which tells every worker to finish; waits for them, killing those
    /// still running after `grace`.
    fn stop(self, tasks: TaskSender, grace: Duration) {
        // Before closing: a worker exiting on end-of-file must not be replaced.
        self.stopping.store(true, Ordering::SeqCst);
        drop(tasks);
        self.children.stop(grace);
        for supervisor in self.supervisors {
            let _ = supervisor.join();
        }
    }
}

/// Waits on one worker and replaces it whenever it dies, until the pool stops.
fn supervise(
    mut child: Child,
    mut name: String,
    starter: &Starter,
    children: &Children,
    stopping: &AtomicBool,
) {
    loop {
        let started = Instant::now();
        let pid = child.id();
        let status = children.wait(&mut child);
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        match status {
            Ok(status) => log::error!("{name} (pid {pid}) died: {status}; replacing it"),
            Err(e) => log::error!("cannot wait for {name} (pid {pid}): {e}; replacing it"),
        }
        if started.elapsed() < MIN_LIFETIME {
            std::thread::sleep(MIN_LIFETIME);
        }
        (child, name) = loop {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            match starter.start() {
                Ok(started) => break started,
                Err(e) => {
                    log::error!("cannot start a pool worker: {e}");
                    std::thread::sleep(MIN_LIFETIME);
                }
            }
        };
        children.insert(&child, &name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_cross_the_queue_until_it_closes() {
        let (tasks, queue) = task_queue().unwrap();
        let client: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        tasks.send(client).unwrap();
        tasks.send("[::1]:7".parse().unwrap()).unwrap();
        assert_eq!(queue.recv().unwrap(), Some(client));
        assert_eq!(queue.recv().unwrap(), Some("[::1]:7".parse().unwrap()));
        drop(tasks);
        assert_eq!(queue.recv().unwrap(), None);
    }

    #[test]
    fn a_full_queue_makes_the_sender_wait_not_grow() {
        let (tasks, _queue) = task_queue().unwrap();
        tasks.set_send_timeout(Duration::from_millis(20)).unwrap();
        let client: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let full = (0..100_000)
            .map(|_| tasks.send(client))
            .find_map(Result::err)
            .expect("the kernel bounds the queue");
        assert_eq!(full.kind(), io::ErrorKind::WouldBlock);
    }
}
