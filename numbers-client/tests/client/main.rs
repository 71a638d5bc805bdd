//! numbers-client as its users meet it: the library and the real binary, against our server,
//! malformed lists, a missing server and the course's Python programs, finished and
//! interrupted.

mod end_to_end;
mod interop;
mod interrupt;
mod malformed;
mod no_server;
mod support;
