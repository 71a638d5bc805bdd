//! The sandbox a submission's programs run in: an unprivileged user of their own, kernel
//! limits on what they may use, and a view of the file system that ends at their working
//! copy. Three mechanisms, each the kernel's own, each through a well-kept crate:
//!
//! - **An unprivileged user** (`nix`): every grading gets a user id of its own (60100 and
//!   up, no account needed), so a submission cannot read root's files, signal another
//!   grading's processes or the grader, or keep root's privileges. Its working copy is the
//!   only folder it owns.
//! - **Limits**: memory and processes (threads included) for a program and all its children
//!   together, through a control group of its own (`cgroups-rs`, cgroup v1 or v2); CPU
//!   seconds, open files and file size per process through `setrlimit`; wall time per step
//!   by the grader's own timeout. A program stopped by a limit is reported as such.
//! - **A file-system view** (`landlock`): read and execute on the system's folders and the
//!   interpreter's installation, read and write on the program's working copy (and
//!   `/dev/shm`, where `multiprocessing` keeps its semaphores), nothing else: not another
//!   submission, not the grader's home or files. Landlock is an unprivileged kernel
//!   feature (Linux 5.13+), unlike a private mount namespace, and needs no paths rebuilt.
//!
//! The network stays the grading's namespace's loopback ([`crate::netns`]). What the
//! machine cannot enforce (no root, no cgroup controller, no Landlock) is said in the
//! report, as the network isolation's fallback is.

use std::collections::BTreeSet;
use std::fs::File;
use std::io;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use landlock::{
    ABI, Access, AccessFs, CompatLevel, Compatible as _, Ruleset, RulesetAttr as _, RulesetCreated,
    RulesetCreatedAttr as _, path_beneath_rules,
};
use nix::sys::resource::{Resource, setrlimit};
use nix::unistd::{Gid, Uid};
use serde::{Deserialize, Serialize};

/// The limits on one program of a submission (a server, a client run) and the processes it
/// starts; a checklist's `[sandbox]` table may change any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Memory of the program and its children together, MiB (a control group's limit,
    /// swap included): 1024. PrairieLearn gives a grading job 2 GiB in all.
    pub memory_mib: u64,
    /// Processes and threads of the program and its children alive at once: 256 (a
    /// thread-per-connection server under the grader's bursts needs a few dozen).
    pub processes: u64,
    /// CPU seconds of any one process: 120 (`RLIMIT_CPU`).
    pub cpu_seconds: u64,
    /// Wall-clock seconds any one step may take (a client run, a server start): 120;
    /// `labs grade --step-timeout` overrides it.
    pub wall_seconds: u64,
    /// Files open at once in any one process: 1024 (`RLIMIT_NOFILE`).
    pub open_files: u64,
    /// Largest file a process may write, MiB: 256 (`RLIMIT_FSIZE`; a numbers list is
    /// 2.6 MB).
    pub file_size_mib: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_mib: 1024,
            processes: 256,
            cpu_seconds: 120,
            wall_seconds: 120,
            open_files: 1024,
            file_size_mib: 256,
        }
    }
}

/// A limit a program ran into; it displays as the report says it, e.g. `memory limit
/// 1 GiB reached`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The control group's memory limit, MiB: the kernel's OOM killer ended a process.
    Memory(u64),
    /// The control group's process limit: a `fork` or a new thread was refused.
    Processes(u64),
    /// CPU seconds (`SIGXCPU`).
    CpuTime(u64),
    /// File size, MiB (`EFBIG`, or `SIGXFSZ` for a program that does not ignore it).
    FileSize(u64),
    /// Open files (`EMFILE`).
    OpenFiles(u64),
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mib = |n: u64| {
            if n.is_multiple_of(1024) {
                format!("{} GiB", n / 1024)
            } else {
                format!("{n} MiB")
            }
        };
        match self {
            Limit::Memory(n) => write!(f, "memory limit {} reached", mib(*n)),
            Limit::Processes(n) => write!(f, "process limit {n} reached"),
            Limit::CpuTime(n) => write!(f, "CPU time limit {n} s reached"),
            Limit::FileSize(n) => write!(f, "file size limit {} reached", mib(*n)),
            Limit::OpenFiles(n) => write!(f, "open files limit {n} reached"),
        }
    }
}

/// The first user id handed to gradings; a grading takes the lowest free one above it.
pub const FIRST_UID: u32 = 60100;

/// User ids held by running gradings.
static USERS: Mutex<BTreeSet<u32>> = Mutex::new(BTreeSet::new());

