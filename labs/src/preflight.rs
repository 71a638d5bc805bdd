//! What the grader checks of its own environment before grading anything, so that its own
//! faults are never charged to a student: an interpreter that runs, is recent enough for
//! the grader's helper, and has the modules the lab's programs and the style item need.
//! A failure here is an infrastructure error (`labs` exits with status 2, writes no score).

use std::process::Command;

use crate::checklist::{Checklist, Kind};

/// Oldest Python the grader's static helper runs on: it reads `sys.stdlib_module_names`
/// (new in 3.10).
pub const MIN_PYTHON: (u32, u32) = (3, 10);

/// An environment fault of the grader's, with one line saying what is missing and how to
/// fix it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Infrastructure(pub String);

/// The modules `checklist` needs of the grader's Python, each with the PyPI distribution
/// that provides it: the checklist's `[grader] python_packages`, and pycodestyle when it
/// has a style item.
pub fn needed_modules(checklist: &Checklist) -> Vec<(String, String)> {
    let mut needed: Vec<(String, String)> = checklist
        .grader
        .python_packages
        .iter()
        .map(|(module, package)| (module.clone(), package.clone()))
        .collect();
    if checklist.items.iter().any(|item| item.kind == Kind::Style) {
        needed.push(("pycodestyle".into(), "pycodestyle".into()));
    }
    needed
}

/// Checks that `python` can grade `checklist`'s lab. Returns its version (e.g. `3.11.7`).
///
/// Errors: [`Infrastructure`], naming the interpreter and what it lacks, with the command
/// that installs it.
pub fn check_python(python: &str, checklist: &Checklist) -> Result<String, Infrastructure> {
    let needed = needed_modules(checklist);
    let probe = "import importlib.util, sys\n\
                 print('%d.%d.%d' % sys.version_info[:3])\n\
                 print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))";
    let output = Command::new(python)
        .args(["-c", probe])
        .args(needed.iter().map(|(module, _)| module))
        .output()
        .map_err(|e| {
            Infrastructure(format!(
                "cannot run the grader's Python {python:?}: {e}; install Python {}.{} or newer, or pass --python PATH",
                MIN_PYTHON.0, MIN_PYTHON.1
            ))
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let version = lines.next().unwrap_or_default().trim().to_owned();
    if !output.status.success() || version.is_empty() {
        return Err(Infrastructure(format!(
            "the grader's Python {python:?} does not run: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let numbers: Vec<u32> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    if numbers.len() < 2 || (numbers[0], numbers[1]) < MIN_PYTHON {
        return Err(Infrastructure(format!(
            "the grader's Python {python} is {version}; grading needs {}.{} or newer (pass --python PATH)",
            MIN_PYTHON.0, MIN_PYTHON.1
        )));
    }
    let missing: Vec<&(String, String)> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|module| needed.iter().find(|(m, _)| m == module))
        .collect();
    if missing.is_empty() {
        return Ok(version);
    }
    let names: Vec<String> = missing
        .iter()
        .map(|(module, package)| {
            if module == package {
                package.clone()
            } else {
                format!("{package} (module {module})")
            }
        })
        .collect();
    let packages: Vec<&str> = missing.iter().map(|(_, p)| p.as_str()).collect();
    Err(Infrastructure(format!(
        "the grader's Python {python} ({version}) lacks {}, which grading {} needs; install: {python} -m pip install {} (or pass --python PATH)",
        names.join(" and "),
        checklist.lab,
        packages.join(" ")
    )))
}
