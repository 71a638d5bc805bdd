//! Every pair of a class's files compared at once, with given code and common idiom left
//! out.
//!
//! 1. Each file's k-grams are hashed and winnowed ([`crate::winnow`]).
//! 2. A token is *not the student's own* when a k-gram covering it is also a k-gram of the
//!    given code (MOSS's `-b`, compare50's distro), or is found in more than
//!    [`Settings::max_share`] of the class's files (common idiom, MOSS's `-m`). Such tokens
//!    are never evidence, and a file's share is counted on the rest: its *own* tokens.
//! 3. A fingerprint two files share (neither given nor idiom) seeds a match, which is
//!    extended token by token in both directions for as long as the files agree, so a
//!    fragment's ends are exact whatever the window.
//! 4. Each own token has a *rarity*: `2 / n` for the k-gram around it that most files
//!    share, `n` of them (an inverse document frequency, relative to a pair). A fragment's
//!    *evidence* is the sum of its tokens' rarities: a run that only two students wrote
//!    tells a lot; the same length pieced together from lines that other students wrote
//!    too (the course's accept loop, the usual pool) tells little, even when no third
//!    student has the whole run.
//! 5. A fragment counts by its evidence: not at all below [`Settings::min_match`], fully
//!    from [`Settings::full_match`], linearly between (JPlag's minimum match length, made
//!    gradual so that a score does not jump when one token more matches, and measured in
//!    rare tokens rather than tokens).
//! 6. A pair's *shared tokens* are the mean, over its two files, of the own tokens in
//!    counted fragments, each as much as its fragment counts. Its similarity is
//!    `1 - 2^(-shared / half_shared)` ([`Settings::half_shared`]), in [0, 1): it grows with
//!    the amount of rare code two students share, not with its share of their files, so a
//!    copied function scores as a copied function whether the rest of the file is 30 lines
//!    or 300. Each file's share is reported beside it ([`Pair::left_coverage`]).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;

use crate::tokens::{Document, Token};
use crate::winnow::{Fingerprint, kgrams, winnow};

/// How files are compared. The defaults were calibrated on corpora of `labs`
/// (`labs/tests/similarity/`), then checked once on one held out (this crate's README
/// gives the figures and the order in which the corpora were used).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Tokens per k-gram.
    pub k: usize,
    /// k-grams per winnowing window: every match of `window + k - 1` tokens or more is found.
    pub window: usize,
    /// Evidence (rare tokens: see the module's doc) below which a fragment does not count.
    pub min_match: f64,
    /// Evidence from which a fragment counts fully.
    pub full_match: f64,
    /// Shared tokens at which a pair's similarity is 0.5 (twice as many: 0.75).
    pub half_shared: f64,
    /// A k-gram found in more than this share of the files (and in at least 3) is common
    /// idiom, in [0, 1].
    pub max_share: f64,
    /// Tokens read per file; the rest of a longer file is left out, with a note.
    pub max_tokens: usize,
}

impl Settings {
    /// Whether these settings make sense, and if not, the first that does not, by field
    /// name: `max_share` in [0, 1], `half_shared` above 0, `0 <= min_match <= full_match`,
    /// `k` and `window` at least 1.
    ///
    /// Errors: a sentence naming the field, for a person who set it.
    pub fn check(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.max_share) {
            return Err(format!(
                "max_share is a share of the class, in [0, 1], not {}",
                self.max_share
            ));
        }
        if self.half_shared.is_nan() || self.half_shared <= 0.0 {
            return Err(format!(
                "half_shared is a number of tokens above 0, not {}",
                self.half_shared
            ));
        }
        if !(self.min_match >= 0.0 && self.full_match >= self.min_match) {
            return Err(format!(
                "min_match ({}) is 0 or more, and full_match ({}) at least min_match",
                self.min_match, self.full_match
            ));
        }
        if self.k == 0 || self.window == 0 {
            return Err("k and window are at least 1".to_owned());
        }
        Ok(())
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            k: 12,
            window: 8,
            min_match: 8.0,
            full_match: 48.0,
            half_shared: 28.0,
            max_share: 0.5,
            max_tokens: 20_000,
        }
    }
}

