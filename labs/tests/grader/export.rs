//! `labs export`: the packages for Gradescope and PrairieLearn, run as the platforms run
//! them. Each grading runs in a mount namespace of its own where `/autograder` (or
//! `/grade`) is a temporary folder laid out as the platform documents it, using binaries
//! built for glibc 2.35 by cargo-zigbuild (as a course would build them for Ubuntu 22.04),
//! and the results must parse as the platform's documented `results.json`.
//!
//! zig and cargo-zigbuild come from PyPI into the test environment with the other packages
//! of `requirements-dev.txt` (`testkit` builds it), and are called there, not through
//! `PATH`: a machine with the README's prerequisites alone runs these tests. They run as root
//! (mount namespaces), and leave two empty folders behind, `/autograder` and `/grade`, the
//! mount points the platforms' paths need.

mod schema;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use labs::class::export::glibc::{self, GlibcVersion};
use schema::{GradescopeResults, PrairieLearnResults, QuestionInfo, Status, Visibility};

use crate::support::{bare_python, copy_tree, fixture, serial};

/// cargo-zigbuild's target: x86-64 Linux, glibc 2.35 (Ubuntu 22.04).
const ZIG_TARGET: &str = "x86_64-unknown-linux-gnu.2.35";

/// What grading the numbers lab needs: the grader and the lab's reference binaries.
const BINARIES: [&str; 3] = ["labs", "numbers-server", "numbers-client"];

/// The items the platform gradings check: quick ones, yet a black-box run of both programs.
const ITEMS: &str = "file-names,runs,no-concurrent-futures,pep8";

/// The folder of [`BINARIES`] built by `cargo zigbuild --target
/// x86_64-unknown-linux-gnu.2.35`, once per test run, into this build's target folder
/// (`x86_64-unknown-linux-gnu/debug`) with the profile running the tests. cargo-zigbuild is
/// the test environment's own executable, run with the cargo running the tests, and finds
/// zig as that environment's `ziglang` module. zig's caches go into the target folder too
/// unless set, so a fresh HOME (as in CI) does not rebuild them.
fn zigbuilt_dir() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let profile_dir = Path::new(env!("CARGO_BIN_EXE_labs"))
                .parent()
                .expect("a bin dir");
            let target = profile_dir.parent().expect("a target dir");
            let release = profile_dir.ends_with("release");
            let mut build = Command::new(testkit::python::installed_executable("cargo-zigbuild"));
            // Invoked as cargo invokes a subcommand: the subcommand's name first.
            build.args(["zigbuild", "--target", ZIG_TARGET]);
            for binary in BINARIES {
                build.args(["--bin", binary]);
            }
            if release {
                build.arg("--release");
            }
            // From the workspace's root: `--bin` finds binaries of every member there.
            build
                .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
                .env("CARGO_TARGET_DIR", target)
                .env("CARGO_ZIGBUILD_PYTHON_PATH", testkit::python::interpreter());
            for (var, dir) in [
                ("ZIG_GLOBAL_CACHE_DIR", "zig-cache"),
                ("CARGO_ZIGBUILD_CACHE_DIR", "cargo-zigbuild-cache"),
            ] {
                if std::env::var_os(var).is_none() {
                    build.env(var, target.join(dir));
                }
            }
            let out = build.output().expect("cargo runs");
            assert!(
                out.status.success(),
                "cargo zigbuild --target {ZIG_TARGET} failed (cargo-zigbuild and zig from the \
                 test environment, requirements-dev.txt):\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            target
                .join("x86_64-unknown-linux-gnu")
                .join(if release { "release" } else { "debug" })
        })
        .clone()
}

/// Runs `labs ARGS`; returns its output.
fn labs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_labs"))
        .args(args)
        .output()
        .expect("labs runs")
}

