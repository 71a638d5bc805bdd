//! Ctrl-C at several moments of a real `frame-client` run: exit status 130 and one line, no
//! GIF, no temporary file, and every frame left behind whole. Files get the permissions of
//! any file the user creates.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use testkit::process::{interrupt_when, with_umask};

use crate::support::frame_client;

/// Names in `dir` (empty when it does not exist).
fn names(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn pngs(dir: &Path) -> usize {
    names(&dir.join("frames"))
        .iter()
        .filter(|n| n.ends_with(".png"))
        .count()
}

fn gif_in_progress(dir: &Path) -> bool {
    names(dir).iter().any(|n| n.starts_with(".frames.gif."))
}

/// Runs `frame-client --local-server` with `args` in `dir`, presses Ctrl-C once `ready`,
/// and checks what is left.
fn interrupt(dir: &Path, args: &[&str], moment: &str, ready: impl Fn() -> bool) {
    let run = interrupt_when(
        frame_client()
            .current_dir(dir)
            .arg("--local-server")
            .args(args),
        moment,
        ready,
    );
    run.assert_reported_by("frame-client");
    assert!(
        !dir.join("frames.gif").exists(),
        "no GIF after Ctrl-C at {moment}"
    );
    let frames = dir.join("frames");
    for name in names(dir).iter().chain(&names(&frames)) {
        assert!(
            !name.ends_with(".tmp"),
            "{name} left after Ctrl-C at {moment}"
        );
    }
    for name in names(&frames) {
        let png = image::open(frames.join(&name)).unwrap_or_else(|e| {
            panic!("{name} is not a whole frame after Ctrl-C at {moment}: {e}")
        });
        assert_eq!((png.width(), png.height()), (10, 10), "{name}");
    }
}

#[test]
fn ctrl_c_during_the_sequential_download() {
    let dir = tempfile::tempdir().unwrap();
    interrupt(dir.path(), &["--frames", "5000"], "20 frames", || {
        pngs(dir.path()) >= 20
    });
}

#[test]
fn ctrl_c_during_the_threaded_download() {
    let dir = tempfile::tempdir().unwrap();
    interrupt(
        dir.path(),
        &["--frames", "5000", "--optimized"],
        "100 frames",
        || pngs(dir.path()) >= 100,
    );
}

#[test]
fn ctrl_c_while_the_gif_is_written_in_both_modes() {
    for mode in [&[][..], &["--optimized"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let args = [&["--frames", "2000"][..], mode].concat();
        interrupt(dir.path(), &args, "the GIF phase", || {
            gif_in_progress(dir.path())
        });
        assert_eq!(pngs(dir.path()), 2000, "every frame was downloaded");
    }
}

#[test]
fn the_gif_and_the_frames_get_the_users_umask() {
    let dir = tempfile::tempdir().unwrap();
    let output = with_umask(&mut frame_client(), 0o002)
        .current_dir(dir.path())
        .args(["--local-server", "--frames", "5"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    // 0o666 narrowed by the umask, like any file the user creates (not a temp file's 0o600).
    assert_eq!(mode(&dir.path().join("frames.gif")), 0o664);
    assert_eq!(mode(&dir.path().join("frames/0.png")), 0o664);
}
