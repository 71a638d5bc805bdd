//! `labs`: the course's handouts, their machine-readable checklists, and a grader.
//!
//! The crate is in four layers, each importing only those below it:
//!
//! 1. the labs: `frames/`, `numbers/`, `prefork/`, `recognition/` and `basics/`, a folder
//!    each holding its `checklist.toml`, its `handout.md` and its table of checks, one per
//!    checklist item, with the checks only it has; `download_lab/` holds the checks the
//!    frames and numbers labs share. [`catalog`] lists the five;
//! 2. [`checks`]: what several labs use (the items every Python lab has, the scripted
//!    stand-in servers, fair timing);
//! 3. [`grading`]: the grading model, which knows no lab: the checklist, the [engine] that
//!    runs a lab's table item by item and decides in one place what is "not assessed", the
//!    state of one grading, its report, and [`grade()`], which grades a submission folder
//!    (or the workspace's reference binaries);
//! 4. [`class`]: grading a class: its submissions found in what the instructor downloaded
//!    ([`class::intake`], hostile archives read by [`class::archive`]), graded on one
//!    machine ([`class::batch`]) or packaged for Gradescope and PrairieLearn
//!    ([`class::export`]).
//!
//! Beneath them the [`sandbox`] crate runs the students' programs: their own user, limits,
//! a file-system view, a network namespace, `/proc` observation. Static checks read Python
//! through Python's own `ast` module; black-box checks run the programs against our
//! reference binaries and the course's given clients; concurrency is observed in `/proc`;
//! timing compares alternating runs. Faults of the grader's own environment
//! ([`grading::preflight`]) are errors, never a student's deduction.
//!
//! How to grade a submission or a class, and what each item checks: `README.md` in this
//! crate's folder.
//!
//! [engine]: grading::engine

#![warn(missing_docs)]

mod basics;
pub mod catalog;
pub mod checks;
pub mod class;
mod download_lab;
mod frames;
pub mod grading;
mod numbers;
mod prefork;
mod recognition;

pub use grading::grade::grade;
pub use grading::options::{GradeOptions, Target};
