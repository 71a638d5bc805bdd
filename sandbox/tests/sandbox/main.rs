//! The sandbox as a program inside it sees it: its user, its limits, its view of the files
//! and the network, and how the grader watches and stops it. Every test runs real programs
//! (`sh` and the coreutils), as root, as the grader does.

mod activity;
mod confine;
mod netns;
mod observe;
mod process;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use sandbox::{Limits, Proc, Sandbox};

/// How long any program here may take: far more than it needs.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// `sh -c SCRIPT` started in `dir`, confined by `sandbox` when given, its output logged in
/// `logs` as `name`.
pub fn sh(sandbox: Option<&Sandbox>, script: &str, dir: &Path, logs: &Path) -> Proc {
    let mut command = Command::new("sh");
    command.arg("-c").arg(script);
    let confinement = sandbox.map(|s| s.confine(&mut command, dir, &[]).expect("confined"));
    Proc::spawn(
        command,
        format!("sh -c {script:?}"),
        dir,
        logs,
        "sh",
        None,
        confinement,
    )
    .expect("sh starts")
}

/// A sandbox with `limits` and its working folder, given to the sandbox's user, inside a
/// temporary folder that also holds the logs.
pub fn sandbox_with(limits: Limits) -> (Sandbox, tempfile::TempDir) {
    let root = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::new(limits, Vec::new(), true);
    std::fs::create_dir(root.path().join("work")).unwrap();
    std::fs::create_dir(root.path().join("logs")).unwrap();
    sandbox.give(&root.path().join("work")).unwrap();
    // The sandbox's user must pass through the temporary folder to reach its own.
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    (sandbox, root)
}
