//! frame-client as its users meet it: the library and the real binary, against our server,
//! misbehaving servers and the course's Python programs, finished and interrupted.

mod end_to_end;
mod interop;
mod interrupt;
mod support;
