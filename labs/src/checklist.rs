//! Checklists: one TOML file per lab (`labs/checklists/LAB.toml`), the machine-readable form
//! of the handout's "Checklist and grading" section.

use serde::{Deserialize, Serialize};

/// A lab's checklist: what a submission must contain and the items it is graded on.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Checklist {
    /// The lab's short name, e.g. `frames`.
    pub lab: String,
    /// One-line title.
    pub title: String,
    /// Points of a perfect submission (10 for the Week 2 labs, 100 for the others).
    pub max_score: f64,
    /// What a submission is made of.
    pub submission: SubmissionSpec,
    /// The checklist items, in the handout's order.
    pub items: Vec<Item>,
}

/// The files a submission holds and what they may use.
#[derive(Debug, Clone, Deserialize, Serialize)]
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

/// One checklist item.
#[derive(Debug, Clone, Deserialize, Serialize)]
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
    /// Items that must pass for this one to be assessed.
    #[serde(default)]
    pub depends_on: Vec<String>,
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

impl Checklist {
    /// Parses a checklist from TOML.
    ///
    /// Errors: malformed TOML, a missing field, or an item with positive points or a
    /// duplicated id.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let checklist: Checklist = toml::from_str(text)?;
        let mut seen = std::collections::HashSet::new();
        for item in &checklist.items {
            anyhow::ensure!(
                item.points <= 0.0,
                "item {}: points are a deduction and must be <= 0",
                item.id
            );
            anyhow::ensure!(seen.insert(&item.id), "item {} appears twice", item.id);
        }
        Ok(checklist)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }
}
