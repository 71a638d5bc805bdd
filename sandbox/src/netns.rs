//! Network isolation of a grading: a network namespace of its own per grading thread, when
//! the grader may create one, so the lab's fixed ports are free and programs reach nothing
//! but their own loopback.

use std::process::{Command, Stdio};

/// How a grading thread is isolated from the host network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Isolation {
    /// A fresh network namespace with only `lo`, entered by this thread: the lab's fixed
    /// ports are free, and programs reach nothing but their own loopback.
    Namespace,
    /// The host's network, because namespaces are unavailable (the reason is kept). Only one
    /// submission may then be graded at a time, since all share the lab's port.
    Host(String),
}

impl Isolation {
    /// Moves the calling thread (and every thread and process it creates afterwards) into a
    /// new network namespace and brings its loopback up; falls back to [`Isolation::Host`]
    /// with the reason when that is not permitted. `force_host` skips the attempt.
    ///
    /// A network namespace belongs to a thread, not a process (`unshare(CLONE_NEWNET)`
    /// affects the caller only), which is what lets a batch grade several submissions on
    /// the same fixed port at once, one grading thread each.
    pub fn enter(force_host: bool) -> Isolation {
        if force_host {
            return Isolation::Host("host network requested (--no-isolation)".into());
        }
        if let Err(e) = nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET) {
            return Isolation::Host(format!(
                "no network namespace (unshare: {e}; needs root or CAP_SYS_ADMIN)"
            ));
        }
        match Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .stderr(Stdio::piped())
            .output()
        {
            Ok(out) if out.status.success() => Isolation::Namespace,
            Ok(out) => Isolation::Host(format!(
                "namespace created but 'ip link set lo up' failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => Isolation::Host(format!(
                "namespace created but 'ip' (iproute2) cannot run: {e}"
            )),
        }
    }

    /// `network namespace`, or `host network: <reason>`.
    pub fn describe(&self) -> String {
        match self {
            Isolation::Namespace => "network namespace".into(),
            Isolation::Host(reason) => format!("host network: {reason}"),
        }
    }
}
