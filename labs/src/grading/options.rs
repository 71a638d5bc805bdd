//! What to grade and how: the options of one grading, shared by the command line, the
//! batch mode and the tests, and the command line's role flags (`--cmd`, `--given-client`)
//! read into them, checked against the lab's roles before anything is graded.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::grading::checklist::Checklist;
use crate::grading::engine::Lab;

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
    /// The instructor's checklist (`--checklist`, read by
    /// [`crate::grading::instructor::read`]), grading instead of the lab's own; `None`:
    /// the lab's.
    pub checklist: Option<Checklist>,
    /// The set every program of this grading joins, so that a batch told to stop can kill
    /// them all at once ([`sandbox::process::Groups::kill_all`]); none for one grading.
    pub groups: Option<sandbox::process::Groups>,
}

impl GradeOptions {
    /// The checklist a grading of `lab` judges by: [`GradeOptions::checklist`], else the
    /// lab's own.
    pub fn checklist_of(&self, lab: &Lab) -> Checklist {
        self.checklist.clone().unwrap_or_else(|| lab.checklist())
    }
}

/// Most timing pairs per grading by default (`--timing-runs`): a client whose speed is
/// not clearly one side of the test's two hypotheses gets this many before "too noisy".
pub const DEFAULT_TIMING_RUNS: usize = 20;

/// Seconds a timing waits by default for free cores before a pair (`--timing-wait`).
pub const DEFAULT_TIMING_WAIT_SECS: u64 = 120;

impl Default for GradeOptions {
    /// The handout's counts, at most 20 timing pairs, a 120 s wait for free cores, the checklist's
    /// step timeout, isolation and sandbox on, `$PYTHON` (else `python3`), the lab's own
    /// checklist.
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
            checklist: None,
            groups: None,
        }
    }
}

/// The commands that replace roles' Python files, from the command line: `--server-cmd`,
/// `--client-cmd`, then each `--cmd ROLE=COMMAND` (a later one for the same role wins).
///
/// Errors: a `--cmd` without `=`, or naming a role `checklist` does not have.
pub fn role_commands(
    checklist: &Checklist,
    server_cmd: Option<String>,
    client_cmd: Option<String>,
    cmds: Vec<String>,
) -> anyhow::Result<BTreeMap<String, String>> {
    let roles = &checklist.submission.roles;
    let mut commands = BTreeMap::new();
    if let Some(cmd) = server_cmd {
        commands.insert("server".to_owned(), cmd);
    }
    if let Some(cmd) = client_cmd {
        commands.insert("client".to_owned(), cmd);
    }
    for pair in cmds {
        let Some((role, cmd)) = pair.split_once('=') else {
            anyhow::bail!("--cmd {pair:?}: expected ROLE=COMMAND");
        };
        anyhow::ensure!(
            roles.iter().any(|r| r == role),
            "--cmd {pair:?}: {} has no role {role:?} (its roles: {})",
            checklist.lab,
            roles.join(", ")
        );
        commands.insert(role.to_owned(), cmd.to_owned());
    }
    Ok(commands)
}

/// The given programs that replace the grader's course-style ones, from each
/// `--given-client [ROLE=]FILE` (the role `client` when none is named).
///
/// Errors: a role `checklist` does not have, or a FILE that is not a file: found now,
/// before any grading, not as every submission's fault.
pub fn given_programs(
    checklist: &Checklist,
    specs: Vec<String>,
) -> anyhow::Result<BTreeMap<String, PathBuf>> {
    let roles = &checklist.submission.roles;
    let mut given = BTreeMap::new();
    for spec in specs {
        let (role, file) = spec.split_once('=').unwrap_or(("client", spec.as_str()));
        anyhow::ensure!(
            roles.iter().any(|r| r == role),
            "--given-client {spec:?}: {} has no role {role:?} (its roles: {})",
            checklist.lab,
            roles.join(", ")
        );
        let path = PathBuf::from(file);
        anyhow::ensure!(path.is_file(), "--given-client {spec:?}: no such file");
        given.insert(role.to_owned(), path);
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checklist with three roles and nothing to grade: the role flags read only its
    /// name and roles.
    fn checklist() -> Checklist {
        Checklist::parse(
            r#"
            lab = "toy"
            title = "A toy lab"
            max_score = 10
            items = []
            [submission]
            roles = ["server", "client", "worker"]
            naming = "plain"
            port = 1234
            "#,
        )
        .unwrap()
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_cmd_names_any_role_and_overrides_server_cmd_and_client_cmd() {
        let commands = role_commands(
            &checklist(),
            Some("./server-a".into()),
            Some("./client".into()),
            strings(&["worker=./worker --fast", "server=./server-b"]),
        )
        .unwrap();
        assert_eq!(
            commands,
            BTreeMap::from(
                [
                    ("client", "./client"),
                    ("server", "./server-b"),
                    ("worker", "./worker --fast")
                ]
                .map(|(role, cmd)| (role.to_owned(), cmd.to_owned()))
            )
        );
    }

    #[test]
    fn a_cmd_without_a_role_or_with_an_unknown_one_is_refused() {
        let e = role_commands(&checklist(), None, None, strings(&["./server"])).unwrap_err();
        assert_eq!(e.to_string(), r#"--cmd "./server": expected ROLE=COMMAND"#);
        let e = role_commands(&checklist(), None, None, strings(&["gateway=./g"])).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#"--cmd "gateway=./g": toy has no role "gateway" (its roles: server, client, worker)"#
        );
    }

    #[test]
    fn a_given_program_is_the_client_unless_a_role_is_named_and_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("given.py");
        std::fs::write(&file, "").unwrap();
        let file = file.to_str().unwrap();
        let given =
            given_programs(&checklist(), vec![file.into(), format!("worker={file}")]).unwrap();
        assert_eq!(
            given,
            BTreeMap::from(["client", "worker"].map(|role| (role.to_owned(), file.into())))
        );
        let e = given_programs(&checklist(), vec![format!("gateway={file}")]).unwrap_err();
        assert!(
            e.to_string()
                .ends_with(r#"toy has no role "gateway" (its roles: server, client, worker)"#),
            "{e}"
        );
        let missing = dir.path().join("missing.py");
        let spec = missing.to_str().unwrap().to_owned();
        let e = given_programs(&checklist(), vec![spec.clone()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("--given-client {spec:?}: no such file")
        );
    }
}
