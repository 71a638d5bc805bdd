//! `--batch`: every subfolder graded, a CSV of deductions and a Markdown summary.

use labs::class::batch;

use crate::support::{copy_tree, fixture, options, serial};

#[test]
fn batch_grades_every_subfolder_in_parallel() {
    let _turn = serial();
    let dir = tempfile::tempdir().unwrap();
    for case in ["good", "concurrent_futures", "wrong_message"] {
        copy_tree(&fixture("numbers", case), &dir.path().join(case));
    }
    let lab = labs::catalog::lab("numbers").unwrap();
    let opts = options(&["file-names", "stdlib-only", "no-concurrent-futures", "pep8"]);
    let outcomes = batch::grade_all(&lab, dir.path(), &opts, 2, &|_| {}).unwrap();
    assert_eq!(outcomes.len(), 3);
    let csv = batch::csv(&lab.checklist(), &outcomes);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with(
            "submission,score,max_score,file-names,runs,stdlib-only,no-concurrent-futures"
        ),
        "{csv}"
    );
    assert!(
        lines[1].starts_with("concurrent_futures,0,10,0,n/a,0,-10,"),
        "{csv}"
    );
    assert!(lines[2].starts_with("good,10,10,0,n/a,0,0,"), "{csv}");
    let summary = batch::summary(&lab.checklist(), &outcomes, 1.0);
    assert!(
        summary.contains("| concurrent_futures | 0 / 10 | no-concurrent-futures |"),
        "{summary}"
    );
    assert!(
        summary.contains("| `no-concurrent-futures` | 1 |"),
        "{summary}"
    );
}

/// A submission that forks without end is stopped at the sandbox's process limit and
/// reported; the submission graded beside it in the same batch is graded as usual, and no
/// process of either is left behind.
#[test]
fn a_fork_bomb_is_stopped_and_the_batch_goes_on() {
    let _turn = serial();
    let dir = tempfile::tempdir().unwrap();
    for case in ["fork_bomb_server", "rgba_threads_pool"] {
        copy_tree(
            &crate::support::corpus_case("frames", case),
            &dir.path().join(case),
        );
    }
    let lab = labs::catalog::lab("frames").unwrap();
    let opts = crate::support::options_with_count(&["runs", "thread-per-connection"], 50);
    let outcomes = batch::grade_all(&lab, dir.path(), &opts, 2, &|_| {}).unwrap();
    let report = |name: &str| {
        outcomes
            .iter()
            .find(|(path, _)| path.ends_with(name))
            .and_then(|(_, result)| result.as_ref().ok())
            .unwrap_or_else(|| panic!("{name} was not graded: {outcomes:?}"))
    };
    let bomb = report("fork_bomb_server").item("runs").unwrap();
    assert_eq!(bomb.status_text(), "failed (limit)", "{}", bomb.evidence);
    assert!(
        bomb.evidence.contains("process limit 256 reached"),
        "{}",
        bomb.evidence
    );
    let good = report("rgba_threads_pool");
    assert_eq!(good.score, 10.0, "{}", good.to_text());
    // Killed processes may linger a moment as zombies until init reaps them: only live
    // ones count, and they must all be gone within a few seconds.
    let live = || -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .filter(|pid| {
                sandbox::observe::uid(*pid).is_some_and(|uid| uid >= sandbox::confine::FIRST_UID)
                    && std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                        !stat
                            .rsplit(')')
                            .next()
                            .unwrap_or("")
                            .trim_start()
                            .starts_with('Z')
                    })
            })
            .collect()
    };
    let gone = sandbox::observe::poll_until(std::time::Duration::from_secs(5), || {
        live().is_empty().then_some(())
    });
    assert!(gone.is_some(), "processes left running: {:?}", live());
}
