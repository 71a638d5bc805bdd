//! Checklists: one TOML file per lab (`labs/src/LAB/checklist.toml`), the machine-readable form
//! of the handout's "Checklist and grading" section, plus the settings the grader judges
//! by (style policy, timing, tolerances), so an instructor reads and tunes them in one place.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A lab's checklist: what a submission must contain and the items it is graded on.
///
/// Every table and key is known here but the tables only one lab's checks read (the frames
/// lab's `[gif]`), which [`Checklist::lab_tables`] keeps for that lab to read and check
/// ([`crate::grading::engine::Lab::checklist`]). So an unknown key is refused either way.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// The lab's short name, e.g. `frames`.
    pub lab: String,
    /// One-line title.
    pub title: String,
    /// Points of a perfect submission (10 for the Week 2 labs, 100 for the others).
    pub max_score: f64,
    /// What a submission is made of.
    pub submission: SubmissionSpec,
    /// What the grader's own Python needs to run this lab's programs.
    #[serde(default)]
    pub grader: GraderNeeds,
    /// How the `pep8` item judges, when the lab has one.
    #[serde(default)]
    pub style: Option<StylePolicy>,
    /// How timing items run, when the lab has any.
    #[serde(default)]
    pub timing: Option<TimingSettings>,
    /// The limits of the sandbox a submission's programs run in, and of the archives a
    /// submission arrives in ([`SandboxSettings`]).
    #[serde(default)]
    pub sandbox: SandboxSettings,
    /// Facts other items depend on that are not items themselves ("the server runs"):
    /// checked like items, never scored, named when a dependent is not assessed.
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    /// The checklist items, in the handout's order.
    pub items: Vec<Item>,
    /// Every other top-level key: the tables only this lab's own checks read, by name (the
    /// frames lab's `gif`), as TOML. Which names a lab has is the lab's to say
    /// ([`Checklist::lab_table`]); any other key is refused when the lab's checklist is read.
    ///
    /// [`Checklist::parse`] sets them aside before reading the rest: serde's `flatten`
    /// would read the whole document through a buffer that forgets where each value was,
    /// and an error could then not name its line.
    #[serde(flatten, skip_deserializing)]
    pub lab_tables: BTreeMap<String, toml::Value>,
    /// Where this checklist came from, named in every report it grades
    /// ([`crate::grading::report::Report::checklist`]); not part of the TOML.
    #[serde(skip)]
    pub source: Source,
}

/// The top-level keys of [`Checklist`] itself; any other is a lab table.
const OWN_KEYS: [&str; 10] = [
    "lab",
    "title",
    "max_score",
    "submission",
    "grader",
    "style",
    "timing",
    "sandbox",
    "prerequisites",
    "items",
];

/// Which checklist graded a submission: a file's path (or `built-in` for the lab's own,
/// `labs show LAB --checklist`) and the SHA-256 of its text, so that a grade can be traced
/// to the exact points and tolerances that made it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The instructor's file as given to `--checklist`, or `built-in`.
    pub path: String,
    /// SHA-256 of the file's bytes, 64 lower-case hex digits.
    pub sha256: String,
}

impl Source {
    /// The source of `text`, read from `path`.
    pub fn new(path: impl Into<String>, text: &str) -> Self {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(text.as_bytes());
        Self {
            path: path.into(),
            sha256: digest.iter().map(|byte| format!("{byte:02x}")).collect(),
        }
    }
}

impl fmt::Display for Source {
    /// `checklist.toml (sha256 3f2a…)`, the digest in full.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (sha256 {})", self.path, self.sha256)
    }
}

