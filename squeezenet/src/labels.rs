//! The ImageNet-1k class names, in the model's output order.
//!
//! `synset.txt` has one line per class, in the order of the model's 1000 outputs:
//! a WordNet id, a space, then comma-separated names, e.g.
//! `n02690373 airliner` or `n01440764 tench, Tinca tinca`. We answer with the first name
//! (`tench`), as the course's Python server does.

use std::path::{Path, PathBuf};

/// Number of ImageNet-1k classes: the model's output length and the label file's line count.
pub const NUM_CLASSES: usize = 1000;

/// Why the label file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LabelsError {
    /// The file could not be read (or is not UTF-8).
    #[error("cannot read the label file {}", path.display())]
    Io {
        /// The label file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file does not have one line per class.
    #[error("the label file {} has {found} lines, expected {NUM_CLASSES} (one per ImageNet-1k class)", path.display())]
    WrongCount {
        /// The label file.
        path: PathBuf,
        /// Number of non-empty lines found.
        found: usize,
    },
    /// A line is not `WNID name[, name...]`.
    #[error("line {line} of the label file {} is not \"nXXXXXXXX name, ...\": {text:?}", path.display())]
    Malformed {
        /// The label file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The offending line.
        text: String,
    },
}

/// The 1000 class labels, indexed by class index (ImageNet-1k synset order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    names: Vec<String>,
}

impl Labels {
    /// Reads and parses a synset file; see [`Labels::parse`].
    ///
    /// Errors: [`LabelsError::Io`] plus those of [`Labels::parse`].
    pub fn load(path: &Path) -> Result<Labels, LabelsError> {
        let text = std::fs::read_to_string(path).map_err(|source| LabelsError::Io {
            path: path.to_owned(),
            source,
        })?;
        Labels::parse(&text, path)
    }

    /// The embedded label list ([`crate::model::EMBEDDED_LABELS`]).
    pub fn embedded() -> Labels {
        Labels::parse(
            crate::model::EMBEDDED_LABELS,
            Path::new("<embedded synset.txt>"),
        )
        .expect("the embedded synset.txt is checked by the unit tests")
    }

    /// `path`'s label list if given, else the embedded one.
    ///
    /// Errors: those of [`Labels::load`].
    pub fn from_option(path: Option<&Path>) -> Result<Labels, LabelsError> {
        path.map_or_else(|| Ok(Labels::embedded()), Labels::load)
    }

    /// Parses synset text: exactly [`NUM_CLASSES`] non-empty lines `WNID name[, name...]`;
    /// `path` is only used in error messages.
    ///
    /// Errors: [`LabelsError::Malformed`], [`LabelsError::WrongCount`].
    pub fn parse(text: &str, path: &Path) -> Result<Labels, LabelsError> {
        let mut names = Vec::with_capacity(NUM_CLASSES);
        // `lines()` also strips a `\r`, so a file saved on Windows parses the same.
        for (number, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let malformed = || LabelsError::Malformed {
                path: path.to_owned(),
                line: number + 1,
                text: line.to_owned(),
            };
            let (_wnid, names_part) = line.trim().split_once(' ').ok_or_else(malformed)?;
            let first = names_part.split(',').next().unwrap_or("").trim();
            if first.is_empty() {
                return Err(malformed());
            }
            names.push(first.to_owned());
        }
        if names.len() != NUM_CLASSES {
            return Err(LabelsError::WrongCount {
                path: path.to_owned(),
                found: names.len(),
            });
        }
        Ok(Labels { names })
    }

    /// The first name of class `index` (0..1000), e.g. `airliner` for 404; `None` if out of range.
    pub fn name(&self, index: usize) -> Option<&str> {
        self.names.get(index).map(String::as_str)
    }

    /// Number of classes, always [`NUM_CLASSES`].
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Always `false`: a parsed label list has [`NUM_CLASSES`] entries.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synset(lines: usize) -> String {
        (0..lines)
            .map(|i| format!("n{i:08} name{i}, other\n"))
            .collect()
    }

    #[test]
    fn first_name_of_each_line() {
        let mut text = synset(NUM_CLASSES);
        text.insert_str(0, "n01440764 tench, Tinca tinca\r\n");
        text.truncate(text.trim_end().rfind('\n').unwrap() + 1); // keep 1000 lines
        let labels = Labels::parse(&text, Path::new("synset.txt")).unwrap();
        assert_eq!(labels.len(), NUM_CLASSES);
        assert_eq!(labels.name(0), Some("tench"));
        assert_eq!(labels.name(1), Some("name0"));
        assert_eq!(labels.name(NUM_CLASSES), None);
    }

    #[test]
    fn wrong_count_and_malformed_lines_are_errors() {
        let err = Labels::parse(&synset(999), Path::new("s.txt")).unwrap_err();
        assert!(
            matches!(err, LabelsError::WrongCount { found: 999, .. }),
            "{err}"
        );
        let err = Labels::parse("n01440764\n", Path::new("s.txt")).unwrap_err();
        assert!(
            matches!(err, LabelsError::Malformed { line: 1, .. }),
            "{err}"
        );
    }

    #[test]
    fn the_embedded_synset_file_parses() {
        let labels = Labels::embedded();
        assert_eq!(labels.name(404), Some("airliner"));
        assert_eq!(labels.name(387), Some("lesser panda"));
    }
}
