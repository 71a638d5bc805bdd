//! Writing a file whole or not at all.
//!
//! Every file the labs produce in one piece goes through [`write_atomically`] (the GIF,
//! sorted lists, anything derived) or, for downloads saved as they arrive,
//! [`write_in_place`]; the rules are stated here once:
//!
//! - **Atomic replace.** The bytes go to a temporary file in the destination's own folder
//!   (a rename is only atomic within one file system), which is renamed over the destination
//!   at the end. A reader, or a later run, sees the old file or the new one, never half of
//!   one. On any error, including the `Interrupted` error a client returns after Ctrl-C,
//!   the temporary file is removed.
//! - **Permissions.** The file is created with mode `0o666`, which the kernel narrows by the
//!   user's umask: the permissions of any ordinary file the user creates (typically
//!   `0o644`), not the `0o600` that temporary files get by default.
//! - **Downloads in place.** The frames lab saves 5000 small files per run. Replacing each
//!   through a temporary file frees and allocates an inode per file, and ext4's inode
//!   allocator then scans its recently freed inodes on every creation: measured, the whole
//!   optimized run became four times slower (all of it kernel time). [`write_in_place`]
//!   overwrites the file instead (same inode), and removes it if the write fails. As the
//!   clients stop for Ctrl-C only between files, a file is then whole unless the process is
//!   killed mid-write.
//! - **Unfinished files on a hard exit.** A second Ctrl-C exits at once, without unwinding,
//!   so no error path runs. Every write in progress is therefore listed in a process-wide
//!   registry, and [`exit_removing_unfinished`] deletes what is listed before it exits: a
//!   temporary file, or a file being overwritten in place.
//! - **No fsync.** The rename protects against our own failures: an error mid-write, a full
//!   disk, an interrupted run. It does not promise durability across a power cut, which
//!   would cost a disk flush per file (thousands per run in the frames lab) for output that
//!   a rerun recreates anyway.

use std::fs::{File, Permissions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Mode asked for at creation; the umask applies, as for any file a program creates.
const FILE_MODE: u32 = 0o666;

/// Files being written right now, by write number: what a hard exit must remove.
static UNFINISHED: Mutex<Vec<(u64, PathBuf)>> = Mutex::new(Vec::new());
static NEXT_WRITE: AtomicU64 = AtomicU64::new(0);

/// A file listed in [`UNFINISHED`] while this guard lives.
struct Unfinished(u64);

impl Unfinished {
    fn list(path: &Path) -> Self {
        let id = NEXT_WRITE.fetch_add(1, Ordering::Relaxed);
        unfinished().push((id, path.to_owned()));
        Self(id)
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        unfinished().retain(|(id, _)| *id != self.0);
    }
}

/// The registry, even if a thread panicked while holding it: a list of paths cannot be left
/// half-updated.
fn unfinished() -> std::sync::MutexGuard<'static, Vec<(u64, PathBuf)>> {
    UNFINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Exits the process at once with status `code`, after removing every file that
/// [`write_atomically_with`], [`write_atomically`] or [`write_in_place`] is still writing
/// on any thread. For the second Ctrl-C of an impatient user: no destructor runs on exit,
/// so without this a temporary or half-written file would stay behind.
///
/// The registry stays locked until the process is gone, so no thread can start a new file
/// in between.
pub fn exit_removing_unfinished(code: i32) -> ! {
    let listed = unfinished();
    for (_, path) in listed.iter() {
        // Already renamed into place or never created: nothing to remove.
        let _ = std::fs::remove_file(path);
    }
    std::process::exit(code)
}

/// Writes `path` atomically: `write` fills a buffered writer on a temporary file in the same
/// folder, named `.{file name}.{random}.tmp`, which replaces `path` once `write` returns `Ok`
/// and the buffer is flushed.
///
/// Errors: `write`'s own error, unchanged (any type that an [`io::Error`] converts into,
/// such as `anyhow::Error`), or an I/O error creating, flushing or renaming the file, whose
/// message names `path`. Either way `path` is left as it was and the temporary file is gone.
pub fn write_atomically_with<E, F>(path: &Path, write: F) -> Result<(), E>
where
    E: From<io::Error>,
    F: FnOnce(&mut BufWriter<&File>) -> Result<(), E>,
{
    let failed =
        |e: io::Error| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()));
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(Permissions::from_mode(FILE_MODE))
        .tempfile_in(folder)
        .map_err(failed)?;
    let _unfinished = Unfinished::list(temp.path());
    let mut writer = BufWriter::new(temp.as_file());
    write(&mut writer)?;
    writer.flush().map_err(failed)?;
    drop(writer);
    temp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` atomically: [`write_atomically_with`] for data already in memory.
///
/// Errors: creating, writing or renaming the file failed (the message names `path`); `path`
/// is left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_with(path, |file| {
        // One write straight to the file: a buffer would only copy what is already whole.
        file.get_mut()
            .write_all(bytes)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())))
    })
}

/// Writes `bytes` to `path` in place: the file is created (mode `0o666` less the umask) or
/// opened, written from the start with one `write_all`, and cut to `bytes.len()`; it is
/// removed again if writing fails, so no partial file is left by an error. Cheaper than
/// [`write_atomically`] when thousands of small files are rewritten (see the module docs),
/// but a reader may see the file while it is written.
///
/// Why not `File::create`: it truncates an existing file to zero bytes, and ext4 (with its
/// default `auto_da_alloc`) then starts writing a file truncated that way to disk when it is
/// closed. `perf` showed that flush on every frame of a rerun; overwriting and then
/// setting the length never truncates to zero, so the data waits for normal writeback.
///
/// Errors: the file cannot be created or written (the message names `path`).
pub fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let failed =
        |e: io::Error| io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()));
    // Like File::create, asks for 0o666 (the umask applies), but without O_TRUNC.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(failed)?;
    let _unfinished = Unfinished::list(path);
    let written = file
        .write_all(bytes)
        .and_then(|()| file.set_len(bytes.len() as u64));
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(failed(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(entries(dir.path()), ["out.txt"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_removes_the_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.gif");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomically_with(&path, |file| {
            file.write_all(b"half a GIF")?;
            Err(io::Error::other("encoder failed"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "encoder failed");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(entries(dir.path()), ["out.gif"]);
    }

    #[test]
    fn files_get_the_permissions_of_an_ordinary_file() {
        let dir = tempfile::tempdir().unwrap();
        let ordinary = dir.path().join("ordinary");
        std::fs::write(&ordinary, "x").unwrap();
        let (atomic, in_place) = (dir.path().join("atomic"), dir.path().join("in-place"));
        write_atomically(&atomic, b"x").unwrap();
        write_in_place(&in_place, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&atomic), mode(&ordinary));
        assert_eq!(mode(&in_place), mode(&ordinary));
    }

    #[test]
    fn in_place_replaces_the_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0.png");
        std::fs::write(&path, "a longer old frame").unwrap();
        write_in_place(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        write_in_place(&path, b"a longer new frame").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "a longer new frame"
        );
        assert_eq!(entries(dir.path()), ["0.png"]);
    }
}
