//! What the lab clients print: progress on stderr, phase timings on stdout.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::shutdown::Interrupted;

/// The `p`-th percentile (`p` in (0, 100]) of `sorted` (ascending) by nearest rank: the
/// smallest value that at least `p`% of the values do not exceed. `None` when empty. How
/// the load generators report latency (p50, p99).
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    let n = sorted.len();
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    sorted.get(rank.clamp(1, n.max(1)) - 1).copied()
}

/// A progress bar of `len` steps on stderr, labelled `what`; hidden when `show` is false or
/// stderr is not a terminal, so logs, pipes and CI stay clean.
pub fn progress_bar(len: usize, what: &str) -> ProgressBar {
    progress_bar_if(true, len, what)
}

/// [`progress_bar`], or a hidden bar when `show` is false (a library caller that prints
/// its own output).
pub fn progress_bar_if(show: bool, len: usize, what: &str) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .expect("a valid template")
            .progress_chars("=> ");
    ProgressBar::new(len as u64)
        .with_style(style)
        .with_message(what.to_owned())
}

/// The handouts' timing line: `label: seconds` with millisecond precision, e.g.
/// `Frames download time: 1.234`.
pub fn timing_line(label: &str, elapsed: Duration) -> String {
    format!("{label}: {:.3}", elapsed.as_secs_f64())
}

/// Exit status of a run stopped by Ctrl-C or SIGTERM: 130, what shells report for a
/// program killed by SIGINT (128 + 2), so scripts read it as "interrupted".
pub const EXIT_INTERRUPTED: u8 = 130;

/// How a lab client's `main` ends: on success, one [`timing_line`] per `(label, elapsed)`
/// on stdout and status 0; when interrupted ([`Interrupted`] anywhere in the error's chain),
/// `program: interrupted` on stderr and status [`EXIT_INTERRUPTED`]; on any other failure,
/// `program: error: <cause chain>` as one line on stderr and status 1.
pub fn finish(program: &str, result: anyhow::Result<Vec<(&str, Duration)>>) -> ExitCode {
    match result {
        Ok(phases) => {
            for (label, elapsed) in phases {
                println!("{}", timing_line(label, elapsed));
            }
            ExitCode::SUCCESS
        }
        Err(e) if e.chain().any(|cause| cause.is::<Interrupted>()) => {
            eprintln!("{program}: interrupted");
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(e) => {
            eprintln!("{program}: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timing_line_has_seconds_with_three_decimals() {
        let line = super::timing_line(
            "GIF creation time",
            std::time::Duration::from_micros(567_400),
        );
        assert_eq!(line, "GIF creation time: 0.567");
    }
}
