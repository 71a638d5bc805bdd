//! The calibration corpus (`tests/corpus/<lab>/<case>/`): submissions in the shapes real
//! students' code takes, most of them the course's given client with a student's changes,
//! each graded in full and held to the verdict a fair teaching assistant gives it, item by
//! item (`case.toml`'s `[verdict]`, with the reason in `why`).

use std::path::Path;

use crate::support::{CASE, Changes, corpus_case, options_with_count, serial};

/// Frames and lists per grading: enough for threads to show their gain against the
/// server's per-connection wait, few enough to keep the suite short.
fn count(lab: &str) -> usize {
    match lab {
        "frames" => 500,
        _ => 8,
    }
}

/// Where the snooping case looks: another submission's file and a folder anyone may write
/// to, both under `/tmp`, and a file in the grader's home. Only the sandbox keeps it out.
fn plant_probes() {
    use std::os::unix::fs::PermissionsExt as _;
    let root = Path::new("/tmp/netlabs-sandbox-probe");
    let other = root.join("other-submission");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o1777)).unwrap();
    std::fs::write(
        other.join("JohnDoe_client.py"),
        "# another student's work\n",
    )
    .unwrap();
    std::fs::write("/root/netlabs-sandbox-probe.txt", "the grader's own file\n").unwrap();
    let _ = std::fs::remove_file(root.join("leaked.txt"));
}

/// Grades corpus case `lab/case` with every item and compares each with the verdict.
fn check(lab: &str, case: &str) {
    let _turn = serial();
    if case == "snooping_client" {
        plant_probes();
    }
    let changes = Changes::read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus")
            .join(lab)
            .join(case)
            .join(CASE),
    );
    let verdict = changes
        .verdict
        .unwrap_or_else(|| panic!("{lab}/{case}: case.toml has no [verdict]"));
    let checklist = labs::catalog::lab(lab).unwrap().checklist();
    let listed: Vec<&str> = verdict.items.keys().map(String::as_str).collect();
    let mut items: Vec<&str> = checklist.items.iter().map(|i| i.id.as_str()).collect();
    items.sort_unstable();
    assert_eq!(
        listed, items,
        "{lab}/{case}: the verdict must name every item"
    );

    let report = labs::grade(
        &labs::catalog::lab(lab).unwrap(),
        &labs::Target::Submission(corpus_case(lab, case)),
        &options_with_count(&[], count(lab)),
    )
    .expect("grading runs");
    let got: Vec<(String, String)> = report
        .items
        .iter()
        .map(|item| (item.id.clone(), item.status_text()))
        .collect();
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let wanted: Vec<(String, String)> = verdict.items.into_iter().collect();
    assert_eq!(
        got_sorted,
        wanted,
        "{lab}/{case}: the grader's verdict (left) is not the teaching assistant's (right)\nwhy: {}\n{}",
        changes.why,
        report.to_text()
    );
    assert_eq!(report.score, verdict.score, "{}", report.to_text());
    if case == "snooping_client" {
        assert!(
            !Path::new("/tmp/netlabs-sandbox-probe/leaked.txt").exists(),
            "a file left the working copy"
        );
    }
    for (id, phrase) in &verdict.evidence {
        let evidence = &report.item(id).unwrap().evidence;
        assert!(
            evidence.contains(phrase.as_str()),
            "{lab}/{case}: {id}'s evidence lacks {phrase:?}:\n{evidence}"
        );
    }
}

const CASES: &[(&str, &str)] = &[
    ("frames", "rgba_threads_pool"),
    ("frames", "given_unchanged"),
    ("frames", "misnamed_files"),
    ("frames", "print_per_frame"),
    ("frames", "port_from_input"),
    ("frames", "no_reuseaddr"),
    ("frames", "rgba_putpixel"),
    ("frames", "bare_except_accept"),
    ("frames", "fork_bomb_server"),
    ("frames", "memory_hog_client"),
    ("frames", "snooping_client"),
    ("numbers", "bytes_threads_processes"),
    ("numbers", "given_unchanged"),
    ("numbers", "comma_space"),
    ("numbers", "given_cosmetic"),
    ("numbers", "threads_sequential_sort"),
    ("numbers", "pool_apply_not_faster"),
];

#[test]
fn every_case_folder_is_graded_here() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut folders = Vec::new();
    for lab in std::fs::read_dir(&root).unwrap() {
        let lab = lab.unwrap();
        if !lab.file_type().unwrap().is_dir() {
            continue;
        }
        for case in std::fs::read_dir(lab.path()).unwrap() {
            let case = case.unwrap().file_name().to_string_lossy().into_owned();
            if case != "base" {
                folders.push((lab.file_name().to_string_lossy().into_owned(), case));
            }
        }
    }
    folders.sort();
    let mut tested: Vec<(String, String)> = CASES
        .iter()
        .map(|(l, c)| (l.to_string(), c.to_string()))
        .collect();
    tested.sort();
    assert_eq!(folders, tested);
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_rgba_threads_pool() {
    check("frames", "rgba_threads_pool");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_given_unchanged() {
    check("frames", "given_unchanged");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_misnamed_files() {
    check("frames", "misnamed_files");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_print_per_frame() {
    check("frames", "print_per_frame");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_port_from_input() {
    check("frames", "port_from_input");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_no_reuseaddr() {
    check("frames", "no_reuseaddr");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_rgba_putpixel() {
    check("frames", "rgba_putpixel");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_bare_except_accept() {
    check("frames", "bare_except_accept");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_fork_bomb_server() {
    check("frames", "fork_bomb_server");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_memory_hog_client() {
    check("frames", "memory_hog_client");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn frames_snooping_client() {
    check("frames", "snooping_client");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn numbers_bytes_threads_processes() {
    check("numbers", "bytes_threads_processes");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn numbers_given_unchanged() {
    check("numbers", "given_unchanged");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn numbers_comma_space() {
    check("numbers", "comma_space");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn numbers_given_cosmetic() {
    check("numbers", "given_cosmetic");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn numbers_threads_sequential_sort() {
    check("numbers", "threads_sequential_sort");
}

#[test]
#[ignore = "slow (a full grading with timing pairs); run with: cargo test -p labs --test grader -- --ignored"]
fn numbers_pool_apply_not_faster() {
    check("numbers", "pool_apply_not_faster");
}
