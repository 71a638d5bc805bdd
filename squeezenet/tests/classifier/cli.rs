//! The `classify` command, run as a user would: real process, real stdout and stderr.

use std::process::Command;

fn classify() -> Command {
    Command::new(env!("CARGO_BIN_EXE_classify"))
}

#[test]
fn classify_prints_the_top_classes_of_each_photo() {
    let images = testkit::data::photos_dir();
    for engine in squeezenet::EngineKind::ALL {
        let output = classify()
            .args(["--top", "3", "--engine", engine.name()])
            .arg(images.join("webnn-native_test_redpanda.jpg"))
            .arg(images.join("burn_flamingo_500px.jpg"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{engine}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 8, "{stdout}");
        assert!(
            lines[0].ends_with("webnn-native_test_redpanda.jpg"),
            "{stdout}"
        );
        assert!(
            lines[1].trim().starts_with("0.99") && lines[1].ends_with("387  lesser panda"),
            "{stdout}"
        );
        assert!(lines[5].ends_with("130  flamingo"), "{stdout}");
    }
}

#[test]
fn classify_reports_bad_files_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a photo").unwrap();
    let output = classify().arg(&text).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("notes.txt: not an image in a supported format"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 1 photos failed"), "{stderr}");
}

#[test]
fn a_missing_model_file_is_a_clear_error() {
    let output = classify()
        .args(["--model", "/nonexistent/model.onnx", "x.jpg"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read the model file /nonexistent/model.onnx"),
        "{stderr}"
    );
}

#[test]
fn works_with_no_environment_and_an_empty_home() {
    // What a fresh machine looks like: nothing in HOME, no cache, no variables pointing at
    // data. The embedded model and labels must be enough.
    let home = tempfile::tempdir().unwrap();
    let output = classify()
        .env_clear()
        .env("HOME", home.path())
        .arg(testkit::data::photos_dir().join("webnn-native_test_redpanda.jpg"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("387  lesser panda"),
        "{stdout}"
    );
}
