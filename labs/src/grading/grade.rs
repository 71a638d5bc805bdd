//! Grading one submission: check the grader's own environment, copy the submission, read
//! its source, find its roles, run the lab's checks, and write the report.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use sandbox::confine::Sandbox;
use sandbox::netns::Isolation;
use sandbox::workdir::WorkDir;

use crate::grading::engine::{self, Lab};
use crate::grading::grader::{Grader, Program, reference_binary};
use crate::grading::options::{GradeOptions, Target};
use crate::grading::preflight::PythonInfo;
use crate::grading::pystatic::SourceFacts;
use crate::grading::report::{ItemResult, Report, Verdict};
use crate::grading::submission::{self, Layout};

/// Submissions graded on the host network share the lab's port: one at a time.
static HOST_NETWORK: Mutex<()> = Mutex::new(());

/// Grades `target` against `lab`'s checklist, or the instructor's
/// ([`GradeOptions::checklist`]).
///
/// Checks the grader's environment first ([`crate::grading::preflight`]). Runs on a thread
/// of its own, which enters a fresh network namespace when it may (see
/// [`Isolation::enter`]); on the host network, gradings take turns.
///
/// Errors: the grader's own faults only ([`crate::grading::preflight::Infrastructure`], a folder it
/// cannot read, an unknown `--only` id). Everything a submission does wrong is an item
/// result, not an error.
pub fn grade(lab: &Lab, target: &Target, opts: &GradeOptions) -> anyhow::Result<Report> {
    let python = preflight(lab, opts)?;
    grade_checked(lab, target, opts, &python)
}

/// The grader's checks of its own environment before grading `lab`: its Python has what
/// the lab needs, and the sandbox's user can run it. Returns what it learnt of the Python.
///
/// Errors: [`crate::grading::preflight::Infrastructure`].
pub(crate) fn preflight(lab: &Lab, opts: &GradeOptions) -> anyhow::Result<PythonInfo> {
    let checklist = opts.checklist_of(lab);
    let python = crate::grading::preflight::check_python(&opts.python, &checklist)?;
    let sandbox = Sandbox::new(checklist.sandbox.limits, python.paths.clone(), opts.sandbox);
    crate::grading::preflight::check_sandbox(&python, &checklist, &sandbox)?;
    Ok(python)
}

/// [`grade`] after [`preflight`], for a batch that checks the environment once.
pub(crate) fn grade_checked(
    lab: &Lab,
    target: &Target,
    opts: &GradeOptions,
    python: &PythonInfo,
) -> anyhow::Result<Report> {
    let lab = *lab;
    let target = target.clone();
    let opts = opts.clone();
    let python = python.clone();
    std::thread::Builder::new()
        .name(format!("grade-{}", lab.name))
        .spawn(move || {
            let isolation = Isolation::enter(opts.no_isolation);
            let _turn = match isolation {
                Isolation::Host(_) => Some(HOST_NETWORK.lock().unwrap_or_else(|e| e.into_inner())),
                Isolation::Namespace => None,
            };
            grade_here(&lab, &target, opts, &isolation, &python)
        })?
        .join()
        .map_err(|_| anyhow::anyhow!("the grading thread panicked"))?
}

fn grade_here(
    lab: &Lab,
    target: &Target,
    opts: GradeOptions,
    isolation: &Isolation,
    python: &PythonInfo,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let checklist = opts.checklist_of(lab);
    checklist.ensure_items(&opts.only)?;
    let (workdir, submission_name) = match target {
        Target::Submission(dir) => (WorkDir::new(Some(dir))?, dir.display().to_string()),
        Target::Reference => (WorkDir::new(None)?, "reference".to_owned()),
    };
    let files = submission::python_files(&workdir.work())?;
    // Made first: even reading the student's source (Python's `ast`, pycodestyle) runs in
    // it, as the sandbox's user under its limits.
    let sandbox = Sandbox::new(checklist.sandbox.limits, python.paths.clone(), opts.sandbox);
    sandbox.give(&workdir.work())?;
    let facts = if files.is_empty() {
        None
    } else {
        Some(SourceFacts::inspect(
            &opts.python,
            &sandbox,
            &workdir.work(),
            &files,
        )?)
    };
    let layout = match target {
        Target::Submission(_) => submission::layout(&files, &checklist.submission, facts.as_ref()),
        Target::Reference => Layout::default(),
    };
    let reference = matches!(target, Target::Reference);
    let mut g = Grader::new(checklist, opts, workdir, sandbox);
    g.layout = layout;
    g.facts = facts;
    g.reference = reference;
    g.namespaced = *isolation == Isolation::Namespace;
    g.programs = programs(lab, &g)?;
    g.plan = engine::plan(&g.checklist, &g.opts.only);
    lab.checks.run(&mut g)?;
    Ok(report(&g, submission_name, isolation, started))
}

/// How each role starts: the layout's Python files, replaced by `--cmd` commands, or the
/// lab's reference binaries.
fn programs(lab: &Lab, g: &Grader) -> anyhow::Result<BTreeMap<String, Program>> {
    let mut programs = BTreeMap::new();
    if g.reference {
        for role in lab.reference {
            let binary = reference_binary(g.opts.reference_bin_dir.as_deref(), role.binary)?;
            let args = role
                .args
                .iter()
                .map(|arg| arg.replace("{count}", &g.count().to_string()))
                .collect();
            programs.insert(role.role.to_owned(), Program::Binary(binary, args));
        }
        return Ok(programs);
    }
    for (role, path) in &g.layout.roles {
        programs.insert(
            role.clone(),
            Program::Python(sandbox::workdir::file_name(path)),
        );
    }
    for (role, command) in &g.opts.commands {
        programs.insert(role.clone(), Program::Shell(command.clone()));
    }
    Ok(programs)
}

/// The report: one result per wanted item, in checklist order.
fn report(g: &Grader, submission: String, isolation: &Isolation, started: Instant) -> Report {
    let only = &g.opts.only;
    let items = g
        .checklist
        .items
        .iter()
        .filter(|item| only.is_empty() || only.contains(&item.id))
        .map(|item| {
            let verdict = g
                .verdict(&item.id)
                .cloned()
                .unwrap_or_else(|| Verdict::not_assessed("the lab has no check for this item"));
            ItemResult::new(item, verdict)
        })
        .collect();
    Report::new(
        &g.checklist,
        submission,
        format!(
            "{}; {}",
            isolation.describe(),
            match g.reference {
                true => "the reference binaries are the grader's own: no sandbox".to_owned(),
                false => g.sandbox.describe(),
            }
        ),
        started.elapsed().as_secs_f64(),
        items,
    )
}
