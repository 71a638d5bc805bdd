//! `labs similarity`: the checklists' `original-work` item, prepared for a person to judge.
//!
//! Every submission of a class is compared with every other one, role by role (client with
//! client, server with server) through the [`similarity`] crate, with the lab's given code
//! and every `--given` file left out. A pair's score combines its roles' so that one copied
//! file is enough ([`report::combined`]): a student who copies the server and writes the
//! client alone has still copied a file. The pairs come back ranked, each with its matched
//! fragments as line ranges in both files, as JSON, text ([`report`]) or a self-contained
//! HTML page ([`html`]). `labs grade --batch` writes the JSON and the page beside its grades
//! and names each submission's closest match in its report; the verdict on `original-work`
//! stays a person's.
//!
//! Submissions are found as the batch finds them ([`crate::class::intake`]), and their role
//! files by name as the grader finds them ([`crate::grading::submission`]). Nothing a
//! submission holds stops the run: a symbolic link is not followed, a binary file is left
//! out, a file that is not UTF-8 or does not parse is compared on what could be read, a
//! huge one on its first [`MAX_FILE_BYTES`]; each gets a note in the report.

pub mod html;
pub mod report;

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sandbox::workdir::file_name;
use similarity::Document;
pub use similarity::Settings;

use crate::class::intake::{self, Submission};
use crate::grading::checklist::{Checklist, SubmissionSpec};
use crate::grading::engine::Lab;
use crate::grading::submission::layout;
pub use report::{ClassReport, FileEntry, FragmentEntry, PairEntry, RoleMatch, SubmissionEntry};

/// Bytes read of one file; the rest of a larger one is left out, with a note. 256 KiB is
/// some fifty times the largest course solution.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// The score from which a pair is listed in the text report, drawn in the HTML graph and
/// shown side by side, unless `--threshold` says otherwise: about 17 shared tokens (three
/// lines) of rare code. On the seven similarity corpora (`labs/tests/similarity/`: 112
/// copied pairs, 2 174 independent ones) no copy scores below it (the lowest, a copied
/// queue worker in the held-out corpus, 0.416) and 2 independent pairs score above it
/// (0.398, two servers on the course's skeleton in dev2): showing a person a pair too many
/// is the cheaper mistake. It was 0.45 when the held-out corpus was run, which would have
/// left that copy out of the list (not out of the ranking).
pub const DEFAULT_THRESHOLD: f64 = 0.35;

/// The code that is never evidence: a role's name (`None` for an instructor's `--given`
/// file, which counts against every role), the file's name, and its source.
#[derive(Debug, Clone)]
pub struct Given {
    /// The role it belongs to, or every role.
    pub role: Option<String>,
    /// How the report names it: `given client (built-in)`, or the file's path.
    pub name: String,
    /// The source.
    pub source: String,
}

