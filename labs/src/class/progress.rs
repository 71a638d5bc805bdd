//! What a batch shows while it runs, on stderr: on a terminal, a progress bar (submissions
//! done out of the class, those being graded, the time left); in a log or a pipe, one plain
//! line per submission as it ends, `NAME: 9 / 10 (12.3 s)`, which reads well in a file.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::class::batch::{Outcome, Progress};

/// Shows a batch's [`Progress`]: give [`Display::show`] to
/// [`crate::class::batch::grade_into`], then call [`Display::finish`].
#[derive(Debug)]
pub struct Display {
    /// The bar, or `None` when stderr is not a terminal (plain lines then).
    bar: Option<ProgressBar>,
    /// The submissions being graded now, in the order they started.
    running: Mutex<Vec<String>>,
}

impl Default for Display {
    fn default() -> Self {
        Self::new()
    }
}

impl Display {
    /// A progress bar when stderr is a terminal ([`common::report::progress_bar`]), plain
    /// lines otherwise.
    pub fn new() -> Self {
        let bar = common::report::progress_bar(0, "graded");
        let bar = (!bar.is_hidden()).then(|| {
            bar.set_style(
                ProgressStyle::with_template(
                    "[{bar:30}] {pos}/{len} graded, eta {eta}  {wide_msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_message("");
            bar
        });
        Self {
            bar,
            running: Mutex::new(Vec::new()),
        }
    }

    /// Shows one event of the batch. Each submission's result is printed as a line, above
    /// the bar on a terminal, so the scores stay on screen once the bar is gone.
    pub fn show(&self, event: &Progress<'_>) {
        match *event {
            Progress::Planned { total, kept } => {
                if let Some(bar) = &self.bar {
                    bar.set_length(total as u64);
                    bar.set_position(kept as u64);
                    // The kept results took no time now: they must not make the rate,
                    // and so the time left, look better than it is.
                    bar.reset_eta();
                }
                if kept > 0 {
                    self.line(format!(
                        "{kept} of {total} results kept from the earlier batch"
                    ));
                }
            }
            Progress::Started(name) => {
                let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
                running.push(name.to_owned());
                self.running_now(&running);
            }
            Progress::Stopping => {
                let running = self.running.lock().unwrap_or_else(|e| e.into_inner());
                self.line(format!(
                    "stopping: no new submission starts; the programs of the {} being graded \
                     are killed, and they will be graded again on --resume",
                    running.len()
                ));
            }
            Progress::Finished(outcome) => {
                let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
                running.retain(|name| *name != outcome.0);
                self.line(result_line(outcome));
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
                self.running_now(&running);
            }
        }
    }

    /// Removes the bar, leaving the lines printed above it.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// A line above the bar, or on stderr without one.
    fn line(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Names the submissions being graded beside the bar.
    fn running_now(&self, running: &[String]) {
        if let Some(bar) = &self.bar {
            match running.is_empty() {
                true => bar.set_message(""),
                false => bar.set_message(format!("grading {}", running.join(", "))),
            }
        }
    }
}

/// `NAME: 9 / 10 (12.3 s)`, or `NAME: not graded: why`.
pub fn result_line((name, result): &Outcome) -> String {
    match result {
        Ok(report) => format!(
            "{name}: {} / {} ({:.1} s)",
            report.score, report.max_score, report.seconds
        ),
        Err(e) => format!("{name}: not graded: {e}"),
    }
}
