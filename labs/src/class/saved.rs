//! Each submission's result in the results folder, saved the moment its grading ends.
//!
//! A class takes long to grade, and a batch may stop half-way (Ctrl-C, a full disk, a
//! reboot). So every result is its own file, written as soon as the submission is done:
//! `<name>.json`, the report of a graded submission, or `<name>.not-graded.json`, why it
//! was not graded. Each file is written whole or not at all
//! ([`common::fs::write_atomically`]: a temporary file in the folder, renamed into place),
//! so a stopped batch never leaves half a result behind.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;

use crate::grading::report::Report;

/// The end of the file name of a not-graded submission's record: `<name>.not-graded.json`.
pub const NOT_GRADED: &str = ".not-graded.json";

/// The record of a submission that was not graded.
#[derive(Debug, Serialize)]
struct NotGraded<'a> {
    /// The submission's name in the batch.
    submission: &'a str,
    /// Why it was not graded (the intake's or the grader's reason).
    reason: &'a str,
}

/// The report file of the submission `name` in `out`.
pub fn report_path(out: &Path, name: &str) -> PathBuf {
    out.join(format!("{name}.json"))
}

/// The not-graded record of the submission `name` in `out`.
pub fn not_graded_path(out: &Path, name: &str) -> PathBuf {
    out.join(format!("{name}{NOT_GRADED}"))
}

/// Saves the result of the submission `name` in `out`: its report as `<name>.json`, or
/// why it was not graded as `<name>.not-graded.json`; the other of the two files, left by
/// an earlier grading of the same submission, is removed, so that only the latest result
/// stands.
///
/// Errors: the file cannot be written (the message names it).
pub fn save(out: &Path, name: &str, result: &Result<Report, String>) -> anyhow::Result<()> {
    let (path, text, stale) = match result {
        Ok(report) => (
            report_path(out, name),
            report.to_json(),
            not_graded_path(out, name),
        ),
        Err(reason) => (
            not_graded_path(out, name),
            serde_json::to_string_pretty(&NotGraded {
                submission: name,
                reason,
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
