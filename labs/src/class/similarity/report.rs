//! What `labs similarity` reports: the JSON shape (`{"pairs": [{"left", "right",
//! "similarity", ...}]}`, every pair, highest first), the text lines, and each
//! submission's closest match for its grading report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use similarity::{FileStats, Fragment, Pair, Settings};

/// A class compared, as `--format json` writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClassReport {
    /// The lab: `frames`, `numbers`, ...
    pub lab: String,
    /// The given code left out, by name.
    pub given: Vec<String>,
    /// How the files were compared.
    pub settings: SettingsEntry,
    /// Every submission, in name order, with its files and notes.
    pub submissions: Vec<SubmissionEntry>,
    /// Every pair of submissions, by similarity, highest first (then by names).
    pub pairs: Vec<PairEntry>,
}

/// [`Settings`], as the report states them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SettingsEntry {
    /// Tokens per k-gram.
    pub k: usize,
    /// k-grams per winnowing window.
    pub window: usize,
    /// Evidence (rare tokens) below which a fragment does not count.
    pub min_match: f64,
    /// Evidence from which a fragment counts fully.
    pub full_match: f64,
    /// Shared tokens at which a pair's similarity is 0.5.
    pub half_shared: f64,
    /// Share of the class above which shared code is common idiom, in [0, 1].
    pub max_share: f64,
}

impl From<&Settings> for SettingsEntry {
    fn from(s: &Settings) -> Self {
        SettingsEntry {
            k: s.k,
            window: s.window,
            min_match: s.min_match,
            full_match: s.full_match,
            half_shared: s.half_shared,
            max_share: s.max_share,
        }
    }
}

/// One submission.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmissionEntry {
    /// Its name in the batch (the folder's name, or the student's identity).
    pub name: String,
    /// Its compared files, by role.
    pub files: BTreeMap<String, FileEntry>,
    /// What was left out or odd: "no Python file", "x.py: a symbolic link, not followed".
    pub notes: Vec<String>,
}

/// One compared file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its file name.
    pub file: String,
    /// Its tokens.
    pub tokens: usize,
    /// Tokens that are given code.
    pub given: usize,
    /// Tokens that are common idiom.
    pub idiom: usize,
    /// The student's own tokens, on which coverage is counted.
    pub own: usize,
    /// How it was read ("does not parse (line 3): ...").
    pub notes: Vec<String>,
}

impl FileEntry {
    /// The entry of file `file` with `stats` and the reader's `notes`.
    pub fn new(file: &str, stats: FileStats, notes: &[String]) -> Self {
        FileEntry {
            file: file.to_owned(),
            tokens: stats.tokens,
            given: stats.given,
            idiom: stats.idiom,
            own: stats.own,
            notes: notes.to_vec(),
        }
    }
}

/// Two submissions compared.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairEntry {
    /// One submission's name.
    pub left: String,
    /// The other's.
    pub right: String,
    /// The roles' similarities [`combined`], in [0, 1] (0 when no role could be compared).
    pub similarity: f64,
    /// The roles' shared tokens added up (see [`RoleMatch::shared_tokens`]).
    pub shared_tokens: f64,
    /// The most similar role: `client`, `server`, ...; empty when no role could be compared.
    pub role: String,
    /// Share of the left submission's own tokens, in that role, in matching fragments.
    pub left_coverage: f64,
    /// Share of the right submission's own tokens, in that role, in matching fragments.
    pub right_coverage: f64,
    /// The longest matching fragment of any role.
    pub longest: Option<FragmentEntry>,
    /// Roles in which both hand in nothing of their own ("given code"), not a copy.
    pub given_code: Vec<String>,
    /// Every role both submissions have, compared.
    pub roles: Vec<RoleMatch>,
}

impl PairEntry {
    /// The pair `left`, `right` from its roles' matches: its similarity is
    /// [`combined`] over the roles, its coverage and role those of its most similar role.
    pub fn new(left: &str, right: &str, roles: Vec<RoleMatch>) -> Self {
        let best = roles
            .iter()
            .max_by(|a, b| a.similarity.total_cmp(&b.similarity));
        let longest = roles
            .iter()
            .flat_map(|r| &r.fragments)
            .max_by_key(|f| f.tokens)
            .cloned();
        PairEntry {
            left: left.to_owned(),
            right: right.to_owned(),
            similarity: round(combined(roles.iter().map(|r| r.similarity))),
            shared_tokens: round(roles.iter().map(|r| r.shared_tokens).sum()),
            role: best.map_or_else(String::new, |r| r.role.clone()),
            left_coverage: best.map_or(0.0, |r| r.left_coverage),
            right_coverage: best.map_or(0.0, |r| r.right_coverage),
            longest,
            given_code: roles
                .iter()
                .filter(|r| r.given_code)
                .map(|r| r.role.clone())
                .collect(),
            roles,
        }
    }

    /// The other submission of a pair `name` is in.
    pub fn other(&self, name: &str) -> &str {
        if self.left == name {
            &self.right
        } else {
            &self.left
        }
    }
}

/// One role of a pair compared.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleMatch {
    /// `client`, `server`, ...
    pub role: String,
    /// The left submission's file.
    pub left_file: String,
    /// The right submission's file.
    pub right_file: String,
    /// How much rare code the two files share, in [0, 1) ([`similarity::Pair::similarity`]).
    pub similarity: f64,
    /// Own tokens in matching fragments, each as much as its fragment counts, averaged
    /// over the two files.
    pub shared_tokens: f64,
    /// Share of the left file's own tokens in matching fragments, in [0, 1].
    pub left_coverage: f64,
    /// Share of the right file's own tokens in matching fragments, in [0, 1].
    pub right_coverage: f64,
    /// Both files are given code and nothing of their own (too little to compare).
    pub given_code: bool,
    /// The matching fragments, by their place in the left file.
    pub fragments: Vec<FragmentEntry>,
}

