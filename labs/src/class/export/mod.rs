//! `labs export`: the grader packaged for the platforms that grade a class one container
//! per submission, spread over many machines: Gradescope's autograder ([`gradescope`]) and
//! PrairieLearn's external grader ([`prairielearn`]).
//!
//! Both packages carry the `labs` binary and the lab's reference binaries, prebuilt, so
//! nothing is compiled on the platform; each binary is checked to run on the platform's
//! glibc ([`glibc`]). Their entry point runs `labs grade` on the submission with the
//! [`Settings`] chosen at export time, and turns an infrastructure error of the grader
//! (exit status 2, [`crate::grading::preflight`]) into the platform's "not graded", never a zero.

pub mod glibc;
pub mod gradescope;
pub mod prairielearn;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::grading::engine::Lab;
use glibc::GlibcVersion;

/// The `labs grade` options an exported grader runs with, chosen at export time (also the
/// command line's `labs export` flags, with `labs grade`'s defaults).
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Client count (frames, lists) of each grading instead of the handout's.
    #[arg(long, alias = "frames", alias = "lists")]
    pub count: Option<usize>,
    /// Only these items (comma-separated ids; all when empty).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Back-to-back pairs of runs (the given client's and the student's) for the timing
    /// items, k; when they disagree on an item, k - 1 more and the median of all decides.
    #[arg(long, default_value_t = crate::grading::options::DEFAULT_TIMING_RUNS)]
    pub timing_runs: usize,
    /// Seconds to wait, before each timing pair, for the cores to be free.
    #[arg(long, default_value_t = crate::grading::options::DEFAULT_TIMING_WAIT_SECS)]
    pub timing_wait: u64,
    /// Seconds any one step (a client run, a server start) may take.
    #[arg(long, default_value_t = 120)]
    pub step_timeout: u64,
    /// The instructor's checklist (as `labs grade --checklist`): checked now, packed into
    /// the export as [`CHECKLIST_FILE`], and every grading there grades by it.
    #[arg(long, value_name = "FILE")]
    pub checklist: Option<PathBuf>,
}

/// The name of the instructor's checklist ([`Settings::checklist`]) inside an export.
pub const CHECKLIST_FILE: &str = "checklist.toml";

impl Default for Settings {
    /// `labs grade`'s own defaults: the handout's count, every item, 3 timing pairs, 120 s
    /// waits.
    fn default() -> Self {
        Self {
            count: None,
            only: Vec::new(),
            timing_runs: crate::grading::options::DEFAULT_TIMING_RUNS,
            timing_wait: crate::grading::options::DEFAULT_TIMING_WAIT_SECS,
            step_timeout: 120,
            checklist: None,
        }
    }
}

impl Settings {
    /// The settings as `labs grade` arguments, e.g. `--count 5 --only runs,pep8
    /// --timing-runs 20 --timing-wait 120 --step-timeout 120`, and `--checklist
    /// PACKED` when there is an instructor's checklist, `packed` being where the platform
    /// finds the copy the export packed.
    pub fn grade_args(&self, packed: &str) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(count) = self.count {
            args.extend(["--count".to_owned(), count.to_string()]);
        }
        if !self.only.is_empty() {
            args.extend(["--only".to_owned(), self.only.join(",")]);
        }
        args.extend([
            "--timing-runs".to_owned(),
            self.timing_runs.to_string(),
            "--timing-wait".to_owned(),
            self.timing_wait.to_string(),
            "--step-timeout".to_owned(),
            self.step_timeout.to_string(),
        ]);
        if self.checklist.is_some() {
            args.extend(["--checklist".to_owned(), packed.to_owned()]);
        }
        args
    }

    /// The instructor's checklist's text, to pack; `None` without one.
    ///
    /// Errors: the file cannot be read.
    pub fn checklist_text(&self) -> anyhow::Result<Option<String>> {
        self.checklist
            .as_deref()
            .map(|path| {
                std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read the checklist {}", path.display()))
            })
            .transpose()
    }

    /// Errors: an instructor's checklist that `labs grade --checklist` would refuse
    /// ([`crate::grading::instructor::read`]), an `only` id that is not an item of the
    /// checklist, or a zero count.
    pub fn check(&self, lab: &Lab) -> anyhow::Result<()> {
        let checklist = match &self.checklist {
            Some(path) => crate::grading::instructor::read(lab, path)?,
            None => lab.checklist(),
        };
        checklist.ensure_items(&self.only)?;
        anyhow::ensure!(self.count != Some(0), "--count must be at least 1");
        Ok(())
    }
}