/// A place in a checklist's text: 1-based line and column (in characters), as editors
/// count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` of `text` (past the end: the end).
    pub fn of(text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        Self {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// Why a checklist's text was refused, and where in it when the fault has a place (a key,
/// a value, an item's id); a missing item has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// Where, when the fault is at one place of the text.
    pub at: Option<Position>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Invalid {
    /// `message` about the text at byte range `span` of `text` (or nowhere).
    pub fn new(text: &str, span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Self {
            at: span.map(|span| Position::of(text, span.start)),
            message: message.into(),
        }
    }

    /// A TOML syntax or shape error of `text`: toml's message, placed by its span.
    fn toml(text: &str, error: toml::de::Error) -> Self {
        Self::new(text, error.span(), error.message().trim_end())
    }
}

impl fmt::Display for Invalid {
    /// `line 12, column 1: unknown field `pointz`, ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = self.at {
            write!(f, "line {}, column {}: ", at.line, at.column)?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}

/// The checklist's `[sandbox]` table: what a submission may use, from unpacking it to running
/// it. The table is one so an instructor finds every limit in one place; in code it is two,
/// since the programs' limits belong to the [`sandbox`] crate and the archives' to the
/// grader's intake ([`crate::class::archive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct SandboxSettings {
    /// Memory, processes, CPU and wall time, open files and file size of each program
    /// (defaults: see [`sandbox::confine::Limits`]).
    #[serde(flatten)]
    pub limits: sandbox::confine::Limits,
    /// Entries and bytes of each archive a submission arrives in (the `archive_` keys).
    #[serde(flatten)]
    pub archive: ArchiveLimits,
}

impl<'de> Deserialize<'de> for SandboxSettings {
    /// Sends the `archive_` keys to [`ArchiveLimits`] and the others to
    /// [`sandbox::confine::Limits`], each refusing a key it does not know: serde's own
    /// `flatten` would silently accept a misspelt limit.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let table = toml::Table::deserialize(deserializer)?;
        let (archive, limits): (toml::Table, toml::Table) = table
            .into_iter()
            .partition(|(key, _)| key.starts_with("archive_"));
        Ok(Self {
            limits: toml::Value::Table(limits)
                .try_into()
                .map_err(D::Error::custom)?,
            archive: toml::Value::Table(archive)
                .try_into()
                .map_err(D::Error::custom)?,
        })
    }
}

/// How much one archive may hold (a `<student_id>.zip`, or one student's share of a class's
/// download): archives are hostile input, and a few kilobytes of zip can expand to
/// gigabytes. An archive past either limit is refused, not graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ArchiveLimits {
    /// Entries (files and folders) an archive may hold: `archive_max_entries`, 10000.
    #[serde(rename = "archive_max_entries")]
    pub max_entries: u64,
    /// Bytes its files may hold once uncompressed, together: `archive_max_bytes`, 64 MiB.
    /// Counted while extracting, never taken from the archive's own headers.
    #[serde(rename = "archive_max_bytes")]
    pub max_bytes: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        Self {
            max_entries: 10_000,
            max_bytes: 64 << 20,
        }
    }
}

/// The files a submission holds and what they may use.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionSpec {
    /// The programs, by role: `client`, `server`, ... Each is a Python file named after the
    /// role, `NameSurname_<role>.py` or `<role>.py` (see [`SubmissionSpec::naming`]).
    pub roles: Vec<String>,
    /// `NameSurname` (the Week 2 labs' `NameSurname_client.py`) or `plain` (`client.py`).
    pub naming: String,
    /// Top-level packages allowed besides the standard library, e.g. `PIL`.
    #[serde(default)]
    pub allowed_packages: Vec<String>,
    /// Modules that must not be imported, e.g. `concurrent.futures`.
    #[serde(default)]
    pub forbidden_modules: Vec<String>,
    /// Whether `print` is forbidden (the prefork lab logs everything).
    #[serde(default)]
    pub forbid_print: bool,
    /// The lab's TCP or UDP port (the handout's; 1234, 12345, ...).
    pub port: u16,
    /// The count the client works through (5000 frames, 100 lists), if the lab has one.
    #[serde(default)]
    pub count: Option<usize>,
    /// The reference client's flag for that count, e.g. `--frames`.
    #[serde(default)]
    pub count_flag: Option<String>,
    /// Worker processes the server is started with (prefork lab).
    #[serde(default)]
    pub processes: Option<usize>,
}

/// Python modules the grader's interpreter must have for this lab, checked before grading
/// (a missing one is the grader's fault, never the student's: exit status 2, no score).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GraderNeeds {
    /// Module to import -> the PyPI distribution that provides it, e.g. `PIL = "Pillow"`.
    #[serde(default)]
    pub python_packages: BTreeMap<String, String>,
}

/// How the `pep8` item is judged: pycodestyle with these settings, and a number of problems
/// a teaching assistant lets pass before deducting (the handout asks for code "nicely
/// formatted (e.g. according to PEP 8)", not for zero warnings).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StylePolicy {
    /// pycodestyle's `--max-line-length`, characters.
    pub max_line_length: u32,
    /// pycodestyle's `--ignore`: codes never counted (this replaces pycodestyle's default
    /// list, so the defaults worth keeping are listed too).
    pub ignore: Vec<String>,
    /// Problems allowed per 100 lines of code, over all files; more fails the item.
    pub allowed_per_100_lines: f64,
}

/// How timing items run.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TimingSettings {
    /// The reference server's wait per connection while clients are timed
    /// (`frame-server --latency-ms`), standing in for the course's Python server's own
    /// time per connection: what overlapping connections hide.
    pub server_latency_ms: u64,
    /// Items (frames, lists) each timed run fetches: enough for the mechanism the handout
    /// asks for to show its gain well beyond the noise, few enough to time many pairs.
    pub count: usize,
    /// The timing rule's design: a sequential test on the pairs' log-ratios (see
    /// [`crate::grading::sequential_test::Rule`]).
    #[serde(flatten)]
    pub rule: crate::grading::sequential_test::Rule,
}

