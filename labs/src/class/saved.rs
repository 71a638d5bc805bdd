//! Each submission's result in the results folder, saved the moment its grading ends.
//!
//! A class takes long to grade, and a batch may stop half-way (Ctrl-C, a full disk, a
//! reboot). So every result is its own file, written as soon as the submission is done:
//! `<name>.json`, the report of a graded submission, or `<name>.not-graded.json`, why it
//! was not graded. Each file is written whole or not at all
//! ([`common::fs::write_atomically`]: a temporary file in the folder, renamed into place),
//! so a stopped batch never leaves half a result behind.
//!
//! `--resume` reads them back. Each record carries its submission's input fingerprint
//! ([`fingerprint`]: the submission's files and the checklist that graded them), and a
//! result is kept only when the submission still has that fingerprint: a student who
//! handed in again, or an instructor who edited the checklist, gets a fresh grading.

use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::grading::checklist::Source;
use crate::grading::report::Report;

/// The end of the file name of a not-graded submission's record: `<name>.not-graded.json`.
pub const NOT_GRADED: &str = ".not-graded.json";

/// The files of an earlier batch in a results folder, besides the records.
const END_FILES: [&str; 4] = [
    "results.csv",
    "summary.md",
    "grades.csv",
    crate::class::batch::MOODLE_WORKSHEET,
];

/// The record of a submission that was not graded: `<name>.not-graded.json`.
#[derive(Debug, Serialize, Deserialize)]
struct NotGraded {
    /// The submission's name in the batch.
    submission: String,
    /// Why it was not graded (the intake's or the grader's reason).
    reason: String,
    /// The submission's [`fingerprint`] when it was graded.
    input_sha256: String,
}

/// The record of a graded submission, `<name>.json`: its report, and its [`fingerprint`]
/// beside the report's fields.
#[derive(Debug, Serialize, Deserialize)]
struct GradedRecord<R> {
    #[serde(flatten)]
    report: R,
    input_sha256: String,
}

