//! The frames lab server (course handout "Week 2 - Concurrency and Parallelism", 2023).
//!
//! **Model:** thread per connection. The main thread accepts; every client gets a new
//! thread that sends one freshly generated frame and closes.
//!
//! **Wire format** (what the course's Python client relies on): the client sends nothing;
//! the server writes one whole PNG file as raw bytes, with no length prefix and no
//! delimiter, then closes. End of stream is the end of the frame.
//!
//! How to run it, its options and its wire format: `README.md` in this crate's folder (the
//! lab's figures are frame-client's).

#![warn(missing_docs)]

pub mod frame;

use std::io::{self, Write};
use std::net::TcpListener;

use common::net::py_addr;
use common::server::{ServerConfig, serve};
use common::shutdown::Shutdown;

/// Serves frames on `listener` until `shutdown`, then lets in-flight connections finish and
/// returns. Logs `Listening on <addr>` first and `Sent an image to (<ip>, <port>)` per client.
///
/// `config` bounds live handler threads and socket timeouts (see [`ServerConfig`]).
/// Errors: only failures of the listener itself; a failed client is logged and skipped.
pub fn run(listener: TcpListener, shutdown: Shutdown, config: ServerConfig) -> io::Result<()> {
    log::info!("Listening on {}", listener.local_addr()?);
    serve(listener, &shutdown, config, |mut stream, peer| {
        let png = frame::random_png(&mut rand::rng())?;
        stream.write_all(&png)?;
        log::info!("Sent an image to {}", py_addr(&peer, false));
        // Returning drops `stream`: the close sends FIN, which is how the client knows
        // the frame is complete.
        Ok(())
    })
}
