//! `similarity`: how alike the programs of a class are, pair by pair, with the code every
//! student was given left out. It knows nothing of labs or submissions; `labs similarity`
//! is built on it. How to read a score, how the method compares with MOSS, JPlag, Dolos
//! and copydetect, and what it costs: `README.md` in this crate's folder.
//!
//! The method is MOSS's (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for
//! document fingerprinting", SIGMOD 2003) on syntax-tree tokens, as Dolos (Maertens et al.,
//! "Dolos: language-agnostic plagiarism detection in source code", Journal of Computer
//! Assisted Learning, 2022) applies it: each file is parsed by tree-sitter's Python grammar
//! and read as tokens in which comments, docstrings, layout, literals and every name the
//! student can rename are made equal ([`tokens`]); runs of k tokens are hashed and winnowed
//! into fingerprints that find every shared run of at least `window + k - 1` tokens
//! ([`winnow`]). Since the fingerprints are a set, reordering functions hides nothing.
//!
//! Three filters make a score a statement about the students rather than about the course
//! ([`mod@compare`]): tokens in k-grams of the given code, or of code more than half the class
//! shares, are never evidence (MOSS's `-b` and `-m`); each remaining token is as rare as
//! the most widely shared k-gram around it (`2 / n` when `n` files have it), and a matching
//! fragment counts only from [`Settings::min_match`] rare tokens, fully from
//! [`Settings::full_match`] (JPlag's minimum match length, weighed by rarity), so that a
//! run pieced together from lines the whole class writes counts for little. A pair's
//! similarity, in [0, 1), grows with the code of their own two students share in counted
//! fragments: `1 - 2^(-shared / half_shared)`, 0.5 at [`Settings::half_shared`] tokens.

#![warn(missing_docs)]

pub mod compare;
pub mod tokens;
pub mod winnow;

pub use compare::{Comparison, FileStats, Fragment, Pair, Settings, Span, compare};
pub use tokens::{Document, Token};
