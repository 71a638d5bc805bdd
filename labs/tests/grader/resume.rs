//! `--batch` with `--resume`: a batch continued in the same results folder grades only the
//! submissions with no result there or whose files changed, and still writes the results
//! of the whole class; without `--resume` that folder is refused.

use std::path::Path;
use std::sync::Mutex;

use common::shutdown::Shutdown;
use labs::class::batch::{self, Progress, Run};

use crate::support::{copy_tree, fixture, serial};

/// Grades the class in `class` into `out`; returns the names of the submissions graded
/// (not kept), sorted, or the batch's error.
fn grade(class: &Path, out: &Path, resume: bool) -> anyhow::Result<Vec<String>> {
    grade_until(class, out, resume, None).map(|(graded, _)| graded)
}

/// [`grade`], one submission at a time, stopped as `stop_after` submissions have ended;
/// also returns what the batch said it did.
fn grade_until(
    class: &Path,
    out: &Path,
    resume: bool,
    stop_after: Option<usize>,
) -> anyhow::Result<(Vec<String>, batch::Finished)> {
    let stop = Shutdown::new().unwrap();
    let lab = labs::catalog::lab("numbers").unwrap();
    // Two fast items: the test is about which submissions are graded, not how.
    let opts = labs::GradeOptions {
        only: vec!["file-names".into(), "pep8".into()],
        python: testkit::python::interpreter(),
        ..labs::GradeOptions::default()
    };
    let run = Run {
        jobs: if stop_after.is_some() { 1 } else { 2 },
        out,
        worksheet: None,
        resume,
        stop: Some(&stop),
    };
    let graded = Mutex::new(Vec::new());
    let finished = batch::grade_into(&lab, class, &opts, &run, &|event| {
        if let Progress::Finished((name, _)) = event {
            let mut graded = graded.lock().unwrap();
            graded.push(name.clone());
            // As a Ctrl-C would, while the batch runs.
            if Some(graded.len()) == stop_after {
                stop.trigger();
            }
        }
    })?;
    let mut graded = graded.into_inner().unwrap();
    graded.sort();
    Ok((graded, finished))
}

/// The class of three numbers submissions, copied into `dir/class`.
fn class_of_three(dir: &Path) -> std::path::PathBuf {
    let class = dir.join("class");
    for case in ["concurrent_futures", "good", "wrong_message"] {
        copy_tree(&fixture("numbers", case), &class.join(case));
    }
    class
}

#[test]
fn a_resumed_batch_grades_only_what_is_missing_or_changed() {
    let _turn = serial();
    let dir = tempfile::tempdir().unwrap();
    let class = class_of_three(dir.path());
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

/// A batch stopped (Ctrl-C) after its first submission starts no other, writes the end
/// files from that one, and says how to continue; `--resume` then grades the other two.
#[test]
fn a_stopped_batch_keeps_what_finished_and_resumes_with_the_rest() {
    let _turn = serial();
    let dir = tempfile::tempdir().unwrap();
    let class = class_of_three(dir.path());
    let out = dir.path().join("results");
    let (graded, finished) = grade_until(&class, &out, false, Some(1)).unwrap();
    assert_eq!(graded, ["concurrent_futures"]);
    assert!(finished.stopped());
    assert_eq!(
        finished.stopped_line("labs grade numbers --batch class --resume"),
        "stopped: 1 of 3 graded; continue with: labs grade numbers --batch class --resume"
    );
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    let (graded, finished) = grade_until(&class, &out, true, None).unwrap();
    assert_eq!(graded, ["good", "wrong_message"]);
    assert!(!finished.stopped());
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
}

/// The command a stopped batch prints repeats the one that started it, with `--resume`.
#[test]
fn the_resume_command_repeats_the_batch_with_resume() {
    let args = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    assert_eq!(
        batch::resume_command(args(&[
            "/usr/bin/labs",
            "grade",
            "numbers",
            "--batch",
            "Class 2026.zip",
            "--output",
            "out"
        ])),
        "labs grade numbers --batch 'Class 2026.zip' --output out --resume"
    );
    assert_eq!(
        batch::resume_command(args(&["labs", "grade", "x", "--resume", "--batch", "it's"])),
        "labs grade x --resume --batch 'it'\\''s'"
    );
}
