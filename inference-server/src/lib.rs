//! The inference lab (course "Assignment 2 - A Multi-process TCP Server", 2018): a pre-fork
//! TCP server that downloads the image at a URL a client sends, classifies it with
//! SqueezeNet 1.1 (the [`squeezenet`] crate) and answers `("airliner", 0.995)`, and the
//! client that asks it.
//!
//! - [`prefork`]: the server: main process, reception of requests, worker processes, their
//!   supervision, the hand-off queue, downloads and the wire protocol;
//! - [`client`]: `inference-client`'s request and reply.

#![warn(missing_docs)]

pub mod client;
pub mod prefork;
