//! Grades back to the platform: Moodle's grading worksheet filled in and `grades.csv`,
//! from fabricated reports (no grading runs). The worksheet has three students: one
//! graded, one whose archive was refused, one who submitted nothing; every other column,
//! the header and the row order must come back as Moodle wrote them.

use labs::class::grades::{Graded, MoodleWorksheet, grades_csv};
use labs::class::identity::Identity;
use labs::grading::report::{Fault, ItemResult, Report, Verdict};

/// A worksheet as Moodle's "Download grading worksheet" writes it (English interface,
/// feedback comments on), with a name that needs quoting.
const WORKSHEET: &str = "\
Identifier,\"Full name\",\"Email address\",Status,Grade,\"Maximum Grade\",\"Grade can be changed\",\"Last modified (submission)\",\"Last modified (grade)\",\"Feedback comments\"
\"Participant 4242\",\"Jane Doe\",jane@example.edu,\"Submitted for grading\",,10.00,Yes,\"Monday, 3 March 2025, 10:00 AM\",-,
\"Participant 6666\",\"Eve Evil\",eve@example.edu,\"Submitted for grading\",,10.00,Yes,\"Monday, 3 March 2025, 11:00 AM\",-,
\"Participant 7777\",\"Smith, John\",john@example.edu,\"No submission\",,10.00,Yes,-,-,
";

/// Jane's report: `message-format` failed (-1), `original-work` not assessed.
fn janes_report() -> Report {
    let checklist = labs::catalog::lab("numbers").unwrap().checklist();
    let item = |id: &str, verdict| ItemResult::new(checklist.item(id).unwrap(), verdict);
    let items = vec![
        item("file-names", Verdict::pass("found client and server")),
        item(
            "message-format",
            Verdict::fail(Fault::WrongAnswer, "no 'Sorting time' line"),
        ),
        item("original-work", Verdict::not_assessed("judged by a person")),
    ];
    Report::new(
        &checklist,
        "Jane Doe_4242".into(),
        "host".into(),
        1.0,
        items,
    )
}

fn moodle(full_name: &str, participant_id: &str) -> Identity {
    Identity::Moodle {
        full_name: full_name.into(),
        participant_id: participant_id.into(),
    }
}

/// Every record of `text`, header first.
fn records(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_worksheet_comes_back_with_grades_and_feedback_and_nothing_else_changed() {
    let jane = moodle("Jane Doe", "4242");
    let eve = moodle("Eve Evil", "6666");
    let named = Identity::Named("12345".into());
    let janes: Result<Report, String> = Ok(janes_report());
    let eves: Result<Report, String> =
        Err("archive rejected: x.zip: entry `../x.py` leaves the folder".into());
    let results = [
        Graded {
            name: "Eve Evil_6666",
            identity: &eve,
            result: &eves,
        },
        Graded {
            name: "Jane Doe_4242",
            identity: &jane,
            result: &janes,
        },
        Graded {
            name: "12345",
            identity: &named,
            result: &janes,
        },
    ];
    let filled = MoodleWorksheet::parse(WORKSHEET).unwrap().fill(&results);
    assert_eq!((filled.graded, filled.not_graded), (1, 1));
    assert_eq!(filled.unmatched, ["12345"]);

    let before = records(WORKSHEET);
    let after = records(&filled.text);
    assert_eq!(after.len(), 4, "{}", filled.text);
    assert_eq!(after[0], before[0], "the header is Moodle's");
    let (grade, feedback) = (4, 9);
    assert_eq!(before[0][grade], "Grade");
    assert_eq!(before[0][feedback], "Feedback comments");
    for (row, (was, is)) in before.iter().zip(&after).enumerate().skip(1) {
        assert_eq!(is.len(), was.len(), "row {row}");
        for column in 0..was.len() {
            if column != grade && column != feedback {
                assert_eq!(is[column], was[column], "row {row}, {}", before[0][column]);
            }
        }
    }
    // Jane: graded, her deduction with its item's title and points.
    assert_eq!(after[1][grade], "9");
    assert_eq!(
        after[1][feedback],
        "<p>numbers: 9 / 10</p><p>Deductions:</p><ul><li>Server and client messages as in \
         the handout's example run (message-format): -1 points</li></ul><p>Not assessed by \
         the grader, no deduction (your instructor decides): The code is the author's own \
         work.</p>"
    );
    // Eve: a refused archive, no grade, the reason as feedback.
    assert_eq!(after[2][grade], "");
    assert_eq!(
        after[2][feedback],
        "<p>Not graded by the automatic grader: archive rejected: x.zip: entry `../x.py` \
         leaves the folder. Your instructor will grade this submission.</p>"
    );
    // John: no submission, the row as it was.
    assert_eq!(after[3], before[3]);
}

#[test]
fn a_worksheet_without_the_columns_moodle_reads_back_is_refused() {
    let error = MoodleWorksheet::parse("Identifier,Grade\n\"Participant 1\",\n").unwrap_err();
    assert!(
        format!("{error:#}").starts_with("no `Feedback comments` column"),
        "{error:#}"
    );
}

#[test]
fn grades_csv_has_every_submission_and_an_empty_score_when_not_graded() {
    let jane = moodle("Jane Doe", "4242");
    let janes: Result<Report, String> = Ok(janes_report());
    let refused: Result<Report, String> = Err("archive rejected".into());
    let named = Identity::Named("12345".into());
    let results = [
        Graded {
            name: "12345",
            identity: &named,
            result: &refused,
        },
        Graded {
            name: "Jane Doe_4242",
            identity: &jane,
            result: &janes,
        },
    ];
    assert_eq!(
        grades_csv(&results, 10.0),
        "identity,score,max_score\n12345,,10\nJane Doe_4242,9,10\n"
    );
}
