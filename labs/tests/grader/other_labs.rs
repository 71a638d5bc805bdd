//! prefork (black-box through a scripted photo server), and recognition and basics: static
//! items graded, black-box items reported "not assessed" with the reason.

use labs::report::{Fault, Status};

use crate::support::{assert_deductions, assert_not_assessed, grade, options, serial};

#[test]
fn prefork_good_submission_loses_nothing() {
    let _turn = serial();
    let good = grade("prefork", "good", &options(&[]));
    assert_deductions(&good, &[]);
    assert_eq!(good.score, 100.0);
    let pool = &good.item("thread-pool").unwrap().evidence;
    assert!(pool.contains("12 requests held at once"), "{pool}");
}

#[test]
fn prefork_print_breaks_no_print_and_the_log_format() {
    let _turn = serial();
    let printing = grade("prefork", "uses_print", &options(&[]));
    assert_deductions(
        &printing,
        &[
            ("no-print", Fault::Source),
            ("log-format", Fault::WrongAnswer),
        ],
    );
    assert!(
        printing
            .item("no-print")
            .unwrap()
            .evidence
            .contains("client.py:24: print(...)")
    );
    assert_eq!(printing.score, 90.0);
}

#[test]
fn prefork_reading_to_end_of_stream_is_an_end_protocol_hang() {
    let _turn = serial();
    let mut opts = options(&[]);
    opts.step_timeout = std::time::Duration::from_secs(5);
    let report = grade("prefork", "waits_for_eof", &opts);
    assert_deductions(&report, &[("end-protocol", Fault::Hang)]);
}

#[test]
fn prefork_process_per_client_is_not_pre_fork() {
    let _turn = serial();
    let report = grade("prefork", "no_prefork", &options(&[]));
    assert_deductions(&report, &[("worker-processes", Fault::WrongAnswer)]);
    assert_not_assessed(&report, "thread-pool");
}

#[test]
fn basics_structure_from_the_ast() {
    let _turn = serial();
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
    let _turn = serial();
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
    let _turn = serial();
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