/// What the comparison made of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileStats {
    /// Its tokens.
    pub tokens: usize,
    /// Tokens that are given code.
    pub given: usize,
    /// Tokens that are common idiom (and not given code).
    pub idiom: usize,
    /// The rest: the student's own tokens, on which shares are counted.
    pub own: usize,
}

/// A run of tokens in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Token indices, end exclusive.
    pub tokens: Range<usize>,
    /// First and last line, 1-based, inclusive.
    pub lines: (u32, u32),
}

/// A matching fragment: the same tokens in both files.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    /// Where it is in the left file.
    pub left: Span,
    /// Where it is in the right file.
    pub right: Span,
    /// Own tokens in it (the fewer of the two sides').
    pub own_tokens: usize,
    /// The sum of its own tokens' rarities (the smaller of the two sides'), in rare
    /// tokens: at most `own_tokens`.
    pub evidence: f64,
    /// How much its tokens count, in (0, 1]: by its evidence, from
    /// [`Settings::min_match`] (nothing) to [`Settings::full_match`] (fully).
    pub weight: f64,
}

/// Two files compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// Index of the left file in the input.
    pub left: usize,
    /// Index of the right file (greater than `left`).
    pub right: usize,
    /// `1 - 2^(-shared_tokens / half_shared)`, in [0, 1); 0 when nothing is shared.
    pub similarity: f64,
    /// Own tokens in counted fragments, each as much as its fragment counts, averaged
    /// over the two files.
    pub shared_tokens: f64,
    /// Share of the left file's own tokens in counted fragments (each as much as its
    /// fragment counts), in [0, 1].
    pub left_coverage: f64,
    /// The same share of the right file's own tokens, in [0, 1].
    pub right_coverage: f64,
    /// The counted fragments, by their place in the left file.
    pub fragments: Vec<Fragment>,
}

impl Pair {
    /// The fragment with the most own tokens, if any.
    pub fn longest(&self) -> Option<&Fragment> {
        self.fragments.iter().max_by_key(|f| f.own_tokens)
    }
}

/// The result of [`compare`].
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Per input file, in input order (all zero for a missing one).
    pub files: Vec<FileStats>,
    /// Every pair of present files, `left < right`, in index order.
    pub pairs: Vec<Pair>,
}

/// A file ready for comparison: its tokens, k-grams, fingerprints and own-token mask.
struct Prepared<'a> {
    tokens: &'a [Token],
    fingerprints: Vec<Fingerprint>,
    /// `true` for a token that is given code or idiom.
    ignored: Vec<bool>,
    /// How much each token tells, in (0, 1] (0 for ignored ones).
    rarity: Vec<f64>,
    stats: FileStats,
}

/// Compares every pair of `files` (`None` where a submission has no such file), leaving
/// out what is in `given`.
pub fn compare(
    files: &[Option<&Document>],
    given: &[&Document],
    settings: &Settings,
) -> Comparison {
    let k = settings.k.max(1);
    let given_kgrams: HashSet<u64> = given.iter().flat_map(|d| kgrams(&d.tokens, k)).collect();
    let hashes: Vec<Option<Vec<u64>>> = files
        .par_iter()
        .map(|f| f.map(|d| kgrams(&d.tokens, k)))
        .collect();
    let spread = common_idiom(&hashes, &given_kgrams, settings.max_share);

    let prepared: Vec<Option<Prepared>> = files
        .par_iter()
        .zip(&hashes)
        .map(|(file, hashes)| {
            let (doc, hashes) = (file.as_ref()?, hashes.as_ref()?);
            Some(prepare(doc, hashes, &given_kgrams, &spread, settings))
        })
        .collect();

    let present: Vec<usize> = (0..files.len())
        .filter(|&i| prepared[i].is_some())
        .collect();
    let index_pairs: Vec<(usize, usize)> = present
        .iter()
        .enumerate()
        .flat_map(|(n, &a)| present[n + 1..].iter().map(move |&b| (a, b)))
        .collect();
    let pairs = index_pairs
        .par_iter()
        .map(|&(a, b)| {
            let (left, right) = (prepared[a].as_ref(), prepared[b].as_ref());
            compare_two(
                a,
                b,
                left.expect("present"),
                right.expect("present"),
                settings,
            )
        })
        .collect();
    let files = prepared
        .iter()
        .map(|p| p.as_ref().map(|p| p.stats).unwrap_or_default())
        .collect();
    Comparison { files, pairs }
}

