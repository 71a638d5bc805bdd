//! The labs' checks, a module each: what the grader runs and judges for every item of the
//! lab's checklist (see [`crate::engine`] for how a lab's table is run).

pub mod basics;
pub mod prefork;
pub mod recognition;
pub mod week2;
