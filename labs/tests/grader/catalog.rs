//! `labs list`, `labs show`, the embedded checklists, and the report formats, through the
//! real binary.

use std::process::Command;

use labs::catalog::LABS;
use labs::grading::checklist::Kind;

fn labs(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_labs"))
        .args(args)
        .env("PYTHON", testkit::python::interpreter())
        .output()
        .expect("labs runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn list_names_every_lab() {
    let (ok, stdout, _) = labs(&["list"]);
    assert!(ok);
    for lab in ["frames", "numbers", "prefork", "recognition", "basics"] {
        assert!(
            stdout.lines().any(|l| l.starts_with(lab)),
            "{lab} missing:\n{stdout}"
        );
    }
}

#[test]
fn show_prints_handout_and_checklist_from_any_directory() {
    let out = Command::new(env!("CARGO_BIN_EXE_labs"))
        .args(["show", "numbers"])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    let handout = String::from_utf8(out.stdout).unwrap();
    assert!(handout.starts_with("# Numbers lab"), "{handout}");
    for fact in [
        "12345",
        "250000",
        "-999999999",
        "Files download time",
        "Sorting time",
        "concurrent.futures",
    ] {
        assert!(handout.contains(fact), "handout lacks {fact}");
    }
    let (ok, checklist, _) = labs(&["show", "numbers", "--checklist"]);
    assert!(ok && checklist.contains("id = \"sorting-improved\""));
    let (ok, _, stderr) = labs(&["show", "nope"]);
    assert!(
        !ok && stderr.contains("known labs: frames, numbers, prefork, recognition, basics"),
        "{stderr}"
    );
}

#[test]
fn checklists_hold_the_issue_items_and_the_course_points() {
    let ids = |lab: &str| -> Vec<String> {
        labs::catalog::lab(lab)
            .unwrap()
            .checklist()
            .items
            .into_iter()
            .map(|i| i.id)
            .collect()
    };
    for id in [
        "file-names",
        "runs",
        "pillow-only",
        "thread-per-connection",
        "reuse-address",
        "stays-listening",
        "runtime-improved",
        "gif-valid",
        "pep8",
    ] {
        assert!(ids("frames").contains(&id.to_owned()), "frames lacks {id}");
    }
    for id in [
        "file-names",
        "runs",
        "stdlib-only",
        "no-concurrent-futures",
        "thread-per-connection",
        "download-improved",
        "sorting-improved",
        "message-format",
        "pep8",
    ] {
        assert!(
            ids("numbers").contains(&id.to_owned()),
            "numbers lacks {id}"
        );
    }
    let numbers = labs::catalog::lab("numbers").unwrap().checklist();
    let points = |id: &str| numbers.item(id).unwrap().points;
    assert_eq!(
        (points("runs"), points("download-improved"), points("pep8")),
        (-10.0, -5.0, -1.0)
    );
    for id in [
        "worker-processes",
        "thread-pool",
        "log-events",
        "end-protocol",
        "reply-format",
        "no-print",
    ] {
        assert!(
            ids("prefork").contains(&id.to_owned()),
            "prefork lacks {id}"
        );
    }
    for lab in LABS {
        let checklist = lab.checklist();
        assert_eq!(checklist.lab, lab.name);
        assert!(
            lab.handout
                .contains(&format!("labs/src/{}/checklist.toml", lab.name)),
            "{} handout does not link its checklist",
            lab.name
        );
        // Deductions never exceed what a grade can lose by much: each lab sums its items.
        let total: f64 = checklist
            .items
            .iter()
            .filter(|i| i.kind != Kind::Manual)
            .map(|i| -i.points)
            .sum();
        assert!(
            total >= checklist.max_score,
            "{}: items sum to {total}",
            lab.name
        );
    }
}

#[test]
fn report_formats_from_the_command_line() {
    let dir = crate::support::fixture("numbers", "concurrent_futures");
    let dir = dir.to_str().unwrap();
    let only = "--only=file-names,no-concurrent-futures,stdlib-only,pep8";
    let (ok, text, stderr) = labs(&["grade", "numbers", dir, only]);
    assert!(ok, "{stderr}");
    assert!(
        text.contains("0 / 10")
            && text.contains("[FAIL] no-concurrent-futures")
            && text.contains("-10"),
        "{text}"
    );

    let (_, json, _) = labs(&["grade", "numbers", dir, only, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["score"], 0.0);
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "no-concurrent-futures")
        .unwrap();
    assert_eq!(
        (item["status"].as_str(), item["fault"].as_str()),
        (Some("failed"), Some("source"))
    );

    let out = tempfile::NamedTempFile::new().unwrap();
    let (ok, _, _) = labs(&[
        "grade",
        "numbers",
        dir,
        only,
        "--format",
        "gradescope",
        "--output",
        out.path().to_str().unwrap(),
    ]);
    assert!(ok);
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path()).unwrap()).unwrap();
    assert_eq!(results["score"].as_f64(), Some(0.0));
    assert_eq!(results["visibility"].as_str(), Some("visible"));
    let tests = results["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 4);
    let failed = tests
        .iter()
        .find(|t| {
            t["name"]
                .as_str()
                .unwrap()
                .starts_with("no-concurrent-futures")
        })
        .unwrap();
    assert_eq!(
        (
            failed["status"].as_str(),
            failed["score"].as_f64(),
            failed["max_score"].as_f64()
        ),
        (Some("failed"), Some(0.0), Some(10.0))
    );

    let (_, markdown, _) = labs(&["grade", "numbers", dir, only, "--format", "markdown"]);
    assert!(
        markdown.contains(
            "| `no-concurrent-futures` concurrent.futures is not imported | failed (source) | -10 |"
        ),
        "{markdown}"
    );

    let (ok, _, stderr) = labs(&["grade", "numbers", dir, "--only", "no-such-item"]);
    assert!(
        !ok && stderr.contains("no item \"no-such-item\""),
        "{stderr}"
    );
    // A batch stops before its first submission, with the one error, and writes nothing.
    let out = tempfile::tempdir().unwrap();
    let results = out.path().join("results");
    let class = std::path::Path::new(dir).parent().unwrap();
    let (ok, _, stderr) = labs(&[
        "grade",
        "numbers",
        "--batch",
        class.to_str().unwrap(),
        "--output",
        results.to_str().unwrap(),
        "--only",
        "no-such-item",
    ]);
    assert!(!ok, "{stderr}");
    assert_eq!(
        stderr.matches("no item \"no-such-item\"").count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("not graded"), "{stderr}");
    assert!(!results.exists());
}

#[test]
fn cmd_replaces_any_role_of_the_checklist() {
    let _turn = crate::support::serial();
    let good = crate::support::fixture("basics", "good");
    // A student's own build runs in the sandbox, as its user: copied where any user can
    // reach it, as a submission's folder is (the target directory may be under /root).
    let bin = tempfile::Builder::new()
        .prefix("labs-cmd-")
        .tempdir_in("/tmp")
        .unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(bin.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let server = bin.path().join("square-server");
    std::fs::copy(
        crate::support::reference_dir().join("square-server"),
        &server,
    )
    .unwrap();
    let cmd = format!("square_server={}", server.display());
    let good = good.to_str().unwrap();
    let (ok, stdout, stderr) = labs(&[
        "grade",
        "basics",
        good,
        "--only",
        "square-answers",
        "--cmd",
        &cmd,
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("[ok  ] square-answers"), "{stdout}");
    assert!(
        stdout.contains(&format!("server: `{}`", server.display())),
        "{stdout}"
    );
    let (ok, _, stderr) = labs(&["grade", "basics", good, "--cmd", "server=./x"]);
    assert!(
        !ok && stderr.contains("basics has no role \"server\""),
        "{stderr}"
    );
}
