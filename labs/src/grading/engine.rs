//! The checklist item as the grader's unit. Each lab is a table from item id to the check
//! that judges it ([`Check`]), run in table order over a state the lab's checks share (a
//! server started by one check is observed by the next). This module owns what is the same
//! for every lab: which checks run for `--only` (the wanted items and everything they
//! `depends_on` or are made `from`), and "not assessed" for an item whose dependency did
//! not pass, in one place, with the dependency's own verdict as the reason.

use std::collections::BTreeSet;

use crate::grading::checklist::{Checklist, Source};
use crate::grading::grader::Grader;
use crate::grading::report::{Status, Verdict};

/// The check of one checklist item or prerequisite.
pub struct Check<S> {
    /// The item's (or prerequisite's) id in the lab's checklist.
    pub id: &'static str,
    /// Observes and judges. `Err` is reserved for the grader's own failures (a temporary
    /// folder it cannot make); everything the submission does wrong is a [`Verdict`].
    pub run: fn(&mut Grader, &mut S) -> anyhow::Result<Verdict>,
}

impl<S> Check<S> {
    /// Item (or prerequisite) `id` checked by `run`: one row of a lab's table.
    pub const fn new(
        id: &'static str,
        run: fn(&mut Grader, &mut S) -> anyhow::Result<Verdict>,
    ) -> Self {
        Self { id, run }
    }
}

/// A lab's checks, in the order they run; `S` is what they share (running programs,
/// observations), made by `init` for each grading and dropped at its end (which stops any
/// program still running).
pub struct Checks<S: 'static> {
    /// The state of a grading before its first check.
    pub init: fn() -> S,
    /// The table. A check comes after every id it depends on (the test suite verifies it).
    pub table: &'static [Check<S>],
}

/// What the grading driver needs of a lab's [`Checks`], whatever its state type.
pub trait LabChecks: Sync {
    /// The ids the table checks, in order.
    fn ids(&self) -> Vec<&'static str>;

    /// Runs the planned checks on `g` (see [`plan`]), recording each verdict.
    ///
    /// Errors: the grader's own failures only.
    fn run(&self, g: &mut Grader) -> anyhow::Result<()>;
}

impl<S: 'static> LabChecks for Checks<S> {
    fn ids(&self) -> Vec<&'static str> {
        self.table.iter().map(|check| check.id).collect()
    }

    fn run(&self, g: &mut Grader) -> anyhow::Result<()> {
        let mut state = (self.init)();
        for check in self.table {
            if !g.wants(check.id) {
                continue;
            }
            let verdict = match blocker(g, check.id) {
                Some(reason) => Verdict::not_assessed(reason),
                None => (check.run)(g, &mut state)?,
            };
            g.record(check.id, verdict);
        }
        Ok(())
    }
}

/// The ids a grading checks: the `wanted` items (all items when empty) and, transitively,
/// every item or prerequisite they depend on or are made from.
pub fn plan(checklist: &Checklist, wanted: &[String]) -> BTreeSet<String> {
    let mut stack: Vec<&str> = if wanted.is_empty() {
        checklist.items.iter().map(|i| i.id.as_str()).collect()
    } else {
        wanted.iter().map(String::as_str).collect()
    };
    let mut planned = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if planned.insert(id.to_owned()) {
            stack.extend(checklist.needs(id));
        }
    }
    planned
}

/// Why `id` cannot be assessed: the first of its `depends_on` that did not pass.
fn blocker(g: &Grader, id: &str) -> Option<String> {
    let item = g.checklist.item(id)?;
    item.depends_on.iter().find_map(|dep| match g.verdict(dep) {
        Some(verdict) if verdict.passed() => None,
        Some(verdict) => Some(format!(
            "depends on {dep}, which {}: {}",
            match verdict.status {
                Status::NotAssessed => "was not assessed".to_owned(),
                status => status.text(),
            },
            verdict.evidence.lines().next().unwrap_or_default()
        )),
        None => Some(format!("depends on {dep}, which was not checked")),
    })
}

/// One of a lab's roles played by a reference binary, for `labs grade LAB --reference`.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceRole {
    /// The checklist's role, e.g. `client`.
    pub role: &'static str,
    /// The binary's name, e.g. `frame-client`.
    pub binary: &'static str,
    /// Leading arguments; `{count}` stands for the grading's count.
    pub args: &'static [&'static str],
}

impl ReferenceRole {
    /// Role `role` played by reference binary `binary` started with `args`.
    pub const fn new(
        role: &'static str,
        binary: &'static str,
        args: &'static [&'static str],
    ) -> Self {
        Self { role, binary, args }
    }
}

/// One lab of the course: its handout, its checklist, and the checks and reference binaries
/// that grade it. Each lab module defines its own; [`crate::catalog`] lists them.
#[derive(Clone, Copy)]
pub struct Lab {
    /// Short name used on the command line: `frames`, `numbers`, ...
    pub name: &'static str,
    /// The handout, Markdown.
    pub handout: &'static str,
    /// The checklist, TOML (see [`Checklist`]).
    pub checklist_toml: &'static str,
    /// The checks, one per item and prerequisite of the checklist.
    pub checks: &'static dyn LabChecks,
    /// The reference binaries in the lab's roles.
    pub reference: &'static [ReferenceRole],
    /// The code the course hands every student, by role (`("client", source)`): the frames
    /// and numbers labs' given client. `labs similarity` never counts it as evidence.
    pub given: &'static [(&'static str, &'static str)],
    /// Checks the tables of the checklist that only this lab's checks read
    /// ([`Checklist::lab_tables`]): every one is known and well-formed.
    pub lab_tables: fn(&Checklist) -> anyhow::Result<()>,
}

impl std::fmt::Debug for Lab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lab").field("name", &self.name).finish()
    }
}

impl Lab {
    /// The parsed checklist, its [`Checklist::source`] `built-in`. The embedded files are
    /// checked by the test suite, so a parse error here is a build defect.
    pub fn checklist(&self) -> Checklist {
        let mut checklist = self
            .parse_checklist(self.checklist_toml)
            .unwrap_or_else(|e| panic!("embedded checklist of {}: {e:#}", self.name));
        checklist.source = Source::new(BUILT_IN, self.checklist_toml);
        checklist
    }

    /// `text` read as this lab's checklist: [`Checklist::parse`], then the lab's own tables
    /// ([`Lab::lab_tables`]).
    ///
    /// Errors: as [`Checklist::parse`], or a lab table unknown or malformed.
    pub fn parse_checklist(&self, text: &str) -> anyhow::Result<Checklist> {
        let checklist = Checklist::parse(text)?;
        (self.lab_tables)(&checklist)?;
        Ok(checklist)
    }
}

/// The [`Source`] path of a lab's own checklist, the one `labs show LAB --checklist` prints.
pub const BUILT_IN: &str = "built-in";
