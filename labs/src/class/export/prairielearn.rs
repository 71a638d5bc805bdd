//! PrairieLearn's external grader: a question and the course files that grade it, and the
//! `results.json` it writes.
//!
//! The contract, from PrairieLearn's "External Grading" documentation
//! (<https://prairielearn.readthedocs.io/en/latest/externalGrading/>): a question's
//! `info.json` sets `"gradingMethod": "External"` and `externalGradingOptions` (`image`,
//! `entrypoint`, `serverFilesCourse`, `timeout` in seconds). For each submission
//! PrairieLearn starts the image with no network, copies the listed `serverFilesCourse/`
//! entries to `/grade/serverFilesCourse/`, the question's `tests/` to `/grade/tests/` and
//! the student's files to `/grade/student/`, makes the entry point executable and runs it.
//! The entry point must write `/grade/results/results.json` (creating the folder): `score`
//! in [0, 1], optional `tests[]` with `name`, `description`, `points`, `max_points`,
//! `message`, `output`; `"gradable": false` marks the submission "invalid, not gradable":
//! no points won or lost and no attempt used. PrairieLearn's grader host reads
//! `results.json` only when the entry point exits with status 0.
//!
//! So an infrastructure error of the grader becomes `gradable: false` with a message and
//! exit status 0, never a zero score.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Serialize;

use super::{Settings, glibc};
use crate::grading::engine::Lab;
use crate::grading::report::{Report, Status};

/// The folder of `serverFilesCourse/` the export fills: `bin/` and the entry point.
pub const SERVER_FILES: &str = "labs";

/// The entry point, as the container sees it.
pub const ENTRYPOINT: &str = "/grade/serverFilesCourse/labs/grade";

/// The file of the question's `tests/` holding its `labs grade` arguments.
pub const ARGS_FILE: &str = "labs-grade.args";

/// Where the export writes a question's files, inside its output folder:
/// `questions/labs-LAB` (its `info.json`, `question.html` and `tests/`).
pub fn question_dir(out_dir: &Path, lab: &Lab) -> PathBuf {
    out_dir.join("questions").join(format!("labs-{}", lab.name))
}

/// One test of `results.json`.
#[derive(Serialize)]
struct Test {
    name: String,
    description: String,
    points: f64,
    max_points: f64,
    message: String,
    output: String,
}

/// The `results.json` of a graded submission.
#[derive(Serialize)]
struct Graded {
    gradable: bool,
    score: f64,
    message: String,
    tests: Vec<Test>,
}

/// The `results.json` of a submission the grader could not grade.
#[derive(Serialize)]
struct NotGradable {
    gradable: bool,
    message: String,
}

