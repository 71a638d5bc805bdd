//! Grading one submission: the options, the programs to run, and the [`Grader`] context
//! that lab modules fill with item results.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::catalog::Lab;
use crate::checklist::{Checklist, Kind};
use crate::pystatic::{self, SourceFacts};
use crate::report::{Fault, ItemResult, Report, Status};
use crate::sandbox::{Isolation, Proc, Sandbox};
use crate::submission::{self, Layout};

/// What to grade.
#[derive(Debug, Clone)]
pub enum Target {
    /// A folder of Python files (roles found by name), possibly with commands overriding
    /// some roles ([`GradeOptions::commands`]).
    Submission(PathBuf),
    /// This workspace's own binaries (`frame-server`, `frame-client --optimized`, ...).
    Reference,
}

/// How to grade.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// Only these item ids (all when empty). Items they depend on still run, unreported.
    pub only: Vec<String>,
    /// The client's count (frames, lists) instead of the handout's; lowers grading time.
    pub count: Option<usize>,
    /// Alternating runs of each client in the timing items (k).
    pub timing_runs: usize,
    /// Longest wait for the machine's cores to be free before a timing pair; when they
    /// stay busy the timing items are "not assessed" (a fair timing needs free cores).
    pub timing_wait: Duration,
    /// Longest time any one step (a client run, a server start) may take.
    pub step_timeout: Duration,
    /// Grade on the host network even when a namespace could be created.
    pub no_isolation: bool,
    /// Where the reference binaries are; default: beside the running executable.
    pub reference_bin_dir: Option<PathBuf>,
    /// Commands replacing a role's Python file, e.g. `server` -> `./target/release/my-server`
    /// (run through `sh -c`, in the submission's working copy).
    pub commands: BTreeMap<String, String>,
    /// The Python interpreter.
    pub python: String,
}

impl Default for GradeOptions {
    fn default() -> Self {
        Self {
            only: Vec::new(),
            count: None,
            timing_runs: 3,
            timing_wait: Duration::from_secs(120),
            step_timeout: Duration::from_secs(120),
            no_isolation: false,
            reference_bin_dir: None,
            commands: BTreeMap::new(),
            python: std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()),
        }
    }
}

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
                (
                    command,
                    format!("python3 {file} {}", args.join(" "))
                        .trim()
                        .to_owned(),
                )
            }
            Program::Shell(line) => {
                let full = format!("{line} {}", args.join(" ")).trim().to_owned();
                let mut command = Command::new("sh");
                command.arg("-c").arg(format!("exec {full}"));
                (command, full)
            }
            Program::Binary(path, fixed) => {
                let mut command = Command::new(path);
                command.args(fixed).args(args);
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                let shown = format!("{name} {} {}", fixed.join(" "), args.join(" "));
                (
                    command,
                    shown.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            }
        }
    }

    /// Whether it is a Python file of the submission.
    pub fn is_python(&self) -> bool {
        matches!(self, Program::Python(_))
    }
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
    candidates.into_iter().find(|p| p.is_file()).ok_or_else(|| {
        anyhow::anyhow!(
            "reference binary {name} not found beside labs; build it (cargo build -p {name}) or pass --reference-bin-dir"
        )
    })
}

/// Submissions graded on the host network share the lab's port: one at a time.
static HOST_NETWORK: Mutex<()> = Mutex::new(());

/// The machine's CPU, shared by the gradings of one `labs` process: running programs takes
/// it shared ([`Grader::load_shared`]); a timing item takes it alone
/// ([`Grader::load_exclusive`]), so in a batch no other submission runs beside a timing.
static MACHINE: RwLock<()> = RwLock::new(());

/// The state of one grading: the checklist, the sandbox, what is known so far, results.
pub struct Grader {
    /// The lab's checklist.
    pub checklist: Checklist,
    /// The options.
    pub opts: GradeOptions,
    /// The working copy.
    pub sandbox: Sandbox,
    /// Roles found in the submission (empty for the reference).
    pub layout: Layout,
    /// Static facts about the Python files, when there are any.
    pub facts: Option<SourceFacts>,
    /// How each role starts.
    pub programs: BTreeMap<String, Program>,
    /// Whether this grades the reference binaries.
    pub reference: bool,
    /// Whether the grading runs in its own network namespace (then each phase may take a
    /// fresh one, see [`Grader::in_fresh_namespace`]).
    pub namespaced: bool,
    results: BTreeMap<String, ItemResult>,
}

