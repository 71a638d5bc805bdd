//! The `classify` command, run as a user would.

use std::process::Command;

use crate::support::shared;

fn inference_server() -> Command {
    Command::new(env!("CARGO_BIN_EXE_inference-server"))
}

#[test]
fn classify_prints_the_top_classes_of_each_photo() {
    let images = shared().join("images");
    for engine in inference_server::EngineKind::ALL {
        let output = inference_server()
            .args(["classify", "--top", "3", "--engine", engine.name()])
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
    let output = inference_server()
        .arg("classify")
        .arg(&text)
        .output()
        .unwrap();
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
    let output = inference_server()
        .args(["classify", "--model", "/nonexistent/model.onnx", "x.jpg"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("model file /nonexistent/model.onnx (given explicitly) does not exist"),
        "{stderr}"
    );
}