/// PrairieLearn's `results.json` for `report`.
///
/// - `score` is the report's score over its maximum, in [0, 1] (the checklist's maximum
///   less the failed items' deductions, never below 0).
/// - One test per item, named `id: title`, described by the checklist's `checks`: a passed
///   item gets `points` = `max_points` = |points|, a failed one 0 of them, with its fault
///   and deduction as its `message`. An item the grader did not assess gets 0 of 0 points
///   (PrairieLearn shows such a test as information, not as a pass or a failure).
/// - `output` is the evidence.
pub fn results(report: &Report) -> String {
    let checklist = crate::catalog::lab(&report.lab)
        .ok()
        .map(|lab| lab.checklist());
    let tests = report
        .items
        .iter()
        .map(|item| {
            let max = item.points.abs();
            let (points, max_points, message) = match item.status {
                Status::Passed => (max, max, "Passed.".to_owned()),
                Status::Failed(fault) => (0.0, max, super::failed_note(fault, item.points)),
                Status::NotAssessed => (0.0, 0.0, super::not_assessed_note(item.points)),
            };
            Test {
                name: format!("{}: {}", item.id, item.title),
                description: checklist
                    .as_ref()
                    .and_then(|c| c.item(&item.id))
                    .map(|i| i.checks.clone())
                    .unwrap_or_default(),
                points,
                max_points,
                message,
                output: item.evidence.clone(),
            }
        })
        .collect();
    let score = if report.max_score > 0.0 {
        (report.score / report.max_score).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let graded = Graded {
        gradable: true,
        score,
        message: format!(
            "{} Graded by labs ({}).",
            super::score_line(report),
            report.isolation
        ),
        tests,
    };
    serde_json::to_string_pretty(&graded).expect("results always serialise")
}

/// The `results.json` the entry point writes when `labs grade` could not grade (an
/// infrastructure error, or labs did not run): not gradable, so the attempt neither scores
/// nor counts. The error itself is in the job's output, which course staff see.
pub fn not_gradable() -> String {
    let results = NotGradable {
        gradable: false,
        message: "The grader could not run: a fault of the course's grading setup, not of \
                  your submission, so this attempt is not counted. Course staff can see the \
                  grading log; submit again once they have fixed it."
            .to_owned(),
    };
    serde_json::to_string(&results).expect("results always serialise")
}

/// The entry point (`serverFilesCourse/labs/grade`): grades `/grade/student` with the
/// arguments of the question's `tests/labs-grade.args` and writes
/// `/grade/results/results.json`; when `labs grade` fails it writes [`not_gradable`]
/// instead. Exits 0 either way, since PrairieLearn reads results only then.
pub fn entrypoint() -> String {
    format!(
        r#"#!/usr/bin/env bash
# Written by `labs export prairielearn`. PrairieLearn runs it for each submission in the
# grading container: the student's files are in /grade/student, this folder in
# /grade/serverFilesCourse/{SERVER_FILES}, the question's tests/ in /grade/tests. Its output is the
# job's log, which course staff see.
set -u
exec 2>&1
bin=/grade/serverFilesCourse/{SERVER_FILES}/bin
results=/grade/results
chmod +x "$bin"/*
mkdir -p "$results"
rm -f "$results/results.json"
# The lab, then its `labs grade` options, one per line ('#' starts a comment line).
mapfile -t args < <(grep -v -e '^#' -e '^$' /grade/tests/{ARGS_FILE})
# The submission's Python is $PYTHON, else python3 from PATH.
"$bin/labs" grade "${{args[0]}}" /grade/student --reference-bin-dir "$bin" \
  --format prairielearn --output "$results/results.json" "${{args[@]:1}}"
status=$?
if [ "$status" -ne 0 ]; then
  # Exit status 2 is an infrastructure error of the grader, never the student's: the
  # submission is "not gradable" (no score, no attempt used) instead of a zero.
  echo "labs grade stopped with status $status; the submission is marked not gradable"
  cat > "$results/results.json" <<'JSON'
{not_gradable}
JSON
fi
# PrairieLearn reads results.json only after a zero exit status.
exit 0
"#,
        not_gradable = not_gradable()
    )
}

/// The question's `tests/labs-grade.args`: the lab and the settings, one argument a line.
pub fn args_file(lab: &Lab, settings: &Settings) -> String {
    let mut text = format!(
        "# `labs grade` arguments of this question, one per line: the lab, then its options.\n{}\n",
        lab.name
    );
    let packed = format!(
        "/grade/serverFilesCourse/{SERVER_FILES}/{}",
        super::CHECKLIST_FILE
    );
    for arg in settings.grade_args(&packed) {
        text.push_str(&arg);
        text.push('\n');
    }
    text
}

/// A question's `info.json`, in the documented fields and their usual order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Info<'a> {
    uuid: &'a str,
    title: String,
    topic: &'static str,
    tags: [&'static str; 2],
    #[serde(rename = "type")]
    kind: &'static str,
    single_variant: bool,
    grading_method: &'static str,
    external_grading_options: ExternalGradingOptions<'a>,
}

/// `externalGradingOptions`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalGradingOptions<'a> {
    image: &'a str,
    entrypoint: &'static str,
    server_files_course: [String; 1],
    timeout: u64,
}

/// The question's `info.json`, keeping `uuid` (a new question gets a fresh one).
pub fn info_json(lab: &Lab, image: &str, timeout: u64, uuid: &str) -> String {
    let info = Info {
        uuid,
        title: lab.checklist().title,
        topic: "Client/server concurrency labs",
        tags: ["labs", lab.name],
        kind: "v3",
        single_variant: true,
        grading_method: "External",
        external_grading_options: ExternalGradingOptions {
            image,
            entrypoint: ENTRYPOINT,
            server_files_course: [format!("{SERVER_FILES}/")],
            timeout,
        },
    };
    serde_json::to_string_pretty(&info).expect("info always serialises") + "\n"
}

/// The question's `question.html`: the upload (any Python files: the grader judges their
/// names, as the checklist says) and the grader's results.
pub fn question_html(lab: &Lab) -> String {
    let checklist = lab.checklist();
    let files: Vec<String> = checklist
        .submission
        .roles
        .iter()
        .map(|role| {
            if checklist.submission.naming == "NameSurname" {
                format!("<code>NameSurname_{role}.py</code>")
            } else {
                format!("<code>{role}.py</code>")
            }
        })
        .collect();
    format!(
        "<pl-question-panel>\n  <p>{}. Upload your Python files ({}); they are graded \
         against the lab's checklist (<code>labs show {} --checklist</code>).</p>\n  \
         <pl-file-upload optional-file-patterns=\"*.py\"></pl-file-upload>\n\
         </pl-question-panel>\n\n\
         <pl-submission-panel>\n  <pl-external-grader-results></pl-external-grader-results>\n  \
         <pl-file-preview></pl-file-preview>\n</pl-submission-panel>\n",
        checklist.title,
        files.join(", "),
        lab.name
    )
}

/// The grading image's `Dockerfile`: Ubuntu 22.04 (the glibc the binaries are checked
/// against), Python 3 with the lab's packages, and iproute2. The container has no network
/// while grading, so everything is installed here.
pub fn dockerfile(lab: &Lab) -> String {
    let pip = super::pip_install(lab).map_or_else(String::new, |pip| format!(" \\\n    && {pip}"));
    format!(
        "# The grading image of `labs export prairielearn {lab}`: Ubuntu 22.04, whose glibc (2.35)\n\
         # the binaries in serverFilesCourse/{SERVER_FILES}/bin are built for, Python 3 with the lab's\n\
         # packages, and iproute2. Build and push it under the name info.json gives:\n\
         #   docker build -t NAME image && docker push NAME\n\
         FROM ubuntu:22.04\n\
         RUN apt-get update \\\n    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\\n       \
         python3 python3-pip iproute2 \\\n    && rm -rf /var/lib/apt/lists/*{pip}\n",
        lab = lab.name
    )
}

/// Writes, into `out_dir`, what a PrairieLearn course needs to grade `lab` (laid out as the
/// course's own folders, to copy into it):
///
/// - `serverFilesCourse/labs/bin/`: `labs` and the lab's reference binaries (from
///   `bin_dir`, default beside the running executable), mounted at
///   `/grade/serverFilesCourse/labs/bin`;
/// - `serverFilesCourse/labs/grade`: the entry point ([`entrypoint`]);
/// - `serverFilesCourse/labs/checklist.toml`: the instructor's checklist, if the settings
///   name one;
/// - `questions/labs-LAB/`: `info.json` (image `image`, timeout `timeout` seconds),
///   `question.html`, and `tests/labs-grade.args` (mounted at `/grade/tests`);
/// - `image/Dockerfile`: the grading image ([`dockerfile`]).
///
/// Returns the question's folder.
///
/// Errors: bad settings, a binary missing or needing a glibc newer than 2.35 (the message
/// says how to build them), a timeout of 0, or a file that cannot be written.
pub fn export(
    lab: &Lab,
    bin_dir: Option<&Path>,
    settings: &Settings,
    image: &str,
    timeout: u64,
    out_dir: &Path,
) -> anyhow::Result<PathBuf> {
    settings.check(lab)?;
    let checklist = settings.checklist_text()?;
    anyhow::ensure!(timeout > 0, "--timeout must be at least 1 second");
    anyhow::ensure!(!image.trim().is_empty(), "--image must name a Docker image");
    let binaries = super::binaries(lab, bin_dir, glibc::UBUNTU_22_04)?;
    let server_files = out_dir.join("serverFilesCourse").join(SERVER_FILES);
    let bin = server_files.join("bin");
    let question = question_dir(out_dir, lab);
    let tests = question.join("tests");
    let image_dir = out_dir.join("image");
    for dir in [&bin, &tests, &image_dir] {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    for binary in &binaries {
        let to = bin.join(&binary.name);
        std::fs::copy(&binary.path, &to).with_context(|| {
            format!("cannot copy {} to {}", binary.path.display(), to.display())
        })?;
        set_mode(&to, 0o755)?;
    }
    if let Some(text) = &checklist {
        write(&server_files.join(super::CHECKLIST_FILE), text)?;
    }
    let entry = server_files.join("grade");
    write(&entry, &entrypoint())?;
    set_mode(&entry, 0o755)?;
    let info_path = question.join("info.json");
    let uuid = existing_uuid(&info_path).map_or_else(new_uuid, Ok)?;
    write(&info_path, &info_json(lab, image, timeout, &uuid))?;
    write(&question.join("question.html"), &question_html(lab))?;
    write(&tests.join(ARGS_FILE), &args_file(lab, settings))?;
    write(&image_dir.join("Dockerfile"), &dockerfile(lab))?;
    Ok(question)
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    common::fs::write_atomically(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn set_mode(path: &Path, mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("cannot make {} executable", path.display()))
}

/// The `uuid` of an `info.json` written before, so a re-export stays the same question.
fn existing_uuid(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let info: serde_json::Value = serde_json::from_str(&text).ok()?;
    info["uuid"].as_str().map(str::to_owned)
}

/// A random (version 4) UUID, from the kernel.
fn new_uuid() -> anyhow::Result<String> {
    let uuid = std::fs::read_to_string("/proc/sys/kernel/random/uuid")
        .context("cannot read a UUID from /proc/sys/kernel/random/uuid")?;
    Ok(uuid.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_is_a_fraction_and_an_item_not_assessed_is_worth_nothing() {
        let text = results(&super::super::tests::sample_report());
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (json["gradable"].as_bool(), json["score"].as_f64()),
            (Some(true), Some(0.0))
        );
        let tests = json["tests"].as_array().unwrap();
        let points = |i: usize| (tests[i]["points"].as_f64(), tests[i]["max_points"].as_f64());
        assert_eq!(points(0), (Some(10.0), Some(10.0)));
        assert_eq!(points(1), (Some(0.0), Some(10.0)));
        assert_eq!(points(2), (Some(0.0), Some(0.0)));
        assert!(
            tests[1]["description"]
                .as_str()
                .unwrap()
                .contains("concurrent.futures")
        );
        let not_gradable: serde_json::Value = serde_json::from_str(&not_gradable()).unwrap();
        assert_eq!(not_gradable["gradable"], false);
        assert!(not_gradable.get("score").is_none());
    }
}
