//! Starting the server's processes and keeping account of them.
//!
//! [`spawn`] re-executes a binary with chosen descriptors inherited at fixed numbers (the
//! counterpart of a forked Python child inheriting the server's socket). [`Children`] is the
//! main process's table of live children: it bounds how many run, reaps each one that
//! exits, and kills stragglers at shutdown.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use common::shutdown::Shutdown;
use nix::sys::signal::{Signal, kill};
use nix::sys::socket::{SockType, getsockopt, sockopt};
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;

/// Where a child finds the server's UDP socket.
pub const SOCKET_FD: RawFd = 3;

/// Where a pool worker finds its task queue.
pub const QUEUE_FD: RawFd = 4;

/// Starts `command` with each `(descriptor, number)` of `inherit` open in the child at
/// `number`, and with SIGINT and SIGTERM ignored there.
///
/// The children ignore those signals because Ctrl-C in a terminal signals the whole process
/// group: the main process alone decides when its children stop (see
/// [`Children::stop`]). Errors: the executable cannot be started.
pub fn spawn(command: &mut Command, inherit: &[(BorrowedFd<'_>, RawFd)]) -> io::Result<Child> {
    let mut moves: Vec<(RawFd, RawFd)> = inherit
        .iter()
        .map(|(fd, number)| (fd.as_raw_fd(), *number))
        .collect();
    // SAFETY: between fork and exec only async-signal-safe calls are allowed: fcntl, dup2
    // and signal are, and the closure writes into `moves` without allocating.
    unsafe {
        command.pre_exec(move || {
            use nix::libc;
            // First lift every descriptor above the target numbers, so that installing one
            // at its number can never overwrite another still to be moved.
            for (fd, _) in moves.iter_mut() {
                let high = libc::fcntl(*fd, libc::F_DUPFD, 64);
                if high < 0 {
                    return Err(io::Error::last_os_error());
                }
                *fd = high;
            }
            // dup2 leaves the new descriptor without close-on-exec, so it survives exec.
            for &(fd, number) in moves.iter() {
                if libc::dup2(fd, number) < 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::signal(libc::SIGTERM, libc::SIG_IGN);
            Ok(())
        });
    }
    command.spawn()
}

/// Takes ownership of descriptor `number`, inherited from the main process (see [`spawn`]),
/// as a `T`, after checking that it is an open socket of type `kind`.
///
/// Errors: nothing suitable is open there, typically because someone started a hidden
/// child mode by hand.
///
/// # Safety
/// Nothing else in this process may own descriptor `number`: call it once, at start-up.
pub unsafe fn take_inherited<T: From<OwnedFd>>(number: RawFd, kind: SockType) -> io::Result<T> {
    // SAFETY: only borrowed for the check; an unopened number makes getsockopt fail (EBADF).
    let borrowed = unsafe { BorrowedFd::borrow_raw(number) };
    match getsockopt(&borrowed, sockopt::SockType) {
        Ok(found) if found == kind => {}
        _ => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "descriptor {number} is not the {kind:?} socket this mode is started with; \
                     it is run by the server itself, not by hand"
                ),
            ));
        }
    }
    // SAFETY: open (checked above) and, per the caller, owned by nothing else.
    Ok(T::from(unsafe { OwnedFd::from_raw_fd(number) }))
}

/// The live children of a server: pid to name (`Process-3`).
///
/// A child stays in the table until it is reaped, and the reaping and the kills at shutdown
/// take the same lock, so every pid a kill finds in the table is still our own child (a
/// reaped pid could be reused by an unrelated process, and killing it would hit a
/// stranger).
#[derive(Debug, Default)]
pub struct Children {
    live: Mutex<HashMap<u32, String>>,
    changed: Condvar,
}

impl Children {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many children are live.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no child is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records `child`, called `name`.
    pub fn insert(&self, child: &Child, name: &str) {
        self.lock().insert(child.id(), name.to_owned());
    }

