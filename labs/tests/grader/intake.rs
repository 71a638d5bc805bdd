//! Intake: the layouts instructors download (folders, `<student_id>.zip`, Moodle's
//! "Download all submissions" with folders on or off, a zip of student zips) found under the
//! right identity with the right files, and hostile archives refused with their reason,
//! nothing written outside the intake's working folder. Every archive is built here with
//! the zip crate's writer; no grading runs but the last test's, of two static items.

use std::io::{Cursor, Write as _};
use std::path::{Path, PathBuf};

use labs::class::archive::{self, ArchiveLimits, Rejection};
use labs::class::intake::{self, Identity, Intake, Submission};
use zip::write::SimpleFileOptions;

/// A file of an archive being built: its name and what it holds.
enum Item<'a> {
    File(&'a str, &'a [u8]),
    Folder(&'a str),
    Link(&'a str, &'a str),
    /// A file whose Unix mode says character device.
    Device(&'a str),
}

/// The bytes of a zip holding `items`, deflated.
fn zip_of(items: &[Item]) -> Vec<u8> {
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for item in items {
        match item {
            Item::File(name, data) => {
                zip.start_file(*name, options).unwrap();
                zip.write_all(data).unwrap();
            }
            Item::Folder(name) => zip.add_directory(*name, options).unwrap(),
            Item::Link(name, target) => zip.add_symlink(*name, *target, options).unwrap(),
            Item::Device(name) => {
                zip.start_file(*name, options.external_attributes((0o020_644) << 16))
                    .unwrap();
            }
        }
    }
    zip.finish().unwrap().into_inner()
}

/// The small limits the hostile archives are tried against (the checklists' defaults are
/// 10000 entries and 64 MiB: a bomb past those takes a while to build).
const SMALL: ArchiveLimits = ArchiveLimits {
    max_entries: 20,
    max_bytes: 1 << 20,
};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The submission named `name`, or a panic listing those found.
fn find<'a>(intake: &'a Intake, name: &str) -> &'a Submission {
    intake
        .submissions
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no submission {name}: {:#?}", intake.submissions))
}

/// The file names of the folder a submission is graded from, sorted.
fn files(submission: &Submission) -> Vec<String> {
    let folder = submission
        .folder
        .as_ref()
        .unwrap_or_else(|e| panic!("{} refused: {e}", submission.name));
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Why a submission was refused, or a panic.
fn refusal(submission: &Submission) -> &str {
    submission
        .folder
        .as_ref()
        .err()
        .unwrap_or_else(|| panic!("{} was not refused", submission.name))
}

fn moodle(full_name: &str, participant_id: &str) -> Identity {
    Identity::Moodle {
        full_name: full_name.into(),
        participant_id: participant_id.into(),
    }
}

/// Every file under `dir`, recursively.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                found.extend(tree(&path));
            } else {
                found.push(path);
            }
        }
    }
    found
}

const CLIENT: &[u8] = b"import socket\n";
const SERVER: &[u8] = b"import socketserver\n";

/// Jane's zip as the handout asks: her scripts in a folder named with her student id.
fn janes_zip() -> Vec<u8> {
    zip_of(&[
        Item::Folder("12345/"),
        Item::File("12345/JaneDoe_client.py", CLIENT),
        Item::File("12345/JaneDoe_server.py", SERVER),
    ])
}

/// Ann's zip, her folder misnamed `lab2`.
fn anns_zip() -> Vec<u8> {
    zip_of(&[
        Item::File("lab2/AnnLee_client.py", CLIENT),
        Item::File("lab2/AnnLee_server.py", SERVER),
    ])
}

/// Checks the three students of the Moodle downloads below.
fn assert_moodle_class(intake: &Intake) {
    let jane = find(intake, "Jane Doe_4242");
    assert_eq!(jane.identity, moodle("Jane Doe", "4242"));
    assert_eq!(files(jane), ["JaneDoe_client.py", "JaneDoe_server.py"]);
    assert!(jane.notes.is_empty(), "{:?}", jane.notes);
    let john = find(intake, "John Smith_4343");
    assert_eq!(john.identity, moodle("John Smith", "4343"));
    assert_eq!(files(john), ["JohnSmith_client.py", "JohnSmith_server.py"]);
    let ann = find(intake, "Ann Lee_4444");
    assert_eq!(files(ann), ["AnnLee_client.py", "AnnLee_server.py"]);
    assert_eq!(
        ann.notes,
        ["the files are in a folder named `lab2`, not `54321`"]
    );
    assert_eq!(intake.submissions.len(), 3, "{:#?}", intake.submissions);
}

