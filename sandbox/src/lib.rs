//! `sandbox`: running untrusted programs and watching them from outside. It knows nothing
//! of grading or of any lab; the `labs` grader is built on it.
//!
//! - [`confine`]: the [`Sandbox`] a program runs in: a user of its own, limits on memory,
//!   processes, CPU time, open files and file size, and a file-system view that ends at its
//!   working copy;
//! - [`process`]: a running program ([`Proc`]) in a process group of its own, its output
//!   logged, every wait bounded, and how it ended ([`Exit`]);
//! - [`netns`]: a network namespace per grading thread ([`Isolation`]);
//! - [`observe`]: threads, child processes and sockets as `/proc` shows them;
//! - [`activity`]: a program's whole tree sampled while it runs (connections in flight and
//!   the threads holding them, CPU per process or thread);
//! - [`workdir`]: the working copy a program runs in ([`WorkDir`]).
//!
//! Which kernel mechanism each guarantee rests on, an example, and what the tests run inside
//! it: `README.md` in this crate's folder.

#![warn(missing_docs)]

pub mod activity;
pub mod confine;
pub mod netns;
pub mod observe;
pub mod process;
pub mod workdir;

pub use confine::{Confinement, Limit, Limits, Sandbox};
pub use netns::Isolation;
pub use process::{Exit, Proc};
pub use workdir::WorkDir;
