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
//! 4. A fragment counts by its own tokens: not at all below [`Settings::min_match`], fully
//!    from [`Settings::full_match`], linearly between (JPlag's minimum match length, made
//!    gradual so that a score does not jump when one token more matches): short runs are
//!    what any two students write alike, long ones are not.
//! 5. An own token in a counted fragment counts `2 / n` when `n` files of the class share
//!    it (an inverse document frequency, relative to a pair): what only two students share
//!    tells more than what four do.
//! 6. A pair's similarity is the share of the two files' own tokens covered so,
//!    `(covered_left + covered_right) / (own_left + own_right)` (Dolos's measure, with the
//!    weights above), in [0, 1].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;

use crate::tokens::{Document, Token};
use crate::winnow::{Fingerprint, kgrams, winnow};

/// How files are compared. The defaults were calibrated on four corpora of `labs`
/// (`labs/tests/similarity/`: train, train2, dev, dev2), then checked once on its fifth,
/// held out (this crate's README gives the figures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Tokens per k-gram.
    pub k: usize,
    /// k-grams per winnowing window: every match of `window + k - 1` tokens or more is found.
    pub window: usize,
    /// Own tokens below which a fragment does not count.
    pub min_match: usize,
    /// Own tokens from which a fragment counts fully.
    pub full_match: usize,
    /// A k-gram found in more than this share of the files (and in at least 3) is common
    /// idiom, in [0, 1].
    pub max_share: f64,
    /// Tokens read per file; the rest of a longer file is left out, with a note.
    pub max_tokens: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            k: 12,
            window: 8,
            min_match: 12,
            full_match: 64,
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
    /// How much its tokens count, in (0, 1]: by its own tokens, from
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
    /// Share of both files' own tokens in counted fragments, each weighed by its fragment's
    /// length and its rarity (see the module's doc), in [0, 1]; 0 when neither has own
    /// tokens.
    pub similarity: f64,
    /// The same share of the left file's own tokens alone, in [0, 1].
    pub left_coverage: f64,
    /// The same share of the right file's own tokens alone, in [0, 1].
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
    /// How much each token tells, in [0, 1] (0 for ignored ones).
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
    // A token's rarity: the most any k-gram covering it tells (1 in a file shorter than k).
    let mut rarity: Vec<f64> = vec![if hashes.is_empty() { 1.0 } else { 0.0 }; n];
    for (at, h) in hashes.iter().enumerate() {
        if given.contains(h) {
            is_given[at..at + k].fill(true);
        } else if idiom.contains(h) {
            is_idiom[at..at + k].fill(true);
        } else {
            let r = spread.rarity(*h);
            for x in &mut rarity[at..at + k] {
                *x = x.max(r);
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
        let weight = weight(own_tokens, settings);
        if weight > 0.0 {
            fragments.push(Fragment {
                left: span(left.tokens, start..end),
                right: span(right.tokens, off(start)..off(end)),
                own_tokens,
                weight,
            });
        }
    }
    fragments.sort_by_key(|f| (f.left.tokens.start, f.right.tokens.start));

    // A token in several fragments counts once, with the largest weight among them.
    let covered = |p: &Prepared, spans: &mut dyn Iterator<Item = (Range<usize>, f64)>| {
        let mut mask = vec![0.0f64; p.tokens.len()];
        for (r, w) in spans {
            for m in &mut mask[r] {
                *m = m.max(w);
            }
        }
        mask.iter().zip(&p.rarity).map(|(m, r)| m * r).sum::<f64>()
    };
    let left_covered = covered(
        left,
        &mut fragments.iter().map(|f| (f.left.tokens.clone(), f.weight)),
    );
    let right_covered = covered(
        right,
        &mut fragments.iter().map(|f| (f.right.tokens.clone(), f.weight)),
    );
    let own = (left.stats.own + right.stats.own) as f64;
    let similarity = if own <= 0.0 {
        0.0
    } else {
        (left_covered + right_covered) / own
    };
    let share = |covered: f64, own: f64| if own > 0.0 { covered / own } else { 0.0 };
    Pair {
        left: a,
        right: b,
        similarity,
        left_coverage: share(left_covered, left.stats.own as f64),
        right_coverage: share(right_covered, right.stats.own as f64),
        fragments,
    }
}

/// How much a fragment of `own` own tokens counts: nothing below [`Settings::min_match`],
/// then rising linearly to fully at [`Settings::full_match`] (a step when the two are equal).
fn weight(own: usize, settings: &Settings) -> f64 {
    let (low, high) = (settings.min_match as f64, settings.full_match as f64);
    if own < settings.min_match {
        return 0.0;
    }
    if high <= low {
        return 1.0;
    }
    ((own as f64 - low) / (high - low)).clamp(0.0, 1.0)
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
        assert!(copy.similarity > 0.99, "{copy:?}");
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

    #[test]
    fn a_missing_file_has_no_pairs() {
        let one = doc(OWN);
        let c = compare(&[Some(&one), None, Some(&one)], &[], &Settings::default());
        assert_eq!(c.pairs.len(), 1);
        assert_eq!((c.pairs[0].left, c.pairs[0].right), (0, 2));
        assert_eq!(c.files[1], FileStats::default());
    }
}
