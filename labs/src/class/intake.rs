//! Intake: from what an instructor downloads to one folder per submission, each under the
//! student's identity.
//!
//! Instructors grade what their learning platform hands out, in whichever shape it has, and
//! every submission must keep its student's identity in every row, report and file name the
//! batch writes. `labs grade LAB --batch PATH` takes a folder or a `.zip` of the class,
//! and inside either reads:
//!
//! | in the batch | identity | the files graded |
//! |---|---|---|
//! | a folder `NAME/` | `NAME` | its files |
//! | an archive `<student_id>.zip` | the student id | its files, extracted |
//! | Moodle's folder `Full Name_<participant id>_assignsubmission_file_/` | `Full Name_<participant id>` | its files, or the student's own zip inside it, extracted |
//! | Moodle's files `Full Name_<participant id>_assignsubmission_file_<file>` (the download with folders off) | `Full Name_<participant id>` | every such file of the participant, under its own name `<file>`, a zip among them extracted |
//!
//! A zip of the class may hold student zips (archives nested one level), and everything may
//! sit in one folder that wraps the whole class. Inside a submission, when there is no
//! Python file but a single folder, the files are taken from that folder (the handout's
//! rule: the scripts in a folder named after the student id, zipped); when its name is not
//! the student id the intake says so in its notes, and grades it all the same.
//!
//! Every archive is read by [`crate::class::archive`], into this intake's own temporary
//! working folder, with the checklist's `[sandbox]` archive limits applied to each archive,
//! and to each submission's share of a class zip. A refused archive makes that submission
//! "not graded: archive rejected: `why`"; the batch goes on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sandbox::workdir::file_name;

use crate::class::archive::{self, Archive, ArchiveLimits, Entry, Rejection};
pub use crate::class::identity::Identity;
use crate::class::identity::{moodle, unique_name};

/// One submission found by the intake.
#[derive(Debug, Clone)]
pub struct Submission {
    /// Whose it is.
    pub identity: Identity,
    /// How the batch names it: its CSV row, its summary line, its report's `submission`
    /// and file name. The identity, made unique within the batch (` (2)` after a repeat)
    /// and usable as a file name.
    pub name: String,
    /// What it came from, relative to the batch: `12345.zip`, `Jane Doe_42_assignsubmission_file_/`.
    pub source: String,
    /// The folder to grade, or why it is not graded (`archive rejected: ...`).
    pub folder: Result<PathBuf, String>,
    /// What the intake noticed on the way: a folder not named after the student id.
    pub notes: Vec<String>,
}

/// The submissions of a batch, and the working folder their extracted files live in
/// (removed when this is dropped).
#[derive(Debug)]
pub struct Intake {
    /// Every submission, in name order.
    pub submissions: Vec<Submission>,
    /// What the batch holds besides submissions, each with why it was left out.
    pub ignored: Vec<String>,
    work: tempfile::TempDir,
}

impl Intake {
    /// The intake's working folder: everything it extracted or copied is under it.
    pub fn work(&self) -> &Path {
        self.work.path()
    }
}

/// Finds the submissions of `batch`, a folder or a `.zip` of a class, extracting archives
/// with `limits` into a fresh working folder.
///
/// Errors (the whole batch refused): `batch` cannot be read, the class zip itself cannot
/// be opened, or the working folder cannot be written. A student's archive that is refused
/// is that submission's [`Submission::folder`] error, not an error here.
pub fn intake(batch: &Path, limits: ArchiveLimits) -> anyhow::Result<Intake> {
    let work = tempfile::Builder::new().prefix("labs-intake-").tempdir()?;
    let mut found = Found {
        work: work.path().to_path_buf(),
        limits,
        ..Found::default()
    };
    if batch.is_dir() {
        found.read_folder(batch, &Refused::new())?;
    } else {
        let root = work.path().join("batch");
        let refused = unpack_class(batch, &root, limits, &mut found.ignored)
            .with_context(|| format!("cannot read the batch archive {}", batch.display()))?;
        found.read_folder(&root, &refused)?;
    }
    let mut submissions = found.finish()?;
    submissions.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Intake {
        submissions,
        ignored: found.ignored,
        work,
    })
}

/// One student's archive, for `labs grade LAB FILE.zip`: extracted into a fresh temporary
/// folder, the submission found inside as in a batch.
#[derive(Debug)]
pub struct Unpacked {
    /// The folder to grade.
    pub folder: PathBuf,
    /// What the intake noticed ([`Submission::notes`]).
    pub notes: Vec<String>,
    _work: tempfile::TempDir,
}

