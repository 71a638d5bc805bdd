//! The inference lab (course "Assignment 2 - A Multi-process TCP Server", 2018): a server
//! that downloads the image at a URL a client sends, classifies it with SqueezeNet 1.1 (the
//! [`squeezenet`] crate) and answers `("airliner", 0.995)`, and the client that asks it.
//!
//! - [`prefork`]: the pre-fork server (the lab's optimized mode): main process, reception
//!   of requests, worker processes, their supervision and the hand-off queue;
//! - [`sequential`]: the same service one client at a time, in one thread (the baseline);
//! - [`service`]: what both servers share: serving one client whose request is read, with
//!   the handout's log events; the options it runs with ([`service::WorkerArgs`]); the
//!   image download within bounds ([`service::fetch`]);
//! - [`protocol`]: the wire protocol (the URL then `[END]`; a one-line reply), which both
//!   servers and the client speak;
//! - [`client`]: `inference-client`'s request and reply;
//! - [`load`]: `inference-client` as a load generator: many requests, several at a time,
//!   with throughput and latency percentiles.
//!
//! Imports run one way: [`prefork`] and [`sequential`] sit above [`service`], which sits
//! above [`protocol`]; [`load`] sits above [`client`], which uses [`protocol`] alone. Neither
//! server imports the other.
//!
//! How to run both servers and the client, their options, and the figures of pre-fork against
//! sequential: `README.md` in this crate's folder.

#![warn(missing_docs)]

pub mod client;
pub mod load;
pub mod prefork;
pub mod protocol;
pub mod sequential;
pub mod service;