/// The input fingerprint of a submission: SHA-256 (64 lower-case hex digits) over the
/// checklist that grades it (`checklist`'s own SHA-256, of its TOML text) and, for a
/// submission `folder`, every file under it (its path relative to the folder, sorted, and
/// its bytes; a symbolic link's target rather than what it points to), or, for a
/// submission the intake refused, the reason. Every part is length-prefixed, so no two
/// different inputs run together into the same bytes.
///
/// The same files give the same fingerprint whatever order the file system lists them in;
/// one changed byte, a renamed or added file, or another checklist gives another.
///
/// Errors: a file or folder of the submission cannot be read.
pub fn fingerprint(
    folder: &Result<PathBuf, String>,
    checklist: &Source,
) -> std::io::Result<String> {
    let mut hash = sha2::Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(checklist.sha256.as_bytes());
    match folder {
        Ok(folder) => {
            let mut files = Vec::new();
            walk(folder, Path::new(""), &mut files)?;
            files.sort();
            for relative in files {
                let path = folder.join(&relative);
                let bytes = if path.symlink_metadata()?.is_symlink() {
                    std::fs::read_link(&path)?.as_os_str().as_bytes().to_vec()
                } else {
                    std::fs::read(&path)?
                };
                field(relative.as_os_str().as_bytes());
                field(&bytes);
            }
        }
        Err(reason) => {
            field(b"not graded");
            field(reason.as_bytes());
        }
    }
    Ok(hash
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// Adds to `files` the path, relative to `root`, of every file and symbolic link under
/// `root.join(relative)`; symbolic links are not followed.
fn walk(root: &Path, relative: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(root.join(relative))? {
        let entry = entry?;
        let path = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            walk(root, &path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// The report file of the submission `name` in `out`.
pub fn report_path(out: &Path, name: &str) -> PathBuf {
    out.join(format!("{name}.json"))
}

/// The not-graded record of the submission `name` in `out`.
pub fn not_graded_path(out: &Path, name: &str) -> PathBuf {
    out.join(format!("{name}{NOT_GRADED}"))
}

/// Saves the result of the submission `name` in `out`, with its [`fingerprint`] `input`:
/// its report as `<name>.json`, or why it was not graded as `<name>.not-graded.json`; the other of the two files, left by
/// an earlier grading of the same submission, is removed, so that only the latest result
/// stands.
///
/// Errors: the file cannot be written (the message names it).
pub fn save(
    out: &Path,
    name: &str,
    result: &Result<Report, String>,
    input: &str,
) -> anyhow::Result<()> {
    let input_sha256 = input.to_owned();
    let (path, text, stale) = match result {
        Ok(report) => (
            report_path(out, name),
            serde_json::to_string_pretty(&GradedRecord {
                report,
                input_sha256,
            })?,
            not_graded_path(out, name),
        ),
        Err(reason) => (
            not_graded_path(out, name),
            serde_json::to_string_pretty(&NotGraded {
                submission: name.to_owned(),
                reason: reason.clone(),
                input_sha256,
            })?,
            report_path(out, name),
        ),
    };
    common::fs::write_atomically(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    match std::fs::remove_file(&stale) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove {}", stale.display()))
        }
        _ => Ok(()),
    }
}

/// The result saved in `out` for the submission `name` ([`save`]), if there is one and it
/// was made from the input whose [`fingerprint`] is `input`. A record that cannot be read
/// or parsed, or that has no fingerprint, counts as missing: the submission is graded again.
pub fn load(out: &Path, name: &str, input: &str) -> Option<Result<Report, String>> {
    if input.is_empty() {
        return None;
    }
    if let Ok(text) = std::fs::read_to_string(report_path(out, name)) {
        let record: GradedRecord<Report> = serde_json::from_str(&text).ok()?;
        return (record.input_sha256 == input).then_some(Ok(record.report));
    }
    let text = std::fs::read_to_string(not_graded_path(out, name)).ok()?;
    let record: NotGraded = serde_json::from_str(&text).ok()?;
    (record.input_sha256 == input).then_some(Err(record.reason))
}

/// Whether the folder `out` holds an earlier batch's results: one of the end files
/// (`results.csv`, `summary.md`, `grades.csv`, the Moodle worksheet) or a submission's
/// record (a `.json` file). A missing folder holds none; hidden files (such as a
/// temporary file left by a killed run) do not count.
///
/// Errors: `out` exists but cannot be listed.
pub fn holds_results(out: &Path) -> anyhow::Result<bool> {
    let entries = match std::fs::read_dir(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        entries => entries.with_context(|| format!("cannot read {}", out.display()))?,
    };
    for entry in entries {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if !name.starts_with('.') && (name.ends_with(".json") || END_FILES.contains(&&*name)) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::{Fault, ItemResult, Verdict};

    fn source(text: &str) -> Source {
        Source::new("checklist.toml", text)
    }

    /// The fingerprint follows what is graded, and nothing else: the same files written in
    /// another order give the same one; a changed byte, an added file, another checklist or
    /// a file moved to another folder give another.
    #[test]
    fn the_fingerprint_changes_with_the_files_and_the_checklist_only() {
        let write = |files: &[(&str, &str)]| {
            let dir = tempfile::tempdir().unwrap();
            for (path, text) in files {
                let path = dir.path().join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            dir
        };
        let of = |dir: &tempfile::TempDir, checklist: &Source| {
            fingerprint(&Ok(dir.path().to_path_buf()), checklist).unwrap()
        };
        let checklist = source("max_score = 10");
        let files = [("client.py", "print(1)"), ("lib/util.py", "x = 1")];
        let original = of(&write(&files), &checklist);
        assert_eq!(original.len(), 64);
        let reversed: Vec<_> = files.iter().rev().copied().collect();
        assert_eq!(of(&write(&reversed), &checklist), original);
        assert_ne!(
            of(
                &write(&[("client.py", "print(2)"), ("lib/util.py", "x = 1")]),
                &checklist
            ),
            original
        );
        assert_ne!(
            of(
                &write(&[("client.py", "print(1)"), ("util.py", "x = 1")]),
                &checklist
            ),
            original
        );
        assert_ne!(
            of(&write(&[files[0], files[1], ("notes.txt", "")]), &checklist),
            original
        );
        assert_ne!(of(&write(&files), &source("max_score = 20")), original);
        let refused = fingerprint(&Err("archive rejected".into()), &checklist).unwrap();
        assert_ne!(refused, original);
    }

    /// A saved result is read back only with the fingerprint it was saved with, and a new
    /// result of either kind replaces the old one.
    #[test]
    fn a_saved_result_is_read_back_with_its_fingerprint_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        assert!(!holds_results(out).unwrap());
        save(out, "jane", &Err("archive rejected".into()), "abc").unwrap();
        assert!(holds_results(out).unwrap());
        assert!(matches!(load(out, "jane", "abc"), Some(Err(why)) if why == "archive rejected"));
        assert!(load(out, "jane", "abd").is_none());
        let checklist = crate::catalog::lab("numbers").unwrap().checklist();
        let items = vec![
            ItemResult::new(&checklist.items[0], Verdict::pass("ok")),
            ItemResult::new(&checklist.items[1], Verdict::fail(Fault::Hang, "slept")),
            ItemResult::new(&checklist.items[2], Verdict::not_assessed("by hand")),
        ];
        let report = Report::new(&checklist, "jane".into(), "none".into(), 1.5, items);
        save(out, "jane", &Ok(report.clone()), "def").unwrap();
        assert!(!not_graded_path(out, "jane").exists());
        let Some(Ok(back)) = load(out, "jane", "def") else {
            panic!("the report is read back");
        };
        assert_eq!(back.to_json(), report.to_json());
        assert!(load(out, "jane", "abc").is_none());
    }
}
