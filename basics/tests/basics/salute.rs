//! `salute`: the slides' first `Process`, as a real child process.

use std::process::{Command, Stdio};

use crate::support::exists;

const SALUTE: &str = env!("CARGO_BIN_EXE_salute");

/// Runs `salute ARGS...`; returns its pid and its stdout lines.
fn salute(args: &[&str]) -> (u32, Vec<String>) {
    let child = Command::new(SALUTE)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(stderr, "");
    let stdout = String::from_utf8(output.stdout).unwrap();
    (pid, stdout.lines().map(str::to_owned).collect())
}

#[test]
fn a_child_process_salutes_the_course_and_names_its_parent_and_itself() {
    for (args, course) in [
        (&[][..], "DS"),
        (&["Distributed Systems"][..], "Distributed Systems"),
    ] {
        let (parent, lines) = salute(args);
        let [hello, parent_line, own_line] = &lines[..] else {
            panic!("three lines: {lines:?}");
        };
        assert_eq!(hello, &format!("Hello {course}"));
        // The parent is the salute process we started; the child is another process.
        assert_eq!(parent_line, &format!("Parent process id: {parent}"));
        let own: u32 = own_line
            .strip_prefix("Process id: ")
            .and_then(|pid| pid.parse().ok())
            .unwrap_or_else(|| panic!("{own_line:?}"));
        assert_ne!(own, parent);
        assert_ne!(own, std::process::id());
        // Joined, so gone (and reaped) when its parent ended.
        assert!(!exists(own as i32), "the child {own} outlived its parent");
    }
}
