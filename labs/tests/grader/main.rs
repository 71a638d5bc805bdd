//! The grader's own tests: fixture submissions (a good one and one per common mistake, under
//! `tests/fixtures/<lab>/<case>/`) must get exactly the expected deductions, and the
//! workspace's reference binaries must pass every applicable item.
//!
//! Black-box tests need the reference binaries (`frame-server`, `frame-client`,
//! `numbers-server`, `numbers-client`, `inference-server`, the `basics` and `recognition-web`
//! binaries) in this build's target folder; [`support::reference_dir`] builds them once with
//! the same cargo.
//! The grader runs them under the Python `testkit` finds or builds with the packages of
//! `requirements-dev.txt` (Pillow, Flask, pycodestyle). The export tests also build the
//! numbers lab's binaries for glibc 2.35 with cargo-zigbuild ([`export`]).
//! The opt-in [`summary_html`] test opens a batch's `summary.html` in headless Chromium
//! (Debian's `chromium` and `chromium-driver`).

mod support;

mod batch;
mod catalog;
mod checklists;
mod corpus;
mod export;
mod frames;
mod grades;
mod intake;
mod numbers;
mod other_labs;
mod preflight;
mod reference;
mod resume;
mod similarity;
mod static_helpers;
mod structure;
mod summary_html;