impl Grader {
    /// A share of the machine, held while running a submission's programs (see `MACHINE`).
    pub fn load_shared(&self) -> RwLockReadGuard<'static, ()> {
        MACHINE.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The whole machine, held during a timing item: waits for the other gradings of this
    /// process to leave their black-box phases, and keeps new ones out.
    pub fn load_exclusive(&self) -> RwLockWriteGuard<'static, ()> {
        MACHINE.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether item `id` is in this lab's checklist and to be reported.
    pub fn wants(&self, id: &str) -> bool {
        self.checklist.item(id).is_some()
            && (self.opts.only.is_empty() || self.opts.only.iter().any(|o| o == id))
    }

    /// Whether any of `ids` is to be reported.
    pub fn wants_any(&self, ids: &[&str]) -> bool {
        ids.iter().any(|id| self.wants(id))
    }

    /// Records the result of item `id` (ignored when the checklist has no such item).
    pub fn set(&mut self, id: &str, status: Status, evidence: impl Into<String>) {
        if let Some(item) = self.checklist.item(id) {
            self.results
                .insert(id.to_owned(), ItemResult::new(item, status, evidence));
        }
    }

    /// Records a pass or a failure with `fault`.
    pub fn judge(&mut self, id: &str, ok: bool, fault: Fault, evidence: impl Into<String>) {
        let status = if ok {
            Status::Passed
        } else {
            Status::Failed(fault)
        };
        self.set(id, status, evidence);
    }

    /// Records that item `id` was not assessed, and why.
    pub fn not_assessed(&mut self, id: &str, reason: impl Into<String>) {
        self.set(id, Status::NotAssessed, reason);
    }

    /// Whether item `id` already has a result.
    pub fn has(&self, id: &str) -> bool {
        self.results.contains_key(id)
    }

    /// The count the client runs with: `--count`, else the checklist's.
    pub fn count(&self) -> usize {
        self.opts
            .count
            .or(self.checklist.submission.count)
            .unwrap_or(1)
    }

    /// The Python file name of `role`, if it is a Python program.
    pub fn python_file(&self, role: &str) -> Option<String> {
        match self.programs.get(role)? {
            Program::Python(file) => Some(file.clone()),
            _ => None,
        }
    }

