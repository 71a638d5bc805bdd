//! prefork (black-box through a scripted photo server), basics (servers against the
//! grader's clients, clients against scripted servers, PIDs in replies) and recognition
//! (the worker through the course protocol, the front end before stand-in workers).

use std::time::Duration;

use labs::grading::report::{Fault, Status};

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
    opts.step_timeout = Some(std::time::Duration::from_secs(5));
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
fn prefork_thread_per_request_is_not_a_pool_of_four() {
    let _turn = serial();
    let report = grade("prefork", "thread_per_request", &options(&[]));
    assert_deductions(&report, &[("thread-pool", Fault::WrongAnswer)]);
    let item = report.item("thread-pool").unwrap();
    assert!(
        item.evidence
            .contains("downloads in progress at once per worker"),
        "{}",
        item.evidence
    );
}

#[test]
fn basics_good_submission_loses_nothing() {
    let _turn = serial();
    let report = grade("basics", "good", &options(&[]));
    assert_deductions(&report, &[]);
    for item in &report.items {
        assert_eq!(item.status, Status::Passed, "{}", report.to_text());
    }
    let pids = &report.item("process-per-request").unwrap().evidence;
    assert!(pids.contains("answered 3 datagrams naming PIDs"), "{pids}");
    let squares = &report.item("square-answers").unwrap().evidence;
    assert!(
        squares.contains("-4294967296 -> 18446744073709551616"),
        "{squares}"
    );
    assert!(
        squares.contains("python3 square_client.py -25"),
        "{squares}"
    );
}

#[test]
fn basics_silent_udp_server_is_a_hang() {
    let _turn = serial();
    let mut opts = options(&["udp-hello"]);
    opts.step_timeout = Some(Duration::from_secs(3));
    let report = grade("basics", "udp_silent", &opts);
    assert_deductions(&report, &[("udp-hello", Fault::Hang)]);
    let evidence = &report.item("udp-hello").unwrap().evidence;
    assert!(
        evidence.contains("no reply datagram within 3 s"),
        "{evidence}"
    );
    // The client half still ran, against the grader's server, and passed.
    assert!(evidence.contains("prints the reply"), "{evidence}");
}

#[test]
fn basics_blocking_square_server_never_answers_the_second_client() {
    let _turn = serial();
    let mut opts = options(&[]);
    opts.step_timeout = Some(Duration::from_secs(3));
    let report = grade("basics", "square_blocking", &opts);
    assert_deductions(
        &report,
        &[
            ("async-square", Fault::Source),
            ("square-answers", Fault::Hang),
        ],
    );
    let evidence = &report.item("square-answers").unwrap().evidence;
    assert!(evidence.contains("answered none"), "{evidence}");
}

#[test]
fn basics_main_process_answering_is_not_a_process_per_request() {
    let _turn = serial();
    let report = grade(
        "basics",
        "main_answers",
        &options(&["process-per-request", "process-pool"]),
    );
    assert_deductions(&report, &[("process-per-request", Fault::WrongAnswer)]);
    let evidence = &report.item("process-per-request").unwrap().evidence;
    assert!(
        evidence.contains("the main process answered itself"),
        "{evidence}"
    );
}

/// A port the grader needs for its own scripted server is taken by something that is not
/// the submission's: the grading stops as the grader's failure, and no item is charged to
/// the student (before, the client half reported it as the student's crash).
#[test]
fn basics_grader_that_cannot_start_its_own_server_grades_nothing() {
    let _turn = serial();
    let mut opts = options(&["square-answers"]);
    // On the host network, where this test can hold the square port first.
    opts.no_isolation = true;
    let _taken = std::net::TcpListener::bind(("127.0.0.1", 10003)).expect("port 10003 free");
    let lab = labs::catalog::lab("basics").unwrap();
    let target = labs::Target::Submission(crate::support::fixture("basics", "good"));
    let error = labs::grade(&lab, &target, &opts).expect_err("no verdict on the student");
    let message = format!("{error:#}");
    assert!(message.contains("the grader's square server"), "{message}");
}

#[test]
fn recognition_good_submission_loses_nothing() {
    let _turn = serial();
    let report = grade("recognition", "good", &options(&[]));
    assert_deductions(&report, &[]);
    for item in &report.items {
        assert_eq!(item.status, Status::Passed, "{}", report.to_text());
    }
    let protocol = &report.item("worker-protocol").unwrap().evidence;
    assert!(protocol.contains("result airliner:0.912"), "{protocol}");
    assert!(protocol.contains("NACKed"), "{protocol}");
    let turns = &report.item("add-remove-workers").unwrap().evidence;
    assert!(turns.contains("4 uploads served by B A B A"), "{turns}");
    let ejected = &report.item("failed-worker-ejected").unwrap().evidence;
    assert!(ejected.contains("2 uploads served by B B"), "{ejected}");
}

#[test]
fn recognition_worker_acking_a_damaged_packet_fails_the_protocol() {
    let _turn = serial();
    let report = grade(
        "recognition",
        "never_nacks",
        &options(&["worker-protocol", "sockets-between-nodes"]),
    );
    assert_deductions(&report, &[("worker-protocol", Fault::WrongAnswer)]);
    let evidence = &report.item("worker-protocol").unwrap().evidence;
    assert!(evidence.contains("whose checksum is wrong"), "{evidence}");
}

#[test]
fn recognition_front_end_keeping_a_failed_worker_fails_ejection_only() {
    let _turn = serial();
    let report = grade("recognition", "keeps_failed_worker", &options(&[]));
    assert_deductions(&report, &[("failed-worker-ejected", Fault::WrongAnswer)]);
    let evidence = &report.item("failed-worker-ejected").unwrap().evidence;
    assert!(
        evidence.contains("the failed worker was still in the list"),
        "{evidence}"
    );
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

#[test]
fn recognition_form_without_multipart_fails_the_page_and_skips_its_dependents() {
    let _turn = serial();
    let report = grade("recognition", "form_without_enctype", &options(&[]));
    assert_deductions(&report, &[("upload-page", Fault::WrongAnswer)]);
    let evidence = &report.item("upload-page").unwrap().evidence;
    assert!(evidence.contains("multipart/form-data"), "{evidence}");
    assert_not_assessed(&report, "add-remove-workers");
    assert_not_assessed(&report, "failed-worker-ejected");
}
