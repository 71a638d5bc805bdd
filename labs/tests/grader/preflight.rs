//! The grader's own environment is never the student's fault: a Python without what the lab
//! needs stops the grading before it starts, with status 2, one line naming what is
//! missing, and no score written.

use std::process::Command;

use crate::support::{bare_python, serial};

#[test]
fn a_grader_python_without_pillow_stops_before_grading() {
    // Short, but it starts Python processes: not beside another test's timing pairs.
    let _turn = serial();
    let python = bare_python();
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("report.json");
    let good = crate::support::fixture("frames", "good");
    let out = Command::new(env!("CARGO_BIN_EXE_labs"))
        .args(["grade", "frames"])
        .arg(&good)
        .arg("--python")
        .arg(&python)
        .args(["--format", "json", "--output"])
        .arg(&report)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.contains("lacks Pillow (module PIL) and pycodestyle")
            && stderr.contains("-m pip install Pillow pycodestyle"),
        "{stderr}"
    );
    assert!(!report.exists(), "no score may be written");
}

#[test]
fn a_batch_is_refused_whole_when_the_grader_python_lacks_a_package() {
    let _turn = serial();
    let python = bare_python();
    let out_dir = tempfile::tempdir().unwrap();
    let batch = tempfile::tempdir().unwrap();
    let good = crate::support::fixture("numbers", "good");
    crate::support::copy_tree(&good, &batch.path().join("AnnaSmirnova"));
    let out = Command::new(env!("CARGO_BIN_EXE_labs"))
        .args(["grade", "numbers", "--batch"])
        .arg(batch.path())
        .arg("--output")
        .arg(out_dir.path())
        .env("PYTHON", &python)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("lacks pycodestyle"), "{stderr}");
    assert_eq!(
        std::fs::read_dir(out_dir.path()).unwrap().count(),
        0,
        "nothing written for a refused batch"
    );
}
