//! Logging in the course's format, through the `log` facade.
//!
//! The course's Python programs configure `logging` with
//! `'[%(asctime)s] [%(levelname)s] [%(processName)s] [%(threadName)s] : %(message)s'`,
//! which prints lines such as
//!
//! ```text
//! [2026-11-21 08:45:22,509] [INFO] [MainProcess] [MainThread] : Listening on 0.0.0.0:1234
//! ```
//!
//! We print the same so that a grader (or a student's `grep`) reads Rust and Python logs
//! alike. Python's `asctime` is local time with a *comma* before the milliseconds; its main
//! thread is `MainThread` and its first process `MainProcess`. Worker processes call
//! [`set_process_name`] (e.g. `Process-1`); other threads show their std thread name.

use std::io::Write;
use std::sync::{Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use log::{LevelFilter, Log, Metadata, Record};

/// The process name printed in every line; `MainProcess` until [`set_process_name`].
static PROCESS_NAME: RwLock<Option<String>> = RwLock::new(None);
static LOGGER: OnceLock<CourseLogger> = OnceLock::new();

/// Python's `multiprocessing` name for the first process.
pub const MAIN_PROCESS: &str = "MainProcess";
/// Python's `threading` name for the main thread.
pub const MAIN_THREAD: &str = "MainThread";

/// Installs the course-format logger on stderr at `level` (like Python's `StreamHandler`).
///
/// `RUST_LOG`, if set to a level name (`debug`, `warn`, ...), overrides `level`. Calling it
/// again only changes the level, so tests may call it freely.
pub fn init(level: LevelFilter) {
    let level = std::env::var("RUST_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(level);
    let logger = LOGGER.get_or_init(|| CourseLogger);
    // Fails only if another logger is already installed, e.g. by a second call: keep it.
    let _ = log::set_logger(logger);
    log::set_max_level(level);
}

/// Sets the process name shown in log lines, e.g. `Process-3` in a pre-fork worker.
pub fn set_process_name(name: impl Into<String>) {
    *PROCESS_NAME.write().unwrap_or_else(|e| e.into_inner()) = Some(name.into());
}

/// The process name shown in log lines.
pub fn process_name() -> String {
    PROCESS_NAME
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .unwrap_or_else(|| MAIN_PROCESS.to_owned())
}

/// The current thread's name as the course prints it: `MainThread` for Rust's `main`
/// thread, the std name of a named thread, else `Thread-<id>` from the std thread id.
pub fn thread_name() -> String {
    let current = std::thread::current();
    match current.name() {
        Some("main") => MAIN_THREAD.to_owned(),
        Some(name) => name.to_owned(),
        // Debug of ThreadId is `ThreadId(7)`; its number is the only stable handle std gives.
        None => {
            let id = format!("{:?}", current.id());
            let digits: String = id.chars().filter(char::is_ascii_digit).collect();
            format!("Thread-{digits}")
        }
    }
}

/// Formats one log line, without the trailing newline, exactly as the course's Python
/// `logging` configuration does. `now` is local time.
pub fn format_line(
    now: chrono::DateTime<chrono::Local>,
    level: log::Level,
    process: &str,
    thread: &str,
    message: &std::fmt::Arguments<'_>,
) -> String {
    format!(
        "[{}] [{}] [{process}] [{thread}] : {message}",
        now.format("%Y-%m-%d %H:%M:%S,%3f"),
        python_level_name(level),
    )
}

/// The local time, through a process-wide cache of the UTC offset refreshed each second.
///
/// `chrono::Local::now()` keeps its time-zone cache per thread, so in a thread-per-connection
/// server every handler's first log line re-reads and parses `/etc/localtime` (six system
/// calls per connection, measured with `strace -c`). The offset changes only at daylight
/// saving transitions, which a one-second refresh follows closely enough.
fn local_now() -> chrono::DateTime<chrono::Local> {
    use chrono::{Offset as _, TimeZone as _};
    static OFFSET: Mutex<Option<(Instant, chrono::FixedOffset)>> = Mutex::new(None);
    let utc = chrono::Utc::now().naive_utc();
    let mut cached = OFFSET.lock().unwrap_or_else(|e| e.into_inner());
    let offset = match *cached {
        Some((checked, offset)) if checked.elapsed() < Duration::from_secs(1) => offset,
        _ => {
            let offset = chrono::Local.offset_from_utc_datetime(&utc).fix();
            *cached = Some((Instant::now(), offset));
            offset
        }
    };
    chrono::DateTime::from_naive_utc_and_offset(utc, offset)
}

/// Python spells two levels differently from `log`.
fn python_level_name(level: log::Level) -> &'static str {
    match level {
        log::Level::Error => "ERROR",
        log::Level::Warn => "WARNING",
        log::Level::Info => "INFO",
        log::Level::Debug => "DEBUG",
        log::Level::Trace => "TRACE",
    }
}

struct CourseLogger;

impl Log for CourseLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let mut line = format_line(
            local_now(),
            record.level(),
            &process_name(),
            &thread_name(),
            record.args(),
        );
        line.push('\n');
        // One write(2) of the whole line, newline included. Stderr is unbuffered, so
        // `writeln!` would make two calls, and the pre-fork workers share the parent's
        // stderr: a worker's line could land between another's text and its newline.
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }

    fn flush(&self) {
        let _ = std::io::stderr().flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn line_matches_the_course_format() {
        let at = chrono::Local
            .with_ymd_and_hms(2018, 2, 11, 8, 45, 22)
            .unwrap()
            + chrono::Duration::milliseconds(509);
        let line = format_line(
            at,
            log::Level::Info,
            "Process-3",
            "Thread-4",
            &format_args!("Listening on {}", "0.0.0.0:1234"),
        );
        assert_eq!(
            line,
            "[2018-02-11 08:45:22,509] [INFO] [Process-3] [Thread-4] : Listening on 0.0.0.0:1234"
        );
    }

    #[test]
    fn cached_local_time_is_local_time() {
        let (before, cached, after) = (chrono::Local::now(), local_now(), chrono::Local::now());
        assert!(before <= cached && cached <= after);
        assert_eq!(cached.offset(), after.offset());
    }

    #[test]
    fn warn_is_spelled_like_python() {
        assert_eq!(python_level_name(log::Level::Warn), "WARNING");
    }

    #[test]
    fn thread_names() {
        let named = std::thread::Builder::new()
            .name("Thread-9".into())
            .spawn(thread_name)
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(named, "Thread-9");
        let unnamed = std::thread::spawn(thread_name).join().unwrap();
        assert!(unnamed.starts_with("Thread-"), "{unnamed}");
        assert!(unnamed.len() > "Thread-".len(), "{unnamed}");
    }

    #[test]
    fn process_name_is_settable() {
        assert_eq!(MAIN_PROCESS, "MainProcess");
        set_process_name("Process-2");
        assert_eq!(process_name(), "Process-2");
        set_process_name(MAIN_PROCESS);
    }
}