#[test]
fn moodle_download_with_folders_one_zip_nested_one_loose_one_misnamed() {
    let dir = tempfile::tempdir().unwrap();
    let download = dir.path().join("download.zip");
    write(
        &download,
        &zip_of(&[
            Item::File(
                "Jane Doe_4242_assignsubmission_file_/12345.zip",
                &janes_zip(),
            ),
            Item::File(
                "John Smith_4343_assignsubmission_file_/JohnSmith_client.py",
                CLIENT,
            ),
            Item::File(
                "John Smith_4343_assignsubmission_file_/JohnSmith_server.py",
                SERVER,
            ),
            Item::File("Ann Lee_4444_assignsubmission_file_/54321.zip", &anns_zip()),
        ]),
    );
    let intake = intake::intake(&download, ArchiveLimits::default()).unwrap();
    assert_moodle_class(&intake);
    assert!(intake.ignored.is_empty(), "{:?}", intake.ignored);
    let jane = find(&intake, "Jane Doe_4242");
    assert!(jane.folder.as_ref().unwrap().starts_with(intake.work()));
}

#[test]
fn moodle_download_without_folders_as_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("download");
    let flat = |name: &str, bytes: &[u8]| write(&batch.join(name), bytes);
    flat(
        "Jane Doe_4242_assignsubmission_file_12345.zip",
        &janes_zip(),
    );
    flat(
        "John Smith_4343_assignsubmission_file_JohnSmith_client.py",
        CLIENT,
    );
    flat(
        "John Smith_4343_assignsubmission_file_JohnSmith_server.py",
        SERVER,
    );
    flat("Ann Lee_4444_assignsubmission_file_54321.zip", &anns_zip());
    let intake = intake::intake(&batch, ArchiveLimits::default()).unwrap();
    assert_moodle_class(&intake);
    assert_eq!(
        find(&intake, "John Smith_4343").source,
        "John Smith_4343_assignsubmission_file_*"
    );
}

#[test]
fn student_zips_folders_and_a_zip_of_student_zips() {
    let dir = tempfile::tempdir().unwrap();
    // Today's layout, a student's zip beside it, and a stray file the intake leaves out.
    let batch = dir.path().join("class");
    write(&batch.join("67890/BobRay_client.py"), CLIENT);
    write(&batch.join("12345.zip"), &janes_zip());
    write(&batch.join("grades.txt"), b"");
    let intake = intake::intake(&batch, ArchiveLimits::default()).unwrap();
    let jane = find(&intake, "12345");
    assert_eq!(jane.identity, Identity::Named("12345".into()));
    assert_eq!(jane.source, "12345.zip");
    assert_eq!(files(jane), ["JaneDoe_client.py", "JaneDoe_server.py"]);
    let bob = find(&intake, "67890");
    assert_eq!(bob.folder.as_deref().unwrap(), batch.join("67890"));
    assert_eq!(
        intake.ignored,
        ["grades.txt: neither a submission folder, a .zip nor a Moodle submission file"]
    );
    // The same zips, zipped in a folder that wraps the class.
    let class = dir.path().join("class.zip");
    write(
        &class,
        &zip_of(&[
            Item::Folder("week2/"),
            Item::File("week2/12345.zip", &janes_zip()),
            Item::File("week2/54321.zip", &anns_zip()),
        ]),
    );
    let intake = intake::intake(&class, ArchiveLimits::default()).unwrap();
    assert_eq!(files(find(&intake, "12345")).len(), 2);
    assert_eq!(
        find(&intake, "54321").notes,
        ["the files are in a folder named `lab2`, not `54321`"]
    );
    assert_eq!(intake.submissions.len(), 2);
}

/// A bomb: 16 MiB of zeros, a few kilobytes deflated.
fn bomb() -> Vec<u8> {
    zip_of(&[Item::File("12345/a.py", &vec![0; 16 << 20])])
}

