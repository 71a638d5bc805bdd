//! Grading a class: many submissions on one machine ([`batch`]), or the grader packaged
//! for the platforms that grade each submission in a container of its own ([`export`]).

pub mod batch;
pub mod export;