/// A user id held for one grading, freed when dropped.
#[derive(Debug)]
struct SandboxUser(u32);

impl SandboxUser {
    fn acquire() -> Self {
        let mut users = USERS.lock().unwrap_or_else(|e| e.into_inner());
        let uid = (FIRST_UID..)
            .find(|uid| !users.contains(uid))
            .unwrap_or(FIRST_UID);
        users.insert(uid);
        Self(uid)
    }
}

impl Drop for SandboxUser {
    fn drop(&mut self) {
        USERS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.0);
    }
}

/// The Landlock ABI whose file-system rights the view handles (up to device ioctls, V5);
/// an older kernel enforces what it knows (best effort), which the report states.
const LANDLOCK_ABI: ABI = ABI::V5;

/// Folders every program may read and execute from: the system's, not users' or the
/// grader's.
const SYSTEM_DIRS: &[&str] = &[
    "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt", "/proc", "/sys", "/dev",
];

/// Devices every program may write to.
const DEVICES: &[&str] = &["/dev/null", "/dev/zero", "/dev/full", "/dev/tty"];

/// Distinguishes the control groups of one `labs` process.
static GROUPS: AtomicU64 = AtomicU64::new(0);

/// The sandbox of one grading: who its programs run as, their limits, what they may read.
#[derive(Debug)]
pub struct Sandbox {
    limits: Limits,
    user: Option<SandboxUser>,
    /// Whether control groups with the memory and pids controllers can be made here.
    cgroups: bool,
    /// Whether the kernel has Landlock.
    landlock: bool,
    /// Folders readable besides [`SYSTEM_DIRS`]: the interpreter's installation.
    readable: Vec<PathBuf>,
    /// What could not be enforced, and why.
    not_enforced: Vec<String>,
}

impl Sandbox {
    /// The sandbox for one grading with `limits`, programs allowed to read `readable`
    /// (the interpreter's installation) too; `enabled: false` (`--no-sandbox`) runs them
    /// as the grader, unlimited. Checks what this machine can enforce.
    pub fn new(limits: Limits, readable: Vec<PathBuf>, enabled: bool) -> Self {
        let mut sandbox = Self {
            limits,
            user: None,
            cgroups: false,
            landlock: false,
            readable,
            not_enforced: Vec::new(),
        };
        if !enabled {
            sandbox
                .not_enforced
                .push("no sandbox (--no-sandbox): programs run as the grader, unlimited".into());
            return sandbox;
        }
        if Uid::effective().is_root() {
            sandbox.user = Some(SandboxUser::acquire());
        } else {
            sandbox
                .not_enforced
                .push("own user (the grader is not root, so programs run as its user)".into());
        }
        let (cgroups, landlock) = machine_support();
        match cgroups {
            Ok(()) => sandbox.cgroups = true,
            Err(e) => sandbox
                .not_enforced
                .push(format!("memory and process limits ({e})")),
        }
        match landlock {
            true => sandbox.landlock = true,
            false => sandbox
                .not_enforced
                .push("file-system view (the kernel has no Landlock)".into()),
        }
        sandbox
    }

    /// The user id programs run as, if the sandbox has one.
    pub fn uid(&self) -> Option<u32> {
        self.user.as_ref().map(|u| u.0)
    }

    /// For the report: `sandbox: uid 60100; memory 1 GiB, 256 processes, ...; files:
    /// working copy only`, then what was not enforced.
    pub fn describe(&self) -> String {
        let l = &self.limits;
        let mut parts = Vec::new();
        if let Some(uid) = self.uid() {
            parts.push(format!("uid {uid}"));
        }
        let mut limits = vec![
            format!("{} s CPU", l.cpu_seconds),
            format!("{} s per step", l.wall_seconds),
            format!("{} open files", l.open_files),
            format!("{} MiB per file", l.file_size_mib),
        ];
        if self.cgroups {
            limits.insert(0, format!("memory {} MiB", l.memory_mib));
            limits.insert(1, format!("{} processes", l.processes));
        }
        parts.push(limits.join(", "));
        if self.landlock {
            parts.push("files: working copy only".into());
        }
        let mut text = format!("sandbox: {}", parts.join("; "));
        if !self.not_enforced.is_empty() {
            text.push_str(&format!("; not enforced: {}", self.not_enforced.join(", ")));
        }
        text
    }

