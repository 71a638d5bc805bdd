//! Concurrency as the kernel sees it: a server's threads (`/proc/PID/task`) and child
//! processes, sampled while the grader holds clients open. Nothing is read from the source.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The thread ids of process `pid` right now (empty if it is gone).
pub fn threads(pid: u32) -> BTreeSet<u32> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The real user id process `pid` runs as, from `/proc/PID/status`.
pub fn uid(pid: u32) -> Option<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Every process descended from `pid` (children, grandchildren, ...), from the parent
/// links in `/proc/*/stat`.
pub fn descendants(pid: u32) -> BTreeSet<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(child) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
                continue;
            };
            if let Some(parent) = parent_of(child) {
                children.entry(parent).or_default().push(child);
            }
        }
    }
    let mut found = BTreeSet::new();
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        for &c in children.get(&p).into_iter().flatten() {
            if found.insert(c) {
                stack.push(c);
            }
        }
    }
    found
}

/// Which of `pids` holds the TCP socket whose local port is `port`: the socket's inode from
/// `/proc/PID/net/tcp{,6}` (its network namespace's table), then the process whose
/// `/proc/PID/fd` links to it. How the grader tells which worker process made a request.
pub fn socket_owner(pids: &[u32], port: u16) -> Option<u32> {
    let first = *pids.first()?;
    let inode = crate::process::socket_rows(first, ["tcp", "tcp6"], port)
        .into_iter()
        .find_map(|mut fields| (fields.len() > 9).then(|| fields.swap_remove(9)))?;
    let link = format!("socket:[{inode}]");
    pids.iter().copied().find(|pid| {
        std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
            fds.flatten().any(|fd| {
                std::fs::read_link(fd.path())
                    .is_ok_and(|target| target.as_os_str() == link.as_str())
            })
        })
    })
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// What a [`ThreadSampler`] saw.
#[derive(Debug, Clone, Default)]
pub struct ThreadTrace {
    /// Threads when sampling began (the main thread, pools created at start-up).
    pub initial: usize,
    /// Most threads seen at once.
    pub peak: usize,
    /// Threads that appeared during sampling.
    pub appeared: usize,
    /// Of those, threads that also ended during sampling: short-lived handler threads.
    pub transient: usize,
    /// Most of the threads that appeared during sampling seen alive at once.
    pub peak_new: usize,
    /// Samples taken.
    pub samples: usize,
}

impl ThreadTrace {
    /// `threads: 1 at start, peak 9, 40 appeared (at most 8 at once), 38 of them ended
    /// (1200 samples of /proc/PID/task)`.
    pub fn describe(&self) -> String {
        format!(
            "threads: {} at start, peak {}, {} appeared (at most {} at once), {} of them ended ({} samples of /proc/PID/task)",
            self.initial, self.peak, self.appeared, self.peak_new, self.transient, self.samples
        )
    }
}

/// Samples `/proc/PID/task` as fast as it can on a thread of its own until stopped.
pub struct ThreadSampler {
    stop: Arc<AtomicBool>,
    latest: Arc<Mutex<ThreadTrace>>,
    handle: JoinHandle<ThreadTrace>,
}

impl ThreadSampler {
    /// Starts sampling `pid`.
    pub fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let latest = Arc::new(Mutex::new(ThreadTrace::default()));
        let published = latest.clone();
        // The starting set is read here, not on the sampling thread: that thread may be
        // scheduled only after the caller's first client got its handler thread, which
        // would then count as initial instead of new.
        let initial = threads(pid);
        let handle = std::thread::spawn(move || {
            let mut trace = ThreadTrace {
                initial: initial.len(),
                peak: initial.len(),
                ..ThreadTrace::default()
            };
            let mut seen = initial.clone();
            let mut live_new: BTreeSet<u32> = BTreeSet::new();
            while !flag.load(Ordering::Relaxed) {
                let now = threads(pid);
                trace.samples += 1;
                trace.peak = trace.peak.max(now.len());
                for tid in &now {
                    if seen.insert(*tid) {
                        trace.appeared += 1;
                        live_new.insert(*tid);
                    }
                }
                trace.peak_new = trace.peak_new.max(live_new.len());
                let ended: Vec<u32> = live_new.difference(&now).copied().collect();
                for tid in ended {
                    live_new.remove(&tid);
                    trace.transient += 1;
                }
                *published.lock().unwrap_or_else(|e| e.into_inner()) = trace.clone();
                if now.is_empty() {
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
            trace
        });
        Self {
            stop,
            latest,
            handle,
        }
    }

    /// What has been seen so far, while sampling goes on.
    pub fn snapshot(&self) -> ThreadTrace {
        self.latest
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Stops sampling and returns what was seen.
    pub fn finish(self) -> ThreadTrace {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap_or_default()
    }
}

/// Polls `probe` every 20 ms until it returns `Some` or `timeout` passes.
pub fn poll_until<T>(timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
