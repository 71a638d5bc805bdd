//! The grading's working copy of a submission, in a temporary folder: `work/` where the
//! programs run, a fresh folder per client run beside it, and `logs/` for their output.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// A temporary copy of a submission: `root/work` is the programs' working folder, `root/logs`
/// keeps their output. Removed when dropped.
pub struct WorkDir {
    dir: tempfile::TempDir,
}

impl WorkDir {
    /// Copies the regular files of `submission` (not recursively: submissions are flat, and
    /// a stray `frames/` folder from the student's own runs must not count) into a fresh
    /// temporary folder.
    pub fn new(submission: Option<&Path>) -> anyhow::Result<Self> {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::Builder::new().prefix("labs-grade-").tempdir()?;
        // Others may pass through (a sandbox's user reaches its own folders inside) but not
        // list it; the logs stay the grader's alone.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))?;
        std::fs::create_dir(dir.path().join("work"))?;
        std::fs::create_dir(dir.path().join("logs"))?;
        std::fs::set_permissions(
            dir.path().join("logs"),
            std::fs::Permissions::from_mode(0o700),
        )?;
        if let Some(submission) = submission {
            copy_files(submission, &dir.path().join("work"))
                .with_context(|| format!("cannot copy {}", submission.display()))?;
        }
        Ok(Self { dir })
    }

    /// The programs' working folder.
    pub fn work(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    /// A fresh, empty working folder `name` beside `work`, for one run of a client.
    pub fn fresh_dir(&self, name: &str) -> anyhow::Result<PathBuf> {
        let path = self.dir.path().join(name);
        if path.exists() {
            std::fs::remove_dir_all(&path)?;
        }
        std::fs::create_dir_all(&path)?;
        Ok(path)
    }

    /// Where program output is logged.
    pub fn logs(&self) -> PathBuf {
        self.dir.path().join("logs")
    }
}

/// Copies the regular files of `from` into the folder `to`, not recursively.
pub fn copy_files(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// The last component of `path`, as text (empty for none): how reports name files.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}
