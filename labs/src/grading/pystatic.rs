//! Static checks on Python source, through Python's own parser: the embedded helper
//! `inspect_source.py` runs under the grader's `python3` and prints JSON facts (imports,
//! `print` calls, names used, module-level integer constants). Style comes from pycodestyle.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::Context as _;
use serde::Deserialize;

use sandbox::Sandbox;

use crate::grading::checklist::StylePolicy;

const INSPECT: &str = include_str!("inspect_source.py");

/// One import statement's module (`os.path`, `PIL.Image`).
#[derive(Debug, Clone, Deserialize)]
pub struct Import {
    /// Dotted module name. For `from a import b` both `a` and `a.b` are listed.
    pub module: String,
    /// 1-based line.
    pub line: u32,
    /// True for the `a.b` entry of `from a import b` (b may be a function, not a module).
    #[serde(default)]
    pub from_item: bool,
}

/// A module-level `NAME = <int>` assignment.
#[derive(Debug, Clone, Deserialize)]
pub struct IntConstant {
    /// The name assigned.
    pub name: String,
    /// The literal's value.
    pub value: i64,
    /// 1-based line of the literal.
    pub line: u32,
    /// 0-based byte column where the literal starts.
    pub col: usize,
    /// 0-based byte column just after it.
    pub end_col: usize,
}

/// Facts about one file.
#[derive(Debug, Clone, Deserialize)]
pub struct FileFacts {
    /// The parser's message when the file is not valid Python.
    pub syntax_error: Option<String>,
    /// Every import.
    pub imports: Vec<Import>,
    /// Lines calling `print(...)`.
    pub print_calls: Vec<u32>,
    /// Every identifier and attribute name used, with its first line.
    pub names: HashMap<String, u32>,
    /// Module-level integer constants.
    pub int_constants: Vec<IntConstant>,
}

/// Facts about every Python file of a submission.
#[derive(Debug, Clone)]
pub struct SourceFacts {
    /// Per file name (`NameSurname_client.py`).
    pub files: BTreeMap<String, FileFacts>,
    /// The interpreter's `sys.stdlib_module_names`.
    pub stdlib: HashSet<String>,
}

#[derive(Deserialize)]
struct Raw {
    stdlib: Vec<String>,
    files: BTreeMap<String, FileFacts>,
}

