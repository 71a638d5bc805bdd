//! The options a client is served with ([`WorkerArgs`]): the pre-fork server hands them to
//! every worker process on its command line, and the sequential server runs with them.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use squeezenet::cli::ModelArgs;

use super::fetch::FetchLimits;
use crate::protocol;

/// Most threads per worker: the handout's pool of at most 4.
pub const MAX_THREADS_PER_WORKER: usize = 4;

/// How clients are served: the options every worker process runs with, which are also the
/// server's own, and the sequential server's ([`crate::sequential`]).
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct WorkerArgs {
    /// Threads per worker process, serving one client each (at most 4, as the handout says).
    #[arg(long, default_value_t = MAX_THREADS_PER_WORKER,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new()
              .range(1..=MAX_THREADS_PER_WORKER as u64))]
    pub threads_per_worker: usize,
    /// Folder where downloaded images are saved (created if missing).
    #[arg(long, default_value = "images")]
    pub images_dir: PathBuf,
    /// Allow URLs whose host is loopback, private, link-local or unspecified (for demos and
    /// tests on one machine; never on a public server).
    #[arg(long)]
    pub allow_private_urls: bool,
    /// Seconds a client may take to send its whole request; an idle or slow client is
    /// answered with an error and closed after this.
    #[arg(long, default_value_t = protocol::REQUEST_LIMITS.timeout.as_secs())]
    pub request_timeout: u64,
    /// Largest image accepted, in bytes.
    #[arg(long, default_value_t = FetchLimits::default().max_bytes)]
    pub max_image_bytes: u64,
    /// Which model, labels and engine every worker loads.
    #[command(flatten)]
    pub model: ModelArgs,
}

impl Default for WorkerArgs {
    /// The command line's defaults: 4 threads, `images/`, public URLs only, 10 s per request,
    /// 20 MiB per image, the embedded model on the default engine.
    fn default() -> Self {
        Self {
            threads_per_worker: MAX_THREADS_PER_WORKER,
            images_dir: PathBuf::from("images"),
            allow_private_urls: false,
            request_timeout: protocol::REQUEST_LIMITS.timeout.as_secs(),
            max_image_bytes: FetchLimits::default().max_bytes,
            model: ModelArgs::default(),
        }
    }
}

impl WorkerArgs {
    /// Bounds on a client's request for these options.
    pub fn request_limits(&self) -> common::net::ReadLimits {
        common::net::ReadLimits {
            timeout: Duration::from_secs(self.request_timeout),
            ..protocol::REQUEST_LIMITS
        }
    }

    /// Download limits for these options.
    pub fn fetch_limits(&self) -> FetchLimits {
        FetchLimits {
            max_bytes: self.max_image_bytes,
            allow_private: self.allow_private_urls,
            ..FetchLimits::default()
        }
    }

    /// The same options as command-line arguments, for a re-executed worker.
    pub fn to_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![
            "--threads-per-worker".into(),
            self.threads_per_worker.to_string().into(),
            "--images-dir".into(),
            self.images_dir.clone().into_os_string(),
            "--max-image-bytes".into(),
            self.max_image_bytes.to_string().into(),
            "--request-timeout".into(),
            self.request_timeout.to_string().into(),
        ];
        if self.allow_private_urls {
            args.push("--allow-private-urls".into());
        }
        args.extend(self.model.to_args());
        args
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        worker: WorkerArgs,
    }

    #[test]
    fn worker_args_survive_the_round_trip_to_a_worker() {
        let cli = Cli::parse_from([
            "x",
            "--threads-per-worker",
            "3",
            "--images-dir",
            "/tmp/i",
            "--allow-private-urls",
            "--max-image-bytes",
            "1000",
            "--request-timeout",
            "3",
            "--model",
            "/m.onnx",
            "--labels",
            "/s.txt",
            "--engine-threads",
            "2",
        ]);
        let again = Cli::parse_from(std::iter::once("x".into()).chain(cli.worker.to_args()));
        assert_eq!(again.worker, cli.worker);
        let defaults = Cli::parse_from(["x"]);
        assert_eq!(defaults.worker, WorkerArgs::default());
        let again = Cli::parse_from(std::iter::once("x".into()).chain(defaults.worker.to_args()));
        assert_eq!(again.worker, defaults.worker);
    }

    #[test]
    fn at_most_four_threads_per_worker() {
        assert!(Cli::try_parse_from(["x", "--threads-per-worker", "5"]).is_err());
        assert!(Cli::try_parse_from(["x", "--threads-per-worker", "0"]).is_err());
    }
}
