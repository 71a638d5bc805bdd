//! The grading model: a lab's checklist (or an instructor's edited copy of it), the engine
//! that runs its checks item by item, the state of one grading, its report, the driver that
//! grades one submission, and the sequential test that decides a timing item. It knows no
//! lab; the lab folders sit above it.

pub mod checklist;
pub mod engine;
pub mod grade;
pub mod grader;
pub mod instructor;
pub mod options;
pub mod preflight;
pub mod pystatic;
pub mod report;
pub mod sequential_test;
pub mod submission;