impl SourceFacts {
    /// Inspects `files` (all in `dir`) with `python`, run in `sandbox` as a submission's
    /// programs are: a source file crafted to exhaust the parser costs its own grading
    /// (the sandbox's memory and CPU limits), never the grader.
    ///
    /// Errors: Python cannot run, or printed something that is not the expected JSON.
    pub fn inspect(
        python: &str,
        sandbox: &Sandbox,
        dir: &Path,
        files: &[PathBuf],
    ) -> anyhow::Result<Self> {
        let names: Vec<String> = files
            .iter()
            .map(|f| {
                f.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        let mut command = Command::new(python);
        command.arg("-c").arg(INSPECT).args(&names);
        let output = confined_output(sandbox, command, dir)
            .with_context(|| format!("cannot run {python} for the static checks"))?;
        anyhow::ensure!(
            output.status.success(),
            "the static-check helper failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let raw: Raw = serde_json::from_slice(&output.stdout)
            .context("the static-check helper printed malformed JSON")?;
        Ok(Self {
            files: raw.files,
            stdlib: raw.stdlib.into_iter().collect(),
        })
    }

    /// Imports that are neither standard library, nor in `allowed` (top-level package
    /// names), nor files of the submission: `(file, module, line)`.
    pub fn foreign_imports(&self, allowed: &[String]) -> Vec<(String, String, u32)> {
        let local: HashSet<String> = self
            .files
            .keys()
            .map(|f| f.trim_end_matches(".py").to_owned())
            .collect();
        let mut found = Vec::new();
        for (file, facts) in &self.files {
            for import in facts.imports.iter().filter(|i| !i.from_item) {
                let top = import.module.split('.').next().unwrap_or_default();
                if top.is_empty()
                    || self.stdlib.contains(top)
                    || local.contains(top)
                    || allowed.iter().any(|a| a == top)
                {
                    continue;
                }
                found.push((file.clone(), import.module.clone(), import.line));
            }
        }
        found
    }

    /// Imports of `forbidden` modules or anything inside them: `(file, module, line)`.
    pub fn forbidden_imports(&self, forbidden: &[String]) -> Vec<(String, String, u32)> {
        let mut found = Vec::new();
        for (file, facts) in &self.files {
            for import in &facts.imports {
                if forbidden
                    .iter()
                    .any(|f| import.module == *f || import.module.starts_with(&format!("{f}.")))
                    && !found
                        .iter()
                        .any(|(fl, _, l): &(String, String, u32)| fl == file && *l == import.line)
                {
                    found.push((file.clone(), import.module.clone(), import.line));
                }
            }
        }
        found
    }

    /// Files that do not parse, with the parser's message.
    pub fn syntax_errors(&self) -> Vec<(String, String)> {
        self.files
            .iter()
            .filter_map(|(f, facts)| Some((f.clone(), facts.syntax_error.clone()?)))
            .collect()
    }

    /// The first line using `name` (an identifier or attribute) in `file`.
    pub fn uses(&self, file: &str, name: &str) -> Option<u32> {
        self.files.get(file)?.names.get(name).copied()
    }
}

/// Rewrites, in `path`, every module-level integer constant equal to `from` into `to`:
/// how the grader lowers the handout's count (5000 frames, 100 lists) to keep grading
/// short. Returns the names changed.
pub fn lower_count(
    path: &Path,
    facts: &FileFacts,
    from: i64,
    to: i64,
) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)?;
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let mut changed = Vec::new();
    for constant in facts.int_constants.iter().filter(|c| c.value == from) {
        let Some(line) = lines.get_mut(constant.line as usize - 1) else {
            continue;
        };
        if line.is_char_boundary(constant.col) && line.is_char_boundary(constant.end_col) {
            line.replace_range(constant.col..constant.end_col, &to.to_string());
            changed.push(constant.name.clone());
        }
    }
    std::fs::write(path, lines.join("\n"))?;
    Ok(changed)
}

/// pycodestyle's findings for `files` (in `dir`) under `policy`, one per line; empty when
/// clean. Run in `sandbox`, as [`SourceFacts::inspect`] is.
///
/// Errors: pycodestyle is not installed for `python` (`pip install pycodestyle`).
pub fn pycodestyle(
    python: &str,
    sandbox: &Sandbox,
    dir: &Path,
    files: &[String],
    policy: &StylePolicy,
) -> anyhow::Result<Vec<String>> {
    let mut command = Command::new(python);
    command
        .args(["-m", "pycodestyle"])
        .arg(format!("--max-line-length={}", policy.max_line_length))
        .arg(format!("--ignore={}", policy.ignore.join(",")))
        .args(files);
    let output = confined_output(sandbox, command, dir)
        .with_context(|| format!("cannot run {python} -m pycodestyle"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    anyhow::ensure!(
        output.status.success() || !stdout.trim().is_empty(),
        "pycodestyle is not available ({}); install it: {python} -m pip install pycodestyle",
        stderr.trim()
    );
    Ok(stdout.lines().map(str::to_owned).collect())
}

/// Runs `command` in `dir` confined by `sandbox` (its user, limits and file-system view;
/// nothing when the sandbox is off) and collects its output. The confinement, which holds
/// the control group, lives until the program has ended.
///
/// Errors: the confinement cannot be made, or the program cannot start.
fn confined_output(sandbox: &Sandbox, mut command: Command, dir: &Path) -> anyhow::Result<Output> {
    command.current_dir(dir);
    let confinement = sandbox.confine(&mut command, dir, &[])?;
    let output = command.output()?;
    drop(confinement);
    Ok(output)
}
