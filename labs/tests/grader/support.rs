//! Shared helpers: fixture paths, the reference binaries, grading options sized for CI.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use labs::GradeOptions;
use labs::grading::report::{Fault, Report, Status};

/// The submission of fixture `case` of `lab`, as a folder to grade.
///
/// Each mistake is one change to a good submission, so `tests/fixtures/<lab>/<case>/` holds
/// only what differs from `tests/fixtures/<lab>/good/`: whole files where the mistake is a
/// different program, and otherwise a `mistake.toml` of literal edits to the good files
/// ([`Changes`]). This copies the good files, lays the case's files over them and applies
/// the edits, once per test run, under cargo's temporary folder for integration tests.
/// (Whole submissions, as a student hands them in, are what the grader sees; the
/// repository keeps each shared line once.)
pub fn fixture(lab: &str, case: &str) -> PathBuf {
    assemble("fixtures", "good", "mistake.toml", lab, case)
}

/// The submission of calibration case `case` of `lab` (`tests/corpus/<lab>/<case>/`): the
/// corpus's `base/` submission with the case's `case.toml` applied ([`Changes`]), most often
/// the course's given client copied in and edited as students edit it.
pub fn corpus_case(lab: &str, case: &str) -> PathBuf {
    assemble("corpus", "base", CASE, lab, case)
}

/// The file of a corpus case that says how it is made and what a teaching assistant gives it.
pub const CASE: &str = "case.toml";

/// Builds `<root>/<lab>/<base>` + `<root>/<lab>/<case>` into a folder once per test run.
/// Tests run on several threads: one assembles at a time, and each case once.
fn assemble(root: &str, base: &str, changes: &str, lab: &str, case: &str) -> PathBuf {
    static MADE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    assemble_into(&mut made, root, base, changes, lab, case)
}

fn assemble_into(
    made: &mut Vec<PathBuf>,
    root: &str,
    base: &str,
    changes: &str,
    lab: &str,
    case: &str,
) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(root)
        .join(lab);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("labs-{root}-{}", std::process::id()))
        .join(lab)
        .join(case);
    if made.contains(&dir) {
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap();
    for layer in [base, case] {
        for file in std::fs::read_dir(source.join(layer)).unwrap() {
            let file = file.unwrap();
            if file.file_name() != changes {
                std::fs::copy(file.path(), dir.join(file.file_name())).unwrap();
            }
        }
    }
    let edits = source.join(case).join(changes);
    if edits.exists() {
        let changes_of = Changes::read(&edits);
        let mut other = |name: &str| assemble_into(made, root, base, changes, lab, name);
        changes_of.apply(&dir, &mut other);
    }
    made.push(dir.clone());
    dir
}

/// How a case differs from its base submission (a fixture's `mistake.toml`, a corpus case's
/// `case.toml`): files renamed, then copied in, then edited. A corpus case also says what a
/// teaching assistant gives it ([`Verdict`]).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Changes {
    /// Why the case is graded as it is (corpus cases).
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    rename: Vec<Rename>,
    #[serde(default)]
    copy: Vec<Copy>,
    #[serde(default)]
    edit: Vec<Edit>,
    /// The teaching assistant's verdict (corpus cases).
    #[serde(default)]
    pub verdict: Option<Verdict>,
}

/// What a fair teaching assistant gives a corpus case: the score, each item's status as the
/// report words it (`passed`, `failed (wrong answer)`, `not assessed`), and phrases the
/// evidence must hold.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// The grade.
    pub score: f64,
    /// Every item of the lab's checklist, by id.
    pub items: std::collections::BTreeMap<String, String>,
    /// `(item, phrase)`: the item's evidence contains the phrase.
    #[serde(default)]
    pub evidence: Vec<(String, String)>,
}

/// A file of the base submission renamed, as a student who misnames it.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    file: String,
    to: String,
}

/// A file of the submission taken whole: `from` is a path in the `labs` crate (the given
/// client, handed in unchanged or to be edited), or `case:<case>/<file>`, a file of another
/// assembled case of the same lab.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Copy {
    file: String,
    from: String,
}

/// One literal edit: in `file`, the text `replace` (which must occur exactly once, so an
/// edit never lands somewhere unintended after the base file changes) becomes `with`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    replace: String,
    with: String,
}

