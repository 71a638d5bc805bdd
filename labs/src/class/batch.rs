//! Grading a class at once: every submission the intake found ([`crate::class::intake`])
//! graded in parallel (up to the core count; one at a time when namespaces are
//! unavailable), with a CSV of points per item, a Markdown summary and a JSON report each,
//! all naming each submission by its student's identity, and the grades for the learning
//! platform ([`crate::class::grades`]). Each result is saved as soon as it is known
//! ([`crate::class::saved`]), so a batch stopped by Ctrl-C ([`Run::stop`]) is continued
//! with `--resume` ([`Run::resume`]) rather than started over; [`crate::class::progress`]
//! shows it running.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use common::shutdown::Shutdown;

use crate::class::grades::{self, Graded, MoodleWorksheet};
use crate::class::intake::{self, Intake, Submission};
use crate::class::saved;
use crate::class::similarity;
use crate::grading::checklist::Checklist;
use crate::grading::engine::Lab;
use crate::grading::grade::{grade_checked, preflight};
use crate::grading::options::{GradeOptions, Target};
use crate::grading::report::{Report, Status, fmt_points};

/// One submission's outcome in a batch: its name ([`Submission::name`]: the student id, or
/// Moodle's full name and participant id), and its report or why it was not graded.
pub type Outcome = (String, Result<Report, String>);

