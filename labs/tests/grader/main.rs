//! The grader's own tests: fixture submissions (a good one and one per common mistake, under
//! `tests/fixtures/<lab>/<case>/`) must get exactly the expected deductions, and the
//! workspace's reference binaries must pass every applicable item.
//!
//! Black-box tests need the reference binaries (`frame-server`, `frame-client`,
//! `numbers-server`, `numbers-client`, the `basics` and `recognition-web` binaries) in this
//! build's target folder; [`support::reference_dir`] builds them once with the same cargo.
//! They also need Python 3 with Pillow, Flask and pycodestyle
//! (`pip install -r requirements-dev.txt`).

mod support;

mod batch;
mod catalog;
mod frames;
mod numbers;
mod other_labs;
mod reference;