/// The k-gram hashes found in more than `max_share` of the present files and in at least 3
/// of them (given code aside: it is left out anyway).
fn common_idiom(hashes: &[Option<Vec<u64>>], given: &HashSet<u64>, max_share: f64) -> Spread {
    let present = hashes.iter().flatten().count();
    let limit = (max_share * present as f64).max(3.0);
    let mut files_with: HashMap<u64, usize> = HashMap::new();
    for file in hashes.iter().flatten() {
        let distinct: HashSet<u64> = file
            .iter()
            .copied()
            .filter(|h| !given.contains(h))
            .collect();
        for h in distinct {
            *files_with.entry(h).or_default() += 1;
        }
    }
    let idiom = files_with
        .iter()
        .filter(|&(_, n)| *n as f64 > limit)
        .map(|(h, _)| *h)
        .collect();
    Spread { idiom, files_with }
}

/// How widely the class shares each k-gram.
struct Spread {
    idiom: HashSet<u64>,
    files_with: HashMap<u64, usize>,
}

impl Spread {
    /// How much a k-gram found in `n` files tells of any one pair of them: `2 / n`, fully
    /// when only a pair has it (an inverse document frequency, relative to a pair).
    fn rarity(&self, h: u64) -> f64 {
        let n = self.files_with.get(&h).copied().unwrap_or(1);
        2.0 / n.max(2) as f64
    }
}

fn prepare<'a>(
    doc: &'a Document,
    hashes: &[u64],
    given: &HashSet<u64>,
    spread: &Spread,
    settings: &Settings,
) -> Prepared<'a> {
    let idiom = &spread.idiom;
    let k = settings.k.max(1);
    let n = doc.tokens.len();
    let mut is_given = vec![false; n];
    let mut is_idiom = vec![false; n];
    // A token's rarity: what the most widely shared k-gram covering it tells (1 in a file
    // shorter than k). Taking the least, not the most, is what marks a run pieced together
    // from common lines as common, though the run as a whole is only in two files.
    let mut rarity: Vec<f64> = vec![1.0; n];
    for (at, h) in hashes.iter().enumerate() {
        if given.contains(h) {
            is_given[at..at + k].fill(true);
        } else if idiom.contains(h) {
            is_idiom[at..at + k].fill(true);
        } else {
            let r = spread.rarity(*h);
            for x in &mut rarity[at..at + k] {
                *x = x.min(r);
            }
        }
    }
    let ignored: Vec<bool> = (0..n).map(|i| is_given[i] || is_idiom[i]).collect();
    for (r, i) in rarity.iter_mut().zip(&ignored) {
        if *i {
            *r = 0.0;
        }
    }
    let given_count = is_given.iter().filter(|&&g| g).count();
    let ignored_count = ignored.iter().filter(|&&i| i).count();
    let stats = FileStats {
        tokens: n,
        given: given_count,
        idiom: ignored_count - given_count,
        own: n - ignored_count,
    };
    let mut fingerprints: Vec<Fingerprint> = winnow(hashes, settings.window)
        .into_iter()
        .filter(|f| !given.contains(&f.hash) && !idiom.contains(&f.hash))
        .collect();
    fingerprints.sort_by_key(|f| (f.hash, f.at));
    Prepared {
        tokens: &doc.tokens,
        fingerprints,
        ignored,
        rarity,
        stats,
    }
}