/// A binary an export carries: its file name and where it was found.
#[derive(Debug, Clone)]
pub struct Binary {
    /// File name, e.g. `numbers-server`.
    pub name: String,
    /// Where it is on this machine.
    pub path: PathBuf,
}

/// The binaries `lab`'s grading needs on the platform: `labs` and the lab's reference
/// binaries (each once), from `bin_dir`, else from the folder of the running executable.
/// Each is checked to run on `max` glibc.
///
/// Errors: a binary is missing, is not an x86-64 ELF, or needs a newer glibc; the message
/// says how to build them all with cargo-zigbuild.
pub fn binaries(
    lab: &Lab,
    bin_dir: Option<&Path>,
    max: GlibcVersion,
) -> anyhow::Result<Vec<Binary>> {
    let dir = match bin_dir {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_exe()
            .context("cannot find the running executable")?
            .parent()
            .context("the running executable has no folder")?
            .to_path_buf(),
    };
    let mut names = vec!["labs"];
    for role in lab.reference {
        if !names.contains(&role.binary) {
            names.push(role.binary);
        }
    }
    let hint = build_hint(&names, max);
    let mut binaries = Vec::new();
    for name in names {
        let path = dir.join(name);
        anyhow::ensure!(
            path.is_file(),
            "{name} not found in {} (pass --bin-dir); {hint}",
            dir.display()
        );
        glibc::check(&path, max).with_context(|| hint.clone())?;
        binaries.push(Binary {
            name: name.to_owned(),
            path,
        });
    }
    Ok(binaries)
}

/// How both platforms word a failed item: `Failed (wrong answer): -5 points.`
fn failed_note(fault: crate::grading::report::Fault, points: f64) -> String {
    format!(
        "Failed ({}): {} points.",
        fault.name(),
        crate::grading::report::fmt_points(points)
    )
}

/// How both platforms word an item that was not assessed (it costs nothing).
fn not_assessed_note(points: f64) -> String {
    format!(
        "Not assessed, no deduction ({} points if it had failed; the instructor decides).",
        crate::grading::report::fmt_points(points)
    )
}

/// The grade's first line on both platforms: `numbers: 9 / 10 (...)`.
fn score_line(report: &crate::grading::report::Report) -> String {
    format!(
        "{}: {} / {} (the maximum less the failed items' deductions, never below 0).",
        report.lab,
        crate::grading::report::fmt_points(report.score),
        crate::grading::report::fmt_points(report.max_score)
    )
}

/// How to build `names` for glibc `max`, for error messages.
fn build_hint(names: &[&str], max: GlibcVersion) -> String {
    let bins: Vec<String> = names.iter().map(|name| format!("--bin {name}")).collect();
    format!(
        "build them for glibc {max} with cargo-zigbuild (`pip install ziglang` and `cargo \
         install --locked cargo-zigbuild`, once), from the workspace's root: `cargo zigbuild \
         --release --target x86_64-unknown-linux-gnu.{max} {}`, then pass --bin-dir \
         target/x86_64-unknown-linux-gnu/release",
        bins.join(" ")
    )
}