    /// Blocks until fewer than `max` children are live; `false` if `shutdown` came first.
    pub fn wait_for_room(&self, max: usize, shutdown: &Shutdown) -> bool {
        let mut live = self.lock();
        while live.len() >= max.max(1) {
            if shutdown.is_triggered() {
                return false;
            }
            // Only reached when full; the timeout lets shutdown interrupt the wait.
            live = self
                .changed
                .wait_timeout(live, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        !shutdown.is_triggered()
    }

    /// Blocks until `child` exits, reaps it, removes it from the table and returns how it
    /// ended. Call it on a thread of its own per child: the kernel wakes the thread the
    /// moment the child exits, without polling.
    pub fn wait(&self, child: &mut Child) -> io::Result<ExitStatus> {
        let pid = Pid::from_raw(child.id() as i32);
        // WNOWAIT: wait for the exit without reaping, so the lock below is held only for
        // the instant of reaping a child that has already exited.
        loop {
            match waitid(Id::Pid(pid), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT) {
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
                Ok(_) => break,
            }
        }
        // Reap and remove under the lock: no kill can slip in between, and no pid outside
        // the table is ever our child, so the table's size bounds our processes.
        let mut live = self.lock();
        let status = child.wait();
        live.remove(&child.id());
        drop(live);
        self.changed.notify_all();
        status
    }

    /// Waits up to `grace` for every child to exit; then kills those left and waits for
    /// their threads to reap them. Returns the names of the killed.
    pub fn stop(&self, grace: Duration) -> Vec<String> {
        if self.wait_until_empty(grace) {
            return Vec::new();
        }
        let killed: Vec<String> = {
            let live = self.lock();
            for (&pid, name) in live.iter() {
                log::warn!("{name} (pid {pid}) did not finish within {grace:?}; killing it");
                let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
            }
            live.values().cloned().collect()
        };
        // SIGKILL cannot be ignored; the waiting threads reap at once.
        self.wait_until_empty(Duration::from_secs(5));
        killed
    }

    /// Blocks until no child is live or `timeout` passes; whether the table is empty.
    pub fn wait_until_empty(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut live = self.lock();
        while !live.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            live = self
                .changed
                .wait_timeout(live, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u32, String>> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;
    use std::sync::Arc;

    #[test]
    fn descriptors_arrive_at_their_numbers() {
        let file = tempfile_with(b"socket");
        let other = tempfile_with(b"queue");
        // Inspect the child's own descriptor table.
        let output = spawn(
            Command::new("sh")
                .args(["-c", "cat <&3; cat <&4"])
                .stdout(std::process::Stdio::piped()),
            &[(file.as_fd(), 3), (other.as_fd(), 4)],
        )
        .unwrap()
        .wait_with_output()
        .unwrap();
        assert!(output.status.success());
        assert_eq!(output.stdout, b"socketqueue");
    }

    #[test]
    fn the_table_bounds_reaps_and_kills() {
        let children = Arc::new(Children::new());
        let shutdown = Shutdown::new().unwrap();
        let mut waiters = Vec::new();
        for (i, seconds) in ["0", "60"].into_iter().enumerate() {
            let mut child = spawn(Command::new("sleep").arg(seconds), &[]).unwrap();
            children.insert(&child, &format!("Process-{}", i + 1));
            let children = Arc::clone(&children);
            waiters.push(std::thread::spawn(move || {
                children.wait(&mut child).unwrap()
            }));
        }
        // `sleep 0` leaves quickly, so there is room for a second child under a cap of 2.
        assert!(children.wait_for_room(2, &shutdown));
        assert_eq!(children.len(), 1);
        let killed = children.stop(Duration::from_millis(100));
        assert_eq!(killed, vec!["Process-2".to_owned()]);
        assert!(children.is_empty());
        let statuses: Vec<ExitStatus> = waiters.into_iter().map(|w| w.join().unwrap()).collect();
        assert!(statuses[0].success());
        assert!(!statuses[1].success());
        shutdown.trigger();
        assert!(!children.wait_for_room(2, &shutdown));
    }

    fn tempfile_with(content: &[u8]) -> std::fs::File {
        use std::io::{Seek, Write};
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(content).unwrap();
        file.rewind().unwrap();
        file
    }
}