fn compare_two(a: usize, b: usize, left: &Prepared, right: &Prepared, settings: &Settings) -> Pair {
    // Seeds: (left index, right index) of every shared fingerprint, by diagonal then place.
    let mut seeds = Vec::new();
    let (fa, fb) = (&left.fingerprints, &right.fingerprints);
    let (mut i, mut j) = (0, 0);
    while i < fa.len() && j < fb.len() {
        match fa[i].hash.cmp(&fb[j].hash) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let h = fa[i].hash;
                let ends = |f: &[Fingerprint], s: usize| {
                    s + f[s..].iter().take_while(|x| x.hash == h).count()
                };
                let (ie, je) = (ends(fa, i), ends(fb, j));
                for x in &fa[i..ie] {
                    for y in &fb[j..je] {
                        seeds.push((x.at as usize, y.at as usize));
                    }
                }
                (i, j) = (ie, je);
            }
        }
    }
    seeds.sort_by_key(|&(x, y)| (x as isize - y as isize, x));

    let mut fragments = Vec::new();
    let mut reached: Option<(isize, usize)> = None; // (diagonal, end on the left) of the last fragment
    for (x, y) in seeds {
        let diagonal = x as isize - y as isize;
        if reached.is_some_and(|(d, end)| d == diagonal && x < end) {
            continue;
        }
        let (lt, rt) = (left.tokens, right.tokens);
        let back = (1..=x.min(y))
            .take_while(|&s| lt[x - s].value == rt[y - s].value)
            .count();
        let forward = (0..)
            .take_while(|&s| {
                x + s < lt.len() && y + s < rt.len() && lt[x + s].value == rt[y + s].value
            })
            .count();
        let (mut start, mut end) = (x - back, x + forward);
        reached = Some((diagonal, end));
        let off = |p: usize| (p as isize - diagonal) as usize;
        // Trim what is not the student's own at either end, on either side.
        let ignored_at = |p: usize| left.ignored[p] || right.ignored[off(p)];
        while start < end && ignored_at(start) {
            start += 1;
        }
        while end > start && ignored_at(end - 1) {
            end -= 1;
        }
        let own = |p: &Prepared, r: Range<usize>| p.ignored[r].iter().filter(|&&i| !i).count();
        let own_tokens = own(left, start..end).min(own(right, off(start)..off(end)));
        let rare = |p: &Prepared, r: Range<usize>| p.rarity[r].iter().sum::<f64>();
        let evidence = rare(left, start..end).min(rare(right, off(start)..off(end)));
        let weight = weight(evidence, settings);
        if weight > 0.0 {
            fragments.push(Fragment {
                left: span(left.tokens, start..end),
                right: span(right.tokens, off(start)..off(end)),
                own_tokens,
                evidence,
                weight,
            });
        }
    }
    fragments.sort_by_key(|f| (f.left.tokens.start, f.right.tokens.start));

    // A token in several fragments counts once, with the largest weight among them; given
    // code and idiom inside a fragment (between its own ends) do not count.
    let covered = |p: &Prepared, spans: &mut dyn Iterator<Item = (Range<usize>, f64)>| {
        let mut mask = vec![0.0f64; p.tokens.len()];
        for (r, w) in spans {
            for m in &mut mask[r] {
                *m = m.max(w);
            }
        }
        mask.iter()
            .zip(&p.ignored)
            .filter(|(_, ignored)| !**ignored)
            .map(|(m, _)| m)
            .sum::<f64>()
    };
    let left_covered = covered(
        left,
        &mut fragments.iter().map(|f| (f.left.tokens.clone(), f.weight)),
    );
    let right_covered = covered(
        right,
        &mut fragments.iter().map(|f| (f.right.tokens.clone(), f.weight)),
    );
    let shared_tokens = (left_covered + right_covered) / 2.0;
    let share = |covered: f64, own: f64| if own > 0.0 { covered / own } else { 0.0 };
    Pair {
        left: a,
        right: b,
        similarity: similarity_of(shared_tokens, settings),
        shared_tokens,
        left_coverage: share(left_covered, left.stats.own as f64),
        right_coverage: share(right_covered, right.stats.own as f64),
        fragments,
    }
}

