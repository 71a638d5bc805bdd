//! Running the course's kind of Python programs from tests, to prove wire compatibility.
//!
//! Interop tests run small Python 3 programs written to behave like the course's given
//! clients and servers. They must not be skipped when Python is missing, so every failure
//! here is an error that fails the test, with the command and its stderr.
//!
//! The programs need the packages of the repository's `requirements-dev.txt` (Pillow, for
//! one). [`interpreter`] finds a Python that has them, or makes one, once: `$PYTHON` (else
//! `python3`) when it has every package; otherwise a virtual environment built from that
//! Python and `requirements-dev.txt` in the cargo target directory (`testkit-python/`),
//! reused by every later test run until the requirements change. So `cargo test` passes on
//! a machine with Rust and Python 3 alone, given access to PyPI the first time.
//!
//! Every user must be able to run the chosen Python, because the `labs` grader runs
//! students' programs as an unprivileged user of its own. An interpreter other users
//! cannot reach (pyenv's, under `/root`) is used only to find Debian's `/usr/bin/python3`
//! instead as the environment's base, and the environment itself goes to `/var/tmp` when
//! other users cannot reach the target directory.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::OnceLock;

use anyhow::Context as _;

/// The repository's Python requirements for tests, read when a Python is chosen.
const REQUIREMENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../requirements-dev.txt");

/// Folder of the virtual environment, inside the cargo target directory.
const VENV_DIR: &str = "testkit-python";

/// Written into the virtual environment last, holding the requirements and the interpreter
/// it was built from: a folder without it (an interrupted build) or with other contents is
/// built again.
const STAMP: &str = "netlabs-requirements.txt";

/// The Python interpreter to run test programs with: one that has every package of
/// `requirements-dev.txt` (see the module docs for how it is found or made).
///
/// Panics, with one message saying what is missing and how to fix it, when no such Python
/// can be found or made; a test calling this fails rather than skips.
pub fn interpreter() -> String {
    match try_interpreter() {
        Ok(python) => python.to_string_lossy().into_owned(),
        Err(e) => panic!("{e:#}"),
    }
}

/// [`interpreter`], as a `Result`. Chosen once per process; the error is kept and returned
/// again to every later caller.
pub fn try_interpreter() -> anyhow::Result<PathBuf> {
    static CHOSEN: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    CHOSEN
        .get_or_init(|| choose().map_err(|e| format!("{e:#}")))
        .clone()
        .map_err(anyhow::Error::msg)
}

fn choose() -> anyhow::Result<PathBuf> {
    let mut base = PathBuf::from(std::env::var_os("PYTHON").unwrap_or_else(|| "python3".into()));
    let requirements = std::fs::read_to_string(REQUIREMENTS)
        .with_context(|| format!("cannot read {REQUIREMENTS}"))?;
    let packages = package_names(&requirements);
    let missing = missing_packages(&base, &packages).with_context(|| {
        format!(
            "the tests need Python 3 (tried {}; set PYTHON to use another)",
            base.display()
        )
    })?;
    let reachable = resolve(&base).is_some_and(|path| others_can_reach(&path));
    if missing.is_empty() && reachable {
        return Ok(base);
    }
    let debian = Path::new(DEBIAN_PYTHON);
    if !reachable && others_can_reach(debian) {
        base = debian.to_path_buf();
    }
    let target = target_dir();
    let venv = if others_can_reach(&target) {
        target.join(VENV_DIR)
    } else {
        // One environment per target directory, where everyone can reach it, named after
        // the directory itself (a hash's value could change with the toolchain, and each
        // change would rebuild the environment from PyPI).
        let name = target.to_string_lossy().trim_matches('/').replace('/', "-");
        PathBuf::from(format!("/var/tmp/netlabs-{VENV_DIR}-{name}"))
    };
    build_venv(&base, &venv, &requirements, &packages).with_context(|| {
        format!(
            "the tests need Python 3 with the packages of requirements-dev.txt; {} lacks {}, \
             and building a virtual environment with them in {} failed (install them with \
             `python3 -m pip install -r requirements-dev.txt`, or set PYTHON to a Python \
             that has them)",
            base.display(),
            missing.join(", "),
            venv.display()
        )
    })
}

