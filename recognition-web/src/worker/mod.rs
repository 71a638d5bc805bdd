//! The recognition worker (the course's `worker.py`): a TCP server that classifies the
//! photos the gateway sends.
//!
//! - [`config`]: [`WorkerConfig`] and the command line ([`WorkerArgs`]);
//! - [`server`]: the server loop ([`run`]) and one exchange per connection;
//! - [`batch`]: dynamic batching of photos from concurrent connections.

pub mod batch;
pub mod config;
pub mod server;

pub use config::{BatchConfig, WorkerArgs, WorkerConfig};
pub use server::{TOP_K, Worker, run};
