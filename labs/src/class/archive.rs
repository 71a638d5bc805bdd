//! Reading the zip archives submissions arrive in, as the hostile input they are.
//!
//! A student's zip is written by a program the grader does not control, so nothing in it is
//! trusted: an entry named `../../home/grader/.bashrc` or `/etc/cron.d/x` would land outside
//! the folder it is extracted to, a symbolic link would let a later entry (or the student's
//! own program) reach any file, and a few kilobytes of deflated zeros expand to gigabytes
//! (a "zip bomb"). So, before a byte is written, every entry's name must be a plain relative
//! path and its type a file or a folder, and the archive may hold at most
//! [`ArchiveLimits::max_entries`] entries; then, while writing, the bytes actually produced
//! by decompression are counted and extraction stops as soon as they pass
//! [`ArchiveLimits::max_bytes`]. The sizes an archive declares in its headers are never
//! used: they are whatever its author wrote there.
//!
//! Files are written with mode `0644` whatever the archive says (no set-user-id bit, no
//! executable a grading would run by mistake), only through folders this module made.

use std::fs::{File, OpenOptions};
use std::io::{self, Read as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use zip::ZipArchive;

pub use crate::grading::checklist::ArchiveLimits;

/// Why an archive was refused; it displays as the reason the batch's row gives after
/// "archive rejected: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The file is not a zip archive, or its central directory is damaged.
    #[error("not a readable zip archive ({0})")]
    Unreadable(String),
    /// The archive holds no file at all (no entries, or only folders).
    #[error("the archive holds no files")]
    Empty,
    /// An entry's path climbs out of the folder (`..`).
    #[error("entry `{0}` leaves the folder it is extracted to")]
    LeavesFolder(String),
    /// An entry's path is absolute (`/etc/passwd`, `C:\x`).
    #[error("entry `{0}` is an absolute path")]
    Absolute(String),
    /// An entry's name cannot be a file name (it holds a NUL byte).
    #[error("entry `{0}` has a name no file can have")]
    BadName(String),
    /// An entry is a symbolic link.
    #[error("entry `{0}` is a symbolic link")]
    SymbolicLink(String),
    /// An entry is a device, a named pipe or a socket.
    #[error("entry `{0}` is a device, pipe or socket, not a file")]
    Special(String),
    /// More entries than [`ArchiveLimits::max_entries`] (the limit).
    #[error("more than {0} entries (the checklist's archive_max_entries)")]
    TooManyEntries(u64),
    /// More uncompressed bytes than [`ArchiveLimits::max_bytes`] (the limit), found while
    /// extracting.
    #[error("more than {} once uncompressed (the checklist's archive_max_bytes)", bytes(*.0))]
    TooLarge(u64),
    /// An entry could not be decompressed or written (damaged data, a wrong checksum, an
    /// encryption or compression method the grader does not read, a name clash): the
    /// entry's name and the error.
    #[error("entry `{0}` cannot be extracted: {1}")]
    BadEntry(String, String),
}

/// `n` bytes as a person reads them: `64 MiB`, `1000 bytes`.
fn bytes(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// One entry of an archive whose name and type passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its position in the archive.
    pub index: usize,
    /// Its name as the archive spells it (for messages).
    pub name: String,
    /// Its path: relative, made of plain names only (no `..`, no root), `\` read as `/`
    /// (some Windows tools write it). Empty for the archive's root folder itself.
    pub path: PathBuf,
    /// Whether it is a folder (else a regular file).
    pub is_dir: bool,
}

/// A zip archive opened for checked extraction.
pub struct Archive {
    zip: ZipArchive<File>,
}

impl Archive {
    /// Opens the archive at `path` and reads its central directory (names and headers, no
    /// file data).
    ///
    /// Errors: [`Rejection::Unreadable`] when the file cannot be opened or is not a zip.
    pub fn open(path: &Path) -> Result<Self, Rejection> {
        let file = File::open(path).map_err(|e| Rejection::Unreadable(e.to_string()))?;
        let zip = ZipArchive::new(file).map_err(|e| Rejection::Unreadable(e.to_string()))?;
        Ok(Self { zip })
    }

    /// How many entries the archive's central directory lists.
    pub fn len(&self) -> usize {
        self.zip.len()
    }

    /// Whether the archive lists no entry at all.
    pub fn is_empty(&self) -> bool {
        self.zip.is_empty()
    }

    /// Entry `index` with its name and type checked (see [`Rejection`] for what is refused).
    ///
    /// Errors: the entry's refusal, or [`Rejection::Unreadable`] when its header cannot be
    /// read.
    pub fn entry(&mut self, index: usize) -> Result<Entry, Rejection> {
        // The raw entry: its header only, nothing decompressed yet.
        let file = self
            .zip
            .by_index_raw(index)
            .map_err(|e| Rejection::Unreadable(e.to_string()))?;
        let name = file
            .name()
            .map_err(|e| Rejection::Unreadable(e.to_string()))?
            .into_owned();
        let path = relative_path(&name)?;
        // The Unix file type bits, when the archive was made on Unix; other systems' zips
        // hold files and folders only, told apart by a trailing slash.
        let is_dir = match file.unix_mode().map(|mode| mode & 0o170_000) {
            None | Some(0) | Some(0o100_000) => file.is_dir(),
            Some(0o040_000) => true,
            Some(0o120_000) => return Err(Rejection::SymbolicLink(name)),
            Some(_) => return Err(Rejection::Special(name)),
        };
        Ok(Entry {
            index,
            name,
            path,
            is_dir,
        })
    }