/// Exports the numbers lab for `platform` into a fresh folder, with the zig-built binaries,
/// 2 lists per client run and [`ITEMS`] only; `extra` are more export arguments.
fn export(platform: &str, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let bin = zigbuilt_dir();
    let mut args = vec!["export", platform, "numbers", "--output"];
    args.push(out.path().to_str().unwrap());
    args.extend([
        "--bin-dir",
        bin.to_str().unwrap(),
        "--count",
        "2",
        "--only",
        ITEMS,
    ]);
    args.extend(extra);
    let done = labs(&args);
    assert!(
        done.status.success(),
        "labs {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&done.stderr)
    );
    out
}

/// Runs `program` the way the platform's container shows the world: in a mount namespace
/// of its own where `root` is bound at `mount_point` (created empty on the host if
/// missing), from `mount_point`, with `PYTHON` set to `python`. Returns its output.
fn run_in_layout(root: &Path, mount_point: &'static str, program: &str, python: &str) -> Output {
    std::fs::create_dir_all(mount_point)
        .unwrap_or_else(|e| panic!("cannot create the mount point {mount_point} (root?): {e}"));
    let mut command = Command::new(program);
    command.env("PYTHON", python);
    testkit::mounts::in_private_mounts(
        &mut command,
        vec![(root.to_path_buf(), mount_point.into())],
        Some(mount_point.into()),
    )
    .output()
    .expect("the entry point starts")
}

