//! What the grader checks of its own environment before grading anything, so that its own
//! faults are never charged to a student: an interpreter that runs, is recent enough for
//! the grader's helper, and has the modules the lab's programs and the style item need.
//! A failure here is an infrastructure error (`labs` exits with status 2, writes no score).

use std::path::PathBuf;
use std::process::Command;

use sandbox::confine::Sandbox;

use crate::grading::checklist::{Checklist, Kind};

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

/// What the grader knows of its Python once checked.
#[derive(Debug, Clone)]
pub struct PythonInfo {
    /// The interpreter, as given (`python3`, a path).
    pub python: String,
    /// Its installation's folders (`sys.prefix`, `sys.base_prefix`, the executable's real
    /// folder): what a sandboxed program must be able to read to run it.
    pub paths: Vec<PathBuf>,
}

/// Checks that `python` can grade `checklist`'s lab.
///
/// Errors: [`Infrastructure`], naming the interpreter and what it lacks, with the command
/// that installs it.
pub fn check_python(python: &str, checklist: &Checklist) -> Result<PythonInfo, Infrastructure> {
    let needed = needed_modules(checklist);
    let probe = "import importlib.util, os, sys\n\
                 print('%d.%d.%d' % sys.version_info[:3])\n\
                 print(' '.join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))\n\
                 print('\\0'.join({sys.prefix, sys.base_prefix, sys.exec_prefix, \
                                    os.path.dirname(os.path.realpath(sys.executable))}))";
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
    let paths = lines
        .next()
        .unwrap_or_default()
        .split('\0')
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    if missing.is_empty() {
        return Ok(PythonInfo {
            python: python.to_owned(),
            paths,
        });
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

/// Checks that the sandbox's user can run `python` with the lab's modules, seeing only what
/// a submission's program sees: an interpreter installed under a folder other users cannot
/// enter (pyenv's under `/root`) cannot grade anything in the sandbox.
///
/// Errors: [`Infrastructure`], saying so and what to use instead.
pub fn check_sandbox(
    info: &PythonInfo,
    checklist: &Checklist,
    sandbox: &Sandbox,
) -> Result<(), Infrastructure> {
    let infra = |what: String| Infrastructure(what);
    let dir = tempfile::Builder::new()
        .prefix("labs-preflight-")
        .tempdir()
        .map_err(|e| infra(format!("cannot make a temporary folder: {e}")))?;
    sandbox
        .give(dir.path())
        .map_err(|e| infra(format!("cannot give a folder to the sandbox's user: {e}")))?;
    let modules: Vec<String> = needed_modules(checklist)
        .into_iter()
        .map(|(module, _)| module)
        .collect();
    let mut command = Command::new(&info.python);
    command
        .arg("-c")
        .arg(format!("import sys\nfor m in {modules:?}: __import__(m)"))
        .current_dir(dir.path());
    let _confinement = sandbox
        .confine(&mut command, dir.path(), &[])
        .map_err(|e| infra(format!("cannot set up the sandbox: {e:#}")))?;
    let output = command.output();
    let who = match sandbox.uid() {
        Some(uid) => format!("the sandbox's user (uid {uid})"),
        None => "the sandbox".to_owned(),
    };
    match output {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(infra(format!(
            "the grader's Python {} cannot run as {who}: {}; use a Python every user can run and read (Debian's /usr/bin/python3, or a virtual environment made from it outside /root) with the lab's packages, or pass --no-sandbox for trusted code",
            info.python,
            String::from_utf8_lossy(&out.stderr)
                .trim()
                .lines()
                .last()
                .unwrap_or("no output")
        ))),
        Err(e) => Err(infra(format!(
            "the grader's Python {} cannot be started as {who}: {e}; use a Python every user can run (Debian's /usr/bin/python3), or pass --no-sandbox for trusted code",
            info.python
        ))),
    }
}