/// A prerequisite: a fact items depend on, checked but not scored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    /// Identifier, e.g. `server-runs`; items name it in `depends_on` or `from`.
    pub id: String,
    /// What exactly the grader checks.
    pub checks: String,
}

/// One checklist item.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable identifier, e.g. `thread-per-connection`; reports and `--only` use it.
    pub id: String,
    /// What the handout asks, in a line.
    pub title: String,
    /// Points deducted when the item fails: negative, e.g. -10.
    pub points: f64,
    /// How it is checked.
    pub kind: Kind,
    /// What exactly the grader checks.
    pub checks: String,
    /// Items or prerequisites that must pass for this one to be assessed; when one does
    /// not, the item is "not assessed" and the report says which and why.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Prerequisites this item's verdict is made of (`runs` is "the server runs" and "the
    /// client runs"): they are checked whenever this item is.
    #[serde(default)]
    pub from: Vec<String>,
    /// Timing items: the client's timing lines whose seconds are added up and compared,
    /// e.g. `["Sorting time"]`.
    #[serde(default)]
    pub measures: Vec<String>,
    /// Timing items: whether the phase is CPU-bound, so that it needs free cores to show
    /// a gain (the grader waits for them, else reports "not assessed").
    #[serde(default)]
    pub needs_free_cpu: bool,
    /// Timing items: how the handout asks the gain to be made, seen while the client runs
    /// (any one of them will do); without it the item fails whatever the times.
    #[serde(default)]
    pub mechanism: Vec<Mechanism>,
}

/// A way of being concurrent that a timing item asks for, as the grader observes it in
/// `/proc` while the student's client runs against our server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mechanism {
    /// During the download, more than one connection to our server open at once, held by
    /// more than one thread of the client (threads of one process, or of several).
    ThreadsInDownload,
    /// After the download's last connection closed (the sort, the GIF), more than one of
    /// the client's processes using CPU: the handout's multiprocessing. Compiled
    /// reference clients, which have no interpreter lock, count threads instead.
    WorkersAfterDownload,
}

/// How an item is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// From the source, through Python's `ast` module.
    Static,
    /// pycodestyle.
    Style,
    /// Running the programs and checking their bytes, files and output.
    BlackBox,
    /// Threads and processes observed in `/proc` while clients are held open.
    Concurrency,
    /// Alternating timed runs of the given client and the student's.
    Timing,
    /// Judged by a person; never assessed by the grader.
    Manual,
}

/// Where each id of a checklist is written: its items' and prerequisites' `id` values,
/// read a second time with their places, so that an error about an id can name its line.
#[derive(Debug, Default, Deserialize)]
pub struct Ids {
    #[serde(default)]
    prerequisites: Vec<IdAt>,
    #[serde(default)]
    items: Vec<IdAt>,
}

/// One item's or prerequisite's `id` and where its value is written (other keys ignored).
#[derive(Debug, Deserialize)]
struct IdAt {
    id: toml::Spanned<String>,
}

impl Ids {
    /// The ids of `text` with their places; none when the text does not parse (its errors
    /// are reported by [`Checklist::parse`]).
    pub fn read(text: &str) -> Self {
        toml::from_str(text).unwrap_or_default()
    }

    /// The byte range of the first `id = "..."` value that is `id`.
    pub fn span(&self, id: &str) -> Option<Range<usize>> {
        self.prerequisites
            .iter()
            .chain(&self.items)
            .find(|at| at.id.get_ref() == id)
            .map(|at| at.id.span())
    }
}