/// Debian's interpreter, which every user can run, unlike one installed under `/root`.
const DEBIAN_PYTHON: &str = "/usr/bin/python3";

/// The file `program` runs: itself when it is a path, else the first match on `$PATH`.
fn resolve(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return Some(program.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Whether a user other than the owner can reach `path`: every folder on the way to its
/// real location lets others pass (`o+x`), and so does the file itself.
fn others_can_reach(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    let Ok(real) = path.canonicalize() else {
        return false;
    };
    real.ancestors()
        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

/// Distribution names in a requirements file: each line's name, without versions, extras,
/// markers or comments.
fn package_names(requirements: &str) -> Vec<String> {
    requirements
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty() && !line.starts_with('-'))
        .map(|line| {
            let end = line
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
                .unwrap_or(line.len());
            line[..end].to_owned()
        })
        .collect()
}

/// Which of `packages` `python` does not have installed. Errors: `python` does not run.
fn missing_packages(python: &Path, packages: &[String]) -> anyhow::Result<Vec<String>> {
    let check = "import importlib.metadata as m, sys\n\
                 def has(name):\n    \
                     try:\n        m.version(name)\n        return True\n    \
                     except m.PackageNotFoundError:\n        return False\n\
                 print(' '.join(n for n in sys.argv[1:] if not has(n)))";
    let output = Command::new(python)
        .args(["-c", check])
        .args(packages)
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    anyhow::ensure!(
        output.status.success(),
        "{} failed ({}): {}",
        python.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(str::to_owned)
        .collect())
}

/// The virtual environment's interpreter, building the environment first unless a complete
/// one for these `requirements` is there. Test binaries run in parallel, so the build holds
/// an exclusive lock on `{venv}.lock`; whoever waited finds the environment built.
fn build_venv(
    base: &Path,
    venv: &Path,
    requirements: &str,
    packages: &[String],
) -> anyhow::Result<PathBuf> {
    let python = venv.join("bin/python");
    let stamp = venv.join(STAMP);
    let lock_path = venv.with_extension("lock");
    if let Some(parent) = lock_path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let lock = File::create(&lock_path)
        .with_context(|| format!("cannot create {}", lock_path.display()))?;
    let _lock = nix::fcntl::Flock::lock(lock, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| e)
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;

    // The stamp names the base interpreter too: an environment made from another one (one
    // other users cannot run, say) is made again.
    let stamped = format!("{requirements}\n# made from {}\n", base.display());
    let up_to_date = std::fs::read_to_string(&stamp).is_ok_and(|s| s == stamped);
    if !up_to_date {
        eprintln!(
            "testkit: building a Python virtual environment in {} from requirements-dev.txt \
             (once)",
            venv.display()
        );
        if venv.exists() {
            std::fs::remove_dir_all(venv)
                .with_context(|| format!("cannot remove the stale {}", venv.display()))?;
        }
        run(Command::new(base).args(["-m", "venv"]).arg(venv))?;
        run(Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(REQUIREMENTS))?;
        std::fs::write(&stamp, &stamped)?;
    }
    let missing = missing_packages(&python, packages)?;
    anyhow::ensure!(
        missing.is_empty(),
        "{} still lacks {}",
        venv.display(),
        missing.join(", ")
    );
    Ok(python)
}

/// Runs `command` to completion. Errors: it does not start or exits non-zero (with its
/// stderr).
fn run(command: &mut Command) -> anyhow::Result<()> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {command:?}"))?;
    anyhow::ensure!(
        output.status.success(),
        "{command:?} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr).trim()
    );
    Ok(())
}

/// The cargo target directory this test binary was built in: the nearest folder above it
/// holding cargo's `CACHEDIR.TAG`, else `$CARGO_TARGET_DIR`, else the workspace's `target/`.
fn target_dir() -> PathBuf {
    let from_exe = std::env::current_exe().ok().and_then(|exe| {
        exe.ancestors()
            .find(|dir| dir.join("CACHEDIR.TAG").is_file())
            .map(Path::to_path_buf)
    });
    from_exe
        .or_else(|| std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The executable `name` that a package of `requirements-dev.txt` installs into the chosen
/// interpreter's environment (its `scripts` folder, `bin/` of a virtual environment), e.g.
/// `cargo-zigbuild`: found there, never on `PATH`, so a test uses the tool the requirements
/// pin and needs nothing installed beforehand.
///
/// Panics, saying what is missing, when no suitable Python can be found or made (see
/// [`interpreter`]) or the environment has no such executable.
pub fn installed_executable(name: &str) -> PathBuf {
    let python = interpreter();
    let output = Command::new(&python)
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    assert!(
        output.status.success(),
        "{python} cannot name its scripts folder: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = Path::new(String::from_utf8_lossy(&output.stdout).trim()).join(name);
    assert!(
        path.is_file(),
        "{} is missing: the test environment ({python}) should have it from \
         requirements-dev.txt",
        path.display()
    );
    path
}

/// Runs `script` with `args` to completion; returns its stdout.
/// Errors: no suitable Python (see [`interpreter`]), or a non-zero exit (with the script's
/// stderr).
pub fn run_script(script: &Path, args: &[&str]) -> anyhow::Result<String> {
    let python = try_interpreter()?;
    let output = Command::new(&python)
        .arg(script)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {} {}", python.display(), script.display()))?;
    anyhow::ensure!(
        output.status.success(),
        "{} failed ({}):\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?)
}

/// A Python server running in the background; killed when dropped.
///
/// The script must print its listening port on the first line of stdout. Its stdin is a
/// pipe that closes when the test process ends, so a script that exits on stdin EOF never
/// outlives a crashed test.
pub struct PythonServer {
    child: Child,
    /// The port the script printed.
    pub port: u16,
}

impl PythonServer {
    /// Starts `script` with `args` and waits for its port line.
    pub fn start(script: &Path, args: &[&str]) -> anyhow::Result<Self> {
        let python = try_interpreter()?;
        let mut child = Command::new(&python)
            .arg(script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run {} {}", python.display(), script.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        match line.trim().parse() {
            Ok(port) => {
                // Keep draining stdout so a chatty script never blocks on a full pipe.
                std::thread::spawn(move || drain(stdout));
                Ok(Self { child, port })
            }
            Err(_) => {
                let _ = child.kill();
                let mut stderr = String::new();
                let _ = child
                    .stderr
                    .take()
                    .expect("piped")
                    .read_to_string(&mut stderr);
                anyhow::bail!(
                    "{} printed {line:?} instead of a port:\n{stderr}",
                    script.display()
                )
            }
        }
    }
}

fn drain(mut stdout: BufReader<ChildStdout>) {
    let _ = std::io::copy(&mut stdout, &mut std::io::sink());
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_lines_give_distribution_names() {
        let text = "# comment\nPillow>=10\n\nonnxruntime==1.31.1  # pinned\nnumpy\n\
                    pkg[extra]; python_version > '3'\n-r other.txt\n";
        assert_eq!(
            package_names(text),
            ["Pillow", "onnxruntime", "numpy", "pkg"]
        );
    }

    #[test]
    fn the_chosen_python_has_every_required_package() {
        let python = try_interpreter().unwrap();
        let requirements = std::fs::read_to_string(REQUIREMENTS).unwrap();
        let missing = missing_packages(&python, &package_names(&requirements)).unwrap();
        assert!(missing.is_empty(), "{} lacks {missing:?}", python.display());
    }
}
