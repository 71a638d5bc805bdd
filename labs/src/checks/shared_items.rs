//! The checks every Python lab shares, read from the source alone: file names, imports
//! (only allowed packages; no forbidden module), no `print`, and PEP 8 style; and the one
//! for items a person judges. Each is a [`crate::grading::engine::Check`] function that any lab's
//! table can name, whatever its state.

use sandbox::workdir::file_name;

use crate::grading::grader::Grader;
use crate::grading::pystatic::{self, SourceFacts};
use crate::grading::report::{Fault, Status, Verdict};

/// The facts to judge, or why there are none: the reference is Rust, or no role is a
/// Python file.
pub(crate) fn facts(g: &Grader) -> Result<&SourceFacts, Verdict> {
    if g.reference {
        return Err(Verdict::not_assessed(
            "the reference is Rust, not Python source",
        ));
    }
    g.facts
        .as_ref()
        .ok_or_else(|| Verdict::not_assessed("no Python files to inspect"))
}

/// `file-names`: each role's file named as the handout asks. When one is not, the roles
/// were found another way (see [`crate::grading::submission`]) and the evidence says which file
/// plays each, so every other item is still graded.
pub fn file_names<S>(g: &mut Grader, _: &mut S) -> anyhow::Result<Verdict> {
    if let Err(verdict) = facts(g) {
        return Ok(verdict);
    }
    let layout = &g.layout;
    let found: Vec<String> = layout
        .roles
        .iter()
        .map(|(role, file)| format!("{role}: {}", file_name(file)))
        .collect();
    if layout.problems.is_empty() {
        return Ok(Verdict::pass(format!("found {}", found.join(", "))));
    }
    let mut evidence = layout.problems.clone();
    evidence.extend(layout.choices.iter().cloned());
    Ok(Verdict::fail(Fault::Source, evidence.join("\n")))
}

/// The lab's imports item (`pillow-only`, `stdlib-only`, `allowed-packages`): every import
/// from the standard library, the checklist's allowed packages, or the submission itself.
pub fn imports<S>(g: &mut Grader, _: &mut S) -> anyhow::Result<Verdict> {
    let facts = match facts(g) {
        Ok(facts) => facts,
        Err(verdict) => return Ok(verdict),
    };
    let syntax = facts.syntax_errors();
    if !syntax.is_empty() {
        return Ok(Verdict::not_assessed(format!("cannot parse: {syntax:?}")));
    }
    let allowed_packages = &g.checklist.submission.allowed_packages;
    let foreign = facts.foreign_imports(allowed_packages);
    let allowed = if allowed_packages.is_empty() {
        "the standard library".to_owned()
    } else {
        format!("the standard library and {}", allowed_packages.join(", "))
    };
    Ok(if foreign.is_empty() {
        Verdict::pass(format!("every import is from {allowed} or the submission"))
    } else {
        Verdict::fail(
            Fault::Source,
            foreign
                .iter()
                .map(|(f, m, l)| format!("{f}:{l}: imports {m}, outside {allowed}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// The forbidden-module item (`no-concurrent-futures`): no import of the checklist's
/// `forbidden_modules` or anything inside them.
pub fn forbidden_imports<S>(g: &mut Grader, _: &mut S) -> anyhow::Result<Verdict> {
    let facts = match facts(g) {
        Ok(facts) => facts,
        Err(verdict) => return Ok(verdict),
    };
    let forbidden = &g.checklist.submission.forbidden_modules;
    let found = facts.forbidden_imports(forbidden);
    Ok(if found.is_empty() {
        Verdict::pass(format!("no import of {}", forbidden.join(", ")))
    } else {
        Verdict::fail(
            Fault::Source,
            found
                .iter()
                .map(|(f, m, l)| format!("{f}:{l}: imports {m}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// `no-print`: no call of `print()` anywhere (the prefork lab logs everything).
pub fn no_print<S>(g: &mut Grader, _: &mut S) -> anyhow::Result<Verdict> {
    let facts = match facts(g) {
        Ok(facts) => facts,
        Err(verdict) => return Ok(verdict),
    };
    let calls: Vec<String> = facts
        .files
        .iter()
        .flat_map(|(f, facts)| {
            facts
                .print_calls
                .iter()
                .map(move |l| format!("{f}:{l}: print(...)"))
        })
        .collect();
    Ok(if calls.is_empty() {
        Verdict::pass("no print() call")
    } else {
        Verdict::fail(Fault::Source, calls.join("\n"))
    })
}

/// `pep8`: pycodestyle under the checklist's style policy; fails only past the problems
/// a teaching assistant lets pass (so many per 100 lines). The evidence lists every
/// problem either way.
///
/// Errors: the checklist has no `[style]` policy, or pycodestyle cannot run (the
/// grader's environment, checked before grading: never the student's fault).
pub fn pep8<S>(g: &mut Grader, _: &mut S) -> anyhow::Result<Verdict> {
    let facts = match facts(g) {
        Ok(facts) => facts,
        Err(verdict) => return Ok(verdict),
    };
    let policy =
        g.checklist.style.as_ref().ok_or_else(|| {
            anyhow::anyhow!("the checklist has a pep8 item but no [style] policy")
        })?;
    let files: Vec<String> = facts.files.keys().cloned().collect();
    let work = g.workdir.work();
    let lines: usize = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(work.join(f))
                .map(|text| text.lines().count())
                .unwrap_or(0)
        })
        .sum();
    let findings = pystatic::pycodestyle(&g.opts.python, &g.sandbox, &work, &files, policy)?;
    let allowed = (lines as f64 * policy.allowed_per_100_lines / 100.0).floor() as usize;
    let mut evidence = format!(
        "pycodestyle --max-line-length={} --ignore={}: {} problem(s) in {lines} lines of {}; at most {allowed} pass ({} per 100 lines)",
        policy.max_line_length,
        policy.ignore.join(","),
        findings.len(),
        files.join(", "),
        policy.allowed_per_100_lines
    );
    for line in &findings {
        evidence.push('\n');
        evidence.push_str(line);
    }
    Ok(Verdict::judge(
        findings.len() <= allowed,
        Fault::Source,
        evidence,
    ))
}

/// An item judged by a person (original work): never assessed by the grader.
pub fn manual<S>(_: &mut Grader, _: &mut S) -> anyhow::Result<Verdict> {
    Ok(Verdict::not_assessed(MANUAL))
}

/// The evidence of an item a person judges.
pub const MANUAL: &str = "judged by a person, not by the grader";

/// `runs`: made of the prerequisites its checklist entry lists in `from` (the server runs,
/// the client runs): passes when they all pass, else fails with the first failure's fault;
/// the evidence is theirs.
pub fn runs<S>(g: &mut Grader, _: &mut S) -> anyhow::Result<Verdict> {
    let parts: Vec<&Verdict> = g
        .checklist
        .item("runs")
        .map(|item| item.from.clone())
        .unwrap_or_default()
        .iter()
        .filter_map(|id| g.verdict(id))
        .collect();
    let evidence: Vec<&str> = parts.iter().map(|v| v.evidence.as_str()).collect();
    let failed = parts.iter().find_map(|v| match v.status {
        Status::Failed(fault) => Some(fault),
        _ => None,
    });
    Ok(match failed {
        Some(fault) => Verdict::fail(fault, evidence.join("\n")),
        None => Verdict::pass(evidence.join("\n")),
    })
}