impl Checklist {
    /// Parses a checklist from TOML.
    ///
    /// Errors, each placed at its line and column when it has a place: malformed TOML, a
    /// missing, unknown or mistyped field, an item with positive points, an id used twice, a
    /// `depends_on` or `from` naming nothing in this checklist, or a timing item that
    /// measures nothing.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let root = toml::de::DeTable::parse(text).map_err(|e| Invalid::toml(text, e))?;
        let span = root.span();
        let (own, lab_tables): (Vec<_>, Vec<_>) =
            root.into_inner().into_iter().partition(|(key, _)| {
                let name: &str = key.get_ref();
                OWN_KEYS.contains(&name)
            });
        let own: toml::de::DeTable = own.into_iter().collect();
        let own = toml::Spanned::new(span, own);
        let mut checklist = Checklist::deserialize(toml::de::Deserializer::from(own))
            .map_err(|e| Invalid::toml(text, e))?;
        for (key, value) in lab_tables {
            let value = toml::Value::deserialize(toml::de::ValueDeserializer::from(value))
                .map_err(|e| Invalid::toml(text, e))?;
            checklist
                .lab_tables
                .insert(key.into_inner().into_owned(), value);
        }
        let ids = Ids::read(text);
        let refuse = |id: &str, message: String| Invalid::new(text, ids.span(id), message);
        let mut seen = HashSet::new();
        for id in checklist.ids() {
            if !seen.insert(id) {
                return Err(refuse(id, format!("{id} appears twice")));
            }
        }
        for item in &checklist.items {
            let id = item.id.as_str();
            if item.points > 0.0 {
                return Err(refuse(
                    id,
                    format!("item {id}: points are a deduction and must be <= 0"),
                ));
            }
            for dep in item.depends_on.iter().chain(&item.from) {
                if !seen.contains(dep.as_str()) {
                    return Err(refuse(
                        id,
                        format!(
                            "item {id} names {dep}, which is neither an item nor a prerequisite"
                        ),
                    ));
                }
            }
            if item.kind == Kind::Timing && item.measures.is_empty() {
                return Err(refuse(id, format!("timing item {id} measures nothing")));
            }
            if item.kind == Kind::Timing && item.mechanism.is_empty() {
                return Err(refuse(
                    id,
                    format!("timing item {id} names no mechanism to observe"),
                ));
            }
        }
        Ok(checklist)
    }

    /// Lab table `name` ([`Checklist::lab_tables`]) read as a `T`; `None` when absent.
    ///
    /// Errors: the table does not have `T`'s shape (a missing, unknown or mistyped key).
    pub fn lab_table<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> anyhow::Result<Option<T>> {
        self.lab_tables
            .get(name)
            .map(|table| {
                table
                    .clone()
                    .try_into()
                    .map_err(|e| anyhow::anyhow!("[{name}]: {e}"))
            })
            .transpose()
    }

    /// Checks that the lab tables ([`Checklist::lab_tables`]) are among `known`, the names
    /// the lab's checks read.
    ///
    /// Errors: the first other key, which is then neither the checklist's nor the lab's.
    pub fn ensure_lab_tables(&self, known: &[&str]) -> anyhow::Result<()> {
        match self
            .lab_tables
            .keys()
            .find(|key| !known.contains(&key.as_str()))
        {
            Some(key) => anyhow::bail!("unknown key `{key}` in the {} checklist", self.lab),
            None => Ok(()),
        }
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    /// Checks that every id of `ids` (an `--only` list) is an item of this checklist.
    ///
    /// Errors: the first unknown id, with the command that lists the items.
    pub fn ensure_items(&self, ids: &[String]) -> anyhow::Result<()> {
        for id in ids {
            anyhow::ensure!(
                self.item(id).is_some(),
                "{} has no item {id:?} (see labs show {} --checklist)",
                self.lab,
                self.lab
            );
        }
        Ok(())
    }

    /// Every id: prerequisites, then items.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.prerequisites
            .iter()
            .map(|p| p.id.as_str())
            .chain(self.items.iter().map(|i| i.id.as_str()))
    }

    /// What `id` waits for: its `depends_on`, then its `from` (empty for a prerequisite).
    pub fn needs(&self, id: &str) -> Vec<&str> {
        self.item(id)
            .map(|item| {
                item.depends_on
                    .iter()
                    .chain(&item.from)
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The basics checklist with its `[sandbox]` table's archive limits replaced by `table`.
    fn with_sandbox(table: &str) -> anyhow::Result<Checklist> {
        let text = include_str!("../basics/checklist.toml");
        let start = text.find("[sandbox]").expect("a [sandbox] table");
        let end = start + text[start..].find("\n\n").expect("a blank line after it");
        Ok(Checklist::parse(&format!(
            "{}{table}{}",
            &text[..start],
            &text[end..]
        ))?)
    }

    #[test]
    fn the_sandbox_table_holds_program_and_archive_limits() {
        let checklist =
            with_sandbox("[sandbox]\nmemory_mib = 512\narchive_max_entries = 7").unwrap();
        assert_eq!(checklist.sandbox.limits.memory_mib, 512);
        assert_eq!(checklist.sandbox.archive.max_entries, 7);
        assert_eq!(checklist.sandbox.archive.max_bytes, 64 << 20);
        assert_eq!(checklist.sandbox.limits.processes, 256);
    }

    #[test]
    fn a_misspelt_sandbox_key_is_refused() {
        for key in ["archive_max_files = 1", "memory_mb = 1"] {
            let error = with_sandbox(&format!("[sandbox]\n{key}")).unwrap_err();
            assert!(
                error.to_string().contains("unknown field"),
                "{key}: {error}"
            );
        }
    }
}
