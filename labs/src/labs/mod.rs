//! Per-lab checks. Each lab module fills a [`Grader`] with its items' results.

mod basics;
mod prefork;
mod recognition;
mod week2;

use crate::grade::Grader;

/// Runs the checks of lab `name`.
///
/// Errors: only the grader's own failures (a temp folder, Python missing); a submission's
/// mistakes become item results.
pub fn run(name: &str, grader: &mut Grader) -> anyhow::Result<()> {
    match name {
        "frames" => week2::run(&week2::FRAMES, grader),
        "numbers" => week2::run(&week2::NUMBERS, grader),
        "prefork" => prefork::run(grader),
        "recognition" => recognition::run(grader),
        "basics" => basics::run(grader),
        _ => anyhow::bail!("no checks for lab {name}"),
    }
}
