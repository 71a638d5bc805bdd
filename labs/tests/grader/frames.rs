//! The frames lab: the good fixture passes everything; each mistake costs exactly its item.

use labs::grading::report::Fault;

use crate::support::{assert_deductions, assert_not_assessed, grade, options_with_count, serial};

/// Every item but the timing one (which has its own tests).
const ALL_BUT_TIMING: &[&str] = &[
    "file-names",
    "runs",
    "pillow-only",
    "thread-per-connection",
    "reuse-address",
    "stays-listening",
    "gif-valid",
    "message-format",
    "pep8",
];

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn good_submission_loses_nothing() {
    let _turn = serial();
    let report = grade("frames", "good", &options_with_count(&[], 1000));
    assert_deductions(&report, &[]);
    assert_eq!(report.score, 10.0);
    let gif = report.item("gif-valid").unwrap();
    assert!(gif.evidence.contains("1000 frames"), "{}", gif.evidence);
    let timing = report.item("runtime-improved").unwrap();
    assert!(
        timing.evidence.contains("given:") && timing.evidence.contains("yours:"),
        "{}",
        timing.evidence
    );
    assert_not_assessed(&report, "original-work");
}

#[test]
fn serving_on_the_accepting_thread_fails_thread_per_connection() {
    let _turn = serial();
    let report = grade(
        "frames",
        "no_thread",
        &options_with_count(ALL_BUT_TIMING, 50),
    );
    assert_deductions(&report, &[("thread-per-connection", Fault::WrongAnswer)]);
    let item = report.item("thread-per-connection").unwrap();
    assert!(
        item.evidence.contains("no new thread appeared"),
        "{}",
        item.evidence
    );
}

#[test]
fn numpy_import_fails_pillow_only() {
    let _turn = serial();
    let report = grade(
        "frames",
        "forbidden_import",
        &options_with_count(ALL_BUT_TIMING, 50),
    );
    assert_deductions(&report, &[("pillow-only", Fault::Source)]);
    let item = report.item("pillow-only").unwrap();
    assert!(item.evidence.contains("imports numpy"), "{}", item.evidence);
}

#[test]
fn missing_so_reuseaddr_is_observed_on_restart() {
    let _turn = serial();
    let report = grade(
        "frames",
        "no_reuse",
        &options_with_count(ALL_BUT_TIMING, 50),
    );
    assert_deductions(&report, &[("reuse-address", Fault::WrongAnswer)]);
    let item = report.item("reuse-address").unwrap();
    assert!(
        item.evidence.contains("Address already in use"),
        "{}",
        item.evidence
    );
}

#[test]
fn hanging_server_is_a_hang_and_its_dependents_are_not_assessed() {
    let _turn = serial();
    let mut options = options_with_count(ALL_BUT_TIMING, 50);
    options.step_timeout = Some(std::time::Duration::from_secs(5));
    let report = grade("frames", "hang_server", &options);
    // The hang is deducted once, under runs; the client side still earns its items, and
    // the server's messages (printed once the grader's client gave up) are right.
    assert_deductions(&report, &[("runs", Fault::Hang)]);
    for id in ["thread-per-connection", "reuse-address", "stays-listening"] {
        assert_not_assessed(&report, id);
    }
    assert_eq!(
        report.item("gif-valid").unwrap().status,
        labs::grading::report::Status::Passed
    );
}

#[test]
fn crashing_client_is_a_crash() {
    let _turn = serial();
    let report = grade(
        "frames",
        "crash_client",
        &options_with_count(&["runs", "gif-valid", "runtime-improved"], 50),
    );
    assert_deductions(&report, &[("runs", Fault::Crash)]);
    assert!(
        report
            .item("runs")
            .unwrap()
            .evidence
            .contains("FileNotFoundError")
    );
    assert_not_assessed(&report, "gif-valid");
    assert_not_assessed(&report, "runtime-improved");
}
