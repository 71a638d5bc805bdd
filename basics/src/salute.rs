//! The slides' first multiprocessing program: a process that salutes a course and names
//! its parent's process ID and its own.
//!
//! In the slides, the main program creates `Process(target=salute, args=('DS',))`, starts
//! it and joins it; the child prints
//!
//! ```text
//! Hello DS
//! Parent process id: 4242
//! Process id: 4243
//! ```
//!
//! where the parent is the main program. Here the child is this same binary started again
//! in a hidden mode ([`start`]), the way every program of this crate makes its processes
//! (see [`crate::pid`] for why not `fork`).

use std::io;
use std::path::Path;
use std::process::{Command, ExitStatus};

use crate::console::print_line;

/// The slides' course: `args=('DS',)`.
pub const DEFAULT_COURSE: &str = "DS";

/// The child's three lines for `course`, its `parent`'s process ID and its `own`.
pub fn lines(course: &str, parent: u32, own: u32) -> [String; 3] {
    [
        format!("Hello {course}"),
        format!("Parent process id: {parent}"),
        format!("Process id: {own}"),
    ]
}

/// What the child process does: prints [`lines`] for `course` with its real parent's and
/// its own process IDs.
pub fn salute(course: &str) {
    let [hello, parent, own] = lines(
        course,
        std::os::unix::process::parent_id(),
        std::process::id(),
    );
    print_line(&hello);
    print_line(&parent);
    print_line(&own);
}

/// What the main process does: starts `exe --child COURSE` (this binary, as the child),
/// which shares its stdout, and waits for it (`start()` then `join()`); returns how it
/// ended. Errors: the child could not be started.
pub fn start(exe: &Path, course: &str) -> io::Result<ExitStatus> {
    Command::new(exe).args(["--child", course]).status()
}
