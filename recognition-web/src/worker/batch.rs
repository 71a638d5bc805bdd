//! Dynamic batching: photos prepared by different connections are run through the network
//! together, and each answer goes back to its own connection.
//!
//! The shape of Triton's dynamic batcher and TorchServe's `batch_size` / `max_batch_delay`:
//! each connection's thread decodes and prepares its photo itself (in parallel, and a photo
//! that does not decode fails there, alone), then hands the tensor to the [`Batcher`] and
//! waits for its answer. One batching thread takes the first tensor waiting, waits at most
//! [`BatchConfig::wait`] for more (up to [`BatchConfig::max_batch`]), runs them as one
//! `[N, 3, 224, 224]` input, and answers each job from its own row of the output.
//!
//! The wait only happens while another photo is on its way (a count of the connections
//! between their first byte and the hand-over, [`Batcher::preparing`]): a photo arriving
//! alone runs at once, so batching costs no latency when there is nothing to batch with.
//!
//! If the run fails (an engine error), every job of the batch gets the error; the
//! connections then close without an answer and the gateway retries elsewhere.

use std::collections::VecDeque;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use squeezenet::preprocess::INPUT_LEN;
use squeezenet::{Classifier, Prediction};

use super::config::BatchConfig;

/// The answer for one job: its top k, or the run's error as text.
pub type Answer = Result<Vec<Prediction>, String>;

struct Job {
    input: Vec<f32>,
    reply: SyncSender<Answer>,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    /// Connections preparing a photo that will be submitted.
    preparing: usize,
    closed: bool,
    stats: BatchStats,
}

/// What a [`Batcher`] has run so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchStats {
    /// Runs of the network.
    pub batches: u64,
    /// Photos in them.
    pub photos: u64,
    /// The most photos one run took.
    pub largest: usize,
}

struct Shared {
    queue: Mutex<Queue>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        // A queue of plain values: still consistent if a holder panicked.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The batching thread and its queue; stopped (after the jobs queued) when dropped.
pub struct Batcher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Batcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batcher").finish_non_exhaustive()
    }
}

/// A connection's promise to submit a photo soon: while it lives, a batch being formed
/// waits for it (up to the batch wait). Dropped without submitting (the photo did not
/// decode), it is withdrawn.
pub struct Preparing<'a> {
    batcher: &'a Batcher,
    done: bool,
}

impl Batcher {
    /// Starts the batching thread over `classifier`, answering the top `k` of each photo.
    pub fn start(classifier: Arc<Classifier>, config: BatchConfig, k: usize) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            changed: Condvar::new(),
        });
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("batcher".into())
                .spawn(move || run(&shared, &classifier, config, k))
                .expect("spawning the batching thread")
        };
        Self {
            shared,
            thread: Some(thread),
        }
    }

    /// What has been run so far.
    pub fn stats(&self) -> BatchStats {
        self.shared.lock().stats
    }

    /// Announces a photo on its way (call when its connection starts).
    pub fn preparing(&self) -> Preparing<'_> {
        self.shared.lock().preparing += 1;
        Preparing {
            batcher: self,
            done: false,
        }
    }
}

impl Preparing<'_> {
    /// Submits the prepared `input` (150 528 values) and waits for its answer.
    pub fn classify(mut self, input: Vec<f32>) -> Answer {
        let (reply, answer) = sync_channel(1);
        {
            let mut queue = self.batcher.shared.lock();
            queue.preparing -= 1;
            self.done = true;
            if queue.closed {
                return Err("the worker is shutting down".to_owned());
            }
            queue.jobs.push_back(Job { input, reply });
        }
        self.batcher.shared.changed.notify_all();
        answer
            .recv()
            .unwrap_or_else(|_| Err("the batching thread stopped".to_owned()))
    }
}

impl Drop for Preparing<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.batcher.shared.lock().preparing -= 1;
            self.batcher.shared.changed.notify_all();
        }
    }
}

impl Drop for Batcher {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.changed.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The batching thread: forms batches and runs them until the batcher is dropped and the
/// queue is empty.
fn run(shared: &Shared, classifier: &Classifier, config: BatchConfig, k: usize) {
    while let Some(batch) = next_batch(shared, config) {
        let mut inputs = Vec::with_capacity(batch.len() * INPUT_LEN);
        for job in &batch {
            inputs.extend_from_slice(&job.input);
        }
        let started = Instant::now();
        match classifier.classify_batch(&inputs, k) {
            Ok(answers) => {
                log::debug!(
                    "batch of {} classified in {:.1} ms",
                    batch.len(),
                    started.elapsed().as_secs_f64() * 1000.0
                );
                for (job, answer) in batch.into_iter().zip(answers) {
                    let _ = job.reply.send(Ok(answer));
                }
            }
            Err(e) => {
                let reason = format!("{:#}", anyhow::Error::from(e));
                log::error!("a batch of {} failed: {reason}", batch.len());
                for job in batch {
                    let _ = job.reply.send(Err(reason.clone()));
                }
            }
        }
    }
}

/// Waits for a first job, then for more while photos are being prepared, up to the batch
/// size and the wait; `None` once closed with nothing queued.
fn next_batch(shared: &Shared, config: BatchConfig) -> Option<Vec<Job>> {
    let mut queue = shared.lock();
    while queue.jobs.is_empty() {
        if queue.closed {
            return None;
        }
        queue = shared
            .changed
            .wait(queue)
            .unwrap_or_else(|e| e.into_inner());
    }
    let deadline = Instant::now() + config.wait;
    while queue.jobs.len() < config.max_batch && queue.preparing > 0 && !queue.closed {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        queue = shared
            .changed
            .wait_timeout(queue, left)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
    let take = queue.jobs.len().min(config.max_batch);
    let stats = &mut queue.stats;
    stats.batches += 1;
    stats.photos += take as u64;
    stats.largest = stats.largest.max(take);
    Some(queue.jobs.drain(..take).collect())
}
