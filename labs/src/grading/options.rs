//! What to grade and how: the options of one grading, shared by the command line, the
//! batch mode and the tests.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// What to grade.
#[derive(Debug, Clone)]
pub enum Target {
    /// A folder of Python files (roles found by name, else from their source), possibly
    /// with commands overriding some roles ([`GradeOptions::commands`]).
    Submission(PathBuf),
    /// This workspace's own binaries (`frame-server`, `frame-client --optimized`, ...).
    Reference,
}

/// How to grade.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// Only these item ids (all when empty). Items and prerequisites they depend on still
    /// run, unreported.
    pub only: Vec<String>,
    /// The client's count (frames, lists) instead of the handout's; lowers grading time.
    pub count: Option<usize>,
    /// Most alternating pairs of runs the timing items take before "too noisy"; the
    /// sequential test usually decides in 2-5.
    pub timing_runs: usize,
    /// Longest wait for the machine's cores to be free before a pair of CPU-bound timing
    /// runs; when they stay busy those items are "not assessed" (a fair timing needs free
    /// cores).
    pub timing_wait: Duration,
    /// Longest time any one step (a client run, a server start) may take; `None`: the
    /// checklist's `[sandbox] wall_seconds`.
    pub step_timeout: Option<Duration>,
    /// Run the submission's programs in the sandbox ([`sandbox`]): their own user,
    /// limits, a file-system view ending at their working copy. Off only for trusted code.
    pub sandbox: bool,
    /// Grade on the host network even when a namespace could be created.
    pub no_isolation: bool,
    /// Where the reference binaries are; default: beside the running executable.
    pub reference_bin_dir: Option<PathBuf>,
    /// Commands replacing a role's Python file, e.g. `server` -> `./target/release/my-server`
    /// (run through `sh -c`, in the submission's working copy).
    pub commands: BTreeMap<String, String>,
    /// Given programs replacing the grader's course-style ones, by role: the exact copy of
    /// the client the students received (`client` -> `/course/week2/client.py`).
    pub given: BTreeMap<String, PathBuf>,
    /// The Python interpreter that runs submissions and the grader's helpers.
    pub python: String,
}

/// Most timing pairs per grading by default (`--timing-runs`): a client whose speed is
/// not clearly one side of the test's two hypotheses gets this many before "too noisy".
pub const DEFAULT_TIMING_RUNS: usize = 20;

/// Seconds a timing waits by default for free cores before a pair (`--timing-wait`).
pub const DEFAULT_TIMING_WAIT_SECS: u64 = 120;

impl Default for GradeOptions {
    /// The handout's counts, at most 20 timing pairs, a 120 s wait for free cores, the checklist's
    /// step timeout, isolation and sandbox on, `$PYTHON` (else `python3`).
    fn default() -> Self {
        Self {
            only: Vec::new(),
            count: None,
            timing_runs: DEFAULT_TIMING_RUNS,
            timing_wait: Duration::from_secs(DEFAULT_TIMING_WAIT_SECS),
            step_timeout: None,
            sandbox: true,
            no_isolation: false,
            reference_bin_dir: None,
            commands: BTreeMap::new(),
            given: BTreeMap::new(),
            python: std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()),
        }
    }
}