impl Changes {
    /// Reads a `mistake.toml` or `case.toml`.
    pub fn read(path: &Path) -> Self {
        let text = std::fs::read_to_string(path).unwrap();
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Applies the changes to the submission in `dir`; `case` assembles another case.
    fn apply(&self, dir: &Path, case: &mut dyn FnMut(&str) -> PathBuf) {
        for rename in &self.rename {
            std::fs::rename(dir.join(&rename.file), dir.join(&rename.to))
                .unwrap_or_else(|e| panic!("renaming {}: {e}", rename.file));
        }
        for copy in &self.copy {
            let from = match copy.from.strip_prefix("case:") {
                Some(other) => {
                    let (name, file) = other.split_once('/').expect("case:<case>/<file>");
                    case(name).join(file)
                }
                None => Path::new(env!("CARGO_MANIFEST_DIR")).join(&copy.from),
            };
            std::fs::copy(&from, dir.join(&copy.file))
                .unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        }
        for edit in &self.edit {
            let path = dir.join(&edit.file);
            let text = std::fs::read_to_string(&path).unwrap();
            let found = text.matches(&edit.replace).count();
            assert_eq!(
                found,
                1,
                "{}: the text to replace must occur once, found {found} times: {:?}",
                path.display(),
                edit.replace
            );
            std::fs::write(&path, text.replacen(&edit.replace, &edit.with, 1)).unwrap();
        }
    }
}

/// The folder holding this build's binaries (`target/debug`), with the reference binaries
/// built into it once per test run by `cargo test --workspace --no-run` from the
/// workspace's root, with the cargo and profile running the tests. The same command as the
/// README's test command builds the same features, so after `cargo test --workspace` it
/// finds everything built and returns at once (a `cargo build -p ...` of the reference
/// packages alone would unify their features differently and rebuild their dependencies).
/// Cargo releases its build lock before it runs test binaries, so the nested build does
/// not wait.
pub fn reference_dir() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_BIN_EXE_labs"))
                .parent()
                .expect("a bin dir")
                .to_path_buf();
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("labs sits in the workspace");
            let mut build = Command::new(cargo);
            build
                .current_dir(workspace)
                .args(["test", "--workspace", "--no-run", "--quiet"]);
            if dir.ends_with("release") {
                build.arg("--release");
            }
            if let Some(target) = dir.parent() {
                build.env("CARGO_TARGET_DIR", target);
            }
            let status = build.status().expect("cargo runs");
            assert!(status.success(), "building the reference binaries failed");
            dir
        })
        .clone()
}

/// Options for tests: small counts, short timeouts, the reference binaries above, and the
/// Python `testkit` finds or builds with the packages of `requirements-dev.txt` (Pillow,
/// Flask, pycodestyle), never whatever `python3` happens to lack.
pub fn options(only: &[&str]) -> GradeOptions {
    GradeOptions {
        only: only.iter().map(|s| s.to_string()).collect(),
        step_timeout: Some(Duration::from_secs(30)),
        timing_wait: Duration::from_secs(60),
        reference_bin_dir: Some(reference_dir()),
        python: testkit::python::interpreter(),
        ..GradeOptions::default()
    }
}

/// [`options`] with the lab's count (frames, lists) lowered to `count`.
pub fn options_with_count(only: &[&str], count: usize) -> GradeOptions {
    GradeOptions {
        count: Some(count),
        ..options(only)
    }
}

/// A virtual environment with no packages at all (no Pillow, no pycodestyle), made once from
/// testkit's Python: a grader Python that must stop a grading as an infrastructure error.
pub fn bare_python() -> PathBuf {
    static MADE: OnceLock<PathBuf> = OnceLock::new();
    MADE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("labs-bare-python");
        let python = dir.join("bin/python");
        if !python.exists() {
            let status = Command::new(testkit::python::interpreter())
                .args(["-m", "venv", "--without-pip"])
                .arg(&dir)
                .status()
                .expect("python runs");
            assert!(status.success(), "cannot make a bare virtual environment");
        }
        python
    })
    .clone()
}

/// Gradings run one at a time: a timing item needs the cores free (it waits for them, then
/// reports "not assessed"), so no other grading of this binary may run beside it.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Grades fixture `lab/case`.
pub fn grade(lab: &str, case: &str, opts: &GradeOptions) -> Report {
    let lab = labs::catalog::lab(lab).expect("a lab");
    labs::grade(
        &lab,
        &labs::Target::Submission(fixture(lab.name, case)),
        opts,
    )
    .expect("grading runs")
}

/// Asserts that exactly the items of `expected` failed, each with its fault; shows the
/// whole report otherwise.
pub fn assert_deductions(report: &Report, expected: &[(&str, Fault)]) {
    let failed: Vec<(&str, Fault)> = report
        .items
        .iter()
        .filter_map(|item| match item.status {
            Status::Failed(fault) => Some((item.id.as_str(), fault)),
            _ => None,
        })
        .collect();
    assert_eq!(
        failed,
        expected,
        "unexpected deductions:\n{}",
        report.to_text()
    );
}

/// Asserts item `id` was not assessed.
pub fn assert_not_assessed(report: &Report, id: &str) {
    let item = report
        .item(id)
        .unwrap_or_else(|| panic!("no item {id}:\n{}", report.to_text()));
    assert_eq!(
        item.status,
        Status::NotAssessed,
        "{id}:\n{}",
        report.to_text()
    );
}

/// Copies the files of `from` into `to` (created), keeping their modes, recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
