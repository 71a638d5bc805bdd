//! The numbers lab, with the handout's own points (-10/-5/-1).

use labs::grading::report::Fault;

use crate::support::{assert_deductions, grade, options_with_count, serial};

const ALL_BUT_TIMING: &[&str] = &[
    "file-names",
    "runs",
    "stdlib-only",
    "no-concurrent-futures",
    "thread-per-connection",
    "message-format",
    "pep8",
];

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn good_submission_loses_nothing() {
    let _turn = serial();
    let report = grade("numbers", "good", &options_with_count(&[], 12));
    assert_deductions(&report, &[]);
    assert_eq!(report.score, 10.0);
    let held = report.item("thread-per-connection").unwrap();
    assert!(
        held.evidence.contains("8 clients held open"),
        "{}",
        held.evidence
    );
}

#[test]
fn concurrent_futures_costs_ten_points() {
    let _turn = serial();
    let report = grade(
        "numbers",
        "concurrent_futures",
        &options_with_count(ALL_BUT_TIMING, 4),
    );
    assert_deductions(&report, &[("no-concurrent-futures", Fault::Source)]);
    assert_eq!(report.score, 0.0);
    assert!(
        report
            .item("no-concurrent-futures")
            .unwrap()
            .evidence
            .contains("AnnaSmirnova_client.py:5: imports concurrent.futures")
    );
}

#[test]
fn wrong_message_format_costs_one_point() {
    let _turn = serial();
    let report = grade(
        "numbers",
        "wrong_message",
        &options_with_count(ALL_BUT_TIMING, 4),
    );
    assert_deductions(&report, &[("message-format", Fault::WrongAnswer)]);
    assert_eq!(report.score, 9.0);
}

#[test]
fn sequential_server_fails_thread_per_connection() {
    let _turn = serial();
    let report = grade(
        "numbers",
        "no_thread",
        &options_with_count(ALL_BUT_TIMING, 4),
    );
    assert_deductions(&report, &[("thread-per-connection", Fault::WrongAnswer)]);
}

#[test]
fn joining_each_thread_before_the_next_accept_fails_thread_per_connection() {
    let _turn = serial();
    let report = grade(
        "numbers",
        "joins_each_thread",
        &options_with_count(ALL_BUT_TIMING, 4),
    );
    assert_deductions(&report, &[("thread-per-connection", Fault::WrongAnswer)]);
    let item = report.item("thread-per-connection").unwrap();
    assert!(item.evidence.contains("one at a time"), "{}", item.evidence);
}
