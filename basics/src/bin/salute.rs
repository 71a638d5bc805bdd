//! `salute`: a child process salutes a course and names its parent's process ID and its own.
//!
//! ```text
//! salute [COURSE]      # COURSE defaults to DS, as in the slides
//! ```

use std::process::ExitCode;

use anyhow::Context as _;
use basics::salute::{self, DEFAULT_COURSE};
use clap::Parser;

/// Starts a child process, which prints "Hello <COURSE>", its parent's process ID (this
/// program's) and its own, and waits for it: the slides' first multiprocessing program.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// The course to salute.
    #[arg(default_value = DEFAULT_COURSE)]
    course: String,
    /// Internal: be the child process.
    #[arg(long, hide = true)]
    child: bool,
}

fn main() -> ExitCode {
    common::logging::init(log::LevelFilter::Info);
    let cli = Cli::parse();
    if cli.child {
        salute::salute(&cli.course);
        return ExitCode::SUCCESS;
    }
    common::cli::exit_code(run(&cli.course))
}

fn run(course: &str) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find this executable")?;
    let status = salute::start(&exe, course).context("cannot start the child process")?;
    anyhow::ensure!(status.success(), "the child process failed: {status}");
    Ok(())
}
