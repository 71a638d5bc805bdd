//! The state of one grading, which every check reads and acts through: the checklist and
//! options, the working copy, which program plays which role, the static facts, and the
//! verdicts so far. Lab modules sit above it; it knows no lab.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use anyhow::Context as _;
use sandbox::confine::{Confinement, Sandbox};
use sandbox::netns::Isolation;
use sandbox::process::Proc;
use sandbox::workdir::WorkDir;

use crate::grading::checklist::Checklist;
use crate::grading::options::GradeOptions;
use crate::grading::pystatic::{self, FileFacts, SourceFacts};
use crate::grading::report::Verdict;
use crate::grading::submission::Layout;

/// How a role is started.
#[derive(Debug, Clone)]
pub enum Program {
    /// `python3 FILE` (the file name, inside the working copy).
    Python(String),
    /// `sh -c "exec COMMAND"`.
    Shell(String),
    /// A reference binary with fixed leading arguments.
    Binary(PathBuf, Vec<String>),
}

impl Program {
    /// The command with `args` appended, and how to show it in evidence.
    pub fn command(&self, python: &str, args: &[String]) -> (Command, String) {
        match self {
            Program::Python(file) => {
                let mut command = Command::new(python);
                command.arg(file).args(args);
                (command, shown(&["python3", file], args))
            }
            Program::Shell(line) => {
                let full = shown(&[line], args);
                let mut command = Command::new("sh");
                command.arg("-c").arg(format!("exec {full}"));
                (command, full)
            }
            Program::Binary(path, fixed) => {
                let mut command = Command::new(path);
                command.args(fixed).args(args);
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let mut words = vec![name.as_ref()];
                words.extend(fixed.iter().map(String::as_str));
                (command, shown(&words, args))
            }
        }
    }
}

