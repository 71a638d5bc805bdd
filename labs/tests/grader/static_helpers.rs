//! The grader's own helpers that read a student's source (Python's `ast` inspection,
//! pycodestyle) run as the sandbox's user under its limits, as the student's programs do:
//! a source file crafted to exhaust the parser costs that grading, never the grader.

use labs::Target;
use labs::grading::options::GradeOptions;

use crate::support::options;

#[test]
fn a_source_that_exhausts_the_parser_costs_its_own_grading() {
    let dir = tempfile::tempdir().unwrap();
    // 200 000 list displays: their syntax tree needs some hundreds of MiB, far more than
    // the 64 MiB this grading's sandbox is given.
    let source: String = (0..200_000)
        .map(|i| format!("x{i} = [{i}, {i}, {i}, {i}]\n"))
        .collect();
    std::fs::write(dir.path().join("JaneDoe_client.py"), source).unwrap();
    std::fs::write(dir.path().join("JaneDoe_server.py"), "import socket\n").unwrap();
    let lab = labs::catalog::lab("numbers").unwrap();
    let mut checklist = lab.checklist();
    checklist.sandbox.limits.memory_mib = 64;
    let confined = GradeOptions {
        checklist: Some(checklist),
        ..options(&["stdlib-only"])
    };
    let target = Target::Submission(dir.path().to_path_buf());

    let error = labs::grade(&lab, &target, &confined).unwrap_err();
    assert!(
        format!("{error:#}").contains("the static-check helper failed"),
        "{error:#}"
    );

    // The same file read outside the sandbox (which only trusted code may do) parses: the
    // sandbox's limit stopped the helper, not the file.
    let trusted = GradeOptions {
        sandbox: false,
        ..confined
    };
    let report = labs::grade(&lab, &target, &trusted).expect("graded");
    assert_eq!(
        report.item("stdlib-only").unwrap().status_text(),
        "passed",
        "{}",
        report.to_text()
    );
}
