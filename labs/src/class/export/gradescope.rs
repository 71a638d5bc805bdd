//! Gradescope's autograder: `autograder.zip` and the `results.json` it writes.
//!
//! The contract, from Gradescope's "Autograder Specifications"
//! (<https://gradescope-autograders.readthedocs.io/en/latest/specs/>): the zip holds
//! `setup.sh` and `run_autograder` at its root; Gradescope unpacks it into
//! `/autograder/source`, runs `setup.sh` once as root while building the image (Ubuntu
//! 22.04 by default), copies `run_autograder` to `/autograder/run_autograder`, and for each
//! submission runs it in `/autograder` with the student's files in
//! `/autograder/submission`. It must leave `/autograder/results/results.json`; its standard
//! output goes to `/autograder/results/stdout`, which only instructors see.
//!
//! A run that leaves no valid `results.json` is shown as "The autograder failed to execute
//! correctly" (the documentation's "Troubleshooting"), with no score: that is what an
//! infrastructure error of the grader becomes here, never a zero.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;

use super::{Settings, glibc, shell_words};
use crate::grading::engine::Lab;
use crate::grading::report::{Report, Status};

/// The file `labs export gradescope` writes into its output folder.
pub const ZIP_NAME: &str = "autograder.zip";

/// When students see a test (Gradescope's `visibility` field, spelt as Gradescope spells it
/// on the command line too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Never (only instructors).
    Hidden,
    /// After the due date (the late due date when late submissions are allowed).
    #[value(name = "after_due_date")]
    AfterDueDate,
    /// Once the instructor publishes the grades.
    #[value(name = "after_published")]
    AfterPublished,
    /// At once (Gradescope's default).
    #[default]
    Visible,
}

impl Visibility {
    /// The field's value: `hidden`, `after_due_date`, `after_published`, `visible`.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Hidden => "hidden",
            Visibility::AfterDueDate => "after_due_date",
            Visibility::AfterPublished => "after_published",
            Visibility::Visible => "visible",
        }
    }
}

/// One test of `results.json`, in the documented fields.
#[derive(Serialize)]
struct Test {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    output: String,
    tags: Vec<String>,
    visibility: Visibility,
}

/// The whole `results.json`.
#[derive(Serialize)]
struct Results {
    score: f64,
    execution_time: u64,
    output: String,
    visibility: Visibility,
    tests: Vec<Test>,
    extra_data: serde_json::Value,
}