/// `words` then `args`, joined by single spaces.
fn shown(words: &[&str], args: &[String]) -> String {
    words
        .iter()
        .copied()
        .chain(args.iter().map(String::as_str))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds the reference binary `name` in `dir`, else beside the running executable (or its
/// parent, for test executables in `target/debug/deps`).
///
/// Errors: not found; the message says how to build it.
pub fn reference_binary(dir: Option<&Path>, name: &str) -> anyhow::Result<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(dir) = dir {
        candidates.push(dir.join(name));
    } else if let Ok(exe) = std::env::current_exe()
        && let Some(parent) = exe.parent()
    {
        candidates.push(parent.join(name));
        if let Some(grand) = parent.parent() {
            candidates.push(grand.join(name));
        }
    }
    // Absolute, because programs start in their run folder: a relative path given with
    // --reference-bin-dir would be looked up there.
    let found = candidates.into_iter().find(|p| p.is_file());
    found.map(|p| std::path::absolute(&p).unwrap_or(p)).ok_or_else(|| {
        anyhow::anyhow!(
            "reference binary {name} not found beside labs; build it (cargo build -p <its crate>) or pass --reference-bin-dir"
        )
    })
}

/// Starts `command` as [`Proc::spawn`] does, with the memory settings every program the
/// grader runs gets, the given ones and the references too, so that a comparison stays like
/// with like.
///
/// glibc's malloc hands freed memory back to the kernel and maps each allocation above its
/// (growing) threshold afresh. The course's `data += packet` loop makes a larger buffer for
/// every 1 KiB it receives: some 125000 page faults per numbers list. On a virtual machine
/// a fault costs microseconds, and those faults, a cost of the grader's machine and not of
/// anyone's code, drowned the waiting a threaded client overlaps (the given client against
/// a threaded copy of it: paired ratio 0.94-1.02 with glibc's defaults, 0.77-0.83 with
/// these): heap allocations up to 32 MiB, and freed memory kept.
fn start(
    mut command: Command,
    shown: String,
    dir: &Path,
    logs: &Path,
    log_name: &str,
    input: Option<&str>,
    confinement: Option<Confinement>,
) -> anyhow::Result<Proc> {
    command
        .env("MALLOC_MMAP_THRESHOLD_", (32 << 20).to_string())
        .env("MALLOC_TRIM_THRESHOLD_", (1u64 << 30).to_string());
    Proc::spawn(command, shown, dir, logs, log_name, input, confinement)
}

/// The machine's CPU, shared by the gradings of one `labs` process: running programs takes
/// it shared ([`Grader::load_shared`]); a CPU-bound timing item takes it alone
/// ([`Grader::load_exclusive`]), so in a batch no other submission runs beside it.
static MACHINE: RwLock<()> = RwLock::new(());

/// The state of one grading.
pub struct Grader {
    /// The lab's checklist.
    pub checklist: Checklist,
    /// The options.
    pub opts: GradeOptions,
    /// The working copy and its logs.
    pub workdir: WorkDir,
    /// Which file plays which role, and what is wrong with their names.
    pub layout: Layout,
    /// Static facts about the Python files, when there are any.
    pub facts: Option<SourceFacts>,
    /// How each role starts.
    pub programs: BTreeMap<String, Program>,
    /// Whether this grades the reference binaries.
    pub reference: bool,
    /// Whether the grading runs in a network namespace of its own (then each phase may take
    /// a fresh one, see [`Grader::fresh_namespace`]).
    pub namespaced: bool,
    /// The sandbox the submission's programs run in.
    pub sandbox: Sandbox,
    /// Ids to check: the wanted items and everything they need (see [`crate::grading::engine`]).
    pub(crate) plan: BTreeSet<String>,
    verdicts: BTreeMap<String, Verdict>,
    /// Static facts of each client source [`Grader::lower_count`] has inspected, by its
    /// text: a timing runs the same two clients again and again, and each inspection is
    /// a Python process.
    inspected: RefCell<HashMap<String, Option<FileFacts>>>,
}

impl Grader {
    /// A grading of `checklist` with nothing checked yet: no roles found, no facts read,
    /// on the host network; the driver fills in what it learns.
    pub fn new(
        checklist: Checklist,
        opts: GradeOptions,
        workdir: WorkDir,
        sandbox: Sandbox,
    ) -> Self {
        Self {
            checklist,
            opts,
            workdir,
            layout: Layout::default(),
            facts: None,
            programs: BTreeMap::new(),
            reference: false,
            namespaced: false,
            sandbox,
            plan: BTreeSet::new(),
            verdicts: BTreeMap::new(),
            inspected: RefCell::default(),
        }
    }

    /// A share of the machine, held while running a submission's programs (see `MACHINE`).
    pub fn load_shared(&self) -> RwLockReadGuard<'static, ()> {
        MACHINE.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The whole machine, held during a CPU-bound timing item: waits for the other
    /// gradings of this process to leave their black-box phases, and keeps new ones out.
    pub fn load_exclusive(&self) -> RwLockWriteGuard<'static, ()> {
        MACHINE.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `id` (an item or a prerequisite) is checked in this grading: wanted, or
    /// needed by something wanted. Checks use it to skip optional observations.
    pub fn wants(&self, id: &str) -> bool {
        self.plan.contains(id)
    }

    /// The verdict on `id`, once checked.
    pub fn verdict(&self, id: &str) -> Option<&Verdict> {
        self.verdicts.get(id)
    }

    pub(crate) fn record(&mut self, id: &str, verdict: Verdict) {
        self.verdicts.insert(id.to_owned(), verdict);
    }

    /// The count the client runs with: `--count`, else the checklist's.
    pub fn count(&self) -> usize {
        self.opts
            .count
            .or(self.checklist.submission.count)
            .unwrap_or(1)
    }

    /// How long one step (a client run, a server start) may take: `--step-timeout`, else
    /// the checklist's `[sandbox] wall_seconds`.
    pub fn step_timeout(&self) -> std::time::Duration {
        self.opts
            .step_timeout
            .unwrap_or(std::time::Duration::from_secs(
                self.checklist.sandbox.limits.wall_seconds,
            ))
    }

    /// The lab's port.
    pub fn port(&self) -> u16 {
        self.checklist.submission.port
    }

    /// The Python file name of `role`, if it is a Python program.
    pub fn python_file(&self, role: &str) -> Option<String> {
        match self.programs.get(role)? {
            Program::Python(file) => Some(file.clone()),
            _ => None,
        }
    }

    /// A fresh run folder `name` holding a copy of the working copy's files (so a client's
    /// `frames/` starts empty and local modules are importable), owned by the sandbox's
    /// user.
    pub fn run_dir(&self, name: &str) -> anyhow::Result<PathBuf> {
        let dir = self.workdir.fresh_dir(name)?;
        sandbox::workdir::copy_files(&self.workdir.work(), &dir)?;
        self.sandbox.give(&dir)?;
        Ok(dir)
    }

    /// Starts `role` with `args` in `dir`, logging as `log_name`, in the grading's sandbox
    /// unless it is a reference binary (a `--cmd` program may also read its own folder). A server
    /// role gets the lab's port on its standard input, as a person starting it would type
    /// it when asked (`input("Port: ")`); other roles get an empty standard input.
    pub fn spawn(
        &self,
        role: &str,
        args: &[String],
        dir: &Path,
        log_name: &str,
    ) -> anyhow::Result<Proc> {
        let program = self
            .programs
            .get(role)
            .with_context(|| format!("no {role} to run"))?;
        let (mut command, shown) = program.command(&self.opts.python, args);
        let typed = role
            .ends_with("server")
            .then(|| format!("{}\n", self.port()));
        let own_folder: Vec<PathBuf> = match program {
            Program::Shell(line) => line
                .split_whitespace()
                .next()
                .map(Path::new)
                .filter(|p| p.is_absolute())
                .and_then(Path::parent)
                .map(Path::to_path_buf)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        // The reference binaries are the grader's own programs: only a submission's run in
        // the sandbox.
        let confinement = match self.reference {
            true => None,
            false => Some(self.sandbox.confine(&mut command, dir, &own_folder)?),
        };
        start(
            command,
            shown,
            dir,
            &self.workdir.logs(),
            log_name,
            typed.as_deref(),
            confinement,
        )
        .map(|proc| proc.track(self.opts.groups.as_ref()))
    }

    /// Starts a reference binary `name` with `args` in `dir`.
    pub fn spawn_reference(
        &self,
        name: &str,
        args: &[String],
        dir: &Path,
        log_name: &str,
    ) -> anyhow::Result<Proc> {
        let binary = reference_binary(self.opts.reference_bin_dir.as_deref(), name)?;
        let (command, shown) = Program::Binary(binary, Vec::new()).command(&self.opts.python, args);
        start(
            command,
            shown,
            dir,
            &self.workdir.logs(),
            log_name,
            None,
            None,
        )
        .map(|proc| proc.track(self.opts.groups.as_ref()))
    }

    /// Starts reference client `name` in `dir`, asking it for `count` items with the
    /// checklist's count flag (`--lists 8`).
    pub fn spawn_reference_client(
        &self,
        name: &str,
        count: usize,
        dir: &Path,
        log_name: &str,
    ) -> anyhow::Result<Proc> {
        let flag = self
            .checklist
            .submission
            .count_flag
            .clone()
            .unwrap_or_default();
        self.spawn_reference(name, &[flag, count.to_string()], dir, log_name)
    }

    /// Starts a given program (the course's, as students receive it) in a fresh, empty run
    /// folder `log_name`, in the grading's sandbox like the student's, with its count lowered
    /// to `count`: the instructor's copy for `role` when one was given (`--given-client`),
    /// else `source`, the grader's own course-style one. Returns the process and its folder.
    pub fn spawn_given(
        &self,
        role: &str,
        source: &str,
        log_name: &str,
        count: usize,
    ) -> anyhow::Result<(Proc, PathBuf)> {
        let dir = self.workdir.fresh_dir(log_name)?;
        let file = format!("{role}.py");
        match self.opts.given.get(role) {
            Some(path) => std::fs::copy(path, dir.join(&file))
                .map(drop)
                .with_context(|| format!("cannot copy the given {role} {}", path.display()))?,
            None => std::fs::write(dir.join(&file), source)?,
        }
        self.lower_count(&dir, &file, count);
        let (mut command, shown) = Program::Python(file).command(&self.opts.python, &[]);
        // The same sandbox as the student's program, so a timing compares like with like.
        self.sandbox.give(&dir)?;
        let confinement = self.sandbox.confine(&mut command, &dir, &[])?;
        let logs = self.workdir.logs();
        let proc = start(
            command,
            shown,
            &dir,
            &logs,
            log_name,
            None,
            Some(confinement),
        )
        .map(|proc| proc.track(self.opts.groups.as_ref()))?;
        Ok((proc, dir))
    }

    /// Moves this grading's thread into a fresh network namespace (when grading is
    /// namespaced), so that nothing a previous phase left behind, such as a stray listener
    /// or a connection in TIME_WAIT on the lab's port, gets in the next phase's way.
    /// Programs started afterwards live in the new namespace.
    pub fn fresh_namespace(&self) {
        if self.namespaced {
            // The thread could create one before, so this fails only if the kernel runs
            // out of namespaces; the phase then shares the previous one.
            let _ = Isolation::enter(false);
        }
    }

    /// Starts a black-box phase: takes a share of the machine into `held` (see
    /// [`Grader::load_shared`]) unless held already, then a fresh network namespace.
    pub fn begin_phase(&self, held: &mut Option<RwLockReadGuard<'static, ()>>) {
        if held.is_none() {
            *held = Some(self.load_shared());
        }
        self.fresh_namespace();
    }

    /// Lowers the handout's count constant in `file` (in `dir`) to `count`, found with
    /// Python's `ast` (any module-level constant equal to the handout's count). Returns a
    /// sentence for the evidence (empty when `count` is the handout's).
    pub fn lower_count(&self, dir: &Path, file: &str, count: usize) -> String {
        let Some(handout) = self.checklist.submission.count else {
            return String::new();
        };
        if handout == count {
            return String::new();
        }
        let path = dir.join(file);
        let Ok(source) = std::fs::read_to_string(&path) else {
            return String::new();
        };
        let mut inspected = self.inspected.borrow_mut();
        let file_facts = inspected.entry(source).or_insert_with(|| {
            SourceFacts::inspect(
                &self.opts.python,
                &self.sandbox,
                dir,
                std::slice::from_ref(&path),
            )
            .ok()
            .and_then(|mut facts| facts.files.remove(file))
        });
        let Some(file_facts) = file_facts else {
            return String::new();
        };
        match pystatic::lower_count(&path, file_facts, handout as i64, count as i64) {
            Ok(names) if !names.is_empty() => {
                format!(
                    "{file}: {} lowered from {handout} to {count}",
                    names.join(", ")
                )
            }
            _ => format!(
                "{file}: no module-level constant = {handout} to lower; it runs its own count"
            ),
        }
    }
}