/// Extracts the archive at `path` with `limits` ([`Unpacked`]).
///
/// Errors: `archive rejected: <why>` when the archive is refused, or the working folder
/// cannot be written.
pub fn unpack(path: &Path, limits: ArchiveLimits) -> anyhow::Result<Unpacked> {
    let work = tempfile::Builder::new().prefix("labs-intake-").tempdir()?;
    let dest = work.path().join("submission");
    archive::extract_all(path, &dest, limits).map_err(rejected)?;
    let mut notes = Vec::new();
    let stem = zip_stem(&file_name(path));
    let folder = inner_folder(&dest, Some(&stem), &mut notes)?;
    Ok(Unpacked {
        folder,
        notes,
        _work: work,
    })
}

/// The reason a submission gets for a refused archive.
fn rejected(why: Rejection) -> anyhow::Error {
    anyhow::anyhow!("archive rejected: {why}")
}

/// What the batch's top level turned out to hold, before each submission is made a folder.
#[derive(Default)]
struct Found {
    work: PathBuf,
    limits: ArchiveLimits,
    /// Folders and zips, each a submission of its own: (identity, path, whether a folder,
    /// why a class zip refused it).
    single: Vec<(Identity, PathBuf, bool, Option<String>)>,
    /// Moodle's loose files, by participant: (identity, [(file name, path)]).
    moodle_files: BTreeMap<Identity, Vec<(String, PathBuf)>>,
    /// Moodle participants one of whose files a class zip refused, with why.
    moodle_refused: BTreeMap<Identity, String>,
    ignored: Vec<String>,
}

