//! The inference lab (course "Assignment 2 - A Multi-process TCP Server", 2018): a server
//! that downloads the image at a URL a client sends, classifies it with SqueezeNet 1.1 (the
//! [`squeezenet`] crate) and answers `("airliner", 0.995)`, and the client that asks it.
//!
//! - [`prefork`]: the pre-fork server (the lab's optimized mode): main process, reception
//!   of requests, worker processes, their supervision, the hand-off queue, downloads and
//!   the wire protocol;
//! - [`sequential`]: the same service one client at a time, in one thread (the baseline);
//! - [`service`]: serving one client, which both servers share;
//! - [`client`]: `inference-client`'s request and reply;
//! - [`load`]: `inference-client` as a load generator: many requests, several at a time,
//!   with throughput and latency percentiles.

#![warn(missing_docs)]

pub mod client;
pub mod load;
pub mod prefork;
pub mod protocol;
pub mod sequential;
pub mod service;
