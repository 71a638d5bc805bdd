//! The instructor's checklist: an edited copy of `labs show LAB --checklist` (points,
//! titles, tolerances, the timing latency, the style policy, the sandbox limits) that grades
//! instead of the lab's own (`labs grade LAB --checklist FILE`, alone or with `--batch`).
//!
//! It is checked against the lab before anything is graded, since a mistake in it would
//! otherwise become every student's grade: it must parse as a checklist (no unknown key,
//! no value of the wrong type, no missing one: [`Checklist::parse`]), be the same lab's,
//! hold exactly the lab's items and prerequisites, and keep what the lab's code relies on
//! (each item's kind, dependencies and timing measures, the submission's roles). A refusal
//! names the file's line and column whenever the fault has a place.

use std::path::Path;

use anyhow::Context as _;

use crate::grading::checklist::{Checklist, Ids, Invalid, Source};
use crate::grading::engine::Lab;

/// Reads the instructor's checklist at `path` for `lab` ([`check`]), its
/// [`Checklist::source`] the path as given and the file's SHA-256.
///
/// Errors: the file cannot be read, or [`check`] refuses it:
/// `FILE:LINE:COLUMN: message` (`FILE: message` when the fault has no place).
pub fn read(lab: &Lab, path: &Path) -> anyhow::Result<Checklist> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the checklist {}", path.display()))?;
    let mut checklist = check(lab, &text).map_err(|invalid| match invalid.at {
        Some(at) => anyhow::anyhow!(
            "{}:{}:{}: {}",
            path.display(),
            at.line,
            at.column,
            invalid.message
        ),
        None => anyhow::anyhow!("{}: {}", path.display(), invalid.message),
    })?;
    checklist.source = Source::new(path.display().to_string(), &text);
    Ok(checklist)
}

/// `text` read as an instructor's checklist of `lab`.
///
/// Errors: those of [`Checklist::parse`] and of the lab's own tables; a checklist of
/// another lab; an item or prerequisite the lab does not have (at its id); one of the
/// lab's missing; an item whose kind, `depends_on`, `from`, `measures` or `mechanism`
/// differs from the lab's (at its id); other roles than the lab's.
pub fn check(lab: &Lab, text: &str) -> Result<Checklist, Invalid> {
    let checklist = Checklist::parse(text)?;
    let own = lab.checklist();
    let nowhere = |message: String| Invalid { at: None, message };
    if checklist.lab != own.lab {
        return Err(nowhere(format!(
            "this is a checklist of {}, not of {} (start from `labs show {} --checklist`)",
            checklist.lab, own.lab, own.lab
        )));
    }
    (lab.lab_tables)(&checklist).map_err(|e| nowhere(format!("{e:#}")))?;
    let ids = Ids::read(text);
    let at_id = |id: &str, message: String| Invalid::new(text, ids.span(id), message);
    for prerequisite in &checklist.prerequisites {
        let id = prerequisite.id.as_str();
        if !own.prerequisites.iter().any(|p| p.id == id) {
            return Err(at_id(id, format!("{} has no prerequisite `{id}`", own.lab)));
        }
    }
    for item in &checklist.items {
        let id = item.id.as_str();
        let Some(theirs) = own.item(id) else {
            let known: Vec<&str> = own.items.iter().map(|i| i.id.as_str()).collect();
            return Err(at_id(
                id,
                format!(
                    "{} has no item `{id}` (its items: {})",
                    own.lab,
                    known.join(", ")
                ),
            ));
        };
        let same = item.kind == theirs.kind
            && item.depends_on == theirs.depends_on
            && item.from == theirs.from
            && item.measures == theirs.measures
            && item.mechanism == theirs.mechanism;
        if !same {
            return Err(at_id(
                id,
                format!(
                    "item `{id}`: its kind, depends_on, from, measures and mechanism are how \
                     the lab's checks work, not settings: keep them as `labs show {} \
                     --checklist` has them",
                    own.lab
                ),
            ));
        }
    }
    for id in own.ids() {
        if checklist.ids().all(|ours| ours != id) {
            let what = match own.item(id) {
                Some(_) => "item",
                None => "prerequisite",
            };
            return Err(nowhere(format!(
                "{what} `{id}` is missing: the checklist must have every one of the lab's \
                 (to deduct nothing for an item, keep it with points = 0)"
            )));
        }
    }
    if checklist.submission.roles != own.submission.roles {
        return Err(nowhere(format!(
            "[submission] roles must stay the lab's: {:?}",
            own.submission.roles
        )));
    }
    Ok(checklist)
}
