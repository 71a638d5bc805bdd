//! `labs grade LAB --reference`: this workspace's own binaries pass every applicable item.

use labs::report::Status;

use crate::support::{assert_deductions, options, serial};

fn grade_reference(lab: &str, count: usize) -> labs::report::Report {
    let lab = labs::catalog::lab(lab).unwrap();
    let opts = labs::GradeOptions {
        count: Some(count),
        ..options(&[])
    };
    labs::grade(&lab, &labs::Target::Reference, &opts).expect("grading runs")
}

fn assert_all_applicable_pass(report: &labs::report::Report) {
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
fn frames_reference_passes() {
    let _turn = serial();
    assert_all_applicable_pass(&grade_reference("frames", 500));
}

#[test]
fn numbers_reference_passes() {
    let _turn = serial();
    assert_all_applicable_pass(&grade_reference("numbers", 8));
}
