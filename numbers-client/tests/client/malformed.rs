//! Lists that break the format: the run fails with the unsorted file's name and the byte
//! offset, and leaves no sorted file (not even a temporary one) for the bad list.

use std::path::Path;

use crate::support::{
    assert_sorted_pair, dirs, fixed_server, list_names, modes, names, options, run,
};
use numbers_client::{Mode, Server, list_path};

/// Runs one list from a server that always sends `payload`, in `mode`; returns the error.
fn fail_with(payload: &[u8], mode: Mode, dir: &Path) -> String {
    let server = fixed_server(vec![payload.to_vec()]);
    let err = run(&options(Server::Remote(server.addr()), 1, mode, dir)).unwrap_err();
    let (unsorted, sorted) = dirs(dir);
    assert_eq!(
        std::fs::read(list_path(&unsorted, 0)).unwrap(),
        payload,
        "saved raw"
    );
    assert!(names(&sorted).is_empty(), "no sorted file for the bad list");
    format!("{err:#}")
}

#[test]
fn each_kind_of_bad_list_is_named_with_its_byte() {
    let cases: [(&[u8], &str); 7] = [
        (b"10, -2, 7, ", "byte 3: expected a digit, found ' '"),
        (
            b"10,-2,7,",
            "byte 8: expected a digit, found the end of the payload",
        ),
        (b"10,-2,x7", "byte 6: expected a digit, found 'x'"),
        (
            b"10,-2e5,7",
            "byte 5: expected a digit, ',' or the end of the payload, found 'e'",
        ),
        (b"", "empty payload: expected at least one integer"),
        // A connection cut after a sign looks like a payload ending in `-`.
        (
            b"12,-",
            "byte 4: expected a digit, found the end of the payload",
        ),
        (
            b"1,99999999999999999999",
            "byte 2: integer out of the 64-bit range: 99999999999999999999",
        ),
    ];
    for mode in modes() {
        for (payload, message) in cases {
            let dir = tempfile::tempdir().unwrap();
            let file = list_path(&dirs(dir.path()).0, 0);
            assert_eq!(
                fail_with(payload, mode, dir.path()),
                format!("{}: {message}", file.display()),
                "{mode:?}"
            );
        }
    }
}

#[test]
fn a_public_student_servers_comma_space_list_fails_cleanly() {
    // 250000 integers joined by ", " with a trailing ", ", as a real student server sends.
    let numbers: Vec<String> = (0..250_000)
        .map(|i| (i * 7919 % 1_000_003 - 500_000).to_string())
        .collect();
    let payload = format!("{}, ", numbers.join(", "));
    let first_space = payload.find(' ').unwrap();
    for mode in modes() {
        let dir = tempfile::tempdir().unwrap();
        let file = list_path(&dirs(dir.path()).0, 0);
        assert_eq!(
            fail_with(payload.as_bytes(), mode, dir.path()),
            format!(
                "{}: byte {first_space}: expected a digit, found ' '",
                file.display()
            )
        );
    }
}

#[test]
fn lists_before_a_bad_one_stay_sorted_and_the_bad_one_has_none() {
    let server = fixed_server(vec![b"3,1,2".to_vec(), b"4,,5".to_vec(), b"9,8".to_vec()]);
    let dir = tempfile::tempdir().unwrap();
    // Sequential, so the k-th connection is list k and the sort stops at list 1.
    let options = options(
        Server::Remote(server.addr()),
        3,
        Mode::Sequential,
        dir.path(),
    );
    let err = run(&options).unwrap_err();
    let (unsorted, sorted) = dirs(dir.path());
    assert_eq!(
        format!("{err:#}"),
        format!(
            "{}: byte 2: expected a digit, found ','",
            list_path(&unsorted, 1).display()
        )
    );
    assert_eq!(names(&unsorted), list_names(3));
    assert_eq!(names(&sorted), ["0.txt"]);
    assert_sorted_pair(&unsorted, &sorted, 0);
}

#[test]
fn a_stale_sorted_file_from_an_earlier_run_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, sorted) = dirs(dir.path());
    std::fs::create_dir_all(&sorted).unwrap();
    std::fs::write(list_path(&sorted, 0), "1,2,3").unwrap();
    fail_with(b"1,2,three", Mode::Sequential, dir.path());
}

#[test]
fn the_binary_exits_non_zero_with_one_clear_line() {
    let server = fixed_server(vec![b"5, 6".to_vec()]);
    let dir = tempfile::tempdir().unwrap();
    let (unsorted, sorted) = dirs(dir.path());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_numbers-client"))
        .args([
            "--server",
            &server.addr().to_string(),
            "--lists",
            "2",
            "--optimized",
        ])
        .arg("--unsorted-dir")
        .arg(&unsorted)
        .arg("--sorted-dir")
        .arg(&sorted)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no timing lines after a failure");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let file = |i| list_path(&unsorted, i).display().to_string();
    let expected = |i| {
        format!(
            "numbers-client: error: {}: byte 2: expected a digit, found ' '\n",
            file(i)
        )
    };
    assert!(stderr == expected(0) || stderr == expected(1), "{stderr:?}");
    assert!(names(&sorted).is_empty());
}