    /// A fresh run folder `name` holding a copy of the working copy's files (so a client's
    /// `frames/` starts empty and local modules are importable).
    pub fn run_dir(&self, name: &str) -> anyhow::Result<PathBuf> {
        let dir = self.sandbox.fresh_dir(name)?;
        for entry in std::fs::read_dir(self.sandbox.work())? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                std::fs::copy(entry.path(), dir.join(entry.file_name()))?;
            }
        }
        Ok(dir)
    }

    /// Starts `role` with `args` in `dir`, logging as `log_name`.
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
        let (command, shown) = program.command(&self.opts.python, args);
        Proc::spawn(command, shown, dir, &self.sandbox.logs(), log_name)
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
        Proc::spawn(command, shown, dir, &self.sandbox.logs(), log_name)
    }

    /// Starts a Python script shipped with the grader (a given client), written into `dir`.
    pub fn spawn_script(
        &self,
        file: &str,
        source: &str,
        args: &[String],
        dir: &Path,
        log_name: &str,
    ) -> anyhow::Result<Proc> {
        std::fs::write(dir.join(file), source)?;
        let (command, shown) = Program::Python(file.to_owned()).command(&self.opts.python, args);
        Proc::spawn(command, shown, dir, &self.sandbox.logs(), log_name)
    }

    /// Items every Python lab shares: file names, imports, forbidden modules, `print`,
    /// pycodestyle. `imports_item` is the lab's id for "only allowed imports".
    pub fn static_items(&mut self, imports_item: Option<&str>) {
        if self.reference {
            for item in self.checklist.items.clone() {
                if matches!(item.kind, Kind::Static | Kind::Style) {
                    self.not_assessed(&item.id, "the reference is Rust, not Python source");
                }
            }
            return;
        }
        let problems = self.layout.problems.clone();
        let names: Vec<String> = self
            .layout
            .roles
            .values()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        self.judge(
            "file-names",
            problems.is_empty(),
            Fault::Source,
            if problems.is_empty() {
                format!("found {}", names.join(", "))
            } else {
                problems.join("\n")
            },
        );
        let Some(facts) = self.facts.clone() else {
            for id in [
                "pillow-only",
                "stdlib-only",
                "allowed-packages",
                "no-concurrent-futures",
                "no-print",
                "pep8",
            ] {
                self.not_assessed(id, "no Python files to inspect");
            }
            return;
        };
        let syntax = facts.syntax_errors();
        let spec = self.checklist.submission.clone();
        if let Some(id) = imports_item {
            let foreign = facts.foreign_imports(&spec.allowed_packages);
            let allowed = if spec.allowed_packages.is_empty() {
                "the standard library".to_owned()
            } else {
                format!(
                    "the standard library and {}",
                    spec.allowed_packages.join(", ")
                )
            };
            let evidence = if foreign.is_empty() {
                format!("every import is from {allowed} or the submission")
            } else {
                foreign
                    .iter()
                    .map(|(f, m, l)| format!("{f}:{l}: imports {m}, outside {allowed}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            if syntax.is_empty() {
                self.judge(id, foreign.is_empty(), Fault::Source, evidence);
            } else {
                self.not_assessed(id, format!("cannot parse: {syntax:?}"));
            }
        }
        if !spec.forbidden_modules.is_empty() {
            let found = facts.forbidden_imports(&spec.forbidden_modules);
            let evidence = if found.is_empty() {
                format!("no import of {}", spec.forbidden_modules.join(", "))
            } else {
                found
                    .iter()
                    .map(|(f, m, l)| format!("{f}:{l}: imports {m}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            self.judge(
                "no-concurrent-futures",
                found.is_empty(),
                Fault::Source,
                evidence,
            );
        }
        if spec.forbid_print {
            let calls: Vec<String> = facts
                .files
                .iter()
                .flat_map(|(f, facts)| {
                    facts
                        .print_calls
                        .iter()
                        .map(move |l| format!("{f}:{l}: print(...)"))
                })
                .collect();
            let evidence = if calls.is_empty() {
                "no print() call".to_owned()
            } else {
                calls.join("\n")
            };
            self.judge("no-print", calls.is_empty(), Fault::Source, evidence);
        }
        if self.wants("pep8") {
            let files: Vec<String> = facts.files.keys().cloned().collect();
            match pystatic::pycodestyle(&self.opts.python, &self.sandbox.work(), &files) {
                Ok(findings) if findings.is_empty() => self.set(
                    "pep8",
                    Status::Passed,
                    format!("pycodestyle: no problem in {}", files.join(", ")),
                ),
                Ok(findings) => {
                    let mut evidence = format!("pycodestyle: {} problem(s)", findings.len());
                    for line in findings.iter().take(10) {
                        evidence.push_str(&format!("\n{line}"));
                    }
                    if findings.len() > 10 {
                        evidence.push_str("\n...");
                    }
                    self.set("pep8", Status::Failed(Fault::Source), evidence)
                }
                Err(e) => self.not_assessed("pep8", format!("{e:#}")),
            }
        }
    }

    /// Runs `phase` on a thread in a fresh network namespace of its own (when grading is
    /// namespaced): nothing a previous phase left behind, such as a stray listener or a
    /// half-closed connection on the lab's port, can get in its way.
    pub fn in_fresh_namespace<T: Send>(
        &mut self,
        phase: impl FnOnce(&mut Grader) -> T + Send,
    ) -> T {
        if !self.namespaced {
            return phase(self);
        }
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    // The parent thread is namespaced, so this can only fail if the kernel
                    // runs out of namespaces; the phase then shares the parent's.
                    let _ = Isolation::enter(false);
                    phase(self)
                })
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Lowers the handout's count constant in `file` (in `dir`) to the grading count.
    /// Returns a sentence for the evidence.
    pub fn lower_count(&self, dir: &Path, file: &str) -> String {
        let (Some(handout), count) = (self.checklist.submission.count, self.count()) else {
            return String::new();
        };
        if handout == count {
            return String::new();
        }
        let facts = SourceFacts::inspect(&self.opts.python, dir, &[dir.join(file)]);
        let Ok(facts) = facts else {
            return String::new();
        };
        let Some(file_facts) = facts.files.get(file) else {
            return String::new();
        };
        match pystatic::lower_count(&dir.join(file), file_facts, handout as i64, count as i64) {
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

    fn finish(self, submission: String, isolation: &Isolation, started: Instant) -> Report {
        let mut items = Vec::new();
        for item in &self.checklist.items {
            if !self.wants(&item.id) {
                continue;
            }
            let result = match self.results.get(&item.id) {
                Some(result) => result.clone(),
                None if item.kind == Kind::Manual => ItemResult::new(
                    item,
                    Status::NotAssessed,
                    "judged by a person, not by the grader",
                ),
                None => ItemResult::new(
                    item,
                    Status::NotAssessed,
                    "no automatic check for this item yet",
                ),
            };
            items.push(result);
        }
        Report::new(
            &self.checklist,
            submission,
            isolation.describe(),
            started.elapsed().as_secs_f64(),
            items,
        )
    }
}

/// Grades `target` against `lab`'s checklist.
///
/// Runs on a thread of its own, which enters a fresh network namespace when it may (see
/// [`Isolation::enter`]); on the host network, gradings take turns.
///
/// Errors: the submission folder cannot be read, or Python cannot run the static checks.
/// Everything a submission does wrong is an item result, not an error.
pub fn grade(lab: &Lab, target: &Target, opts: &GradeOptions) -> anyhow::Result<Report> {
    let lab = *lab;
    let target = target.clone();
    let opts = opts.clone();
    std::thread::Builder::new()
        .name(format!("grade-{}", lab.name))
        .spawn(move || {
            let isolation = Isolation::enter(opts.no_isolation);
            let _turn = match isolation {
                Isolation::Host(_) => Some(HOST_NETWORK.lock().unwrap_or_else(|e| e.into_inner())),
                Isolation::Namespace => None,
            };
            grade_here(&lab, &target, opts, &isolation)
        })?
        .join()
        .map_err(|_| anyhow::anyhow!("the grading thread panicked"))?
}

fn grade_here(
    lab: &Lab,
    target: &Target,
    opts: GradeOptions,
    isolation: &Isolation,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let checklist = lab.checklist();
    for id in &opts.only {
        anyhow::ensure!(
            checklist.item(id).is_some(),
            "{} has no item {id:?} (see labs show {} --checklist)",
            lab.name,
            lab.name
        );
    }
    let (sandbox, layout, submission_name, reference) = match target {
        Target::Submission(dir) => {
            let sandbox = Sandbox::new(Some(dir))?;
            let layout = submission::layout(&sandbox.work(), &checklist.submission)?;
            (sandbox, layout, dir.display().to_string(), false)
        }
        Target::Reference => (
            Sandbox::new(None)?,
            Layout::default(),
            "reference".to_owned(),
            true,
        ),
    };
    let facts = if layout.python_files.is_empty() {
        None
    } else {
        Some(SourceFacts::inspect(
            &opts.python,
            &sandbox.work(),
            &layout.python_files,
        )?)
    };
    let mut programs = BTreeMap::new();
    for (role, path) in &layout.roles {
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        programs.insert(role.clone(), Program::Python(file));
    }
    for (role, command) in &opts.commands {
        programs.insert(role.clone(), Program::Shell(command.clone()));
    }
    let mut grader = Grader {
        checklist,
        opts,
        sandbox,
        layout,
        facts,
        programs,
        reference,
        namespaced: *isolation == Isolation::Namespace,
        results: BTreeMap::new(),
    };
    crate::labs::run(lab.name, &mut grader)?;
    Ok(grader.finish(submission_name, isolation, started))
}