impl Found {
    /// Sorts the entries of the batch folder `dir` into submissions. `refused` names the
    /// top-level entries of a class zip that were refused while extracting it (absent from
    /// `dir`), with why.
    fn read_folder(&mut self, dir: &Path, refused: &Refused) -> anyhow::Result<()> {
        let mut names: BTreeSet<String> = refused.keys().cloned().collect();
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            names.insert(entry?.file_name().to_string_lossy().into_owned());
        }
        for name in names {
            let path = dir.join(&name);
            if is_junk(&name) {
                continue;
            }
            let (is_dir, refusal) = match refused.get(&name) {
                Some((is_dir, why)) => (*is_dir, Some(why.clone())),
                None => (path.is_dir(), None),
            };
            match (moodle(&name), is_dir) {
                (Some((identity, _)), true) => self.single.push((identity, path, true, refusal)),
                (Some((identity, Some(file))), false) => match refusal {
                    Some(why) => {
                        self.moodle_refused.insert(identity, why);
                    }
                    None => self
                        .moodle_files
                        .entry(identity)
                        .or_default()
                        .push((file, path)),
                },
                (Some((_, None)), false) => self
                    .ignored
                    .push(format!("{name}: a Moodle name without a file name")),
                (None, true) => self
                    .single
                    .push((Identity::Named(name), path, true, refusal)),
                (None, false) if is_zip(&name) => {
                    self.single
                        .push((Identity::Named(zip_stem(&name)), path, false, refusal))
                }
                (None, false) => self.ignored.push(format!(
                    "{name}: neither a submission folder, a .zip nor a Moodle submission file"
                )),
            }
        }
        Ok(())
    }

    /// Makes every submission found a folder to grade.
    fn finish(&mut self) -> anyhow::Result<Vec<Submission>> {
        let mut made = Vec::new();
        let mut count = 0;
        let mut fresh = |work: &Path| {
            count += 1;
            work.join("submissions").join(format!("{count:04}"))
        };
        for (identity, path, is_dir, refusal) in std::mem::take(&mut self.single) {
            let mut notes = Vec::new();
            let source = match is_dir {
                true => format!("{}/", file_name(&path)),
                false => file_name(&path),
            };
            let folder = match refusal {
                Some(why) => Err(why),
                None if is_dir => {
                    self.submission_folder(&path, &fresh(&self.work), &identity, &mut notes)?
                }
                None => {
                    let dest = fresh(&self.work);
                    match archive::extract_all(&path, &dest, self.limits) {
                        Ok(()) => Ok(inner_folder(&dest, Some(&zip_stem(&source)), &mut notes)?),
                        Err(why) => {
                            remove(&dest)?;
                            Err(format!("archive rejected: {why}"))
                        }
                    }
                }
            };
            made.push((identity, source, folder, notes));
        }
        let mut participants: BTreeSet<Identity> = self.moodle_files.keys().cloned().collect();
        participants.extend(self.moodle_refused.keys().cloned());
        for identity in participants {
            let mut notes = Vec::new();
            let source = format!("{identity}_assignsubmission_file_*");
            let folder = match self.moodle_refused.get(&identity) {
                Some(why) => Err(why.clone()),
                None => {
                    let dir = fresh(&self.work).with_extension("files");
                    std::fs::create_dir_all(&dir)?;
                    for (file, path) in &self.moodle_files[&identity] {
                        std::fs::copy(path, dir.join(file))
                            .with_context(|| format!("cannot copy {}", path.display()))?;
                    }
                    self.submission_folder(&dir, &fresh(&self.work), &identity, &mut notes)?
                }
            };
            made.push((identity, source, folder, notes));
        }
        let mut taken = BTreeSet::new();
        Ok(made
            .into_iter()
            .map(|(identity, source, folder, notes)| Submission {
                name: unique_name(&identity, &mut taken),
                identity,
                source,
                folder,
                notes,
            })
            .collect())
    }

    /// The folder to grade of the submission folder `dir`: its own files; else the
    /// student's one zip in it, extracted into `dest`; else its one subfolder
    /// ([`inner_folder`]).
    ///
    /// Errors: only the working folder's own; a refusal is the `Err` inside.
    fn submission_folder(
        &self,
        dir: &Path,
        dest: &Path,
        identity: &Identity,
        notes: &mut Vec<String>,
    ) -> anyhow::Result<Result<PathBuf, String>> {
        let (files, _) = listing(dir)?;
        if files.iter().any(|f| f.ends_with(".py")) {
            return Ok(Ok(dir.to_path_buf()));
        }
        let zips: Vec<&String> = files.iter().filter(|f| is_zip(f)).collect();
        match zips.as_slice() {
            [] => {
                let expected = match identity {
                    Identity::Named(name) => Some(name.as_str()),
                    Identity::Moodle { .. } => None,
                };
                Ok(Ok(inner_folder(dir, expected, notes)?))
            }
            [zip] => match archive::extract_all(&dir.join(zip), dest, self.limits) {
                Ok(()) => Ok(Ok(inner_folder(dest, Some(&zip_stem(zip)), notes)?)),
                Err(why) => {
                    remove(dest)?;
                    Ok(Err(format!("archive rejected: {zip}: {why}")))
                }
            },
            many => Ok(Err(format!(
                "several archives ({}): which one to grade is for a person to say",
                many.iter()
                    .map(|z| z.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

/// A top-level entry of a class zip refused while extracting it: whether it is a folder,
/// and the submission's reason.
type Refused = BTreeMap<String, (bool, String)>;

/// Extracts the class zip at `path` into `root`: each top-level entry (after a folder that
/// wraps the whole class) is one submission's share, extracted with `limits` of its own.
/// Returns the shares refused, by top-level name; entries that are no share's (`../x`,
/// `/x`) are not extracted and go to `ignored`.
///
/// Errors: the archive cannot be opened, or `root` cannot be written.
fn unpack_class(
    path: &Path,
    root: &Path,
    limits: ArchiveLimits,
    ignored: &mut Vec<String>,
) -> anyhow::Result<Refused> {
    let mut zip = Archive::open(path)?;
    std::fs::create_dir_all(root)?;
    let mut entries = Vec::new();
    let mut unsafe_entries = Vec::new();
    for index in 0..zip.len() {
        match zip.entry(index) {
            Ok(entry) if entry.path.as_os_str().is_empty() => {}
            Ok(entry) => entries.push(entry),
            Err(why) => unsafe_entries.push(why),
        }
    }
    let wrapper = wrapping_folder(&entries);
    let mut refused = Refused::new();
    for why in unsafe_entries {
        // An unsafe entry inside a share refuses that share; one outside all of them is
        // nobody's, and is left out.
        match share_of(&why, wrapper.as_deref()) {
            Some((share, is_dir)) => {
                refused
                    .entry(share)
                    .or_insert((is_dir, format!("archive rejected: {why}")));
            }
            None => ignored.push(format!("batch archive: {why}")),
        }
    }
    let mut shares: BTreeMap<String, Vec<(&Entry, PathBuf)>> = BTreeMap::new();
    for entry in &entries {
        let inside = match &wrapper {
            Some(w) => entry.path.strip_prefix(w).unwrap_or(&entry.path),
            None => &entry.path,
        };
        let Some(first) = inside.iter().next() else {
            continue;
        };
        let share = first.to_string_lossy().into_owned();
        shares
            .entry(share)
            .or_default()
            .push((entry, inside.to_path_buf()));
    }
    for (share, members) in shares {
        if refused.contains_key(&share) {
            continue;
        }
        let is_dir = members
            .iter()
            .any(|(e, to)| e.is_dir || to.iter().count() > 1);
        let plan: Vec<(&Entry, &Path)> = members.iter().map(|(e, to)| (*e, to.as_path())).collect();
        let result = if members.len() as u64 > limits.max_entries {
            Err(Rejection::TooManyEntries(limits.max_entries))
        } else {
            zip.extract(&plan, root, limits)
        };
        if let Err(why) = result {
            let target = root.join(&share);
            if is_dir {
                remove(&target)?;
            } else if target.exists() {
                std::fs::remove_file(&target)?;
            }
            refused.insert(share, (is_dir, format!("archive rejected: {why}")));
        }
    }
    Ok(refused)
}

/// The share an unsafe entry's refusal belongs to, and whether that share is a folder:
/// the entry's first plain name (after the class's wrapping folder), when it has one
/// before going wrong (`Jane_1_assignsubmission_file_/../../x`).
fn share_of(why: &Rejection, wrapper: Option<&Path>) -> Option<(String, bool)> {
    let name = match why {
        Rejection::LeavesFolder(n)
        | Rejection::BadName(n)
        | Rejection::SymbolicLink(n)
        | Rejection::Special(n) => n,
        _ => return None,
    };
    let name = name.replace('\\', "/");
    let mut parts = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .peekable();
    if let Some(w) = wrapper
        && parts.peek().is_some_and(|p| Path::new(p) == w)
    {
        parts.next();
    }
    let first = parts.next()?;
    let is_dir = parts.next().is_some();
    (first != ".." && !first.contains('\0')).then(|| (first.to_owned(), is_dir))
}

/// The one folder every entry of a class zip is in, when that folder is not itself a
/// submission (a Moodle folder, or one holding Python files).
fn wrapping_folder(entries: &[Entry]) -> Option<PathBuf> {
    let first = entries.iter().find_map(|e| e.path.iter().next())?;
    let all_inside = entries
        .iter()
        .all(|e| e.path.iter().next() == Some(first) && (e.is_dir || e.path.iter().count() > 1));
    let name = first.to_string_lossy();
    let holds_python = entries
        .iter()
        .any(|e| e.path.iter().count() == 2 && e.path.extension().is_some_and(|x| x == "py"));
    (all_inside && moodle(&name).is_none() && !holds_python).then(|| PathBuf::from(first))
}

/// Where a submission's files are under the folder `dir`: `dir` itself, or, while a
/// folder holds no Python file but exactly one folder, that folder (at most 3 deep). A
/// folder whose name is not `expected` (the student id of the zip it came from) is noted.
fn inner_folder(
    dir: &Path,
    expected: Option<&str>,
    notes: &mut Vec<String>,
) -> anyhow::Result<PathBuf> {
    let mut here = dir.to_path_buf();
    for _ in 0..3 {
        let (files, folders) = listing(&here)?;
        let [only] = folders.as_slice() else { break };
        if files.iter().any(|f| f.ends_with(".py")) {
            break;
        }
        if let Some(expected) = expected.filter(|e| only != e) {
            notes.push(format!(
                "the files are in a folder named `{only}`, not `{expected}`"
            ));
        }
        here = here.join(only);
    }
    Ok(here)
}

/// The names of the files and of the folders of `dir`, sorted, junk left out.
fn listing(dir: &Path) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_junk(&name) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            folders.push(name);
        } else {
            files.push(name);
        }
    }
    files.sort();
    folders.sort();
    Ok((files, folders))
}

/// What archiving tools add and nobody submits: macOS's `__MACOSX/` and `.DS_Store`,
/// Python's `__pycache__/`, hidden files.
fn is_junk(name: &str) -> bool {
    name.starts_with('.') || name == "__MACOSX" || name == "__pycache__"
}

fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip") && name.len() > 4
}

/// `12345.zip` -> `12345`.
fn zip_stem(name: &str) -> String {
    match name.len().checked_sub(4) {
        Some(cut) if is_zip(name) => name[..cut].to_owned(),
        _ => name.to_owned(),
    }
}

/// Removes `dir` and everything in it, if it exists.
fn remove(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_names_give_the_student_id() {
        assert_eq!(zip_stem("12345.ZIP"), "12345");
        assert_eq!(zip_stem(".zip"), ".zip");
    }
}