#[test]
fn hostile_archives_are_refused_each_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let batch = dir.path().join("class");
    let outside = dir.path().join("outside-absolute.py");
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "good",
            janes_zip(),
            String::new(),
        ),
        (
            "dotdot",
            zip_of(&[Item::File("12345/a.py", CLIENT), Item::File("../evil.py", CLIENT)]),
            "archive rejected: entry `../evil.py` leaves the folder it is extracted to".into(),
        ),
        (
            "absolute",
            zip_of(&[Item::File(outside.to_str().unwrap(), CLIENT)]),
            format!("archive rejected: entry `{}` is an absolute path", outside.display()),
        ),
        (
            "link",
            zip_of(&[Item::Link("12345/etc", "/etc"), Item::File("12345/a.py", CLIENT)]),
            "archive rejected: entry `12345/etc` is a symbolic link".into(),
        ),
        (
            "device",
            zip_of(&[Item::Device("12345/tty")]),
            "archive rejected: entry `12345/tty` is a device, pipe or socket, not a file".into(),
        ),
        (
            "bomb",
            bomb(),
            "archive rejected: more than 1 MiB once uncompressed (the checklist's archive_max_bytes)"
                .into(),
        ),
        (
            "many",
            zip_of(
                &(0..21)
                    .map(|i| Item::Folder(Box::leak(format!("d{i}/").into_boxed_str())))
                    .collect::<Vec<_>>(),
            ),
            "archive rejected: more than 20 entries (the checklist's archive_max_entries)".into(),
        ),
        (
            "corrupt",
            janes_zip()[..60].to_vec(),
            "archive rejected: not a readable zip archive (".into(),
        ),
        (
            "empty",
            zip_of(&[]),
            "archive rejected: the archive holds no files".into(),
        ),
    ];
    let bomb_size = bomb().len();
    assert!(bomb_size < 64 << 10, "the bomb is {bomb_size} bytes");
    for (name, bytes, _) in &cases {
        write(&batch.join(format!("{name}.zip")), bytes);
    }
    let intake = intake::intake(&batch, SMALL).unwrap();
    assert_eq!(intake.submissions.len(), cases.len());
    for (name, _, why) in &cases {
        let submission = find(&intake, name);
        if why.is_empty() {
            assert_eq!(
                files(submission),
                ["JaneDoe_client.py", "JaneDoe_server.py"]
            );
        } else {
            assert!(
                refusal(submission).starts_with(why.as_str()),
                "{name}: {:?}",
                submission.folder
            );
        }
    }
    // Nothing escaped, and nothing of a refused archive stays behind: only the good one's
    // files are in the working folder.
    assert!(!outside.exists());
    assert!(!dir.path().join("evil.py").exists());
    assert!(!batch.join("evil.py").exists());
    let written = tree(intake.work());
    assert_eq!(written.len(), 2, "{written:#?}");
    assert!(tree(dir.path()).iter().all(|p| !p.ends_with("evil.py")));
}

/// A bomb whose headers claim 100 bytes: the intake never reads that claim, it counts the
/// bytes as they come.
#[test]
fn a_bomb_lying_about_its_size_is_stopped_while_reading() {
    let mut bytes = bomb();
    let claimed = 100u32.to_le_bytes();
    // The uncompressed size is at offset 22 of the local header (the archive's first bytes)
    // and at offset 24 of the central directory's record (signature `PK\x01\x02`).
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    bytes[22..26].copy_from_slice(&claimed);
    let central = bytes
        .windows(4)
        .rposition(|w| w == b"PK\x01\x02")
        .expect("a central directory record");
    bytes[central + 24..central + 28].copy_from_slice(&claimed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("liar.zip");
    write(&path, &bytes);
    let dest = dir.path().join("out");
    let refused = archive::extract_all(&path, &dest, SMALL).unwrap_err();
    // The zip reader refuses to give more than the declared size itself (`BadEntry`); were
    // it not to, the intake's own count would stop it at the limit (`TooLarge`). Either
    // way, no file past the limit is written.
    assert!(
        matches!(refused, Rejection::TooLarge(_) | Rejection::BadEntry(..)),
        "{refused}"
    );
    for file in tree(&dest) {
        assert!(std::fs::metadata(&file).unwrap().len() <= SMALL.max_bytes);
    }
}

/// In a class zip, a hostile student's share refuses that student only; an entry that is
/// nobody's is left out and said so.
#[test]
fn a_class_zip_with_one_hostile_student_grades_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let download = dir.path().join("download.zip");
    write(
        &download,
        &zip_of(&[
            Item::File(
                "John Smith_4343_assignsubmission_file_/JohnSmith_client.py",
                CLIENT,
            ),
            Item::Link("Eve Evil_6666_assignsubmission_file_/x.py", "/etc/passwd"),
            Item::File(
                "Bob Big_7777_assignsubmission_file_/a.py",
                &vec![0; 2 << 20],
            ),
            Item::File("../evil.py", CLIENT),
        ]),
    );
    let intake = intake::intake(&download, SMALL).unwrap();
    assert_eq!(
        files(find(&intake, "John Smith_4343")),
        ["JohnSmith_client.py"]
    );
    assert_eq!(
        refusal(find(&intake, "Eve Evil_6666")),
        "archive rejected: entry `Eve Evil_6666_assignsubmission_file_/x.py` is a symbolic link"
    );
    assert_eq!(
        refusal(find(&intake, "Bob Big_7777")),
        "archive rejected: more than 1 MiB once uncompressed (the checklist's archive_max_bytes)"
    );
    assert_eq!(
        intake.ignored,
        ["batch archive: entry `../evil.py` leaves the folder it is extracted to"]
    );
    assert!(!dir.path().join("evil.py").exists());
    assert!(!intake.work().join("evil.py").exists());
}

