//! prefork, recognition and basics: static items graded, black-box items reported "not
//! assessed" with the reason.

use labs::report::{Fault, Status};

use crate::support::{assert_deductions, assert_not_assessed, grade, options};

#[test]
fn prefork_static_items() {
    let good = grade("prefork", "good", &options(&[]));
    assert_deductions(&good, &[]);
    assert_eq!(good.item("no-print").unwrap().status, Status::Passed);
    assert_not_assessed(&good, "worker-processes");
    assert!(
        good.item("runs")
            .unwrap()
            .evidence
            .contains("not wired yet")
    );

    let printing = grade("prefork", "uses_print", &options(&[]));
    assert_deductions(&printing, &[("no-print", Fault::Source)]);
    assert!(
        printing
            .item("no-print")
            .unwrap()
            .evidence
            .contains("client.py:24: print(...)")
    );
    assert_eq!(printing.score, 95.0);
}

#[test]
fn basics_structure_from_the_ast() {
    let report = grade("basics", "good", &options(&[]));
    assert_deductions(&report, &[]);
    for id in [
        "file-names",
        "stdlib-only",
        "process-per-request",
        "process-pool",
        "async-square",
    ] {
        assert_eq!(report.item(id).unwrap().status, Status::Passed, "{id}");
    }
    assert_not_assessed(&report, "udp-hello");
}

#[test]
fn recognition_static_items() {
    let report = grade("recognition", "good", &options(&[]));
    assert_deductions(&report, &[]);
    assert_eq!(
        report.item("allowed-packages").unwrap().status,
        Status::Passed
    );
    assert_eq!(
        report.item("sockets-between-nodes").unwrap().status,
        Status::Passed
    );
    assert_not_assessed(&report, "upload-page");
}

#[test]
fn misnamed_files_fail_file_names_but_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let good = crate::support::fixture("numbers", "good");
    std::fs::copy(
        good.join("AnnaSmirnova_client.py"),
        dir.path().join("client.py"),
    )
    .unwrap();
    std::fs::copy(
        good.join("AnnaSmirnova_server.py"),
        dir.path().join("anna_server.py"),
    )
    .unwrap();
    let lab = labs::catalog::lab("numbers").unwrap();
    let report = labs::grade(
        &lab,
        &labs::Target::Submission(dir.path().into()),
        &options(&["file-names", "stdlib-only"]),
    )
    .unwrap();
    assert_deductions(&report, &[("file-names", Fault::Source)]);
    let evidence = &report.item("file-names").unwrap().evidence;
    assert!(
        evidence.contains("client.py should be named NameSurname_client.py"),
        "{evidence}"
    );
    assert!(
        evidence.contains("\"anna\" is not NameSurname"),
        "{evidence}"
    );
}
