//! A submission folder: which file plays which role, and whether it is named as the
//! handout asks (`NameSurname_client.py`, or plain `client.py`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::checklist::SubmissionSpec;

/// What was found in a submission folder.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The file chosen for each role (even when misnamed, so the programs still run).
    pub roles: BTreeMap<String, PathBuf>,
    /// Every `.py` file, sorted.
    pub python_files: Vec<PathBuf>,
    /// Naming problems, empty when the file-names item passes.
    pub problems: Vec<String>,
}

/// Finds the role files of `dir` according to `spec`.
pub fn layout(dir: &Path, spec: &SubmissionSpec) -> std::io::Result<Layout> {
    let mut python_files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "py"))
        .collect();
    python_files.sort();
    let name = |p: &PathBuf| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned()
    };
    let mut layout = Layout {
        python_files: python_files.clone(),
        ..Layout::default()
    };
    let mut prefixes = Vec::new();
    for role in &spec.roles {
        let exact: Vec<&PathBuf> = python_files
            .iter()
            .filter(|p| {
                let n = name(p);
                if spec.naming == "NameSurname" {
                    n.ends_with(&format!("_{role}.py"))
                } else {
                    n == format!("{role}.py")
                }
            })
            .collect();
        let chosen = match exact.as_slice() {
            [one] => Some((*one).clone()),
            [] => {
                let loose: Vec<&PathBuf> = python_files
                    .iter()
                    .filter(|p| name(p).to_lowercase().contains(role.as_str()))
                    .collect();
                let expected = if spec.naming == "NameSurname" {
                    format!("NameSurname_{role}.py")
                } else {
                    format!("{role}.py")
                };
                match loose.as_slice() {
                    [one] => {
                        layout
                            .problems
                            .push(format!("{} should be named {expected}", name(one)));
                        Some((*one).clone())
                    }
                    _ => {
                        layout.problems.push(format!("no {expected}"));
                        None
                    }
                }
            }
            many => {
                let names: Vec<String> = many.iter().map(|p| name(p)).collect();
                layout
                    .problems
                    .push(format!("several {role} files: {}", names.join(", ")));
                Some(many[0].clone())
            }
        };
        if let Some(path) = chosen {
            if spec.naming == "NameSurname" {
                let n = name(&path);
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
    }
    prefixes.dedup();
    if prefixes.len() > 1 {
        layout.problems.push(format!(
            "the files carry different names: {}",
            prefixes.join(", ")
        ));
    }
    Ok(layout)
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
