//! `--batch`: every subfolder graded, a CSV of deductions and a Markdown summary.

use labs::batch;

use crate::support::{fixture, options, serial};

#[test]
fn batch_grades_every_subfolder_in_parallel() {
    let _turn = serial();
    let dir = tempfile::tempdir().unwrap();
    for case in ["good", "concurrent_futures", "wrong_message"] {
        let to = dir.path().join(case);
        std::fs::create_dir(&to).unwrap();
        for file in std::fs::read_dir(fixture("numbers", case)).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
        }
    }
    let lab = labs::catalog::lab("numbers").unwrap();
    let opts = options(&["file-names", "stdlib-only", "no-concurrent-futures", "pep8"]);
    let outcomes = batch::grade_all(&lab, dir.path(), &opts, 2, &|_| {}).unwrap();
    assert_eq!(outcomes.len(), 3);
    let csv = batch::csv(&lab, &outcomes);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with(
            "submission,score,max_score,file-names,runs,stdlib-only,no-concurrent-futures"
        ),
        "{csv}"
    );
    assert!(
        lines[1].starts_with("concurrent_futures,0,10,0,n/a,0,-10,"),
        "{csv}"
    );
    assert!(lines[2].starts_with("good,10,10,0,n/a,0,0,"), "{csv}");
    let summary = batch::summary(&lab, &outcomes, 1.0);
    assert!(
        summary.contains("| concurrent_futures | 0 / 10 | no-concurrent-futures |"),
        "{summary}"
    );
    assert!(
        summary.contains("| `no-concurrent-futures` | 1 |"),
        "{summary}"
    );
}
