//! The numbers lab server (course handout "Week 2 - Concurrency and Parallelism", 2024).
//!
//! **Model:** thread per connection. The main thread accepts; every client gets a new
//! thread that sends one freshly generated list of integers and closes.
//!
//! **Wire format** (what the course's Python client relies on): the client sends nothing;
//! the server writes [`payload::LIST_LEN`] integers from [`payload::MIN`]..=[`payload::MAX`]
//! as ASCII decimal joined by `,` (see [`payload`]), then closes. End of stream is the end
//! of the list.
//!
//! How to run it, its options and its wire format: `README.md` in this crate's folder (the
//! lab's figures are numbers-client's).

#![warn(missing_docs)]

pub mod buffers;
pub mod payload;

use std::io::{self, Write};
use std::net::TcpListener;
use std::sync::Arc;

use common::net::py_addr;
use common::server::{ServerConfig, serve};
use common::shutdown::Shutdown;
use rand::SeedableRng;
use rand::rngs::SmallRng;

use crate::buffers::BufferPool;

/// Idle list buffers the server keeps: 16, about 44 MiB once grown. A client downloads on
/// up to 8 threads by default (`common::client::DEFAULT_DOWNLOAD_THREADS`), so as many
/// lists are in flight at once; keeping fewer buffers than that (it kept one per core's
/// worth, 4 here) freed and re-allocated, page faults included, half the buffers of every
/// burst.
pub const IDLE_BUFFERS: usize = 16;

/// Serves lists on `listener` until `shutdown`, then lets in-flight connections finish and
/// returns. Logs `Listening on <addr>` first and `Sent a file to ('<ip>', <port>)` per
/// client (the handout's wording and Python's quoted tuple).
///
/// Each list is [`payload::LIST_LEN`] integers, about 2.6 MiB, generated into a pooled
/// buffer and sent with one `write_all`. `config` bounds live handler threads and socket
/// timeouts (see [`ServerConfig`]). Errors: only failures of the listener itself; a failed
/// client is logged and skipped.
pub fn run(listener: TcpListener, shutdown: Shutdown, config: ServerConfig) -> io::Result<()> {
    log::info!("Listening on {}", listener.local_addr()?);
    let pool = Arc::new(BufferPool::new(IDLE_BUFFERS));
    serve(listener, &shutdown, config, move |mut stream, peer| {
        let mut list = pool.take();
        // A list needs no cryptographic randomness: a small, fast generator (xoshiro),
        // seeded from the thread's secure one, draws its 250000 values in 0.47 ms against
        // 0.64 ms for the secure one itself (per list, measured).
        let mut rng = SmallRng::from_rng(&mut rand::rng());
        payload::fill(&mut list, payload::LIST_LEN, &mut rng);
        stream.write_all(&list)?;
        log::info!("Sent a file to {}", py_addr(&peer, true));
        // Returning drops `stream`: the close sends FIN, which is how the client knows
        // the list is complete.
        Ok(())
    })
}