/// The PyPI packages the lab's grading needs of the platform's Python (Pillow,
/// pycodestyle, ...), see [`crate::grading::preflight::needed_modules`].
pub fn python_packages(lab: &Lab) -> Vec<String> {
    let mut packages: Vec<String> = crate::grading::preflight::needed_modules(&lab.checklist())
        .into_iter()
        .map(|(_, package)| package)
        .collect();
    packages.sort();
    packages.dedup();
    packages
}

/// The shell command that installs [`python_packages`] into the platform's `python3`, or
/// `None` when the lab needs none.
pub fn pip_install(lab: &Lab) -> Option<String> {
    let packages = python_packages(lab);
    (!packages.is_empty()).then(|| {
        format!(
            "python3 -m pip install --no-cache-dir {}",
            shell_words(&packages)
        )
    })
}

/// `words` as one POSIX shell command line, each word quoted when it needs it.
pub(crate) fn shell_words<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|word| {
            let word = word.as_ref();
            let plain = !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c));
            if plain {
                word.to_owned()
            } else {
                format!("'{}'", word.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A numbers report with one item passed, one failed and one not assessed, for the
    /// results writers' tests.
    pub(crate) fn sample_report() -> crate::grading::report::Report {
        use crate::grading::report::{Fault, ItemResult, Report, Verdict};
        let checklist = crate::catalog::lab("numbers").unwrap().checklist();
        let item = |id: &str, verdict| ItemResult::new(checklist.item(id).unwrap(), verdict);
        let items = vec![
            item("file-names", Verdict::pass("found client and server")),
            item(
                "no-concurrent-futures",
                Verdict::fail(
                    Fault::Source,
                    "AnnaSmirnova_client.py imports concurrent.futures",
                ),
            ),
            item("original-work", Verdict::not_assessed("judged by a person")),
        ];
        Report::new(
            &checklist,
            "sub".into(),
            "host network: <none>".into(),
            1.4,
            items,
        )
    }

    #[test]
    fn settings_become_grade_arguments() {
        let settings = Settings {
            count: Some(5),
            only: vec!["runs".into(), "pep8".into()],
            ..Settings::default()
        };
        assert_eq!(
            settings.grade_args("/x/checklist.toml").join(" "),
            "--count 5 --only runs,pep8 --timing-runs 20 --timing-wait 120 --step-timeout 120"
        );
        let packed = Settings {
            checklist: Some("mine.toml".into()),
            ..settings.clone()
        };
        assert!(
            packed
                .grade_args("/x/checklist.toml")
                .join(" ")
                .ends_with("--step-timeout 120 --checklist /x/checklist.toml")
        );
        let numbers = crate::catalog::lab("numbers").unwrap();
        assert!(settings.check(&numbers).is_ok());
        let wrong = Settings {
            only: vec!["no-such-item".into()],
            ..Settings::default()
        };
        assert!(wrong.check(&numbers).is_err());
    }

    #[test]
    fn shell_words_quote_what_needs_it() {
        assert_eq!(
            shell_words(&["labs", "--only", "a,b", "it's here", ""]),
            r"labs --only a,b 'it'\''s here' ''"
        );
    }

    #[test]
    fn a_lab_needs_labs_and_its_reference_binaries() {
        let dir = tempfile::tempdir().unwrap();
        let numbers = crate::catalog::lab("numbers").unwrap();
        let err = binaries(&numbers, Some(dir.path()), glibc::UBUNTU_22_04).unwrap_err();
        let message = format!("{err:#}");
        assert!(
            message.contains("labs not found")
                && message.contains(
                    "cargo zigbuild --release --target x86_64-unknown-linux-gnu.2.35 --bin labs --bin numbers-server --bin numbers-client"
                ),
            "{message}"
        );
        assert_eq!(python_packages(&numbers), ["pycodestyle"]);
        let frames = crate::catalog::lab("frames").unwrap();
        assert_eq!(python_packages(&frames), ["Pillow", "pycodestyle"]);
    }
}
