//! `labs`: the course's handouts, their machine-readable checklists, and a grader.
//!
//! - [`catalog`]: the five labs, handouts and checklists embedded;
//! - [`checklist`]: the TOML checklist model;
//! - [`grade()`]: grades a submission folder (or the workspace's reference binaries)
//!   against a lab's checklist and returns a [`report::Report`];
//! - [`batch`]: many submissions in parallel, with a CSV and a Markdown summary.
//!
//! Static checks read Python through Python's own `ast` module; black-box checks run the
//! programs against our reference binaries and a course-style given client; concurrency is
//! observed in `/proc`; timing compares alternating runs. Each submission runs in a network
//! namespace of its own when the grader has the privilege.

#![warn(missing_docs)]

pub mod batch;
pub mod catalog;
pub mod checklist;
pub mod grade;
mod labs;
pub mod observe;
pub mod payload;
pub mod pystatic;
pub mod report;
pub mod sandbox;
pub mod submission;
pub mod timing;

pub use grade::{GradeOptions, Target, grade};
