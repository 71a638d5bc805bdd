//! Grading a folder of submissions at once: every subfolder is one submission, graded in
//! parallel (up to the core count; one at a time when namespaces are unavailable), with a
//! CSV of points per item and a Markdown summary, written into one results folder.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context as _;
use sandbox::workdir::file_name;

use crate::grading::engine::Lab;
use crate::grading::grade::{grade_checked, preflight};
use crate::grading::options::{GradeOptions, Target};
use crate::grading::report::{Report, Status, fmt_points};

/// One submission's outcome in a batch: its report, or why it could not be graded.
pub type Outcome = (PathBuf, Result<Report, String>);

/// Grades every subfolder of `dir` with up to `jobs` gradings at once; results in folder
/// name order. `progress` is called as each one finishes. The grader's Python is checked
/// once, before any grading.
///
/// Errors: `dir` cannot be read, or the grader's environment cannot grade this lab
/// ([`crate::grading::preflight::Infrastructure`]): the whole batch is refused.
pub fn grade_all(
    lab: &Lab,
    dir: &Path,
    opts: &GradeOptions,
    jobs: usize,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> anyhow::Result<Vec<Outcome>> {
    let python = preflight(lab, opts)?;
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let queue = Mutex::new(folders.clone().into_iter());
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(folders.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let Some(folder) = queue.lock().unwrap_or_else(|e| e.into_inner()).next()
                    else {
                        break;
                    };
                    let result =
                        grade_checked(lab, &Target::Submission(folder.clone()), opts, &python)
                            .map_err(|e| format!("{e:#}"));
                    let outcome = (folder, result);
                    progress(&outcome);
                    done.lock().unwrap_or_else(|e| e.into_inner()).push(outcome);
                }
            });
        }
    });
    let mut outcomes = done.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(outcomes)
}

/// Grades every subfolder of `dir` as [`grade_all`] does and writes the results folder
/// `out` (created first, so an unwritable one is found before any grading): one JSON report
/// per graded submission, named after its folder, [`csv`] as `results.csv` and [`summary`]
/// as `summary.md`. Returns the summary, for the command line to print.
///
/// Errors: those of [`grade_all`], and `out` cannot be created or written.
pub fn grade_into(
    lab: &Lab,
    dir: &Path,
    opts: &GradeOptions,
    jobs: usize,
    out: &Path,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> anyhow::Result<String> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let started = Instant::now();
    let outcomes = grade_all(lab, dir, opts, jobs, progress)?;
    for (path, result) in &outcomes {
        if let Ok(report) = result {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            std::fs::write(out.join(format!("{name}.json")), report.to_json())?;
        }
    }
    std::fs::write(out.join("results.csv"), csv(lab, &outcomes))?;
    let summary = summary(lab, &outcomes, started.elapsed().as_secs_f64());
    std::fs::write(out.join("summary.md"), &summary)?;
    Ok(summary)
}

/// CSV: `submission,score,max_score,<item id>...`; an item's cell is its deduction (`0`,
/// `-10`), `n/a` when not assessed, and the row's `error` column says why a submission
/// could not be graded.
pub fn csv(lab: &Lab, outcomes: &[Outcome]) -> String {
    let checklist = lab.checklist();
    let mut out = String::from("submission,score,max_score");
    for item in &checklist.items {
        let _ = write!(out, ",{}", item.id);
    }
    out.push_str(",error\n");
    for (path, result) in outcomes {
        let _ = write!(out, "{}", quote(&file_name(path)));
        match result {
            Ok(report) => {
                let _ = write!(
                    out,
                    ",{},{}",
                    fmt_points(report.score),
                    fmt_points(report.max_score)
                );
                for item in &checklist.items {
                    let cell = match report.item(&item.id) {
                        Some(r) if r.status == Status::NotAssessed => "n/a".to_owned(),
                        Some(r) => fmt_points(r.deducted()),
                        None => "n/a".to_owned(),
                    };
                    let _ = write!(out, ",{cell}");
                }
                out.push_str(",\n");
            }
            Err(e) => {
                let _ = write!(out, ",,{}", fmt_points(checklist.max_score));
                for _ in &checklist.items {
                    out.push(',');
                }
                let _ = writeln!(out, ",{}", quote(e));
            }
        }
    }
    out
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// Markdown summary: one row per submission with its score and failed items, then how
/// often each item failed.
pub fn summary(lab: &Lab, outcomes: &[Outcome], seconds: f64) -> String {
    let checklist = lab.checklist();
    let mut out = format!(
        "# {} — {} submissions graded in {seconds:.1} s\n\n| submission | score | failed items | time |\n|---|---|---|---|\n",
        checklist.lab,
        outcomes.len()
    );
    for (path, result) in outcomes {
        match result {
            Ok(report) => {
                let failed = report.failed();
                let _ = writeln!(
                    out,
                    "| {} | {} / {} | {} | {:.1} s |",
                    file_name(path),
                    fmt_points(report.score),
                    fmt_points(report.max_score),
                    if failed.is_empty() {
                        "—".to_owned()
                    } else {
                        failed.join(", ")
                    },
                    report.seconds
                );
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "| {} | not graded | {} | |",
                    file_name(path),
                    e.replace('|', "\\|")
                );
            }
        }
    }
    out.push_str("\n| item | failed in |\n|---|---|\n");
    for item in &checklist.items {
        let count = outcomes
            .iter()
            .filter(|(_, r)| {
                r.as_ref()
                    .is_ok_and(|r| r.failed().contains(&item.id.as_str()))
            })
            .count();
        let _ = writeln!(out, "| `{}` | {count} |", item.id);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output folder that cannot be made is the grader's error before anything is
    /// graded: no submission is started for results that could not be kept.
    #[test]
    fn an_output_folder_that_cannot_be_made_is_refused_before_grading() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let out = file.join("results");
        let lab = crate::catalog::lab("numbers").unwrap();
        let e = grade_into(&lab, dir.path(), &GradeOptions::default(), 1, &out, &|_| {
            panic!("nothing may be graded")
        })
        .unwrap_err();
        assert_eq!(e.to_string(), format!("cannot create {}", out.display()));
    }
}