/// How much a fragment of `evidence` rare tokens counts: nothing below
/// [`Settings::min_match`], then rising linearly to fully at [`Settings::full_match`] (a
/// step when the two are equal).
fn weight(evidence: f64, settings: &Settings) -> f64 {
    let (low, high) = (settings.min_match, settings.full_match);
    if evidence < low {
        return 0.0;
    }
    if high <= low {
        return 1.0;
    }
    ((evidence - low) / (high - low)).clamp(0.0, 1.0)
}

/// A similarity in [0, 1) from `shared` tokens: `1 - 2^(-shared / half_shared)`. The same
/// formula on the sum of several file pairs' shared tokens gives `1 - prod(1 - s_i)` of
/// their similarities, which is how `labs` combines a submission pair's roles.
pub fn similarity_of(shared: f64, settings: &Settings) -> f64 {
    if shared <= 0.0 || settings.half_shared <= 0.0 {
        return if shared > 0.0 { 1.0 } else { 0.0 };
    }
    1.0 - (-shared / settings.half_shared).exp2()
}

fn span(tokens: &[Token], range: Range<usize>) -> Span {
    let lines = if range.is_empty() {
        (0, 0)
    } else {
        (tokens[range.start].lines.0, tokens[range.end - 1].lines.1)
    };
    Span {
        tokens: range,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> Document {
        Document::python(src.as_bytes(), usize::MAX)
    }

    const GIVEN: &str = "import socket\n\ndef receive(index):\n    with socket.socket() as s:\n        s.connect(('127.0.0.1', 1234))\n        data = b''\n        while True:\n            packet = s.recv(1024)\n            if not packet:\n                break\n            data += packet\n    return data\n";

    const OWN: &str = "import threading\n\ndef download_all(count):\n    workers = []\n    for index in range(count):\n        t = threading.Thread(target=receive, args=(index,))\n        workers.append(t)\n        t.start()\n    for t in workers:\n        t.join()\n    results = {}\n    for index in range(count):\n        results[index] = len(str(index)) * 2 + count\n    return sorted(results.items(), key=lambda item: item[1], reverse=True)\n";

    const OTHER: &str = "from concurrent.futures import ThreadPoolExecutor\n\ndef fetch_everything(n):\n    with ThreadPoolExecutor(max_workers=8) as pool:\n        frames = list(pool.map(receive, range(n)))\n    print('done', len(frames))\n    return frames\n";

    #[test]
    fn a_renamed_copy_is_found_with_its_lines() {
        let renamed = OWN
            .replace("download_all", "grab")
            .replace("workers", "ts")
            .replace("results", "out");
        let files = [doc(OWN), doc(&renamed), doc(OTHER)];
        let refs: Vec<Option<&Document>> = files.iter().map(Some).collect();
        let c = compare(&refs, &[], &Settings::default());
        let copy = &c.pairs[0];
        assert_eq!((copy.left, copy.right), (0, 1));
        assert_eq!(
            (copy.left_coverage, copy.right_coverage),
            (1.0, 1.0),
            "{copy:?}"
        );
        assert_eq!(copy.shared_tokens, copy.fragments[0].own_tokens as f64);
        // 109 shared tokens, about four times `half_shared`: 1 - 2^-3.9.
        assert!(copy.similarity > 0.9, "{copy:?}");
        assert_eq!(copy.fragments.len(), 1);
        assert_eq!(copy.fragments[0].left.lines, (1, 14));
        assert!(
            c.pairs[1].similarity < 0.2 && c.pairs[2].similarity < 0.2,
            "{:?}",
            c.pairs
        );
    }

    #[test]
    fn given_code_is_never_evidence() {
        let a = format!("{GIVEN}\n{OWN}");
        let b = format!("{GIVEN}\n{OTHER}");
        let files = [doc(&a), doc(&b), doc(GIVEN), doc(GIVEN)];
        let refs: Vec<Option<&Document>> = files.iter().map(Some).collect();
        let c = compare(&refs, &[&doc(GIVEN)], &Settings::default());
        for p in &c.pairs {
            assert!(p.similarity < 0.1, "{p:?}");
        }
        assert_eq!(c.files[2].own, 0);
        assert!(c.files[0].given > 40);
    }

    /// Two files share a run that no third file has whole, but two others have each half
    /// of: it is pieced together from common code and counts less than when only the pair
    /// has any of it.
    #[test]
    fn a_run_pieced_from_common_halves_counts_less() {
        let lines: Vec<&str> = OWN.lines().collect();
        let (first, second) = (lines[2..8].join("\n"), lines[8..].join("\n"));
        let halves = [
            format!(
                "def a(count):\n    x = count\n{}\n",
                &first[first.find('\n').unwrap() + 1..]
            ),
            format!(
                "def b(count):\n    y = -count\n    {}\n",
                second.trim_start()
            ),
        ];
        let pair_only = [doc(OWN), doc(OWN), doc(OTHER), doc(OTHER)];
        let pieced = [doc(OWN), doc(OWN), doc(&halves[0]), doc(&halves[1])];
        let evidence = |files: &[Document]| {
            let refs: Vec<Option<&Document>> = files.iter().map(Some).collect();
            let c = compare(&refs, &[], &Settings::default());
            let pair = c
                .pairs
                .iter()
                .find(|p| (p.left, p.right) == (0, 1))
                .unwrap();
            (pair.fragments[0].evidence, pair.similarity)
        };
        let (alone, alone_score) = evidence(&pair_only);
        let (common, common_score) = evidence(&pieced);
        assert!(common < alone * 0.8, "{common} of {alone}");
        assert!(common_score <= alone_score);
    }

    #[test]
    fn roles_combine_as_shared_tokens_add_up() {
        let s = Settings::default();
        let (a, b) = (20.0, 50.0);
        let combined = 1.0 - (1.0 - similarity_of(a, &s)) * (1.0 - similarity_of(b, &s));
        assert!((combined - similarity_of(a + b, &s)).abs() < 1e-12);
        assert_eq!(similarity_of(s.half_shared, &s), 0.5);
        assert_eq!(similarity_of(0.0, &s), 0.0);
    }

    #[test]
    fn settings_out_of_range_are_refused_by_name() {
        assert_eq!(Settings::default().check(), Ok(()));
        let bad = [
            (
                Settings {
                    max_share: 1.5,
                    ..Settings::default()
                },
                "max_share",
            ),
            (
                Settings {
                    half_shared: f64::NAN,
                    ..Settings::default()
                },
                "half_shared",
            ),
            (
                Settings {
                    full_match: 1.0,
                    ..Settings::default()
                },
                "full_match",
            ),
            (
                Settings {
                    window: 0,
                    ..Settings::default()
                },
                "window",
            ),
        ];
        for (settings, field) in bad {
            assert!(
                settings.check().unwrap_err().contains(field),
                "{settings:?}"
            );
        }
    }

    #[test]
    fn a_missing_file_has_no_pairs() {
        let one = doc(OWN);
        let c = compare(&[Some(&one), None, Some(&one)], &[], &Settings::default());
        assert_eq!(c.pairs.len(), 1);
        assert_eq!((c.pairs[0].left, c.pairs[0].right), (0, 2));
        assert_eq!(c.files[1], FileStats::default());
    }
}
