//! The workspace's Markdown documents point only at what exists: every relative link of
//! every tracked `.md` file names a file or folder of the repository, and every `#anchor`
//! a heading of the file it names (GitHub's anchor for it). And every crate has a README
//! that its package names, so docs.rs and a reader opening the crate's folder find it, and
//! that its `lib.rs` tour names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The repository's root: testkit's folder is one of its members.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// The workspace's members, as its `Cargo.toml` lists them.
fn members(root: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("members = "))
        .expect("the workspace's members");
    members
        .trim_matches(['[', ']'])
        .split(',')
        .map(|member| member.trim().trim_matches('"').to_owned())
        .collect()
}

/// Every `.md` file of the repository, leaving out build output and version control.
fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !(name.starts_with('.') || name.starts_with("target") || name == "node_modules") {
                markdown_files(&path, found);
            }
        } else if name.ends_with(".md") {
            found.push(path);
        }
    }
}

/// The lines of `text` outside fenced code blocks, with inline code spans blanked, so that
/// code that looks like a link (`a[i](x)`) is not taken for one.
fn prose_lines(text: &str) -> Vec<String> {
    let mut fenced = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut prose = String::new();
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                prose.push_str(part);
            }
            prose.push(' ');
        }
        lines.push(prose);
    }
    lines
}

/// The targets of the inline links `[text](target)` of `text`, with their line numbers.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in prose_lines(text).iter().enumerate() {
        let mut rest = line.as_str();
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = after[..end].split_whitespace().next().unwrap_or("");
            found.push((n + 1, target.to_owned()));
            rest = &after[end..];
        }
    }
    found
}

/// GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, each
/// space a `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of every heading of `text`, a repeated one numbered as GitHub numbers it.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced || !line.starts_with('#') {
            continue;
        }
        let heading = line.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let base = slug(&heading.replace('`', ""));
        let mut anchor = base.clone();
        let mut n = 0;
        while !found.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
    }
    found
}

#[test]
fn every_relative_link_names_a_file_and_a_heading_that_exist() {
    let root = root();
    let mut files = Vec::new();
    markdown_files(&root, &mut files);
    assert!(files.len() > 10, "found only {files:?}");
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (line, target) in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") || target.is_empty() {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let named = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            let shown = format!(
                "{}:{line}: {target}",
                file.strip_prefix(&root).unwrap().display()
            );
            if !named.exists() {
                broken.push(format!("{shown} (no such file)"));
            } else if !anchor.is_empty() {
                let heads = anchors(&std::fs::read_to_string(&named).unwrap_or_default());
                if !heads.contains(anchor) {
                    broken.push(format!("{shown} (no such heading; it has {heads:?})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn every_crate_has_a_readme_that_its_package_names() {
    let root = root();
    let mut missing = Vec::new();
    for member in members(&root) {
        let folder = root.join(&member);
        let package = std::fs::read_to_string(folder.join("Cargo.toml")).unwrap();
        if !folder.join("README.md").is_file() {
            missing.push(format!("{member}: no README.md"));
        } else if !package
            .lines()
            .any(|l| l.trim() == "readme = \"README.md\"")
        {
            missing.push(format!(
                "{member}: Cargo.toml does not say readme = \"README.md\""
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// A reader who starts at a crate's `lib.rs` tour (or its docs.rs page, which shows only the
/// tour) must learn that the crate's README holds how to run it and its figures. Relative
/// links do not resolve on docs.rs, so the tour names the file rather than linking to it.
#[test]
fn every_lib_rs_tour_names_its_readme() {
    let root = root();
    let mut silent = Vec::new();
    for member in members(&root) {
        let lib = root.join(&member).join("src/lib.rs");
        let Ok(text) = std::fs::read_to_string(&lib) else {
            continue;
        };
        let tour: String = text
            .lines()
            .take_while(|line| line.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        if !tour.contains("`README.md`") {
            silent.push(format!("{member}/src/lib.rs"));
        }
    }
    assert!(
        silent.is_empty(),
        "these tours do not name their crate's `README.md`:\n{}",
        silent.join("\n")
    );
}

#[test]
fn anchors_are_githubs() {
    assert_eq!(
        slug("Where the time goes, phase by phase"),
        "where-the-time-goes-phase-by-phase"
    );
    assert_eq!(
        slug("labs: handouts, checklists and the grader"),
        "labs-handouts-checklists-and-the-grader"
    );
    assert_eq!(
        anchors("# A\n```\n# not a heading\n```\n## A\n"),
        ["a", "a-1"].map(String::from).into()
    );
    assert_eq!(
        links("see [x](a.md#b) and `[y](z)`\n```\n[c](d)\n```\n"),
        [(1, "a.md#b".to_owned())]
    );
}
