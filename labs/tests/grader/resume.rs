//! `--batch` with `--resume`: a batch continued in the same results folder grades only the
//! submissions with no result there or whose files changed, and still writes the results
//! of the whole class; without `--resume` that folder is refused.

use std::path::Path;
use std::sync::Mutex;

use labs::class::batch::{self, Progress, Run};

use crate::support::{copy_tree, fixture, serial};

/// Grades the class in `class` into `out`; returns the names of the submissions graded
/// (not kept), sorted, or the batch's error.
fn grade(class: &Path, out: &Path, resume: bool) -> anyhow::Result<Vec<String>> {
    let lab = labs::catalog::lab("numbers").unwrap();
    // Two fast items: the test is about which submissions are graded, not how.
    let opts = labs::GradeOptions {
        only: vec!["file-names".into(), "pep8".into()],
        python: testkit::python::interpreter(),
        ..labs::GradeOptions::default()
    };
    let run = Run {
        jobs: 2,
        out,
        worksheet: None,
        resume,
    };
    let graded = Mutex::new(Vec::new());
    batch::grade_into(&lab, class, &opts, &run, &|event| {
        if let Progress::Finished((name, _)) = event {
            graded.lock().unwrap().push(name.clone());
        }
    })?;
    let mut graded = graded.into_inner().unwrap();
    graded.sort();
    Ok(graded)
}

#[test]
fn a_resumed_batch_grades_only_what_is_missing_or_changed() {
    let _turn = serial();
    let dir = tempfile::tempdir().unwrap();
    let class = dir.path().join("class");
    for case in ["concurrent_futures", "good", "wrong_message"] {
        copy_tree(&fixture("numbers", case), &class.join(case));
    }
    let out = dir.path().join("results");
    assert_eq!(
        grade(&class, &out, false).unwrap(),
        ["concurrent_futures", "good", "wrong_message"]
    );

    // One result lost, one submission handed in again.
    std::fs::remove_file(out.join("good.json")).unwrap();
    let edited = class.join("wrong_message/AnnaSmirnova_server.py");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("# handed in again\n");
    std::fs::write(&edited, text).unwrap();

    let e = grade(&class, &out, false).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{} holds an earlier batch's results: pass --resume to continue it, or choose \
             another --output",
            out.display()
        )
    );
    assert_eq!(
        grade(&class, &out, true).unwrap(),
        ["good", "wrong_message"]
    );
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].starts_with("concurrent_futures,10,10,"), "{csv}");
    assert!(rows[1].starts_with("good,10,10,"), "{csv}");
    assert!(rows[2].starts_with("wrong_message,10,10,"), "{csv}");
    assert!(out.join("good.json").exists());

    // Nothing changed since: nothing to grade, and the same results.
    assert!(grade(&class, &out, true).unwrap().is_empty());
    assert_eq!(
        std::fs::read_to_string(out.join("results.csv")).unwrap(),
        csv
    );
}
