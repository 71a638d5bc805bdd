//! Grading a class: what the instructor downloaded made one folder per submission under
//! its student's identity ([`intake`], reading archives through [`archive`] and names
//! through [`identity`]), graded on one machine ([`batch`]: each result [`saved`] as it
//! ends, a [`progress`] display, the class at a glance as a page: [`summary_html`]) with
//! the grades written back for the learning platform ([`grades`]) and every pair of
//! submissions ranked by how alike their code is ([`similarity`]), or the grader packaged
//! for the platforms that grade each submission in a container of its own ([`export`]).

pub mod archive;
pub mod batch;
pub mod export;
pub mod grades;
pub mod identity;
pub mod intake;
pub mod progress;
pub mod saved;
pub mod similarity;
pub mod summary_html;
