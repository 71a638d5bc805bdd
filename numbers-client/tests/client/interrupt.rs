//! Ctrl-C at several moments of a real `numbers-client` run: exit status 130 and one line,
//! no temporary file, and every list left behind whole (and every sorted one its list,
//! sorted). Files get the permissions of any file the user creates.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use numbers_client::list_path;
use numbers_server::payload::LIST_LEN;
use testkit::process::{interrupt_when, with_umask};

use crate::support::{assert_sorted_pair, dirs, names};

fn numbers_client(dir: &Path) -> Command {
    let (unsorted, sorted) = dirs(dir);
    let mut command = Command::new(env!("CARGO_BIN_EXE_numbers-client"));
    command
        .arg("--unsorted-dir")
        .arg(unsorted)
        .arg("--sorted-dir")
        .arg(sorted);
    command
}

/// `.txt` files in `dir` (none when it does not exist yet).
fn lists(dir: &Path) -> usize {
    match dir.exists() {
        true => names(dir).iter().filter(|n| n.ends_with(".txt")).count(),
        false => 0,
    }
}

/// Runs `numbers-client --local-server --lists {lists}` with `args`, presses Ctrl-C once
/// `ready`, and checks what is left.
fn interrupt(dir: &Path, lists: usize, args: &[&str], moment: &str, ready: impl Fn() -> bool) {
    let run = interrupt_when(
        numbers_client(dir)
            .args(["--local-server", "--lists", &lists.to_string()])
            .args(args),
        moment,
        ready,
    );
    run.assert_reported_by("numbers-client");
    let (unsorted, sorted) = dirs(dir);
    for folder in [&unsorted, &sorted] {
        for name in names(folder) {
            assert!(
                !name.ends_with(".tmp"),
                "{name} left after Ctrl-C at {moment}"
            );
        }
    }
    for name in names(&unsorted) {
        // A whole list: LIST_LEN integers, so LIST_LEN - 1 commas, ending in a digit.
        let list = std::fs::read(unsorted.join(&name)).unwrap();
        let commas = list.iter().filter(|&&b| b == b',').count();
        assert_eq!(commas, LIST_LEN - 1, "{name} after Ctrl-C at {moment}");
        assert!(list.last().unwrap().is_ascii_digit(), "{name}");
    }
    for name in names(&sorted) {
        let number: usize = name.strip_suffix(".txt").unwrap().parse().unwrap();
        assert_sorted_pair(&unsorted, &sorted, number);
    }
}

#[test]
fn ctrl_c_during_the_download_in_both_modes() {
    for mode in [&[][..], &["--optimized"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let unsorted = dirs(dir.path()).0;
        interrupt(dir.path(), 100, mode, "3 downloaded lists", || {
            lists(&unsorted) >= 3
        });
    }
}

#[test]
fn ctrl_c_during_the_sort_in_both_modes() {
    for mode in [&[][..], &["--optimized"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let sorted = dirs(dir.path()).1;
        // Enough lists that sorting them takes a while, few enough to download quickly.
        interrupt(dir.path(), 12, mode, "the first sorted list", || {
            lists(&sorted) >= 1
        });
        assert_eq!(lists(&dirs(dir.path()).0), 12, "every list was downloaded");
    }
}

#[test]
fn sorted_and_downloaded_lists_get_the_users_umask() {
    let dir = tempfile::tempdir().unwrap();
    let output = with_umask(&mut numbers_client(dir.path()), 0o002)
        .args(["--local-server", "--lists", "2", "--optimized"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let (unsorted, sorted) = dirs(dir.path());
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    // 0o666 narrowed by the umask, like any file the user creates (not a temp file's 0o600).
    for i in 0..2 {
        assert_eq!(mode(&list_path(&sorted, i)), 0o664);
        assert_eq!(mode(&list_path(&unsorted, i)), 0o664);
    }
}
