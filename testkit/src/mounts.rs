//! A program started in a mount namespace of its own, with paths bound over the host's
//! (root only): a test can give one program its own `/etc/hosts`, or a platform's
//! `/autograder` folder, and the machine never sees the change.

use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::Command;

use nix::mount::{MsFlags, mount};
use nix::sched::{CloneFlags, unshare};

/// Makes `command` start in a private mount namespace where each `(source, target)` of
/// `binds` is bind-mounted (recursively, for a folder) over `target`, then changes to
/// `workdir` if given. Every target must exist; the spawn fails with the system's error
/// otherwise (or without root: `EPERM`).
pub fn in_private_mounts(
    command: &mut Command,
    binds: Vec<(PathBuf, PathBuf)>,
    workdir: Option<PathBuf>,
) -> &mut Command {
    // SAFETY: the hook runs in the forked child before exec and only makes system calls;
    // nix passes paths this short through a stack buffer, so nothing allocates.
    unsafe {
        command.pre_exec(move || {
            unshare(CloneFlags::CLONE_NEWNS)?;
            // Private, so the binds below stay in this namespace and never reach the host.
            mount(
                None::<&str>,
                "/",
                None::<&str>,
                MsFlags::MS_REC | MsFlags::MS_PRIVATE,
                None::<&str>,
            )?;
            for (source, target) in &binds {
                mount(
                    Some(source.as_path()),
                    target.as_path(),
                    None::<&str>,
                    MsFlags::MS_BIND | MsFlags::MS_REC,
                    None::<&str>,
                )?;
            }
            if let Some(dir) = &workdir {
                nix::unistd::chdir(dir.as_path())?;
            }
            Ok(())
        })
    }
}
