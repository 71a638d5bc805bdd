//! A confined program: its own user, its working copy as the only folder it may write,
//! and the limits, each reported as the limit it is.

use sandbox::confine::FIRST_UID;
use sandbox::{Exit, Limit, Limits};

use crate::{PATIENCE, sandbox_with, sh};

#[test]
fn a_confined_program_runs_as_its_own_user_and_writes_only_its_working_copy() {
    let (sandbox, root) = sandbox_with(Limits::default());
    let (work, logs) = (root.path().join("work"), root.path().join("logs"));
    let outside = root.path().join("outside.txt");
    std::fs::write("/root/netlabs-sandbox-test-secret", "the grader's own\n").unwrap();
    let script = format!(
        "id -u; echo mine > mine.txt; cat /root/netlabs-sandbox-test-secret; echo x > {}",
        outside.display()
    );
    let mut proc = sh(Some(&sandbox), &script, &work, &logs);
    let exit = proc.wait(PATIENCE);
    let output = proc.output();

    let uid: u32 = output.lines().next().unwrap().trim().parse().unwrap();
    assert!(uid >= FIRST_UID, "runs as uid {uid}:\n{output}");
    assert_eq!(sandbox.uid(), Some(uid));
    assert_eq!(
        std::fs::read_to_string(work.join("mine.txt")).unwrap(),
        "mine\n"
    );
    assert!(!output.contains("the grader's own"), "{output}");
    assert!(
        !outside.exists(),
        "wrote outside its working copy:\n{output}"
    );
    assert_eq!(
        output.matches("Permission denied").count(),
        2,
        "the read and the write outside are refused:\n{output}"
    );
    assert_ne!(exit, Exit::Code(0), "the failed write is its last command");
    assert!(sandbox.describe().contains(&format!("uid {uid}")));
}

#[test]
fn a_fork_bomb_stops_at_the_process_limit_and_leaves_nothing_behind() {
    let (sandbox, root) = sandbox_with(Limits {
        processes: 16,
        ..Limits::default()
    });
    let (work, logs) = (root.path().join("work"), root.path().join("logs"));
    let mut proc = sh(
        Some(&sandbox),
        "for i in $(seq 1 64); do sleep 60 & done; wait",
        &work,
        &logs,
    );
    let exit = proc.wait(PATIENCE);
    let pid = proc.pid();
    assert_eq!(exit, Exit::Limit(Limit::Processes(16)), "{}", proc.tail(5));
    assert_eq!(exit_text(exit), "process limit 16 reached");
    drop(proc);
    let left = sandbox::observe::descendants(pid);
    assert!(left.is_empty(), "{left:?} outlived the program");
}

#[test]
fn a_memory_hog_stops_at_the_memory_limit() {
    let (sandbox, root) = sandbox_with(Limits {
        memory_mib: 64,
        ..Limits::default()
    });
    let (work, logs) = (root.path().join("work"), root.path().join("logs"));
    // 256 MiB held in one shell variable.
    let mut proc = sh(
        Some(&sandbox),
        "x=$(head -c 268435456 /dev/zero | tr '\\0' a); echo ${#x}",
        &work,
        &logs,
    );
    assert_eq!(
        proc.wait(PATIENCE),
        Exit::Limit(Limit::Memory(64)),
        "{}",
        proc.tail(5)
    );
}

#[test]
fn a_file_past_the_size_limit_is_refused() {
    let (sandbox, root) = sandbox_with(Limits {
        file_size_mib: 1,
        ..Limits::default()
    });
    let (work, logs) = (root.path().join("work"), root.path().join("logs"));
    let mut proc = sh(
        Some(&sandbox),
        "exec head -c 4194304 /dev/zero > big.bin",
        &work,
        &logs,
    );
    assert_eq!(
        proc.wait(PATIENCE),
        Exit::Limit(Limit::FileSize(1)),
        "{}",
        proc.tail(5)
    );
    assert_eq!(
        std::fs::metadata(work.join("big.bin")).unwrap().len(),
        1 << 20
    );
}

fn exit_text(exit: Exit) -> String {
    sandbox::process::describe_exit(exit)
}
