//! The recognition worker's server: serves the [`protocol`] on a TCP listener, one thread per
//! connection (the course's `serversocket.py` is multi-threaded too), and answers each image
//! with SqueezeNet's top 5, classified on the connection's thread or, with batching on,
//! through the [`Batcher`].
//!
//! The classifier is loaded once and shared by every connection. A connection that breaks
//! the protocol, an image that does not decode, a client that stalls: each ends only its own
//! connection, with a log line, and the worker keeps serving. A connection closed before its
//! first byte is the gateway's health check and is logged at debug level only.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use base64::Engine as _;
use common::server::{ServerConfig, serve};
use common::shutdown::Shutdown;
use squeezenet::Classifier;

use super::batch::{BatchStats, Batcher, Preparing};
use super::config::WorkerConfig;
use crate::protocol::{self, Connection, Label, ProtocolError};

/// Classes in every answer: the course's top 5.
pub const TOP_K: usize = 5;

/// A worker: the classifier, its bounds, and the batching thread when batching is on.
#[derive(Debug)]
pub struct Worker {
    classifier: Arc<Classifier>,
    config: WorkerConfig,
    batcher: Option<Batcher>,
}

impl Worker {
    /// A worker over `classifier`; starts the batching thread if `config` batches.
    pub fn new(classifier: Arc<Classifier>, config: WorkerConfig) -> Self {
        let batcher = (config.batch.max_batch > 1)
            .then(|| Batcher::start(classifier.clone(), config.batch, TOP_K));
        Self {
            classifier,
            config,
            batcher,
        }
    }

    /// Serves recognition requests on `listener` until `shutdown`; then waits for the
    /// exchanges in progress and returns.
    ///
    /// Errors: only a failing `accept()` that is not about one client (see [`serve`]).
    pub fn serve(
        self: &Arc<Self>,
        listener: TcpListener,
        shutdown: &Shutdown,
    ) -> std::io::Result<()> {
        let limits = self.config.limits;
        let server_config = ServerConfig {
            max_connections: self.config.max_connections,
            // The exchange's own deadline bounds every read and write; these are backstops.
            read_timeout: limits.timeout,
            write_timeout: limits.timeout,
            ..ServerConfig::default()
        };
        let worker = self.clone();
        serve(listener, shutdown, server_config, move |stream, peer| {
            handle(
                stream,
                peer,
                &worker.classifier,
                worker.batcher.as_ref(),
                limits,
            )
        })
    }

    /// What the batching thread has run so far; `None` when batching is off.
    pub fn batch_stats(&self) -> Option<BatchStats> {
        self.batcher.as_ref().map(Batcher::stats)
    }
}

/// Serves recognition requests on `listener` until `shutdown` with a [`Worker`] over
/// `classifier`; then waits for the exchanges in progress and returns.
///
/// Errors: only a failing `accept()` that is not about one client (see [`serve`]).
pub fn run(
    listener: TcpListener,
    shutdown: &Shutdown,
    classifier: Arc<Classifier>,
    config: WorkerConfig,
) -> std::io::Result<()> {
    Arc::new(Worker::new(classifier, config)).serve(listener, shutdown)
}

/// Serves one exchange: receive an image, classify it, send the top 5 (or the reason the
/// image was refused).
fn handle(
    stream: TcpStream,
    peer: SocketAddr,
    classifier: &Classifier,
    batcher: Option<&Batcher>,
    limits: protocol::Limits,
) -> anyhow::Result<()> {
    let started = Instant::now();
    // A photo is on its way: a batch being formed waits for it (within the batch wait).
    let preparing = batcher.map(Batcher::preparing);
    let mut conn = Connection::new(stream, limits)?;
    let text = match protocol::receive_image(&mut conn) {
        Ok(text) => text,
        Err(ProtocolError::Closed(_)) if conn.bytes_received() == 0 => {
            // The gateway's health check connects and closes: not worth a warning each time.
            log::debug!("{peer}: closed before sending a packet (a health check)");
            return Ok(());
        }
        Err(e) => return Err(anyhow::Error::new(e).context(format!("{peer}: receiving"))),
    };
    let received = started.elapsed();
    let answer = match classify_text(classifier, preparing, &text) {
        Err(Refusal::Failed(e)) => {
            // Dropping the connection without an answer makes the gateway try elsewhere.
            return Err(anyhow::anyhow!("{peer}: cannot classify: {e}"));
        }
        Err(Refusal::BadImage(reason)) => Err(reason),
        Ok(labels) => Ok(labels),
    };
    let result = match &answer {
        Ok(labels) => protocol::encode_result(labels),
        Err(reason) => protocol::encode_error(reason),
    };
    protocol::respond(&mut conn, result.as_bytes())
        .with_context(|| format!("{peer}: sending the result"))?;
    match answer {
        Ok(labels) => log::info!(
            "{peer}: {} bytes of base64 in {}, answered {} in {} total",
            text.len(),
            millis(received),
            labels.first().map_or_else(String::new, Label::to_string),
            millis(started.elapsed())
        ),
        Err(reason) => log::warn!("{peer}: refused the image: {reason}"),
    }
    Ok(())
}

/// Why an image got no labels.
#[derive(Debug)]
enum Refusal {
    /// The image itself is at fault (not base64, not a picture, corrupt, too large): the
    /// reason is sent back as an `error: ` result.
    BadImage(String),
    /// The worker is at fault (the engine failed): no answer is sent, so the gateway tries
    /// another worker.
    Failed(String),
}

impl From<squeezenet::Error> for Refusal {
    fn from(error: squeezenet::Error) -> Self {
        match error {
            squeezenet::Error::Image(e) => Refusal::BadImage(e.to_string()),
            e => Refusal::Failed(format!("{:#}", anyhow::Error::from(e))),
        }
    }
}

/// Decodes the base64 text and classifies the image: on this thread, or prepared here and
/// run in a batch through `preparing` (from [`Batcher::preparing`]).
fn classify_text(
    classifier: &Classifier,
    preparing: Option<Preparing<'_>>,
    text: &[u8],
) -> Result<Vec<Label>, Refusal> {
    let image = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| Refusal::BadImage(format!("the image data is not valid base64: {e}")))?;
    let predictions = match preparing {
        None => classifier.classify(&image, TOP_K)?,
        Some(preparing) => {
            let input = classifier.prepare(&image)?;
            preparing.classify(input).map_err(Refusal::Failed)?
        }
    };
    Ok(predictions
        .into_iter()
        .map(|p| Label {
            label: p.label,
            probability: f64::from(p.probability),
        })
        .collect())
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