    /// Every entry, checked ([`Archive::entry`]), after checking their count against
    /// `limits`.
    ///
    /// Errors: [`Rejection::TooManyEntries`], or the first entry refused.
    pub fn entries(&mut self, limits: ArchiveLimits) -> Result<Vec<Entry>, Rejection> {
        if self.len() as u64 > limits.max_entries {
            return Err(Rejection::TooManyEntries(limits.max_entries));
        }
        (0..self.len()).map(|index| self.entry(index)).collect()
    }

    /// Writes `entries` (from [`Archive::entries`]) into the folder `dest`, each at
    /// `dest/<to>` where `to` is the entry's own path or the one given beside it. Stops as
    /// soon as the files written hold more than `limits.max_bytes` bytes together, counted
    /// while decompressing. What was written before a refusal stays in `dest`: the caller
    /// owns that folder and removes it.
    ///
    /// Errors: [`Rejection::TooLarge`], or [`Rejection::BadEntry`] for an entry that cannot
    /// be decompressed or written.
    pub fn extract(
        &mut self,
        entries: &[(&Entry, &Path)],
        dest: &Path,
        limits: ArchiveLimits,
    ) -> Result<(), Rejection> {
        let mut left = limits.max_bytes;
        for (entry, to) in entries {
            let bad =
                |e: &dyn std::fmt::Display| Rejection::BadEntry(entry.name.clone(), e.to_string());
            let target = dest.join(to);
            if entry.is_dir {
                std::fs::create_dir_all(&target).map_err(|e| bad(&e))?;
                continue;
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| bad(&e))?;
            }
            let mut out = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o644)
                // Never through a link, should one ever be there.
                .custom_flags(nix::libc::O_NOFOLLOW)
                .open(&target)
                .map_err(|e| bad(&e))?;
            let file = self.zip.by_index(entry.index).map_err(|e| bad(&e))?;
            // The bounded reader: at most one byte more than the budget left is ever
            // decompressed, whatever the entry's header claims; that one byte tells a file
            // exactly at the limit from one past it.
            let mut bounded = file.take(left + 1);
            let written = io::copy(&mut bounded, &mut out).map_err(|e| bad(&e))?;
            if written > left {
                return Err(Rejection::TooLarge(limits.max_bytes));
            }
            left -= written;
        }
        Ok(())
    }
}

/// Extracts the whole archive at `archive` into the folder `dest` (created if missing),
/// with every check of this module: the students' own zips.
///
/// Errors: any [`Rejection`]; [`Rejection::Empty`] when no entry is a file.
pub fn extract_all(archive: &Path, dest: &Path, limits: ArchiveLimits) -> Result<(), Rejection> {
    let mut zip = Archive::open(archive)?;
    let entries = zip.entries(limits)?;
    if entries.iter().all(|entry| entry.is_dir) {
        return Err(Rejection::Empty);
    }
    std::fs::create_dir_all(dest).map_err(|e| Rejection::BadEntry(String::new(), e.to_string()))?;
    let plan: Vec<(&Entry, &Path)> = entries.iter().map(|e| (e, e.path.as_path())).collect();
    zip.extract(&plan, dest, limits)
}

/// `name` as a relative path of plain names, `\` read as `/`; empty for the root folder.
///
/// Errors: [`Rejection::BadName`] (a NUL byte), [`Rejection::Absolute`] (a leading `/` or
/// `\`, or a drive letter), [`Rejection::LeavesFolder`] (any `..`, even one that would come
/// back: nothing a student means needs it).
pub fn relative_path(name: &str) -> Result<PathBuf, Rejection> {
    if name.contains('\0') {
        return Err(Rejection::BadName(name.to_owned()));
    }
    let normal = name.replace('\\', "/");
    let drive =
        normal.as_bytes().get(1) == Some(&b':') && normal.as_bytes()[0].is_ascii_alphabetic();
    if normal.starts_with('/') || drive {
        return Err(Rejection::Absolute(name.to_owned()));
    }
    let mut path = PathBuf::new();
    for part in normal.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(Rejection::LeavesFolder(name.to_owned())),
            part => path.push(part),
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_keep_plain_names_only() {
        assert_eq!(
            relative_path("12345/client.py"),
            Ok(PathBuf::from("12345/client.py"))
        );
        assert_eq!(
            relative_path("12345\\server.py"),
            Ok(PathBuf::from("12345/server.py"))
        );
        assert_eq!(relative_path("./a//b/"), Ok(PathBuf::from("a/b")));
        assert_eq!(
            relative_path("a/../../evil.py"),
            Err(Rejection::LeavesFolder("a/../../evil.py".into()))
        );
        assert_eq!(
            relative_path("/etc/passwd"),
            Err(Rejection::Absolute("/etc/passwd".into()))
        );
        assert_eq!(
            relative_path("C:\\x.py"),
            Err(Rejection::Absolute("C:\\x.py".into()))
        );
        assert_eq!(
            relative_path("a\0b"),
            Err(Rejection::BadName("a\0b".into()))
        );
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(
            Rejection::TooLarge(64 << 20).to_string(),
            "more than 64 MiB once uncompressed (the checklist's archive_max_bytes)"
        );
        assert_eq!(bytes(1000), "1000 bytes");
        assert_eq!(bytes(4096), "4 KiB");
    }
}
