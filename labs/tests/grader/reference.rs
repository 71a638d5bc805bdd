//! `labs grade LAB --reference`: this workspace's own binaries pass every applicable item.
//!
//! Timing items are left out here: whether our optimized client beats our sequential one on a
//! few hundred frames in a debug build is a speed question, which `cargo bench -p benches`
//! answers; a test that asserted it would pass or fail with the machine's load. The grader's
//! timing logic itself is tested on the fixtures, whose gains are large.

use labs::grading::checklist::Kind;
use labs::grading::report::Status;

use crate::support::{assert_deductions, options, serial};

fn grade_reference(lab: &str, count: usize) -> labs::grading::report::Report {
    let lab = labs::catalog::lab(lab).unwrap();
    let checklist = lab.checklist();
    let untimed: Vec<&str> = checklist
        .items
        .iter()
        .filter(|item| item.kind != Kind::Timing)
        .map(|item| item.id.as_str())
        .collect();
    let opts = labs::GradeOptions {
        count: Some(count),
        ..options(&untimed)
    };
    labs::grade(&lab, &labs::Target::Reference, &opts).expect("grading runs")
}

fn assert_all_applicable_pass(report: &labs::grading::report::Report) {
    assert_deductions(report, &[]);
    for item in &report.items {
        let applicable = report
            .item(&item.id)
            .is_some_and(|r| r.status == Status::Passed)
            || item.evidence.contains("the reference is Rust")
            || item.evidence.contains("judged by a person");
        assert!(
            applicable,
            "{} neither passed nor is inapplicable:\n{}",
            item.id,
            report.to_text()
        );
    }
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_reference_passes() {
    let _turn = serial();
    assert_all_applicable_pass(&grade_reference("frames", 500));
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn numbers_reference_passes() {
    let _turn = serial();
    assert_all_applicable_pass(&grade_reference("numbers", 8));
}

#[test]
fn basics_reference_passes() {
    let _turn = serial();
    assert_all_applicable_pass(&grade_reference("basics", 1));
}

#[test]
fn recognition_reference_passes() {
    let _turn = serial();
    assert_all_applicable_pass(&grade_reference("recognition", 1));
}

#[test]
fn prefork_reference_passes() {
    let _turn = serial();
    assert_all_applicable_pass(&grade_reference("prefork", 1));
}
