//! Grades back to the learning platform: `grades.csv` (identity, score, maximum) for any
//! platform's import, and Moodle's offline grading worksheet filled in for Moodle's own
//! "Upload grading worksheet".
//!
//! The worksheet is the CSV file Moodle's assignment gives under "View all submissions" →
//! "Grading action" → "Download grading worksheet". Moodle reads it back by its header
//! (English column names), matching each row by its `Identifier`, `Participant <id>`: the
//! participant id Moodle also writes into the names of "Download all submissions"
//! ([`Identity::Moodle`]). So only submissions of that download can be matched; a folder or
//! a `<student_id>.zip` carries no participant id, and a student's name alone is not a
//! reliable key (two students may share one). Every column, the header and the row order
//! are written back as they were; only a matched row's `Grade` and `Feedback comments`
//! change.

use std::fmt::Write as _;

use anyhow::Context as _;

use crate::class::identity::Identity;
use crate::grading::report::{Report, Status, fmt_points};

/// One submission's result as a platform receives it.
#[derive(Debug, Clone, Copy)]
pub struct Graded<'a> {
    /// How the batch names it ([`crate::class::intake::Submission::name`]): `12345`,
    /// `Jane Doe_4242`.
    pub name: &'a str,
    /// Whose it is; a Moodle participant id finds its worksheet row.
    pub identity: &'a Identity,
    /// Its report, or why it was not graded (a refused archive, the grader's own failure).
    pub result: &'a Result<Report, String>,
}

/// `grades.csv`: a header `identity,score,max_score`, then one row per submission of
/// `results`: its name, its score, and the checklist's maximum `max_score`. The score is
/// empty for a submission not graded (why is in `results.csv` and `summary.md`).
pub fn grades_csv(results: &[Graded<'_>], max_score: f64) -> String {
    let mut writer = csv_writer();
    write_record(&mut writer, ["identity", "score", "max_score"]);
    for graded in results {
        let score = match graded.result {
            Ok(report) => fmt_points(report.score),
            Err(_) => String::new(),
        };
        write_record(
            &mut writer,
            [graded.name, score.as_str(), fmt_points(max_score).as_str()],
        );
    }
    into_text(writer)
}

/// Moodle's offline grading worksheet as downloaded: its header and rows, kept whole, and
/// where the three columns the grader fills are.
#[derive(Debug, Clone)]
pub struct MoodleWorksheet {
    /// Whether the file began with a UTF-8 byte order mark (written back if so).
    bom: bool,
    header: csv::StringRecord,
    rows: Vec<csv::StringRecord>,
    /// Indexes of the `Identifier`, `Grade` and `Feedback comments` columns.
    identifier: usize,
    grade: usize,
    feedback: usize,
}

/// What filling a worksheet did, for the batch's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filled {
    /// The worksheet with the grades and feedback written in (CSV, UTF-8).
    pub text: String,
    /// Rows given a grade.
    pub graded: usize,
    /// Rows left without a grade, with why in their feedback.
    pub not_graded: usize,
    /// Submissions no row matched (a name without a participant id, or a participant not
    /// in the worksheet), as the batch names them: to grade by hand on Moodle.
    pub unmatched: Vec<String>,
}

/// The columns the grader needs, by their header in Moodle's English interface.
const IDENTIFIER: &str = "Identifier";
const GRADE: &str = "Grade";
const FEEDBACK: &str = "Feedback comments";

/// How Moodle writes a participant in the `Identifier` column: `Participant 4242`.
const PARTICIPANT: &str = "Participant ";

impl MoodleWorksheet {
    /// Reads the worksheet at `path` ([`MoodleWorksheet::parse`]).
    ///
    /// Errors: the file cannot be read, or as [`MoodleWorksheet::parse`], prefixed by the
    /// path.
    pub fn read(path: &std::path::Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the worksheet {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("{}", path.display()))
    }

