//! What the lab clients print: progress on stderr, phase timings on stdout, and on failure
//! one line on stderr that, when the server is not there, says how to start it.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::net::{ConnectError, NoAnswer};
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

/// How to start the server that a client could not reach: the way out a client names when
/// its connection fails (a student's first run is often a client with no server yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartServer {
    /// The shell command that starts the lab's server where the client looks for it, e.g.
    /// `cargo run -p frame-server -- --port 1234`.
    pub command: String,
    /// Whether the client has `--local-server`, which starts the server inside it instead.
    pub local_server: bool,
}

impl StartServer {
    /// What to do: `start the server first: `cargo run -p frame-server -- --port 1234` in
    /// another terminal, or pass --local-server` (the last part only with `local_server`).
    pub fn advice(&self) -> String {
        let mut advice = format!(
            "start the server first: `{}` in another terminal",
            self.command
        );
        if self.local_server {
            advice.push_str(", or pass --local-server");
        }
        advice
    }

    /// `error`'s cause chain on one line, each cause once (`cannot connect to 127.0.0.1:1234
    /// (5 attempts over 0.8 s): Connection refused (os error 111)`), followed by `; ` and the
    /// [`advice`](Self::advice) when the chain says the server could not be reached (see
    /// [`server_unreachable`]).
    pub fn describe(&self, error: &anyhow::Error) -> String {
        match server_unreachable(error) {
            true => format!("{error:#}; {}", self.advice()),
            false => format!("{error:#}"),
        }
    }
}

/// Whether `error`'s chain holds a [`ConnectError`] (TCP: every connection attempt failed) or
/// a [`NoAnswer`] (UDP: no attempt was answered): the server is not where the client looks.
/// Other failures (a reset, a slow or malformed message) come from a server that is there,
/// so starting one is no advice for them.
pub fn server_unreachable(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.is::<ConnectError>() || cause.is::<NoAnswer>())
}

/// How a lab client's `main` ends: on success, one [`timing_line`] per `(label, elapsed)`
/// on stdout and status 0; when interrupted ([`Interrupted`] anywhere in the error's chain),
/// `program: interrupted` on stderr and status [`EXIT_INTERRUPTED`]; on any other failure,
/// `program: error: <cause chain>` as one line on stderr, with the way out (`start`) when
/// the server could not be reached ([`StartServer::describe`]), and status 1.
pub fn finish(
    program: &str,
    start: &StartServer,
    result: anyhow::Result<Vec<(&str, Duration)>>,
) -> ExitCode {
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
            eprintln!("{program}: error: {}", start.describe(&e));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    #[test]
    fn the_way_out_follows_an_unreachable_server_only() {
        let start = StartServer {
            command: "cargo run -p frame-server -- --port 1234".to_owned(),
            local_server: true,
        };
        assert_eq!(
            start.advice(),
            "start the server first: `cargo run -p frame-server -- --port 1234` in another \
             terminal, or pass --local-server"
        );
        let refused = ConnectError {
            addr: "127.0.0.1:1234".parse().unwrap(),
            attempts: 5,
            elapsed: Duration::from_millis(780),
            source: io::ErrorKind::ConnectionRefused.into(),
        };
        // Wrapped in context, as a lab client's error usually is.
        let error = anyhow::Error::new(refused).context("download 0");
        assert_eq!(
            start.describe(&error),
            format!(
                "download 0: cannot connect to 127.0.0.1:1234 (5 attempts over 0.8 s): \
                 connection refused; {}",
                start.advice()
            )
        );
        let slow = anyhow::anyhow!("no complete message within 5.0 s");
        assert_eq!(start.describe(&slow), "no complete message within 5.0 s");

        let udp = StartServer {
            command: "cargo run -p basics --bin udp-hello-server -- --port 10001".to_owned(),
            local_server: false,
        };
        assert!(
            udp.advice().ends_with("` in another terminal"),
            "{}",
            udp.advice()
        );
    }

    #[test]
    fn timing_line_has_seconds_with_three_decimals() {
        let line = timing_line("GIF creation time", Duration::from_micros(567_400));
        assert_eq!(line, "GIF creation time: 0.567");
    }
}
