//! `labs`: the course's handouts, their machine-readable checklists, and a grader.
//!
//! - [`catalog`]: the five labs, each with its handout, checklist and checks;
//! - [`checklist`]: the TOML checklist model;
//! - [`engine`]: the checklist item as the grader's unit: a lab is a table from item id to
//!   its check, and `depends_on` decides in one place what is "not assessed";
//! - [`grade()`]: grades a submission folder (or the workspace's reference binaries)
//!   against a lab's checklist and returns a [`report::Report`];
//! - [`batch`]: many submissions in parallel, with a CSV and a Markdown summary;
//! - [`export`]: the grader packaged for Gradescope's autograder and PrairieLearn's
//!   external grader, one container per submission.
//!
//! Static checks read Python through Python's own `ast` module; black-box checks run the
//! programs against our reference binaries and the course's given clients; concurrency is
//! observed in `/proc`; timing compares alternating runs. Each submission runs in a network
//! namespace of its own when the grader has the privilege. Faults of the grader's own
//! environment ([`preflight`]) are errors, never a student's deduction.

#![warn(missing_docs)]

mod basics;
pub mod catalog;
pub mod checks;
pub mod class;
mod download_lab;
pub mod grading;
mod prefork;
mod recognition;

pub use grading::grade::grade;
pub use grading::options::{GradeOptions, Target};