impl RoleMatch {
    /// Role `role` of a pair: the files' `names` and `stats`, and the [`Pair`] compared.
    pub fn new(
        role: &str,
        names: (&String, &String),
        stats: (FileStats, FileStats),
        pair: &Pair,
    ) -> Self {
        RoleMatch {
            role: role.to_owned(),
            left_file: names.0.clone(),
            right_file: names.1.clone(),
            similarity: round(pair.similarity),
            shared_tokens: round(pair.shared_tokens),
            left_coverage: round(pair.left_coverage),
            right_coverage: round(pair.right_coverage),
            given_code: stats.0.own == 0 && stats.1.own == 0,
            fragments: pair
                .fragments
                .iter()
                .map(|f| FragmentEntry::new(role, f))
                .collect(),
        }
    }
}

/// A matching fragment: the same code in both files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FragmentEntry {
    /// The role whose files it is in.
    pub role: String,
    /// First and last line in the left file, 1-based.
    pub left: [u32; 2],
    /// First and last line in the right file, 1-based.
    pub right: [u32; 2],
    /// The student's own tokens in it (given code and idiom left out).
    pub tokens: usize,
}

impl FragmentEntry {
    fn new(role: &str, f: &Fragment) -> Self {
        FragmentEntry {
            role: role.to_owned(),
            left: [f.left.lines.0, f.left.lines.1],
            right: [f.right.lines.0, f.right.lines.1],
            tokens: f.own_tokens,
        }
    }
}

/// A pair's similarity from its roles' similarities (each in [0, 1]): `1 - (1 - s1)(1 -
/// s2)...`, which is the similarity of the roles' shared tokens added up (a similarity is
/// `1 - 2^(-shared / half_shared)`). One copied file scores what it scores alone (the other
/// file adds its own small share); two half-copied files add up to more than either, as a
/// person reading both would judge.
pub fn combined(scores: impl IntoIterator<Item = f64>) -> f64 {
    1.0 - scores
        .into_iter()
        .map(|s| 1.0 - s.clamp(0.0, 1.0))
        .product::<f64>()
}

/// Three decimals: what a person reads, and what the JSON keeps stable between runs.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A submission's closest match, for its grading report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closest {
    /// The other submission.
    pub other: String,
    /// Their similarity, in [0, 1].
    pub similarity: f64,
    /// The role it is in.
    pub role: String,
    /// The pair's place in [`ClassReport::pairs`]: its anchor in the HTML page is
    /// `#pair-<rank>`.
    pub rank: usize,
}

impl ClassReport {
    /// The report as pretty JSON, a final newline included.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a report always serialises");
        json.push('\n');
        json
    }

    /// The pairs at or above `threshold`, one line each: score, names, role, coverage and
    /// the longest fragment's lines; then the notes on submissions.
    pub fn text(&self, threshold: f64) -> String {
        let mut out = String::new();
        let above: Vec<&PairEntry> = self
            .pairs
            .iter()
            .filter(|p| p.similarity >= threshold)
            .collect();
        let _ = writeln!(
            out,
            "{} submissions, {} pairs; {} at or above {threshold:.2} (given code left out: {})",
            self.submissions.len(),
            self.pairs.len(),
            above.len(),
            if self.given.is_empty() {
                "none".to_owned()
            } else {
                self.given.join(", ")
            }
        );
        for p in above {
            let longest = p.longest.as_ref().map_or_else(String::new, |f| {
                format!(
                    "; longest: {} lines {}-{} / {}-{}, {} tokens",
                    f.role, f.left[0], f.left[1], f.right[0], f.right[1], f.tokens
                )
            });
            let _ = writeln!(
                out,
                "{:.3}  {}  {}  ({}: {:.0}% / {:.0}% covered{longest})",
                p.similarity,
                p.left,
                p.right,
                p.role,
                p.left_coverage * 100.0,
                p.right_coverage * 100.0
            );
        }
        let given: Vec<String> = self
            .pairs
            .iter()
            .filter(|p| !p.given_code.is_empty())
            .map(|p| format!("{} & {} ({})", p.left, p.right, p.given_code.join(", ")))
            .collect();
        if !given.is_empty() {
            let _ = writeln!(out, "given code, not a copy: {}", given.join("; "));
        }
        for s in &self.submissions {
            let notes: Vec<String> = s
                .notes
                .iter()
                .cloned()
                .chain(
                    s.files
                        .values()
                        .flat_map(|f| f.notes.iter().map(move |n| format!("{}: {n}", f.file))),
                )
                .collect();
            if !notes.is_empty() {
                let _ = writeln!(out, "note: {}: {}", s.name, notes.join("; "));
            }
        }
        out
    }

    /// Each submission's most similar other submission (none for a class of one).
    pub fn closest(&self) -> BTreeMap<String, Closest> {
        let mut closest: BTreeMap<String, Closest> = BTreeMap::new();
        // Pairs are sorted highest first, so the first pair naming a submission is its closest.
        for (rank, p) in self.pairs.iter().enumerate() {
            for name in [&p.left, &p.right] {
                closest.entry(name.clone()).or_insert_with(|| Closest {
                    other: p.other(name).to_owned(),
                    similarity: p.similarity,
                    role: p.role.clone(),
                    rank,
                });
            }
        }
        closest
    }
}
