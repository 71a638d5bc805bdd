//! A submission folder: which file plays which role, and whether it is named as the
//! handout asks (`NameSurname_client.py`, or plain `client.py`).
//!
//! A misnamed file costs the `file-names` item once and nothing else: when no file has the
//! expected name, the role is found by a looser name (`client_optimized.py`) and, for the
//! `server` and `client` roles, by what the source does (a server listens, a client
//! connects), preferring an optimized client (one using `threading` or `multiprocessing`)
//! over a sequential one beside it. Which file was taken, and why, is kept for the evidence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sandbox::workdir::file_name;

use crate::grading::checklist::SubmissionSpec;
use crate::grading::pystatic::SourceFacts;

/// What was found in a submission folder.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The file chosen for each role (even when misnamed, so the programs still run).
    pub roles: BTreeMap<String, PathBuf>,
    /// Naming problems, empty when the file-names item passes.
    pub problems: Vec<String>,
    /// For each role not found by its expected name: which file was taken and why.
    pub choices: Vec<String>,
}

/// The `.py` files of `dir`, sorted.
pub fn python_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    Ok(files)
}

/// Finds the role files among `files` according to `spec`, using `facts` (the files'
/// static facts, when they could be read) where names do not settle it.
pub fn layout(files: &[PathBuf], spec: &SubmissionSpec, facts: Option<&SourceFacts>) -> Layout {
    let mut layout = Layout::default();
    let mut prefixes = Vec::new();
    for role in &spec.roles {
        let expected = if spec.naming == "NameSurname" {
            format!("NameSurname_{role}.py")
        } else {
            format!("{role}.py")
        };
        let exact: Vec<&PathBuf> = files
            .iter()
            .filter(|p| {
                let n = file_name(p);
                if spec.naming == "NameSurname" {
                    n.ends_with(&format!("_{role}.py"))
                } else {
                    n == format!("{role}.py")
                }
            })
            .collect();
        let chosen = match exact.as_slice() {
            [one] => Some((*one).clone()),
            [] => find_misnamed(role, &expected, files, facts, &mut layout),
            many => {
                let names: Vec<String> = many.iter().map(|p| file_name(p)).collect();
                layout
                    .problems
                    .push(format!("several {role} files: {}", names.join(", ")));
                let chosen = by_source(role, many, facts).unwrap_or_else(|| many[0].clone());
                layout
                    .choices
                    .push(format!("{role}: took {}", file_name(&chosen)));
                Some(chosen)
            }
        };
        let Some(path) = chosen else { continue };
        if spec.naming == "NameSurname" {
            let n = file_name(&path);
            if let Some(prefix) = n.strip_suffix(&format!("_{role}.py")) {
                if !is_name_surname(prefix) {
                    layout.problems.push(format!(
                        "{n}: {prefix:?} is not NameSurname (letters only, each part capitalised)"
                    ));
                }
                prefixes.push(prefix.to_owned());
            }
        }
        layout.roles.insert(role.clone(), path);
    }
    prefixes.dedup();
    if prefixes.len() > 1 {
        layout.problems.push(format!(
            "the files carry different names: {}",
            prefixes.join(", ")
        ));
    }
    layout
}

/// The file for `role` when none has its expected name: the only file whose name contains
/// the role, else (for `server` and `client`) the one whose source does the role's job.
fn find_misnamed(
    role: &str,
    expected: &str,
    files: &[PathBuf],
    facts: Option<&SourceFacts>,
    layout: &mut Layout,
) -> Option<PathBuf> {
    let loose: Vec<&PathBuf> = files
        .iter()
        .filter(|p| file_name(p).to_lowercase().contains(role))
        .collect();
    if let [one] = loose.as_slice() {
        layout
            .problems
            .push(format!("{} should be named {expected}", file_name(one)));
        return Some((*one).clone());
    }
    layout.problems.push(format!(
        "no {expected} (files: {})",
        files
            .iter()
            .map(|p| file_name(p))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let pool: Vec<&PathBuf> = if loose.is_empty() {
        files.iter().collect()
    } else {
        loose
    };
    let chosen = by_source(role, &pool, facts)?;
    let others: Vec<String> = pool
        .iter()
        .filter(|p| ***p != chosen)
        .map(|p| file_name(p))
        .collect();
    layout.choices.push(format!(
        "{role}: took {} ({}){}",
        file_name(&chosen),
        describe(role, &chosen, facts),
        if others.is_empty() {
            String::new()
        } else {
            format!(", over {}", others.join(", "))
        }
    ));
    Some(chosen)
}

/// Among `candidates`, the file whose source plays `role`: a server listens; a client
/// connects without listening, and one using threads or processes (the optimized client)
/// wins over one that does not. None for other roles, or when no file qualifies.
fn by_source(role: &str, candidates: &[&PathBuf], facts: Option<&SourceFacts>) -> Option<PathBuf> {
    let facts = facts?;
    let uses = |path: &Path, what: &str| facts.uses(&file_name(path), what).is_some();
    let qualifies = |path: &Path| match role {
        "server" => uses(path, "listen"),
        "client" => uses(path, "connect") && !uses(path, "listen"),
        _ => false,
    };
    let mut fitting: Vec<&PathBuf> = candidates
        .iter()
        .copied()
        .filter(|p| qualifies(p))
        .collect();
    // Optimized first; among equals, the name order.
    fitting.sort_by_key(|p| (!is_concurrent(facts, p), file_name(p)));
    fitting.first().map(|p| (*p).clone())
}

/// Whether the file imports `threading` or `multiprocessing`.
fn is_concurrent(facts: &SourceFacts, path: &Path) -> bool {
    facts.files.get(&file_name(path)).is_some_and(|f| {
        f.imports.iter().any(|i| {
            let top = i.module.split('.').next().unwrap_or_default();
            top == "threading" || top == "multiprocessing"
        })
    })
}

/// "it listens", "it connects; uses threading or multiprocessing".
fn describe(role: &str, path: &Path, facts: Option<&SourceFacts>) -> String {
    let does = if role == "server" {
        "it listens"
    } else {
        "it connects"
    };
    match facts {
        Some(facts) if role == "client" && is_concurrent(facts, path) => {
            format!("{does} and uses threading or multiprocessing")
        }
        _ => does.to_owned(),
    }
}

/// `IvanPetrov`: ASCII letters only, starting with a capital, at least two capitals.
pub fn is_name_surname(prefix: &str) -> bool {
    prefix
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_uppercase())
        && prefix.chars().all(|c| c.is_ascii_alphabetic())
        && prefix.chars().filter(char::is_ascii_uppercase).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::is_name_surname;

    #[test]
    fn name_surname() {
        assert!(is_name_surname("IvanPetrov"));
        assert!(is_name_surname("AnnaMariaLopez"));
        assert!(!is_name_surname("ivanpetrov"));
        assert!(!is_name_surname("Ivan"));
        assert!(!is_name_surname("Ivan_Petrov"));
        assert!(!is_name_surname(""));
    }
}
