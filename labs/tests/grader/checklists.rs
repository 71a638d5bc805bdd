//! `--checklist`: an instructor's edited copy of a lab's checklist grades instead of the
//! lab's own, is named in every report, and is refused before any grading, at its line and
//! column, when it names an item the lab does not have, leaves one out, or holds an
//! unknown key or a value of the wrong type. No grading runs: the edited checklists are
//! read, and their points applied to fabricated verdicts.

use std::path::{Path, PathBuf};

use labs::grading::instructor;
use labs::grading::report::{Fault, ItemResult, Report, Verdict};

/// The numbers lab's own checklist, as `labs show numbers --checklist` prints it.
fn numbers_toml() -> &'static str {
    labs::catalog::lab("numbers").unwrap().checklist_toml
}

/// `text` written as `checklist.toml` in a fresh folder (kept while the guard lives).
fn written(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checklist.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// The 1-based line of `text` that holds `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let offset = text.find(needle).unwrap_or_else(|| panic!("no {needle:?}"));
    text[..offset].matches('\n').count() + 1
}

/// The error `labs grade numbers --checklist` stops with for the checklist `text`.
fn refusal(text: &str) -> (String, PathBuf) {
    let (_dir, path) = written(text);
    let lab = labs::catalog::lab("numbers").unwrap();
    let error = instructor::read(&lab, &path).expect_err("the checklist must be refused");
    (format!("{error:#}"), path)
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn an_instructors_points_are_the_deduction_and_the_report_names_the_checklist() {
    let text = numbers_toml().replacen(
        "id = \"message-format\"\ntitle = \"Server and client messages as in the handout's example run\"\npoints = -1",
        "id = \"message-format\"\ntitle = \"Server and client messages as in the handout's example run\"\npoints = -2",
        1,
    );
    assert_ne!(text, numbers_toml(), "the item's points were not found");
    let (_dir, path) = written(&text);
    let lab = labs::catalog::lab("numbers").unwrap();
    let checklist = instructor::read(&lab, &path).unwrap();
    let item = ItemResult::new(
        checklist.item("message-format").unwrap(),
        Verdict::fail(Fault::WrongAnswer, "no 'Sorting time' line"),
    );
    assert_eq!(item.deducted(), -2.0);
    let report = Report::new(&checklist, "sub".into(), "host".into(), 0.1, vec![item]);
    assert_eq!(report.score, 8.0);
    assert_eq!(report.checklist.path, display(&path));
    assert_eq!(
        report.checklist,
        labs::grading::checklist::Source::new(display(&path), &text)
    );
    assert_eq!(report.checklist.sha256.len(), 64);
    assert!(
        report
            .to_text()
            .contains(&format!("checklist: {} (sha256 ", display(&path))),
        "{}",
        report.to_text()
    );
    // The lab's own checklist is named too, by the digest of what `labs show` prints.
    let own = Report::new(&lab.checklist(), "sub".into(), "host".into(), 0.1, vec![]);
    assert_eq!(own.checklist.path, "built-in");
    assert_ne!(own.checklist.sha256, report.checklist.sha256);
}

#[test]
fn an_item_the_lab_does_not_have_is_refused_at_its_id() {
    let text = numbers_toml().replacen("id = \"message-format\"", "id = \"message-formats\"", 1);
    let (error, path) = refusal(&text);
    let line = line_of(&text, "id = \"message-formats\"");
    assert!(
        error.starts_with(&format!(
            "{}:{line}:6: numbers has no item `message-formats` (its items: ",
            display(&path)
        )),
        "{error}"
    );
}

#[test]
fn a_missing_item_is_refused() {
    let own = numbers_toml();
    let start = own.find("[[items]]\nid = \"message-format\"").unwrap();
    let end = start + own[start..].find("\n\n").unwrap() + 2;
    let text = format!("{}{}", &own[..start], &own[end..]);
    let (error, path) = refusal(&text);
    assert_eq!(
        error,
        format!(
            "{}: item `message-format` is missing: the checklist must have every one of the \
             lab's (to deduct nothing for an item, keep it with points = 0)",
            display(&path)
        )
    );
}

#[test]
fn an_unknown_key_or_a_wrong_type_is_refused_at_its_line_and_column() {
    let own = numbers_toml();
    let text = own.replacen(
        "id = \"message-format\"\n",
        "id = \"message-format\"\n  pointz = -2\n",
        1,
    );
    let (error, path) = refusal(&text);
    let line = line_of(&text, "pointz");
    assert!(
        error.starts_with(&format!(
            "{}:{line}:3: unknown field `pointz`, expected one of ",
            display(&path)
        )),
        "{error}"
    );
    let text = own.replacen("max_score = 10", "max_score = \"ten\"", 1);
    let (error, path) = refusal(&text);
    let line = line_of(&text, "max_score");
    assert!(
        error.starts_with(&format!(
            "{}:{line}:13: invalid type: string",
            display(&path)
        )),
        "{error}"
    );
}
