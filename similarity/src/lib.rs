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
//! ([`compare`]): tokens in k-grams of the given code, or of code more than half the class
//! shares, are never evidence (MOSS's `-b` and `-m`), and what a few students share weighs
//! less than what only two do; a matching fragment counts only from
//! [`Settings::min_match`] of the student's own tokens, fully from [`Settings::full_match`]
//! (JPlag's minimum match length, made gradual). A pair's similarity is then Dolos's: the
//! share of the two files' own tokens that lie in counted fragments, in [0, 1].

#![warn(missing_docs)]

pub mod compare;
pub mod tokens;
pub mod winnow;

pub use compare::{Comparison, FileStats, Fragment, Pair, Settings, Span, compare};
pub use tokens::{Document, Token};