/// `labs grade LAB FILE.zip`: one archive, extracted, or refused with its reason.
#[test]
fn one_archive_is_unpacked_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("12345.zip");
    write(&good, &janes_zip());
    let unpacked = intake::unpack(&good, ArchiveLimits::default()).unwrap();
    assert!(unpacked.folder.ends_with("12345"));
    assert!(unpacked.folder.join("JaneDoe_client.py").is_file());
    let bad = dir.path().join("54321.zip");
    write(&bad, &bomb());
    let refused = intake::unpack(&bad, SMALL).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "archive rejected: more than 1 MiB once uncompressed (the checklist's archive_max_bytes)"
    );
}

/// Every lab's checklist sets the two archive limits, to the defaults.
#[test]
fn every_checklist_sets_the_archive_limits() {
    for lab in labs::catalog::LABS {
        assert_eq!(
            lab.checklist().sandbox.archive,
            ArchiveLimits {
                max_entries: 10_000,
                max_bytes: 64 << 20
            },
            "{}",
            lab.name
        );
    }
}

/// A Moodle download graded end to end on two static items: the CSV, the summary and the
/// report files name each student, and a refused archive is a row of its own.
#[test]
fn a_moodle_batch_is_graded_under_the_students_names() {
    let _turn = crate::support::serial();
    let good = crate::support::fixture("numbers", "good");
    let mut jane = Vec::new();
    for file in std::fs::read_dir(&good).unwrap() {
        let file = file.unwrap();
        let name = format!("12345/{}", file.file_name().to_string_lossy());
        jane.push((name, std::fs::read(file.path()).unwrap()));
    }
    let janes: Vec<Item> = jane.iter().map(|(n, b)| Item::File(n, b)).collect();
    let dir = tempfile::tempdir().unwrap();
    let download = dir.path().join("download.zip");
    write(
        &download,
        &zip_of(&[
            Item::File(
                "Jane Doe_4242_assignsubmission_file_/12345.zip",
                &zip_of(&janes),
            ),
            Item::File(
                "Eve Evil_6666_assignsubmission_file_/x.zip",
                &zip_of(&[Item::File("../x.py", CLIENT)]),
            ),
        ]),
    );
    let lab = labs::catalog::lab("numbers").unwrap();
    let intake = intake::intake(&download, lab.checklist().sandbox.archive).unwrap();
    let opts = labs::GradeOptions {
        only: vec!["file-names".into(), "pep8".into()],
        python: testkit::python::interpreter(),
        ..labs::GradeOptions::default()
    };
    let outcomes =
        labs::class::batch::grade_submissions(&lab, &intake.submissions, &opts, 2, &|_| {})
            .unwrap();
    let out = dir.path().join("results");
    let summary =
        labs::class::batch::write_results(&lab.checklist(), &intake, &outcomes, 1.0, None, &out)
            .unwrap();
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[1].starts_with("Eve Evil_6666,,10,"), "{csv}");
    assert!(
        rows[1].ends_with(
            ",archive rejected: x.zip: entry `../x.py` leaves the folder it is extracted to"
        ),
        "{csv}"
    );
    assert!(rows[2].starts_with("Jane Doe_4242,10,10,0,"), "{csv}");
    let grades = std::fs::read_to_string(out.join("grades.csv")).unwrap();
    assert_eq!(
        grades,
        "identity,score,max_score\nEve Evil_6666,,10\nJane Doe_4242,10,10\n"
    );
    let report = std::fs::read_to_string(out.join("Jane Doe_4242.json")).unwrap();
    assert!(
        report.contains("\"submission\": \"Jane Doe_4242\""),
        "{report}"
    );
    assert!(
        summary.contains("| Eve Evil_6666 | not graded | archive rejected: x.zip:"),
        "{summary}"
    );
}