    /// Parses a worksheet's CSV text.
    ///
    /// Errors: malformed CSV (a row with another number of fields than the header, named
    /// by its line), or no `Identifier`, `Grade` or `Feedback comments` column (the
    /// assignment's feedback comments are off, or the worksheet is not in English).
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let (bom, text) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = reader.headers().context("not a CSV file")?.clone();
        let column = |name: &str| {
            header.iter().position(|h| h == name).with_context(|| {
                format!(
                    "no `{name}` column: download the worksheet with Moodle in English, and \
                     with feedback comments on in the assignment's settings"
                )
            })
        };
        let (identifier, grade, feedback) =
            (column(IDENTIFIER)?, column(GRADE)?, column(FEEDBACK)?);
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .context("not a well-formed CSV file")?;
        Ok(Self {
            bom,
            header,
            rows,
            identifier,
            grade,
            feedback,
        })
    }

    /// The worksheet with `results` written in, each matched to its row by the Moodle
    /// participant id: a graded submission's row gets its score as the grade and its
    /// deductions as the feedback ([`feedback`]); a submission not graded gets an empty
    /// grade and the reason as the feedback. Rows no result matches (students who
    /// submitted nothing) are written back as they were.
    pub fn fill(&self, results: &[Graded<'_>]) -> Filled {
        let mut filled = Filled::default();
        let mut rows = self.rows.clone();
        for graded in results {
            let row = match graded.identity {
                Identity::Moodle { participant_id, .. } => rows.iter_mut().find(|row| {
                    row.get(self.identifier)
                        .and_then(|cell| cell.strip_prefix(PARTICIPANT))
                        == Some(participant_id.as_str())
                }),
                Identity::Named(_) => None,
            };
            let Some(row) = row else {
                filled.unmatched.push(graded.name.to_owned());
                continue;
            };
            let (grade, comments) = match graded.result {
                Ok(report) => {
                    filled.graded += 1;
                    (fmt_points(report.score), feedback(report))
                }
                Err(why) => {
                    filled.not_graded += 1;
                    (
                        String::new(),
                        format!(
                            "<p>Not graded by the automatic grader: {}. Your instructor \
                             will grade this submission.</p>",
                            html_escape(why)
                        ),
                    )
                }
            };
            *row = self.replaced(row, &grade, &comments);
        }
        let mut writer = csv_writer();
        write_record(&mut writer, &self.header);
        for row in &rows {
            write_record(&mut writer, row);
        }
        let text = into_text(writer);
        filled.text = if self.bom {
            format!("\u{feff}{text}")
        } else {
            text
        };
        filled
    }

    /// `row` with its grade and feedback cells replaced.
    fn replaced(&self, row: &csv::StringRecord, grade: &str, feedback: &str) -> csv::StringRecord {
        row.iter()
            .enumerate()
            .map(|(i, cell)| match i {
                i if i == self.grade => grade,
                i if i == self.feedback => feedback,
                _ => cell,
            })
            .collect()
    }
}

/// A report as Moodle feedback, in the simple HTML Moodle's feedback comments hold: the
/// score and the checklist, every deduction with its item's title and points, then the
/// items the grader could not judge (no deduction).
pub fn feedback(report: &Report) -> String {
    let mut out = format!(
        "<p>{}: {} / {}</p>",
        html_escape(&report.lab),
        fmt_points(report.score),
        fmt_points(report.max_score)
    );
    let failed: Vec<_> = report
        .items
        .iter()
        .filter(|item| matches!(item.status, Status::Failed(_)))
        .collect();
    if failed.is_empty() {
        out.push_str("<p>No deductions.</p>");
    } else {
        out.push_str("<p>Deductions:</p><ul>");
        for item in failed {
            let _ = write!(
                out,
                "<li>{} ({}): {} points</li>",
                html_escape(&item.title),
                html_escape(&item.id),
                fmt_points(item.points)
            );
        }
        out.push_str("</ul>");
    }
    let unjudged: Vec<String> = report
        .items
        .iter()
        .filter(|item| item.status == Status::NotAssessed)
        .map(|item| html_escape(&item.title))
        .collect();
    if !unjudged.is_empty() {
        let _ = write!(
            out,
            "<p>Not assessed by the grader, no deduction (your instructor decides): {}.</p>",
            unjudged.join("; ")
        );
    }
    out
}

/// `text` safe inside HTML: `&`, `<`, `>` and `"` escaped.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A CSV writer into memory, quoting only the fields that need it, lines ending in `\n`
/// (as Moodle's own export writes them).
fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// Writes one record. Writing into memory cannot fail, and every record of one file has
/// the header's length.
fn write_record<I, T>(writer: &mut csv::Writer<Vec<u8>>, record: I)
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    writer
        .write_record(record)
        .expect("a CSV record written into memory");
}

/// The text written: UTF-8, since every field came from a `&str`.
fn into_text(writer: csv::Writer<Vec<u8>>) -> String {
    let bytes = writer
        .into_inner()
        .expect("a CSV writer into memory flushes");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}