    /// Gives `path` (and, for a folder, everything in it) to the sandbox's user, so its
    /// programs can write there; nothing to do without one.
    pub fn give(&self, path: &Path) -> io::Result<()> {
        let Some(uid) = self.uid() else {
            return Ok(());
        };
        let owner = (Some(Uid::from_raw(uid)), Some(Gid::from_raw(uid)));
        nix::unistd::chown(path, owner.0, owner.1)?;
        if path.is_dir() {
            for entry in std::fs::read_dir(path)? {
                self.give(&entry?.path())?;
            }
        }
        Ok(())
    }

    /// Confines `command`, to be started in `dir`: its user, limits and file-system view
    /// take effect between `fork` and `exec`. `also_readable` adds folders it may read and
    /// execute from (a `--cmd` program's own folder). The returned [`Confinement`] must
    /// outlive the process: it holds the control group.
    ///
    /// Errors: the control group or the Landlock rules cannot be made.
    pub fn confine(
        &self,
        command: &mut Command,
        dir: &Path,
        also_readable: &[PathBuf],
    ) -> anyhow::Result<Confinement> {
        let limits = self.limits;
        // Everything that allocates happens here, before fork: the child may only make
        // system calls (another thread may hold the allocator's lock at fork).
        let cgroup = if self.cgroups {
            Some(make_cgroup(&limits)?)
        } else {
            None
        };
        let procs: Vec<File> = match &cgroup {
            Some(group) => group
                .subsystems()
                .iter()
                .map(|s| {
                    File::options()
                        .write(true)
                        .open(s.to_controller().path().join("cgroup.procs"))
                })
                .collect::<io::Result<_>>()?,
            None => Vec::new(),
        };
        let mut ruleset = if self.landlock {
            let readable = SYSTEM_DIRS
                .iter()
                .map(PathBuf::from)
                .chain(self.readable.iter().cloned())
                .chain(also_readable.iter().cloned());
            Some(view(readable, dir)?)
        } else {
            None
        };
        let user = self.uid();
        if let Some(uid) = user {
            command.env("HOME", dir).env("USER", format!("labs-{uid}"));
        }
        command.env("TMPDIR", dir);
        let file_size = limits.file_size_mib << 20;
        // SAFETY: the closure makes only system calls (write, setrlimit, setgroups,
        // setgid, setuid, prctl, landlock_restrict_self) on values prepared above; its
        // one allocation is the error path's io::Error, when exec is abandoned anyway.
        unsafe {
            command.pre_exec(move || {
                // Join the control groups first: after setuid the cgroup files are not
                // ours to write. "0" moves the writing process.
                for file in &procs {
                    nix::unistd::write(file, b"0")?;
                }
                setrlimit(
                    Resource::RLIMIT_CPU,
                    limits.cpu_seconds,
                    limits.cpu_seconds + 2,
                )?;
                setrlimit(
                    Resource::RLIMIT_NOFILE,
                    limits.open_files,
                    limits.open_files,
                )?;
                setrlimit(Resource::RLIMIT_FSIZE, file_size, file_size)?;
                setrlimit(Resource::RLIMIT_CORE, 0, 0)?;
                if let Some(uid) = user {
                    nix::unistd::setgroups(&[])?;
                    nix::unistd::setgid(Gid::from_raw(uid))?;
                    nix::unistd::setuid(Uid::from_raw(uid))?;
                }
                if let Some(rules) = ruleset.take() {
                    rules.restrict_self().map_err(io::Error::other)?;
                }
                Ok(())
            });
        }
        Ok(Confinement { cgroup, limits })
    }
}

/// The Landlock rules: read and execute below `readable`, everything below `dir` and
/// `/dev/shm`, writing to a few devices; nothing else.
fn view(readable: impl Iterator<Item = PathBuf>, dir: &Path) -> anyhow::Result<RulesetCreated> {
    let abi = LANDLOCK_ABI;
    let ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(AccessFs::from_all(abi))?
        .create()?
        .add_rules(path_beneath_rules(readable, AccessFs::from_read(abi)))?
        .add_rules(path_beneath_rules(
            [dir, Path::new("/dev/shm")],
            AccessFs::from_all(abi),
        ))?
        .add_rules(path_beneath_rules(
            DEVICES,
            AccessFs::from_read(abi) | AccessFs::WriteFile,
        ))?;
    Ok(ruleset)
}

/// What this machine supports, probed once per process (a batch makes a sandbox per
/// submission, and the preflight one more): control groups (or why not), and Landlock.
fn machine_support() -> &'static (Result<(), String>, bool) {
    static SUPPORT: OnceLock<(Result<(), String>, bool)> = OnceLock::new();
    SUPPORT.get_or_init(|| {
        (
            probe_cgroups().map_err(|e| e.to_string()),
            landlock_available(),
        )
    })
}

