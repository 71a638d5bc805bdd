//! The whole lab against the real numbers server, in both modes.

use crate::support::{assert_sorted_pair, dirs, list_names, modes, names, options, run};
use numbers_client::Server;
use numbers_server::payload::LIST_LEN;

#[test]
fn every_list_is_downloaded_and_sorted_in_both_modes() {
    let lists = 6;
    for mode in modes() {
        let dir = tempfile::tempdir().unwrap();
        let report = run(&options(Server::Local, lists, mode, dir.path())).unwrap();
        assert_eq!(report.lists, lists);
        let (unsorted, sorted) = dirs(dir.path());
        assert_eq!(names(&unsorted), list_names(lists), "{mode:?}");
        assert_eq!(
            names(&sorted),
            list_names(lists),
            "no temp files left, {mode:?}"
        );
        for i in 0..lists {
            assert_eq!(assert_sorted_pair(&unsorted, &sorted, i), LIST_LEN);
        }
    }
}

#[test]
fn the_binary_prints_exactly_the_two_timing_lines() {
    let dir = tempfile::tempdir().unwrap();
    let (unsorted, sorted) = dirs(dir.path());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_numbers-client"))
        .args(["--local-server", "--optimized", "--lists", "3"])
        .arg("--unsorted-dir")
        .arg(&unsorted)
        .arg("--sorted-dir")
        .arg(&sorted)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    testkit::assert_timing_lines(
        &String::from_utf8(output.stdout).unwrap(),
        &["Files download time", "Sorting time"],
    );
    for i in 0..3 {
        assert_sorted_pair(&unsorted, &sorted, i);
    }
}