impl Given {
    /// The file at `path` as given code of `role` (every role for `None`), named by its path.
    ///
    /// Errors: the file cannot be read.
    pub fn read(role: Option<&str>, path: &Path) -> anyhow::Result<Given> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the given code {}", path.display()))?;
        Ok(Given {
            role: role.map(str::to_owned),
            name: path.display().to_string(),
            source: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

/// The given code of `lab` (its given client) and of the instructor's `--given` files.
///
/// Errors: a `--given` file that cannot be read.
pub fn given_code(lab: &Lab, files: &[PathBuf]) -> anyhow::Result<Vec<Given>> {
    let built_in = lab.given.iter().map(|(role, source)| {
        Ok(Given {
            role: Some((*role).to_owned()),
            name: format!("given {role} (built-in)"),
            source: (*source).to_owned(),
        })
    });
    built_in
        .chain(files.iter().map(|path| Given::read(None, path)))
        .collect()
}

/// The given code of a batch: the lab's, with the `--given-client` files of `labs grade`
/// (`role -> path`) for their roles.
///
/// Errors: a given file that cannot be read.
pub fn batch_given(
    lab: &Lab,
    given_programs: &BTreeMap<String, PathBuf>,
) -> anyhow::Result<Vec<Given>> {
    let mut given = given_code(lab, &[])?;
    for (role, path) in given_programs {
        given.push(Given::read(Some(role), path)?);
    }
    Ok(given)
}

/// The file of a batch's results folder that holds the class compared, as JSON.
pub const JSON_FILE: &str = "similarity.json";

/// The file of a batch's results folder that shows the class compared ([`html::page`]).
pub const HTML_FILE: &str = "similarity.html";

/// Writes [`JSON_FILE`] and [`HTML_FILE`] (pairs at or above [`DEFAULT_THRESHOLD`] in
/// full) into the results folder `out`, each whole or not at all.
///
/// Errors: a file cannot be written.
pub fn write_files(class: &Class, out: &Path) -> anyhow::Result<()> {
    let page = html::page(class, DEFAULT_THRESHOLD);
    for (name, text) in [(JSON_FILE, class.report.to_json()), (HTML_FILE, page)] {
        let path = out.join(name);
        common::fs::write_atomically(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The evidence of the `original-work` item in a batch: still a person's judgement, now
/// with the submission's closest match, its score and where to see the pair:
/// "judged by a person, not by the grader; closest match: bob, similarity 0.83 (client),
/// side by side in similarity.html#pair-0". Replaces the item's evidence, so a resumed
/// batch says it once.
pub fn annotate(outcomes: &mut [crate::class::batch::Outcome], class: &Class) {
    let closest = class.report.closest();
    for (name, result) in outcomes.iter_mut() {
        let Ok(report) = result else { continue };
        let Some(item) = report.items.iter_mut().find(|i| i.id == ORIGINAL_WORK) else {
            continue;
        };
        let manual = crate::checks::shared_items::MANUAL;
        item.evidence = match closest.get(name.as_str()) {
            Some(c) => {
                let shown = if c.similarity >= DEFAULT_THRESHOLD {
                    format!(", side by side in {HTML_FILE}#pair-{}", c.rank)
                } else {
                    format!(", below the {DEFAULT_THRESHOLD} threshold ({HTML_FILE})")
                };
                let role = if c.role.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.role)
                };
                format!(
                    "{manual}; closest match: {}, similarity {:.2}{role}{shown}",
                    c.other, c.similarity
                )
            }
            None => format!("{manual}; no other submission to compare with"),
        };
    }
}

/// The checklist item whose evidence [`annotate`] fills in.
pub const ORIGINAL_WORK: &str = "original-work";

/// A class compared: the report, and the files' sources for the HTML page.
#[derive(Debug, Clone)]
pub struct Class {
    /// What is written as JSON.
    pub report: ClassReport,
    /// Each compared file's text, by submission name and role.
    pub sources: BTreeMap<(String, String), String>,
}

/// Compares the submissions in `dir` (laid out as for `labs grade --batch`, archives and
/// Moodle's downloads included) for `lab`, leaving out `given`.
///
/// Errors: `dir` cannot be read (a submission that cannot is a note, not an error).
pub fn compare_dir(
    lab: &Lab,
    checklist: &Checklist,
    dir: &Path,
    given: &[Given],
    settings: &Settings,
) -> anyhow::Result<Class> {
    let intake = intake::intake(dir, checklist.sandbox.archive)?;
    Ok(compare_submissions(
        lab,
        &checklist.submission,
        &intake.submissions,
        given,
        settings,
    ))
}

/// Compares `submissions` (as the intake found them) role by role.
pub fn compare_submissions(
    lab: &Lab,
    spec: &SubmissionSpec,
    submissions: &[Submission],
    given: &[Given],
    settings: &Settings,
) -> Class {
    let read: Vec<Read> = submissions
        .iter()
        .map(|s| match &s.folder {
            Ok(folder) => read_submission(folder, spec, settings),
            Err(why) => Read {
                notes: vec![format!("not compared: {why}")],
                ..Read::default()
            },
        })
        .collect();
    let mut pairs: BTreeMap<(usize, usize), Vec<RoleMatch>> = BTreeMap::new();
    let mut files: Vec<BTreeMap<String, FileEntry>> = vec![BTreeMap::new(); submissions.len()];
    for role in &spec.roles {
        let docs: Vec<Option<&Document>> = read
            .iter()
            .map(|r| r.files.get(role).map(|f| &f.document))
            .collect();
        let given_docs: Vec<Document> = given
            .iter()
            .filter(|g| g.role.as_ref().is_none_or(|r| r == role))
            .map(|g| Document::python(g.source.as_bytes(), settings.max_tokens))
            .collect();
        let given_refs: Vec<&Document> = given_docs.iter().collect();
        let comparison = similarity::compare(&docs, &given_refs, settings);
        for (i, r) in read.iter().enumerate() {
            if let Some(file) = r.files.get(role) {
                files[i].insert(
                    role.clone(),
                    FileEntry::new(&file.name, comparison.files[i], &file.document.notes),
                );
            }
        }
        for pair in comparison.pairs {
            let (a, b) = (pair.left, pair.right);
            let stats = (comparison.files[a], comparison.files[b]);
            let names = (&read[a].files[role].name, &read[b].files[role].name);
            pairs
                .entry((a, b))
                .or_default()
                .push(RoleMatch::new(role, names, stats, &pair));
        }
    }
    let mut entries: Vec<PairEntry> = Vec::new();
    for a in 0..submissions.len() {
        for b in a + 1..submissions.len() {
            let roles = pairs.remove(&(a, b)).unwrap_or_default();
            entries.push(PairEntry::new(
                &submissions[a].name,
                &submissions[b].name,
                roles,
            ));
        }
    }
    entries.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| (&x.left, &x.right).cmp(&(&y.left, &y.right)))
    });
    let mut sources = BTreeMap::new();
    let entries_by_submission = submissions
        .iter()
        .zip(read)
        .zip(files)
        .map(|((s, r), files)| {
            for (role, file) in r.files {
                sources.insert((s.name.clone(), role), file.text);
            }
            SubmissionEntry {
                name: s.name.clone(),
                files,
                notes: r.notes,
            }
        })
        .collect();
    Class {
        report: ClassReport {
            lab: lab.name.to_owned(),
            given: given.iter().map(|g| g.name.clone()).collect(),
            settings: report::SettingsEntry::from(settings),
            submissions: entries_by_submission,
            pairs: entries,
        },
        sources,
    }
}

/// One submission's role files, read.
#[derive(Default)]
struct Read {
    files: BTreeMap<String, ReadFile>,
    notes: Vec<String>,
}

struct ReadFile {
    name: String,
    text: String,
    document: Document,
}

/// Finds and reads the role files of the submission in `folder` (see the module's doc for
/// what is left out, and said, on the way).
fn read_submission(folder: &Path, spec: &SubmissionSpec, settings: &Settings) -> Read {
    let mut read = Read::default();
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            read.notes
                .push(format!("not compared: cannot read the folder: {e}"));
            return read;
        }
    };
    let mut python = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = file_name(&path);
        // `file_type` does not follow a link: a link out of the submission is never read.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !name.ends_with(".py") {
            continue;
        }
        if kind.is_symlink() {
            read.notes
                .push(format!("{name}: a symbolic link, not followed"));
        } else if kind.is_file() {
            python.push(path);
        }
    }
    python.sort();
    if python.is_empty() {
        read.notes.push("no Python file".to_owned());
        return read;
    }
    let found = layout(&python, spec, None);
    for (role, path) in found.roles {
        let name = file_name(&path);
        match read_capped(&path) {
            Err(e) => read.notes.push(format!("{name}: cannot be read: {e}")),
            Ok((bytes, _)) if bytes.contains(&0) => {
                read.notes
                    .push(format!("{name}: a binary file, not compared"));
            }
            Ok((bytes, cut)) => {
                let mut document = Document::python(&bytes, settings.max_tokens);
                if cut {
                    document.notes.insert(
                        0,
                        format!(
                            "larger than {} KiB: compared on its first {0} KiB",
                            MAX_FILE_BYTES / 1024
                        ),
                    );
                }
                let text = String::from_utf8_lossy(&bytes).into_owned();
                read.files.insert(
                    role,
                    ReadFile {
                        name,
                        text,
                        document,
                    },
                );
            }
        }
    }
    read
}

/// At most [`MAX_FILE_BYTES`] of the file at `path`, and whether there was more.
fn read_capped(path: &Path) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    let cut = bytes.len() as u64 > MAX_FILE_BYTES;
    bytes.truncate(MAX_FILE_BYTES as usize);
    Ok((bytes, cut))
}