/// Whether this kernel has Landlock.
fn landlock_available() -> bool {
    Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(AccessFs::from_all(ABI::V1))
        .and_then(|ruleset| ruleset.create())
        .is_ok()
}

/// Makes one control group and removes it: whether limits can be enforced here.
fn probe_cgroups() -> anyhow::Result<()> {
    make_cgroup(&Limits::default())?.delete()?;
    Ok(())
}

/// A fresh control group with the memory and pids controllers, limited by `limits`.
fn make_cgroup(limits: &Limits) -> anyhow::Result<cgroups_rs::Cgroup> {
    let name = format!(
        "labs/{}-{}",
        std::process::id(),
        GROUPS.fetch_add(1, Ordering::Relaxed)
    );
    let bytes = (limits.memory_mib << 20) as i64;
    let mut builder = cgroups_rs::cgroup_builder::CgroupBuilder::new(&name)
        .set_specified_controllers(vec!["memory".into(), "pids".into()])
        .memory()
        .memory_hard_limit(bytes)
        .done()
        .pid()
        .maximum_number_of_processes(cgroups_rs::MaxValue::Value(limits.processes as i64))
        .done();
    // Swap counts against the limit where the kernel accounts it (v1 memsw, v2 swap.max).
    if Path::new("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes").exists() {
        builder = builder.memory().memory_swap_limit(bytes).done();
    }
    let group = builder
        .build(cgroups_rs::hierarchies::auto())
        .map_err(|e| anyhow::anyhow!("no control group: {e}"))?;
    let controllers: Vec<String> = group
        .subsystems()
        .iter()
        .map(|s| s.controller_name())
        .collect();
    if !(controllers.iter().any(|c| c == "memory") && controllers.iter().any(|c| c == "pids")) {
        let _ = group.delete();
        anyhow::bail!("no memory and pids controllers");
    }
    Ok(group)
}

/// What confines one running program: its control group, deleted (after killing whatever
/// is left in it) when this is dropped.
#[derive(Debug)]
pub struct Confinement {
    cgroup: Option<cgroups_rs::Cgroup>,
    limits: Limits,
}

impl Confinement {
    /// The limit the program ran into, if any, judged from its control group's counters,
    /// its `exit` signal, and its output (Python reports `EFBIG` and `EMFILE` as errors).
    pub fn limit_reached(&self, signal: Option<i32>, output: &str) -> Option<Limit> {
        let l = &self.limits;
        if let Some(group) = &self.cgroup {
            if counter(
                group,
                "memory",
                &["memory.events", "memory.oom_control"],
                "oom_kill",
            ) > 0
            {
                return Some(Limit::Memory(l.memory_mib));
            }
            if counter(group, "pids", &["pids.events"], "max") > 0 {
                return Some(Limit::Processes(l.processes));
            }
        }
        use nix::sys::signal::Signal;
        match signal {
            Some(s) if s == Signal::SIGXCPU as i32 => return Some(Limit::CpuTime(l.cpu_seconds)),
            Some(s) if s == Signal::SIGXFSZ as i32 => {
                return Some(Limit::FileSize(l.file_size_mib));
            }
            _ => {}
        }
        if output.contains("File too large") {
            return Some(Limit::FileSize(l.file_size_mib));
        }
        if output.contains("Too many open files") {
            return Some(Limit::OpenFiles(l.open_files));
        }
        None
    }

    /// Kills every process left in the control group (also those that left the process
    /// group the grader kills).
    pub fn kill_all(&self) {
        let Some(group) = &self.cgroup else { return };
        for _ in 0..50 {
            let procs = group.procs();
            if procs.is_empty() {
                return;
            }
            for pid in procs {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid.pid as i32),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

impl Drop for Confinement {
    fn drop(&mut self) {
        self.kill_all();
        if let Some(group) = &self.cgroup {
            let _ = group.delete();
        }
    }
}

/// The value of `key` in the first of `files` that the group's `controller` has.
fn counter(group: &cgroups_rs::Cgroup, controller: &str, files: &[&str], key: &str) -> u64 {
    let Some(path) = group
        .subsystems()
        .iter()
        .find(|s| s.controller_name() == controller)
        .map(|s| s.to_controller().path().to_path_buf())
    else {
        return 0;
    };
    files
        .iter()
        .find_map(|file| std::fs::read_to_string(path.join(file)).ok())
        .and_then(|text| {
            text.lines().find_map(|line| {
                let (name, value) = line.split_once(' ')?;
                (name == key).then(|| value.trim().parse().ok()).flatten()
            })
        })
        .unwrap_or(0)
}
