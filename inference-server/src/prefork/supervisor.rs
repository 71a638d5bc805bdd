//! Starting worker processes and keeping N of them alive.
//!
//! One supervising thread per worker slot blocks in `wait()` on its child: the kernel wakes
//! it the moment the child exits, so a dead worker is noticed at once without polling. If
//! the server is not shutting down, the thread logs the death and starts a replacement
//! with the next process number, as Python's `multiprocessing` would name it.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use common::shutdown::Shutdown;
use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;

use super::Prefork;
use super::handoff::QueueReceiver;

/// The descriptor number at which a worker finds the connection queue.
pub const QUEUE_FD: RawFd = 3;

/// A worker that lives shorter than this before dying is restarted only after this long,
/// so a worker that cannot start (say, a broken model file) does not spin.
const MIN_LIFETIME: Duration = Duration::from_secs(1);

/// The running workers.
pub struct Supervisor {
    slots: Vec<JoinHandle<()>>,
    /// Receives one message per supervising thread when it is done.
    done: mpsc::Receiver<()>,
    /// Live workers' pids by name, to kill stragglers.
    live: Arc<Mutex<HashMap<String, u32>>>,
}

impl Supervisor {
    /// Starts `prefork.processes` workers that read from `queue`, each supervised by its
    /// own thread. Errors: a worker could not be started now (failures to start a
    /// replacement later are logged and retried).
    pub fn start(
        prefork: &Prefork,
        queue: QueueReceiver,
        shutdown: &Shutdown,
    ) -> anyhow::Result<Self> {
        let queue = Arc::new(queue);
        let live = Arc::new(Mutex::new(HashMap::new()));
        let numbers = Arc::new(AtomicUsize::new(1));
        let (done_tx, done) = mpsc::channel();
        let mut slots = Vec::new();
        for slot in 0..prefork.processes.max(1) {
            // `?`: a worker that cannot even be started (a bad executable) fails the server
            // at once; workers already started exit when the caller closes the queue.
            let worker = spawn_worker(prefork, &queue, numbers.fetch_add(1, Ordering::SeqCst))?;
            let context = SlotContext {
                prefork: prefork.clone(),
                queue: Arc::clone(&queue),
                live: Arc::clone(&live),
                numbers: Arc::clone(&numbers),
                shutdown: shutdown.clone(),
            };
            let done_tx = done_tx.clone();
            let thread = std::thread::Builder::new()
                .name(format!("supervisor-{}", slot + 1))
                .spawn(move || {
                    context.supervise(worker);
                    let _ = done_tx.send(());
                })?;
            slots.push(thread);
        }
        Ok(Self { slots, done, live })
    }

    /// Waits for every worker to exit (the caller has closed the queue, which tells them
    /// to), killing those still running after `grace`.
    pub fn stop(self, grace: Duration) {
        let deadline = Instant::now() + grace;
        let mut finished = 0;
        while finished < self.slots.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.done.recv_timeout(left) {
                Ok(()) => finished += 1,
                Err(_) => break,
            }
        }
        for (name, pid) in self.live.lock().unwrap().iter() {
            log::warn!("{name} (pid {pid}) did not finish within {grace:?}; killing it");
            let _ = kill(Pid::from_raw(*pid as i32), Signal::SIGKILL);
        }
        for slot in self.slots {
            let _ = slot.join();
        }
    }
}

/// A worker process with its name.
struct Worker {
    name: String,
    child: Child,
}

struct SlotContext {
    prefork: Prefork,
    queue: Arc<QueueReceiver>,
    live: Arc<Mutex<HashMap<String, u32>>>,
    numbers: Arc<AtomicUsize>,
    shutdown: Shutdown,
}

impl SlotContext {
    /// Waits on `worker`; replaces it whenever it dies, until shutdown.
    fn supervise(&self, mut worker: Worker) {
        loop {
            let started = Instant::now();
            let pid = worker.child.id();
            self.live.lock().unwrap().insert(worker.name.clone(), pid);
            // Wait for the exit without reaping it (WNOWAIT): until it is reaped the pid
            // cannot be reused, and it is reaped below under the lock `stop` kills under, so
            // `stop` can never kill another process that got the same pid.
            wait_for_exit(pid);
            let status = {
                let mut live = self.live.lock().unwrap();
                live.remove(&worker.name);
                worker.child.wait()
            };
            let status = match status {
                Ok(status) => status.to_string(),
                Err(e) => format!("unknown status: {e}"),
            };
            if self.shutdown.is_triggered() {
                log::info!("{} (pid {pid}) exited: {status}", worker.name);
                return;
            }
            log::error!(
                "{} (pid {pid}) died: {status}; starting a replacement",
                worker.name
            );
            if started.elapsed() < MIN_LIFETIME && self.shutdown.sleep(MIN_LIFETIME) {
                return;
            }
            worker = loop {
                let number = self.numbers.fetch_add(1, Ordering::SeqCst);
                match spawn_worker(&self.prefork, &self.queue, number) {
                    Ok(worker) => break worker,
                    Err(e) => {
                        log::error!("cannot start a worker process: {e:#}");
                        if self.shutdown.sleep(MIN_LIFETIME) {
                            return;
                        }
                    }
                }
            };
        }
    }
}

/// Blocks until process `pid` (our child) has exited, leaving it to be reaped.
fn wait_for_exit(pid: u32) {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
    while let Err(Errno::EINTR) = waitid(Id::Pid(Pid::from_raw(pid as i32)), flags) {}
}

/// Starts `Process-{number}`: `EXE worker --name Process-N <options>`, with the queue's
/// receiver at descriptor [`QUEUE_FD`].
fn spawn_worker(prefork: &Prefork, queue: &QueueReceiver, number: usize) -> anyhow::Result<Worker> {
    let name = format!("Process-{number}");
    let queue_fd = queue.as_fd().as_raw_fd();
    let mut command = Command::new(&prefork.worker_exe);
    command
        .arg("worker")
        .args(["--name", &name])
        .args(prefork.worker.to_args())
        // Workers log at the main process's level: `RUST_LOG=debug` on the server, or no
        // logger at all in a library caller such as a benchmark.
        .env("RUST_LOG", log::max_level().to_string());
    // SAFETY: between fork and exec only async-signal-safe calls are allowed; dup2, fcntl
    // and signal are.
    unsafe {
        command.pre_exec(move || {
            use nix::libc;
            // dup2 gives the queue a known number and, unlike the original descriptor, no
            // close-on-exec flag, so the worker inherits it. (If it already is QUEUE_FD,
            // dup2 does nothing and the flag must be cleared by hand.)
            if queue_fd == QUEUE_FD {
                if libc::fcntl(QUEUE_FD, libc::F_SETFD, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(queue_fd, QUEUE_FD) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Ctrl-C in a terminal signals the whole process group. Workers ignore it and
            // SIGTERM: the main process coordinates shutdown by closing the queue.
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
            Ok(())
        });
    }
    let child = command
        .spawn()
        .with_context(|| format!("cannot start {}", prefork.worker_exe.display()))?;
    log::info!("Created process {name}");
    log::debug!("{name} has pid {}", child.id());
    Ok(Worker { name, child })
}
