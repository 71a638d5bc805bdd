//! The checklist item as the grader's unit: every item and prerequisite of a lab's TOML has
//! a check in the lab's table and every check an item, and the table runs each check after
//! everything it depends on.

use labs::catalog::LABS;

#[test]
fn every_item_has_a_check_and_every_check_an_item() {
    for lab in LABS {
        let checklist = lab.checklist();
        let mut toml: Vec<&str> = checklist.ids().collect();
        let mut table = lab.checks.ids();
        toml.sort_unstable();
        table.sort_unstable();
        assert_eq!(
            toml, table,
            "{}: the checklist's items and prerequisites (left) and the checks of its table (right) differ",
            lab.name
        );
    }
}

#[test]
fn checks_run_after_what_they_depend_on() {
    for lab in LABS {
        let checklist = lab.checklist();
        let order = lab.checks.ids();
        for (at, id) in order.iter().enumerate() {
            for need in checklist.needs(id) {
                let before = order.iter().position(|other| *other == need);
                assert!(
                    before.is_some_and(|b| b < at),
                    "{}: {id} needs {need}, which its table checks later (or never)",
                    lab.name
                );
            }
        }
    }
}

#[test]
fn wanting_one_item_plans_what_it_needs_and_nothing_else() {
    let frames = labs::catalog::lab("frames").unwrap().checklist();
    let plan = labs::grading::engine::plan(&frames, &["gif-valid".to_owned()]);
    assert_eq!(
        plan.into_iter().collect::<Vec<_>>(),
        ["client-runs", "gif-valid"]
    );
    let plan = labs::grading::engine::plan(&frames, &["runs".to_owned()]);
    assert_eq!(
        plan.into_iter().collect::<Vec<_>>(),
        ["client-runs", "runs", "server-runs"]
    );
}
