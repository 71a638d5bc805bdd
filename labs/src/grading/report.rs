//! Grading results and how they are written: a terminal report, JSON and Markdown (the
//! platforms' `results.json` are in [`crate::class::export`]).

use std::fmt::Write as _;

use sandbox::process::{Exit, Proc};
use serde::{Deserialize, Serialize};

use crate::grading::checklist::{Checklist, Item, Source};

/// Why an item failed. A hang, a crash and a wrong answer are different mistakes and are
/// reported differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// A program did not finish (or did not start listening) within its step's timeout.
    Hang,
    /// A program exited with an error status or a signal.
    Crash,
    /// A program ran but its bytes, files, output or behaviour are not what the lab asks.
    WrongAnswer,
    /// The source breaks a rule (an import, a file name, style).
    Source,
    /// A program was stopped by a limit of the sandbox (memory, processes, CPU time, file
    /// size, open files); the evidence says which.
    Limit,
}

impl From<Exit> for Fault {
    /// The fault a program that ended this way (other than with status 0) shows: a hang
    /// on timeout, a limit's own fault when one stopped it, else a crash.
    fn from(exit: Exit) -> Fault {
        match exit {
            Exit::Timeout => Fault::Hang,
            Exit::Limit(_) => Fault::Limit,
            _ => Fault::Crash,
        }
    }
}

/// `fault`, unless `proc` has exited: then a crash, whatever the symptom was.
pub fn crash_if_exited(proc: &mut Proc, fault: Fault) -> Fault {
    if proc.has_exited() {
        Fault::Crash
    } else {
        fault
    }
}

impl Fault {
    /// Lower-case name used in reports: `hang`, `crash`, `wrong answer`, `source`, `limit`.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Hang => "hang",
            Fault::Crash => "crash",
            Fault::WrongAnswer => "wrong answer",
            Fault::Source => "source",
            Fault::Limit => "limit",
        }
    }
}

/// An item's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "status", content = "fault")]
pub enum Status {
    /// The item is satisfied: no deduction.
    Passed,
    /// The item fails: its points are deducted.
    Failed(Fault),
    /// The grader could not judge it (it depends on a failed item, needs a person, or has
    /// no automatic check yet): no deduction, the instructor decides.
    NotAssessed,
}

impl Status {
    /// `passed`, `failed (hang)`, `not assessed`, ...
    pub fn text(self) -> String {
        match self {
            Status::Passed => "passed".into(),
            Status::Failed(fault) => format!("failed ({})", fault.name()),
            Status::NotAssessed => "not assessed".into(),
        }
    }
}

/// What a check concluded about one checklist item (or prerequisite): its status and the
/// evidence behind it. The only verdict type of the grader; lab checks return it and the
/// engine turns it into an [`ItemResult`].
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Passed, failed with a fault, or not assessed.
    pub status: Status,
    /// What was observed (commands, figures, lines), or why it was not assessed.
    pub evidence: String,
}

impl Verdict {
    /// A pass.
    pub fn pass(evidence: impl Into<String>) -> Self {
        Self {
            status: Status::Passed,
            evidence: evidence.into(),
        }
    }

    /// A failure with `fault`.
    pub fn fail(fault: Fault, evidence: impl Into<String>) -> Self {
        Self {
            status: Status::Failed(fault),
            evidence: evidence.into(),
        }
    }

    /// A pass when `ok`, else a failure with `fault`; the same evidence either way.
    pub fn judge(ok: bool, fault: Fault, evidence: impl Into<String>) -> Self {
        if ok {
            Self::pass(evidence)
        } else {
            Self::fail(fault, evidence)
        }
    }

    /// Not assessed, and why (no deduction: the instructor decides).
    pub fn not_assessed(reason: impl Into<String>) -> Self {
        Self {
            status: Status::NotAssessed,
            evidence: reason.into(),
        }
    }

    /// Whether it passed.
    pub fn passed(&self) -> bool {
        self.status == Status::Passed
    }
}

/// What a part of a check found: `Ok(evidence)`, or `Err((fault, evidence))`; becomes a
/// [`Verdict`] with `Verdict::from`.
pub type Outcome = Result<String, (Fault, String)>;

impl From<Outcome> for Verdict {
    /// `Ok(evidence)` passes; `Err((fault, evidence))` fails with that fault.
    fn from(result: Outcome) -> Self {
        match result {
            Ok(evidence) => Self::pass(evidence),
            Err((fault, evidence)) => Self::fail(fault, evidence),
        }
    }
}

/// One item of a graded submission.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemResult {
    /// The checklist item's id.
    pub id: String,
    /// The checklist item's title.
    pub title: String,
    /// Points deducted on failure (<= 0).
    pub points: f64,
    /// The outcome.
    #[serde(flatten)]
    pub status: Status,
    /// What was observed: commands, figures, lines, counts.
    pub evidence: String,
}

impl ItemResult {
    /// The result of `item` given its `verdict`.
    pub fn new(item: &Item, verdict: Verdict) -> Self {
        Self {
            id: item.id.clone(),
            title: item.title.clone(),
            points: item.points,
            status: verdict.status,
            evidence: verdict.evidence,
        }
    }

