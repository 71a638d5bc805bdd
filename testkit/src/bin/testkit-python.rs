//! Prints the path of the Python the test suite runs course-style programs with, finding it
//! or building its virtual environment from `requirements-dev.txt` first (see
//! `testkit::python`), for scripts that need the same interpreter: `.ci/run` takes the
//! onnxruntime library from its wheel, and an instructor can grade with it.
//!
//! `cargo run -p testkit --bin testkit-python` prints e.g.
//! `/home/me/netlabs/target/testkit-python/bin/python`; exit status 1 with the reason when
//! no such Python can be found or made.

use std::process::ExitCode;

fn main() -> ExitCode {
    match testkit::python::try_interpreter() {
        Ok(python) => {
            println!("{}", python.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("testkit-python: {e:#}");
            ExitCode::FAILURE
        }
    }
}