/// Grades every submission of `batch`, a folder or a `.zip` of a class (see
/// [`crate::class::intake`] for what it may hold), with up to `jobs` gradings at once;
/// results in name order. `progress` is called as each one finishes.
///
/// Errors: as [`intake::intake`] and [`grade_submissions`].
pub fn grade_all(
    lab: &Lab,
    batch: &Path,
    opts: &GradeOptions,
    jobs: usize,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> anyhow::Result<Vec<Outcome>> {
    let intake = intake::intake(batch, opts.checklist_of(lab).sandbox.archive)?;
    grade_submissions(lab, &intake.submissions, opts, jobs, progress)
}

/// Grades `submissions` with up to `jobs` gradings at once; results in name order. A
/// submission the intake refused is an outcome at once, with the intake's reason. Each
/// report's `submission` is the submission's name, never the temporary folder it was
/// extracted to. The grader's Python is checked once, before any grading.
///
/// Errors: the grader's environment cannot grade this lab
/// ([`crate::grading::preflight::Infrastructure`]): the whole batch is refused.
pub fn grade_submissions(
    lab: &Lab,
    submissions: &[Submission],
    opts: &GradeOptions,
    jobs: usize,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> anyhow::Result<Vec<Outcome>> {
    let all: Vec<&Submission> = submissions.iter().collect();
    let run = Run {
        jobs,
        out: Path::new(""),
        worksheet: None,
        resume: false,
        stop: None,
    };
    grade_each(lab, &all, opts, &run, &|_| {}, &|outcome| {
        progress(outcome);
        Ok(())
    })
}

/// Grades `submissions` with up to `run.jobs` gradings at once, as [`grade_submissions`],
/// starting none and keeping none that ends once `run.stop` is triggered ([`Run::stop`]),
/// and
/// tells `progress` of each start and hands each outcome to `finished` the moment it is known: where a batch saves it, so
/// that what is done is kept whatever happens to the rest. Once `finished` fails no new
/// grading starts (a result that cannot be kept is not worth grading for), the running
/// ones end, and its first error is returned.
fn grade_each(
    lab: &Lab,
    submissions: &[&Submission],
    opts: &GradeOptions,
    run: &Run<'_>,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
    finished: &(dyn Fn(&Outcome) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<Vec<Outcome>> {
    let python = preflight(lab, opts)?;
    let queue = Mutex::new(submissions.iter());
    let done = Mutex::new(Vec::new());
    let failed = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..run.jobs.max(1).min(submissions.len().max(1)) {
            scope.spawn(|| {
                loop {
                    if lock(&failed).is_some() || run.stop.is_some_and(Shutdown::is_triggered) {
                        break;
                    }
                    let Some(submission) = lock(&queue).next() else {
                        break;
                    };
                    progress(&Progress::Started(&submission.name));
                    let result = submission.folder.clone().and_then(|folder| {
                        grade_checked(lab, &Target::Submission(folder), opts, &python)
                            .map(|mut report| {
                                report.submission.clone_from(&submission.name);
                                report
                            })
                            .map_err(|e| format!("{e:#}"))
                    });
                    if run.stop.is_some_and(Shutdown::is_triggered) {
                        // Ctrl-C reaches the whole foreground process group: the grader's
                        // own helpers (pycodestyle, the Python checks) may have been
                        // interrupted, so this result cannot be trusted. Not saved, it is
                        // graded again when the batch is resumed.
                        continue;
                    }
                    let outcome = (submission.name.clone(), result);
                    if let Err(e) = finished(&outcome) {
                        lock(&failed).get_or_insert(e);
                    }
                    lock(&done).push(outcome);
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        return Err(e);
    }
    let mut outcomes = done.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(outcomes)
}

/// Locks `mutex` even if a grading thread panicked while holding it: a queue position, a
/// list of outcomes and an error stay usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// How [`grade_into`] runs a batch, besides what it grades and by which options.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// Gradings at once.
    pub jobs: usize,
    /// The results folder.
    pub out: &'a Path,
    /// Moodle's grading worksheet, to fill in ([`MOODLE_WORKSHEET`]).
    pub worksheet: Option<&'a MoodleWorksheet>,
    /// Continue the batch whose results `out` already holds (`--resume`): a submission
    /// whose saved result was made from its current files and checklist
    /// ([`saved::fingerprint`]) keeps it and is not graded again. Without it, an `out`
    /// holding an earlier batch's results is refused rather than mixed with the new ones.
    pub resume: bool,
    /// Stop the batch when this is triggered (Ctrl-C, SIGTERM: see
    /// [`Shutdown::on_signals`]): no new grading starts; the programs of the ones running
    /// are killed ([`sandbox::process::Groups::kill_all`]), so they end within seconds and
    /// are not saved (graded again on `--resume`); and the end files are written from every
    /// result there is.
    pub stop: Option<&'a Shutdown>,
}

/// What happens in a batch, as it happens: for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// The batch is about to start: `total` submissions, of which `kept` already have
    /// their result (resumed), so `total - kept` are to be graded.
    Planned {
        /// Submissions in the batch.
        total: usize,
        /// Submissions whose saved result is kept.
        kept: usize,
    },
    /// The grading of this submission (its name) has started.
    Started(&'a str),
    /// A submission's grading ended (or it could not be graded), its result saved.
    Finished(&'a Outcome),
    /// [`Run::stop`] was triggered: no new grading starts; the running ones' programs are
    /// killed, and those submissions are left to be graded again.
    Stopping,
}

/// What [`grade_into`] did.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The summary it wrote, for the command line to print.
    pub summary: String,
    /// Submissions with a result: kept from before (`--resume`) or graded now.
    pub done: usize,
    /// Submissions in the batch.
    pub total: usize,
}

impl Finished {
    /// Whether the batch stopped before every submission had a result ([`Run::stop`]).
    pub fn stopped(&self) -> bool {
        self.done < self.total
    }

    /// What to tell the instructor of a stopped batch: how far it got and `command`, the
    /// command to continue it ([`resume_command`]).
    pub fn stopped_line(&self, command: &str) -> String {
        format!(
            "stopped: {} of {} graded; continue with: {command}",
            self.done, self.total
        )
    }
}

/// The command that continues a batch: `args`, the command line that started it (its
/// first word, the program, written `labs`), with `--resume` added unless it is there,
/// each word quoted for a POSIX shell when it needs it.
pub fn resume_command(args: impl IntoIterator<Item = String>) -> String {
    let mut words: Vec<String> = args.into_iter().skip(1).collect();
    if !words.iter().any(|w| w == "--resume") {
        words.push("--resume".into());
    }
    let mut command = String::from("labs");
    for word in words {
        command.push(' ');
        let plain = !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
        match plain {
            true => command.push_str(&word),
            false => command.push_str(&format!("'{}'", word.replace('\'', "'\\''"))),
        }
    }
    command
}

/// Grades the class `batch` (a folder or a `.zip`, see [`crate::class::intake`]) into the
/// results folder `run.out`: each submission's result saved the moment it is known
/// ([`saved::save`]), then the end files from all results ([`write_results`]), filling in
/// the worksheet when given. `out` is created first, so an unwritable one is found before
/// any grading. With `run.resume`, results already in `out` for unchanged submissions are
/// kept ([`Run::resume`]). `progress` hears of every start and end.
///
/// Errors: `out` cannot be created or written; `out` holds an earlier batch's results and
/// `run.resume` is off; and those of [`intake::intake`] and [`grade_submissions`].
pub fn grade_into(
    lab: &Lab,
    batch: &Path,
    opts: &GradeOptions,
    run: &Run<'_>,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> anyhow::Result<Finished> {
    let out = run.out;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    anyhow::ensure!(
        run.resume || !saved::holds_results(out)?,
        "{} holds an earlier batch's results: pass --resume to continue it, or choose \
         another --output",
        out.display()
    );
    let started = std::time::Instant::now();
    let checklist = opts.checklist_of(lab);
    let intake = intake::intake(batch, checklist.sandbox.archive)?;
    let mut inputs = HashMap::new();
    let mut outcomes = Vec::new();
    let mut todo = Vec::new();
    for submission in &intake.submissions {
        // A submission that cannot be read has no fingerprint: it is graded (and fails
        // there, saying why) and never kept.
        let input = saved::fingerprint(&submission.folder, &checklist.source).unwrap_or_default();
        match run
            .resume
            .then(|| saved::load(out, &submission.name, &input))
            .flatten()
        {
            Some(result) => outcomes.push((submission.name.clone(), result)),
            None => todo.push(submission),
        }
        inputs.insert(submission.name.as_str(), input);
    }
    progress(&Progress::Planned {
        total: intake.submissions.len(),
        kept: outcomes.len(),
    });
    // Every program of this batch's gradings, to kill them all when the batch is stopped.
    let groups = sandbox::process::Groups::default();
    let opts = &GradeOptions {
        groups: Some(groups.clone()),
        ..opts.clone()
    };
    let over = AtomicBool::new(false);
    let graded = std::thread::scope(|scope| {
        if let Some(stop) = run.stop {
            // Told at once, not when a running grading ends: those may take minutes.
            scope.spawn(|| {
                while !over.load(Ordering::SeqCst) {
                    if stop.sleep(Duration::from_millis(100)) {
                        progress(&Progress::Stopping);
                        // The running gradings' programs end now, so those gradings end
                        // within seconds, not after their step timeouts; their results are
                        // not kept (graded again on --resume).
                        groups.kill_all();
                        break;
                    }
                }
            });
        }
        // Saved as each finishes, not only at the end: a batch stopped half-way keeps them.
        let graded = grade_each(lab, &todo, opts, run, progress, &|outcome| {
            progress(&Progress::Finished(outcome));
            saved::save(out, &outcome.0, &outcome.1, &inputs[outcome.0.as_str()])
        });
        over.store(true, Ordering::SeqCst);
        graded
    })?;
    outcomes.extend(graded);
    outcomes.sort_by(|a, b| a.0.cmp(&b.0));
    // Every submission the intake found is compared, graded or not: a copy is a copy
    // whether or not its programs ran.
    let given = similarity::batch_given(lab, &opts.given)?;
    let class = similarity::compare_submissions(
        lab,
        &checklist.submission,
        &intake.submissions,
        &given,
        &similarity::Settings::default(),
    );
    similarity::annotate(&mut outcomes, &class);
    let summary = write_results(
        &checklist,
        &intake,
        &outcomes,
        started.elapsed().as_secs_f64(),
        run.worksheet,
        out,
    )?;
    similarity::write_files(&class, out)?;
    Ok(Finished {
        summary,
        done: outcomes.len(),
        total: intake.submissions.len(),
    })
}

/// The file of the results folder that holds the filled Moodle worksheet.
pub const MOODLE_WORKSHEET: &str = "moodle-worksheet.csv";

/// Writes a batch's results, graded by `checklist`, into the folder `out` (created):
/// `results.csv` ([`csv()`]), `grades.csv` ([`grades::grades_csv`]), `summary.md`
/// ([`summary`], then what the intake noticed and left out, and what became of the
/// worksheet), each submission's result ([`saved::save`]: `<name>.json` or
/// `<name>.not-graded.json`), the pages `summary.html` and `<name>.html`
/// ([`crate::class::summary_html`]), and, given Moodle's
/// `worksheet`, [`MOODLE_WORKSHEET`] filled in ([`MoodleWorksheet::fill`]). Returns the
/// summary.
///
/// Errors: `out` cannot be written.
pub fn write_results(
    checklist: &Checklist,
    intake: &Intake,
    outcomes: &[Outcome],
    seconds: f64,
    worksheet: Option<&MoodleWorksheet>,
    out: &Path,
) -> anyhow::Result<String> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, result) in outcomes {
        let input = intake
            .submissions
            .iter()
            .find(|s| &s.name == name)
            .and_then(|s| saved::fingerprint(&s.folder, &checklist.source).ok());
        saved::save(out, name, result, input.as_deref().unwrap_or_default())?;
    }
    write(out, "results.csv", &csv(checklist, outcomes))?;
    let graded = graded(intake, outcomes);
    write(
        out,
        "grades.csv",
        &grades::grades_csv(&graded, checklist.max_score),
    )?;
    let mut text = summary(checklist, outcomes, seconds);
    text.push_str(&intake_notes(intake));
    if let Some(worksheet) = worksheet {
        let filled = worksheet.fill(&graded);
        write(out, MOODLE_WORKSHEET, &filled.text)?;
        let _ = write!(
            text,
            "\n## Moodle worksheet\n\n{MOODLE_WORKSHEET}: {} rows graded, {} not graded (why in \
             their feedback); the rows of students who submitted nothing are as they were.\n",
            filled.graded, filled.not_graded
        );
        if !filled.unmatched.is_empty() {
            let _ = writeln!(
                text,
                "No row (no participant id, or not in the worksheet), to enter by hand: {}.",
                filled.unmatched.join(", ")
            );
        }
    }
    write(out, "summary.md", &text)?;
    crate::class::summary_html::write(checklist, outcomes, seconds, out)?;
    Ok(text)
}

/// Writes the file `name` of the results folder `out` whole or not at all
/// ([`common::fs::write_atomically`]): a batch stopped while writing leaves the earlier
/// file or the new one, never half of one.
fn write(out: &Path, name: &str, text: &str) -> anyhow::Result<()> {
    let path = out.join(name);
    common::fs::write_atomically(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Each outcome with its submission's identity, in the outcomes' order.
pub fn graded<'a>(intake: &'a Intake, outcomes: &'a [Outcome]) -> Vec<Graded<'a>> {
    outcomes
        .iter()
        .filter_map(|(name, result)| {
            let submission = intake.submissions.iter().find(|s| &s.name == name)?;
            Some(Graded {
                name,
                identity: &submission.identity,
                result,
            })
        })
        .collect()
}

/// Markdown: what the intake noticed in each submission and what it left out of the
/// batch; empty when there is nothing to say.
pub fn intake_notes(intake: &Intake) -> String {
    let mut out = String::new();
    let noted: Vec<&Submission> = intake
        .submissions
        .iter()
        .filter(|s| !s.notes.is_empty())
        .collect();
    if !noted.is_empty() || !intake.ignored.is_empty() {
        out.push_str("\n## Intake\n\n");
    }
    for submission in noted {
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            submission.name,
            submission.source,
            submission.notes.join("; ")
        );
    }
    for ignored in &intake.ignored {
        let _ = writeln!(out, "- left out: {ignored}");
    }
    out
}

/// CSV: `submission,score,max_score,<item id>...`; an item's cell is its deduction (`0`,
/// `-10`), `n/a` when not assessed, and the row's `error` column says why a submission
/// could not be graded.
pub fn csv(checklist: &Checklist, outcomes: &[Outcome]) -> String {
    let mut out = String::from("submission,score,max_score");
    for item in &checklist.items {
        let _ = write!(out, ",{}", item.id);
    }
    out.push_str(",error\n");
    for (name, result) in outcomes {
        let _ = write!(out, "{}", quote(name));
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
pub fn summary(checklist: &Checklist, outcomes: &[Outcome], seconds: f64) -> String {
    let mut out = format!(
        "# {} — {} submissions graded in {seconds:.1} s\n\n| submission | score | failed items | time |\n|---|---|---|---|\n",
        checklist.lab,
        outcomes.len()
    );
    for (name, result) in outcomes {
        let name = name.replace('|', "\\|");
        match result {
            Ok(report) => {
                let failed = report.failed();
                let _ = writeln!(
                    out,
                    "| {} | {} / {} | {} | {:.1} s |",
                    name,
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
                    name,
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
        let run = Run {
            jobs: 1,
            out: &out,
            worksheet: None,
            resume: false,
            stop: None,
        };
        let e = grade_into(&lab, dir.path(), &GradeOptions::default(), &run, &|_| {
            panic!("nothing may be graded")
        })
        .unwrap_err();
        assert_eq!(e.to_string(), format!("cannot create {}", out.display()));
    }
}