    /// Points actually deducted: the item's points when failed, else 0.
    pub fn deducted(&self) -> f64 {
        match self.status {
            Status::Failed(_) => self.points,
            _ => 0.0,
        }
    }

    /// `passed`, `failed (hang)`, `not assessed`, ...
    pub fn status_text(&self) -> String {
        self.status.text()
    }
}

/// A graded submission. Read back from its JSON when a batch is resumed
/// ([`crate::class::saved`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The lab's name.
    pub lab: String,
    /// The submission graded: its folder, or `reference`.
    pub submission: String,
    /// max(0, max_score + deductions).
    pub score: f64,
    /// The checklist's maximum.
    pub max_score: f64,
    /// The checklist that graded it: the instructor's file (`--checklist`) or `built-in`,
    /// with its SHA-256.
    pub checklist: Source,
    /// How the programs were isolated, e.g. `network namespace` or why not.
    pub isolation: String,
    /// Wall-clock seconds the grading took.
    pub seconds: f64,
    /// One result per graded item, in checklist order.
    pub items: Vec<ItemResult>,
}

impl Report {
    /// Builds a report from item results, computing the score from `checklist` and naming
    /// it ([`Checklist::source`]).
    pub fn new(
        checklist: &Checklist,
        submission: String,
        isolation: String,
        seconds: f64,
        items: Vec<ItemResult>,
    ) -> Self {
        let deducted: f64 = items.iter().map(ItemResult::deducted).sum();
        Self {
            lab: checklist.lab.clone(),
            submission,
            score: (checklist.max_score + deducted).max(0.0),
            max_score: checklist.max_score,
            checklist: checklist.source.clone(),
            isolation,
            seconds,
            items,
        }
    }

    /// A report on every item of `checklist`, each judged by `verdict`: what a page or an
    /// export shows, without running anything (their tests; a dry run of a checklist).
    pub fn from_verdicts(
        checklist: &Checklist,
        submission: &str,
        seconds: f64,
        verdict: impl Fn(&Item) -> Verdict,
    ) -> Self {
        let items = checklist
            .items
            .iter()
            .map(|item| ItemResult::new(item, verdict(item)))
            .collect();
        Self::new(
            checklist,
            submission.to_owned(),
            "none".to_owned(),
            seconds,
            items,
        )
    }

    /// The result of item `id`, if it was graded.
    pub fn item(&self, id: &str) -> Option<&ItemResult> {
        self.items.iter().find(|item| item.id == id)
    }

    /// Ids of the failed items, in order.
    pub fn failed(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|item| matches!(item.status, Status::Failed(_)))
            .map(|item| item.id.as_str())
            .collect()
    }

    /// The terminal report: a header and the checklist's name, then per item its status,
    /// points and evidence.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} — {}: {} / {}  ({}, {:.1} s)\nchecklist: {}",
            self.lab,
            self.submission,
            fmt_points(self.score),
            fmt_points(self.max_score),
            self.isolation,
            self.seconds,
            self.checklist
        );
        for item in &self.items {
            let mark = match item.status {
                Status::Passed => "ok  ",
                Status::Failed(_) => "FAIL",
                Status::NotAssessed => " -- ",
            };
            let deduction = match item.status {
                Status::Failed(_) => fmt_points(item.points),
                _ => "0".into(),
            };
            let _ = writeln!(
                out,
                "[{mark}] {:<24} {:>4}  {} — {}",
                item.id,
                deduction,
                item.status_text(),
                item.title
            );
            for line in item.evidence.lines() {
                let _ = writeln!(out, "        {line}");
            }
        }
        out
    }

    /// The report as pretty JSON (the [`Report`] fields).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises")
    }

    /// The report as a Markdown table with the evidence below it.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# {} — {}\n\nScore: **{} / {}** ({}, {:.1} s)\n\nChecklist: `{}` (sha256 `{}`)\n",
            self.lab,
            self.submission,
            fmt_points(self.score),
            fmt_points(self.max_score),
            self.isolation,
            self.seconds,
            self.checklist.path,
            self.checklist.sha256
        );
        let _ = writeln!(out, "| item | result | deduction |\n|---|---|---|");
        for item in &self.items {
            let _ = writeln!(
                out,
                "| `{}` {} | {} | {} |",
                item.id,
                item.title.replace('|', "\\|"),
                item.status_text(),
                fmt_points(item.deducted())
            );
        }
        for item in &self.items {
            let _ = writeln!(
                out,
                "\n## `{}`: {}\n\n```text\n{}\n```",
                item.id,
                item.status_text(),
                item.evidence.trim_end()
            );
        }
        out
    }
}

/// Points without a needless `.0`: `10`, `-5`, `2.5`.
pub fn fmt_points(points: f64) -> String {
    if points.fract() == 0.0 {
        format!("{}", points as i64)
    } else {
        format!("{points:.1}")
    }
}