/// The whole output of a run, for assertion messages.
fn shown(out: &Output) -> String {
    format!(
        "status {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
#[ignore = "slow (cross-builds the binaries with cargo-zigbuild); run with: cargo test -p labs --test grader -- --ignored"]
fn packed_binaries_need_glibc_2_35_at_most() {
    let out = {
        let _turn = serial();
        export("gradescope", &[])
    };
    let zip_path = out.path().join("autograder.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut names: Vec<String> = zip
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bin/labs",
            "bin/numbers-client",
            "bin/numbers-server",
            "run_autograder",
            "setup.sh"
        ],
        "setup.sh and run_autograder at the zip's root, the binaries in bin/"
    );
    let unpacked = tempfile::tempdir().unwrap();
    zip.extract(unpacked.path()).unwrap();
    let max = glibc::UBUNTU_22_04;
    for name in &names {
        let path = unpacked.path().join(name);
        let mode = std::os::unix::fs::PermissionsExt::mode(&path.metadata().unwrap().permissions());
        assert_eq!(mode & 0o111, 0o111, "{name} is executable");
        if !name.starts_with("bin/") {
            continue;
        }
        let needs = glibc::needs(&path).unwrap();
        let newest = needs.last().copied();
        assert!(
            newest.is_some_and(|v| v >= GlibcVersion { major: 2, minor: 2 } && v <= max),
            "{name} needs glibc {needs:?}; a dynamically linked binary for Ubuntu 22.04 needs some, none newer than 2.35"
        );
    }
}

#[test]
#[ignore = "slow (cross-builds the binaries with cargo-zigbuild); run with: cargo test -p labs --test grader -- --ignored"]
fn export_refuses_a_binary_that_needs_a_newer_glibc() {
    let bin = {
        let _turn = serial();
        zigbuilt_dir()
    };
    let dir = tempfile::tempdir().unwrap();
    for name in BINARIES {
        std::fs::copy(bin.join(name), dir.path().join(name)).unwrap();
    }
    // The server as if linked against a newer glibc: one version need renamed in place,
    // `GLIBC_2.xy` to `GLIBC_2.99` (same length, in the dynamic string table).
    let server = dir.path().join("numbers-server");
    let mut bytes = std::fs::read(&server).unwrap();
    let at = bytes
        .windows(11)
        .position(|w| {
            w.starts_with(b"GLIBC_2.") && w[8..10].iter().all(u8::is_ascii_digit) && w[10] == 0
        })
        .expect("numbers-server names a GLIBC_2.xy version");
    bytes[at + 8..at + 10].copy_from_slice(b"99");
    std::fs::write(&server, bytes).unwrap();
    for platform in ["gradescope", "prairielearn"] {
        let out = tempfile::tempdir().unwrap();
        let mut args = vec![
            "export",
            platform,
            "numbers",
            "--output",
            out.path().to_str().unwrap(),
            "--bin-dir",
            dir.path().to_str().unwrap(),
        ];
        if platform == "prairielearn" {
            args.extend(["--image", "example/labs-grader"]);
        }
        let done = labs(&args);
        let stderr = String::from_utf8_lossy(&done.stderr);
        assert_eq!(done.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("numbers-server needs glibc 2.99")
                && stderr
                    .contains("cargo zigbuild --release --target x86_64-unknown-linux-gnu.2.35"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{platform}: nothing written"
        );
    }
}

/// `/autograder` as Gradescope builds it from `zip` for `submission`: the zip unpacked in
/// `source/`, `run_autograder` copied to the top, the student's files in `submission/`, an
/// empty `results/`.
fn gradescope_layout(zip: &Path, submission: &Path) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let source = root.path().join("source");
    zip::ZipArchive::new(std::fs::File::open(zip).unwrap())
        .unwrap()
        .extract(&source)
        .unwrap();
    std::fs::copy(
        source.join("run_autograder"),
        root.path().join("run_autograder"),
    )
    .unwrap();
    copy_tree(submission, &root.path().join("submission"));
    std::fs::create_dir(root.path().join("results")).unwrap();
    root
}

#[test]
#[ignore = "slow (cross-builds the binaries with cargo-zigbuild); run with: cargo test -p labs --test grader -- --ignored"]
fn gradescope_run_autograder_grades_in_the_documented_layout() {
    let _turn = serial();
    let out = export("gradescope", &["--visibility", "after_published"]);
    let zip = out.path().join("autograder.zip");
    let python = testkit::python::interpreter();
    for (case, score) in [("good", 10.0), ("concurrent_futures", 0.0)] {
        let root = gradescope_layout(&zip, &fixture("numbers", case));
        let started = std::time::Instant::now();
        let run = run_in_layout(
            root.path(),
            "/autograder",
            "/autograder/run_autograder",
            &python,
        );
        eprintln!(
            "gradescope {case}: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        assert!(run.status.success(), "{}", shown(&run));
        let text = std::fs::read_to_string(root.path().join("results/results.json")).unwrap();
        let results = GradescopeResults::validate(&text);
        assert_eq!(results.score, Some(score), "{case}: {text}");
        assert_eq!(results.visibility, Some(Visibility::AfterPublished));
        let tests = results.tests.unwrap();
        let ids: Vec<&str> = tests
            .iter()
            .map(|t| t.name.as_deref().unwrap().split(':').next().unwrap())
            .collect();
        assert_eq!(
            ids,
            ITEMS.split(',').collect::<Vec<_>>(),
            "one test per item, in order"
        );
        for test in &tests {
            assert_eq!(test.visibility, Some(Visibility::AfterPublished));
            let failed = case == "concurrent_futures"
                && test
                    .name
                    .as_deref()
                    .unwrap()
                    .starts_with("no-concurrent-futures:");
            let expected = if failed {
                (Some(Status::Failed), Some(0.0), Some(10.0))
            } else {
                (Some(Status::Passed), test.max_score, test.max_score)
            };
            assert_eq!(
                (test.status, test.score, test.max_score),
                expected,
                "{test:?}"
            );
            if failed {
                let output = test.output.as_deref().unwrap();
                assert!(
                    output.starts_with("Failed (source): -10 points."),
                    "{output}"
                );
            }
        }
    }

    // The grader's own Python lacks pycodestyle: an infrastructure error, so no
    // results.json (Gradescope then reports a failed run), never a zero.
    let root = gradescope_layout(&zip, &fixture("numbers", "good"));
    let bare = bare_python();
    let run = run_in_layout(
        root.path(),
        "/autograder",
        "/autograder/run_autograder",
        bare.to_str().unwrap(),
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(2), "{}", shown(&run));
    assert!(
        stdout.contains("lacks pycodestyle") && stdout.contains("no score was written"),
        "{stdout}"
    );
    assert!(!root.path().join("results/results.json").exists());
}

/// `/grade` as PrairieLearn's grader host builds it for the question exported in `out` and
/// `submission`: the question's `tests/`, the listed `serverFilesCourse/` entries, the
/// student's files in `student/`, and `data/data.json`.
fn prairielearn_layout(out: &Path, info: &QuestionInfo, submission: &Path) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let question = out.join("questions/labs-numbers");
    copy_tree(&question.join("tests"), &root.path().join("tests"));
    let options = info.external_grading_options.as_ref().unwrap();
    for entry in &options.server_files_course {
        copy_tree(
            &out.join("serverFilesCourse").join(entry),
            &root.path().join("serverFilesCourse").join(entry),
        );
    }
    copy_tree(submission, &root.path().join("student"));
    std::fs::create_dir(root.path().join("data")).unwrap();
    std::fs::write(root.path().join("data/data.json"), "{}").unwrap();
    root
}

#[test]
#[ignore = "slow (cross-builds the binaries with cargo-zigbuild); run with: cargo test -p labs --test grader -- --ignored"]
fn prairielearn_entrypoint_grades_in_the_documented_layout() {
    let _turn = serial();
    let out = export(
        "prairielearn",
        &["--image", "example/labs-grader", "--timeout", "300"],
    );
    let info_text =
        std::fs::read_to_string(out.path().join("questions/labs-numbers/info.json")).unwrap();
    let info: QuestionInfo = serde_json::from_str(&info_text)
        .unwrap_or_else(|e| panic!("not a PrairieLearn question: {e}\n{info_text}"));
    assert_eq!(
        (info.kind.as_str(), info.grading_method.as_deref()),
        ("v3", Some("External"))
    );
    let options = info.external_grading_options.as_ref().unwrap();
    assert_eq!(
        (
            options.image.as_str(),
            options.timeout,
            options.server_files_course.as_slice()
        ),
        (
            "example/labs-grader",
            Some(300),
            ["labs/".to_owned()].as_slice()
        )
    );
    let Some(schema::StringOrStrings::One(entrypoint)) = &options.entrypoint else {
        panic!("one entry point: {info_text}");
    };
    assert!(entrypoint.starts_with("/grade/"), "{entrypoint}");
    assert!(
        std::fs::read_to_string(out.path().join("image/Dockerfile"))
            .unwrap()
            .contains("FROM ubuntu:22.04")
    );

    let python = testkit::python::interpreter();
    for (case, score) in [("good", 1.0), ("concurrent_futures", 0.0)] {
        let root = prairielearn_layout(out.path(), &info, &fixture("numbers", case));
        let started = std::time::Instant::now();
        let run = run_in_layout(root.path(), "/grade", entrypoint, &python);
        eprintln!(
            "prairielearn {case}: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        assert!(run.status.success(), "{}", shown(&run));
        let text = std::fs::read_to_string(root.path().join("results/results.json")).unwrap();
        let results = PrairieLearnResults::validate(&text);
        assert_eq!(
            (results.gradable, results.score),
            (Some(true), Some(score)),
            "{text}"
        );
        let tests = results.tests.unwrap();
        assert_eq!(tests.len(), ITEMS.split(',').count(), "{text}");
        let futures = tests
            .iter()
            .find(|t| t.name.starts_with("no-concurrent-futures:"))
            .unwrap();
        let expected = if case == "good" { 10.0 } else { 0.0 };
        assert_eq!(
            (futures.points, futures.max_points),
            (Some(expected), Some(10.0))
        );
        assert!(
            futures
                .description
                .as_deref()
                .is_some_and(|d| d.contains("import"))
        );
    }

    // An infrastructure error: not gradable (no score, no attempt used), and exit status 0
    // so that PrairieLearn reads the file.
    let root = prairielearn_layout(out.path(), &info, &fixture("numbers", "good"));
    let bare = bare_python();
    let run = run_in_layout(root.path(), "/grade", entrypoint, bare.to_str().unwrap());
    assert!(run.status.success(), "{}", shown(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("lacks pycodestyle"));
    let text = std::fs::read_to_string(root.path().join("results/results.json")).unwrap();
    let results = PrairieLearnResults::validate(&text);
    assert_eq!(
        (results.gradable, results.score),
        (Some(false), None),
        "{text}"
    );
    assert!(results.message.is_some_and(|m| m.contains("not counted")));
}
