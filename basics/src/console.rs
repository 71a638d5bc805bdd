//! What the slides' programs print on stdout, where their Python prints it.
//!
//! Python's `print('Sent to server: ', message)` joins its arguments with a space, so the
//! slides' lines have two spaces after the colon (`Sent to server:  Hi server!`); our
//! format strings spell that out. Our own log lines (addresses, processes started,
//! warnings) stay on stderr in the course's logging format.

use std::io::Write as _;

/// Prints `line` and a newline on stdout in one write, so that lines from several
/// processes sharing a terminal or a pipe never interleave mid-line (`println!` may write
/// the text and its newline separately). A closed stdout is not the program's failure: the
/// line is dropped.
pub fn print_line(line: &str) {
    let mut text = String::with_capacity(line.len() + 1);
    text.push_str(line);
    text.push('\n');
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
