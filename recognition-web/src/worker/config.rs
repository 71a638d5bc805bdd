//! The worker's configuration: [`WorkerConfig`] (what [`run`](super::server::run) takes) and
//! [`WorkerArgs`] (the `recognition-worker` command line), with the clamps between them.
//!
//! The parser lives in the library so that tests parse the command lines of `deploy/` with
//! it, as they do the gateway's.

use std::time::Duration;

use crate::protocol;

/// Dynamic batching: photos that arrive together are run through the network as one batch.
///
/// With `max_batch` 1 (the default) each connection's thread runs the network itself, and
/// concurrent photos run side by side. Above 1, prepared photos go to one batching thread,
/// which runs up to `max_batch` of them at once, the first waiting at most `wait` for others
/// (and not at all when no other photo is being prepared). One run over N photos is one
/// matrix product per layer with N times the columns, so it can use the cores better than N
/// runs; on SqueezeNet with the engines measured (this crate's `README.md`, "Speed") it did
/// not pay, so it is off unless asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchConfig {
    /// Photos per run at most; 1 turns batching off.
    pub max_batch: usize,
    /// How long the first photo of a batch waits for the batch to fill.
    pub wait: Duration,
}

impl Default for BatchConfig {
    /// One photo per run (batching off: see above for the measurement behind it), and a
    /// 5 ms wait for when batching is turned on.
    fn default() -> Self {
        Self {
            max_batch: 1,
            wait: Duration::from_millis(5),
        }
    }
}

/// Bounds of a worker.
#[derive(Debug, Clone, Copy)]
pub struct WorkerConfig {
    /// Connections served at once (handler threads); more wait in the listen backlog.
    pub max_connections: usize,
    /// Packet sizes, NACK rounds and the deadline of one exchange.
    pub limits: protocol::Limits,
    /// Dynamic batching.
    pub batch: BatchConfig,
}

impl Default for WorkerConfig {
    /// 32 connections (a 2-core machine classifies a few images at a time; the rest queue
    /// in the kernel's backlog instead of holding memory), the protocol's default limits,
    /// batching as [`BatchConfig::default`].
    fn default() -> Self {
        Self {
            max_connections: 32,
            limits: protocol::Limits::default(),
            batch: BatchConfig::default(),
        }
    }
}

/// `recognition-worker`'s command line: `recognition-worker [IP PORT]`, as the course runs
/// `worker.py IP PORT`, or with `--host` and `--port`.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    name = "recognition-worker",
    version,
    about = "A recognition worker: receives photos from the gateway over TCP (checksummed \
             D/A/N packets) and answers SqueezeNet 1.1's five most likely ImageNet classes."
)]
pub struct WorkerArgs {
    /// Address to listen on, as `worker.py IP PORT` takes it (same as --host).
    #[arg(value_name = "IP", conflicts_with = "host")]
    pub ip: Option<String>,
    /// Port to listen on, as `worker.py IP PORT` takes it (same as --port).
    #[arg(value_name = "PORT", conflicts_with = "port", requires = "ip")]
    pub port_number: Option<u16>,
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0")]
    pub host: String,
    /// Port to listen on (0 picks a free one; the log says which).
    #[arg(long, default_value_t = 8888)]
    pub port: u16,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, default_value_t = WorkerConfig::default().max_connections)]
    pub max_connections: usize,
    /// Photos classified in one run of the network at most (dynamic batching); 1 turns
    /// batching off.
    #[arg(long, default_value_t = BatchConfig::default().max_batch)]
    pub max_batch: usize,
    /// Milliseconds the first photo of a batch waits for others to fill it (only while
    /// others are being received and prepared).
    #[arg(long, default_value_t = BatchConfig::default().wait.as_millis() as u64)]
    pub batch_wait_ms: u64,
    /// The model, labels and engine.
    #[command(flatten)]
    pub model: squeezenet::cli::ModelArgs,
}

impl WorkerArgs {
    /// The host and port to listen on: the positional `IP PORT` when given, else the flags.
    pub fn listen_on(&self) -> (&str, u16) {
        (
            self.ip.as_deref().unwrap_or(&self.host),
            self.port_number.unwrap_or(self.port),
        )
    }

    /// The configuration these options describe: at least one connection and one photo per
    /// batch; a batch waits at most 1 s (longer would only add latency).
    pub fn config(&self) -> WorkerConfig {
        WorkerConfig {
            max_connections: self.max_connections.max(1),
            batch: BatchConfig {
                max_batch: self.max_batch.max(1),
                wait: Duration::from_millis(self.batch_wait_ms.min(1000)),
            },
            ..WorkerConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    fn parse(args: &[&str]) -> Result<WorkerArgs, clap::Error> {
        WorkerArgs::try_parse_from(
            std::iter::once("recognition-worker").chain(args.iter().copied()),
        )
    }

    #[test]
    fn ip_and_port_as_the_course_gives_them_or_as_flags() {
        let args = parse(&["10.10.1.2", "8881"]).unwrap();
        assert_eq!(args.listen_on(), ("10.10.1.2", 8881));
        let args = parse(&["--host", "127.0.0.1", "--port", "0"]).unwrap();
        assert_eq!(args.listen_on(), ("127.0.0.1", 0));
        assert_eq!(parse(&[]).unwrap().listen_on(), ("0.0.0.0", 8888));
        assert_eq!(
            parse(&["10.0.0.1"]).unwrap().listen_on(),
            ("10.0.0.1", 8888)
        );
        assert!(parse(&["10.0.0.1", "1", "--host", "10.0.0.2"]).is_err());
        assert!(parse(&["10.0.0.1", "1", "--port", "2"]).is_err());
        assert!(parse(&["10.0.0.1", "http"]).is_err());
    }

    #[test]
    fn batching_options_are_clamped() {
        let config = parse(&["--max-batch", "0", "--batch-wait-ms", "99999"])
            .unwrap()
            .config();
        assert_eq!(config.batch.max_batch, 1);
        assert_eq!(config.batch.wait, Duration::from_secs(1));
        assert_eq!(parse(&[]).unwrap().config().batch, BatchConfig::default());
    }
}