/// Gradescope's `results.json` for `report`.
///
/// - `score` is the report's (the checklist's maximum less the failed items' deductions,
///   never below 0); Gradescope takes it over the tests' sum, as the specification says.
///   The assignment's points, set on Gradescope, should be the checklist's `max_score`.
/// - One test per item, named `id: title`, worth the item's points (`max_score` is
///   |points|): a passed item scores them with status `passed`, a failed one 0 with status
///   `failed` and its fault and deduction leading the output. An item the grader did not
///   assess deducts nothing and is not a pass either, so it is informational: no score, no
///   status, and its output says why.
/// - `output` is the evidence (plain text, Gradescope's default test output format);
///   `tags` hold the status (`passed`, `failed`, `not-assessed`) and the fault.
/// - `visibility` is `visibility`, for every test and the whole result.
/// - `extra_data` is the whole JSON report (`labs grade --format json`), kept by Gradescope
///   for the instructor.
pub fn results(report: &Report, visibility: Visibility) -> String {
    let tests = report
        .items
        .iter()
        .map(|item| {
            let max = item.points.abs();
            let mut test = Test {
                name: format!("{}: {}", item.id, item.title),
                score: Some(max),
                max_score: Some(max),
                status: Some("passed"),
                output: item.evidence.clone(),
                tags: vec!["passed".to_owned()],
                visibility,
            };
            match item.status {
                Status::Passed => {}
                Status::Failed(fault) => {
                    test.score = Some(0.0);
                    test.status = Some("failed");
                    test.output = format!(
                        "{}\n{}",
                        super::failed_note(fault, item.points),
                        item.evidence
                    );
                    test.tags = vec!["failed".to_owned(), fault.name().replace(' ', "-")];
                }
                Status::NotAssessed => {
                    test.score = None;
                    test.max_score = None;
                    test.status = None;
                    test.output = format!(
                        "{}\n{}",
                        super::not_assessed_note(item.points),
                        item.evidence
                    );
                    test.tags = vec!["not-assessed".to_owned()];
                }
            }
            test
        })
        .collect();
    let results = Results {
        score: report.score,
        execution_time: report.seconds.round() as u64,
        // The top-level output is rendered as HTML ("simple_format"), so it is escaped.
        output: html_escape(&format!(
            "{}\nGraded by labs ({}).",
            super::score_line(report),
            report.isolation
        )),
        visibility,
        tests,
        extra_data: serde_json::to_value(report).expect("a report always serialises"),
    };
    serde_json::to_string_pretty(&results).expect("results always serialise")
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `setup.sh`: installs, as root on Gradescope's Ubuntu 22.04 image, what the lab's grading
/// needs of the machine and nothing else: Python 3 with pip and the lab's packages, and
/// iproute2 (`ip`, for the network namespace of each grading).
pub fn setup_sh(lab: &Lab) -> String {
    let pip = super::pip_install(lab).map_or_else(String::new, |pip| pip + "\n");
    format!(
        "#!/usr/bin/env bash\n\
         # Written by `labs export gradescope {lab}`. Gradescope runs it once, as root, when it\n\
         # builds the autograder's image (Ubuntu 22.04). The grader and the reference binaries\n\
         # come prebuilt in bin/, so nothing is compiled here.\n\
         set -euo pipefail\n\
         export DEBIAN_FRONTEND=noninteractive\n\
         apt-get update -qq\n\
         # python3 runs the submissions and the grader's helpers; iproute2's `ip` brings up the\n\
         # loopback of each grading's network namespace.\n\
         apt-get install -y -qq --no-install-recommends python3 python3-pip iproute2\n\
         {pip}",
        lab = lab.name
    )
}

/// `run_autograder`: grades `/autograder/submission` with `labs grade` and the export's
/// settings, writing `/autograder/results/results.json`. The Python that runs the
/// submission is `$PYTHON`, else `python3` from `PATH`. On an infrastructure error (or any
/// failure of `labs`) it writes no `results.json` and exits with labs' status, so Gradescope
/// reports a failed run instead of a score.
pub fn run_autograder(lab: &Lab, settings: &Settings, visibility: Visibility) -> String {
    let mut grade = vec![
        "--format".to_owned(),
        "gradescope".to_owned(),
        "--visibility".to_owned(),
        visibility.as_str().to_owned(),
    ];
    grade.extend(settings.grade_args(&format!("/autograder/source/{}", super::CHECKLIST_FILE)));
    format!(
        r#"#!/usr/bin/env bash
# Written by `labs export gradescope {lab}`. Gradescope runs it for each submission, as root,
# in /autograder: the submission is in /autograder/submission, this zip's files in
# /autograder/source, and the results go to /autograder/results/results.json. Everything
# printed here reaches only the instructors (/autograder/results/stdout).
set -u
exec 2>&1
bin=/autograder/source/bin
results=/autograder/results
submission=/autograder/submission
chmod +x "$bin"/*
mkdir -p "$results"
rm -f "$results/results.json"
# A student who uploads a zip of their folder hands in one folder: grade what is inside it.
shopt -s nullglob
python_files=("$submission"/*.py)
folders=("$submission"/*/)
if [ ${{#python_files[@]}} -eq 0 ] && [ ${{#folders[@]}} -eq 1 ]; then
  submission=${{folders[0]%/}}
fi
# The submission's Python is $PYTHON, else python3 from PATH.
"$bin/labs" grade {lab} "$submission" --reference-bin-dir "$bin" \
  --output "$results/results.json" {grade}
status=$?
if [ "$status" -ne 0 ]; then
  # Exit status 2 is an infrastructure error of the grader (its Python lacks a package, a
  # binary does not run, ...), never the student's: no results.json, so Gradescope shows
  # "The autograder failed to execute correctly" rather than a score.
  rm -f "$results/results.json"
  echo "labs grade stopped with status $status; no score was written (see the error above)"
fi
exit "$status"
"#,
        lab = lab.name,
        grade = shell_words(&grade),
    )
}

/// Writes `out_dir/autograder.zip` for `lab`: `setup.sh`, `run_autograder`, `bin/` with
/// `labs` and the lab's reference binaries from `bin_dir` (default: beside the running
/// executable), and the instructor's checklist if the settings name one. Returns the zip's
/// path.
///
/// Errors: bad settings (an unknown `--only` item), a binary missing or needing a glibc
/// newer than Ubuntu 22.04's 2.35 (the message says how to build them), or the zip cannot
/// be written. Nothing is left behind on error.
pub fn export(
    lab: &Lab,
    bin_dir: Option<&Path>,
    settings: &Settings,
    visibility: Visibility,
    out_dir: &Path,
) -> anyhow::Result<PathBuf> {
    settings.check(lab)?;
    let checklist = settings.checklist_text()?;
    let binaries = super::binaries(lab, bin_dir, glibc::UBUNTU_22_04)?;
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let zip_path = out_dir.join(ZIP_NAME);
    let file = |mode| {
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(mode)
    };
    // Written whole or not at all: an interrupted export leaves no half zip to upload.
    common::fs::write_atomically_with(&zip_path, |out| -> anyhow::Result<()> {
        let mut zip = zip::ZipWriter::new(out);
        zip.start_file("setup.sh", file(0o755))?;
        zip.write_all(setup_sh(lab).as_bytes())?;
        zip.start_file("run_autograder", file(0o755))?;
        zip.write_all(run_autograder(lab, settings, visibility).as_bytes())?;
        if let Some(text) = &checklist {
            zip.start_file(super::CHECKLIST_FILE, file(0o644))?;
            zip.write_all(text.as_bytes())?;
        }
        for binary in &binaries {
            zip.start_file(format!("bin/{}", binary.name), file(0o755))?;
            let mut source = std::fs::File::open(&binary.path)
                .with_context(|| format!("cannot read {}", binary.path.display()))?;
            std::io::copy(&mut source, &mut zip)?;
        }
        zip.finish()?;
        Ok(())
    })
    .with_context(|| format!("cannot write {}", zip_path.display()))?;
    Ok(zip_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passed_failed_and_not_assessed_items_as_gradescope_shows_them() {
        let text = results(
            &super::super::tests::sample_report(),
            Visibility::AfterDueDate,
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["score"], 0.0);
        assert_eq!(json["visibility"], "after_due_date");
        assert!(
            json.get("max_score").is_none(),
            "not a documented top-level field"
        );
        let output = json["output"].as_str().unwrap();
        assert!(output.contains("host network: &lt;none&gt;"), "{output}");
        let tests = json["tests"].as_array().unwrap();
        let fields = |i: usize| {
            let t = &tests[i];
            (
                t["score"].as_f64(),
                t["max_score"].as_f64(),
                t["status"].as_str(),
            )
        };
        assert_eq!(fields(0), (Some(10.0), Some(10.0), Some("passed")));
        assert_eq!(fields(1), (Some(0.0), Some(10.0), Some("failed")));
        assert_eq!(fields(2), (None, None, None), "informational");
        assert!(
            tests[1]["output"]
                .as_str()
                .unwrap()
                .starts_with("Failed (source): -10 points.\nAnnaSmirnova_client.py")
        );
        assert_eq!(tests[1]["tags"], serde_json::json!(["failed", "source"]));
        assert!(tests.iter().all(|t| t["visibility"] == "after_due_date"));
        assert_eq!(json["extra_data"]["items"][1]["status"], "failed");
    }
}
