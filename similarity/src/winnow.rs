//! Fingerprints by winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms
//! for document fingerprinting", SIGMOD 2003).
//!
//! Every run of `k` consecutive tokens (a k-gram) is hashed; of every `window` consecutive
//! k-gram hashes the smallest is kept (the rightmost one on a tie), each kept once. Two
//! files that share a run of at least `window + k - 1` tokens share a whole window of
//! k-grams, and so at least one kept fingerprint: every such match is found, while only
//! about `2 / (window + 1)` of the k-grams are kept.

use crate::tokens::Token;

/// A kept k-gram: its hash and the index of its first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// The k-gram's hash.
    pub hash: u64,
    /// Index, in the file's tokens, of the k-gram's first token.
    pub at: u32,
}

/// The hash of every k-gram of `tokens`, in order (`tokens.len() - k + 1` of them; none
/// when the file is shorter than `k`).
///
/// A polynomial rolling hash over the tokens' 64-bit values, modulo 2^64: each k-gram costs
/// one multiply-add, whatever `k`.
pub fn kgrams(tokens: &[Token], k: usize) -> Vec<u64> {
    if k == 0 || tokens.len() < k {
        return Vec::new();
    }
    // An odd base, so that multiplying is invertible modulo 2^64.
    const BASE: u64 = 0x100_0000_01b3;
    let top = (1..k).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut hash = tokens[..k]
        .iter()
        .fold(0u64, |h, t| h.wrapping_mul(BASE).wrapping_add(t.value));
    let mut out = Vec::with_capacity(tokens.len() - k + 1);
    out.push(hash);
    for i in k..tokens.len() {
        hash = hash
            .wrapping_sub(tokens[i - k].value.wrapping_mul(top))
            .wrapping_mul(BASE)
            .wrapping_add(tokens[i].value);
        out.push(hash);
    }
    out
}

/// The fingerprints winnowing keeps of `hashes` with windows of `window` k-grams, in order.
/// A file with fewer k-grams than a window keeps its smallest one.
pub fn winnow(hashes: &[u64], window: usize) -> Vec<Fingerprint> {
    let window = window.max(1);
    let mut kept: Vec<Fingerprint> = Vec::new();
    if hashes.is_empty() {
        return kept;
    }
    let last_start = hashes.len().saturating_sub(window);
    for start in 0..=last_start {
        let end = (start + window).min(hashes.len());
        // The rightmost minimum of the window.
        let (offset, &hash) = hashes[start..end]
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|(_, h)| **h)
            .expect("a window is never empty");
        let at = (start + offset) as u32;
        if kept.last().is_none_or(|f| f.at != at) {
            kept.push(Fingerprint { hash, at });
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(values: &[u64]) -> Vec<Token> {
        values
            .iter()
            .map(|&value| Token {
                value,
                lines: (1, 1),
            })
            .collect()
    }

    #[test]
    fn rolling_hash_equals_hashing_each_kgram() {
        let t = tokens(&[5, 9, 2, 7, 7, 1, 3]);
        let rolled = kgrams(&t, 3);
        let direct: Vec<u64> = t.windows(3).map(|w| kgrams(w, 3)[0]).collect();
        assert_eq!(rolled, direct);
        assert!(kgrams(&t[..2], 3).is_empty());
    }

    #[test]
    fn every_long_enough_match_shares_a_fingerprint() {
        // Two files sharing a run of window + k - 1 = 8 tokens, surrounded by other tokens.
        let (k, window) = (4, 5);
        let shared: Vec<u64> = (100..108).collect();
        let a: Vec<u64> = [&[1, 2, 3][..], &shared, &[4, 5]].concat();
        let b: Vec<u64> = [&[9, 8][..], &shared, &[7, 6, 5, 4]].concat();
        let fa = winnow(&kgrams(&tokens(&a), k), window);
        let fb = winnow(&kgrams(&tokens(&b), k), window);
        assert!(fa.iter().any(|x| fb.iter().any(|y| x.hash == y.hash)));
    }

    #[test]
    fn keeps_about_two_in_window_plus_one() {
        // Random tokens (xorshift64), as distinct k-grams are in real files.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let values: Vec<u64> = (0..2000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % 50
            })
            .collect();
        let t = tokens(&values);
        let kept = winnow(&kgrams(&t, 5), 7).len() as f64;
        let expected = 2.0 / 8.0 * 1996.0;
        assert!(
            (kept / expected - 1.0).abs() < 0.2,
            "{kept} kept, about {expected} expected"
        );
    }
}
