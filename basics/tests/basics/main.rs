//! The slides' programs as people run them: real sockets, real processes, real output.
//!
//! Each module tests one program pair; the process tests read `/proc` to check PIDs,
//! children and zombies, so they run on Linux only, as the whole workspace does.

mod pid;
mod salute;
mod square;
mod support;
mod udp;
