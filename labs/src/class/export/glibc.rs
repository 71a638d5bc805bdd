//! Which glibc a binary needs: the `GLIBC_x.y` versions in its ELF version needs
//! (`.gnu.version_r`, what `objdump -p` lists under "Version References"). The dynamic
//! loader refuses to start a binary that needs a version its glibc lacks, so a binary built
//! on a newer distribution than the platform's image does not run there at all.

use std::fmt;
use std::path::Path;

use anyhow::Context as _;
use object::Endianness;
use object::elf;
use object::read::elf::{ElfFile64, FileHeader as _};

/// A glibc version, e.g. 2.35.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GlibcVersion {
    /// 2 for every glibc since 1997.
    pub major: u32,
    /// 35 for glibc 2.35.
    pub minor: u32,
}

impl GlibcVersion {
    /// The version in a version need's name: `GLIBC_2.35` and `GLIBC_2.2.5` (read as 2.2);
    /// `None` for other names (`GLIBC_PRIVATE`, `GCC_3.0`).
    pub fn from_need(name: &str) -> Option<Self> {
        let mut numbers = name.strip_prefix("GLIBC_")?.split('.');
        Some(Self {
            major: numbers.next()?.parse().ok()?,
            minor: numbers.next()?.parse().ok()?,
        })
    }
}

impl fmt::Display for GlibcVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Ubuntu 22.04's glibc: the base image Gradescope uses by default (its documentation,
/// "Base Images": "The default base image that we use is currently Ubuntu 22.04"), and the
/// base of the grading image `labs export prairielearn` writes. Packed binaries may need
/// nothing newer.
pub const UBUNTU_22_04: GlibcVersion = GlibcVersion {
    major: 2,
    minor: 35,
};

/// The glibc versions an x86-64 ELF executable needs, sorted and without repeats; empty
/// for a static binary (one with no version needs).
///
/// Errors: the file cannot be read, or is not a 64-bit x86-64 ELF file (a script, a
/// binary for another machine), or its version needs are malformed.
pub fn needs(path: &Path) -> anyhow::Result<Vec<GlibcVersion>> {
    let data = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file = ElfFile64::<Endianness>::parse(&*data)
        .with_context(|| format!("{} is not a 64-bit ELF executable", path.display()))?;
    let endian = file.endian();
    let machine = file.elf_header().e_machine(endian);
    anyhow::ensure!(
        machine == elf::EM_X86_64,
        "{} is built for ELF machine {machine:?}, not x86-64, which the platforms run",
        path.display()
    );
    let sections = file.elf_section_table();
    let malformed = || format!("{}: malformed ELF version needs", path.display());
    let Some((mut needs, link)) = sections
        .gnu_verneed(endian, &*data)
        .with_context(malformed)?
    else {
        return Ok(Vec::new());
    };
    let strings = sections
        .strings(endian, &*data, link)
        .with_context(malformed)?;
    let mut versions = Vec::new();
    while let Some((_library, mut entries)) = needs.next().with_context(malformed)? {
        while let Some(entry) = entries.next().with_context(malformed)? {
            let name = entry.name(endian, strings).with_context(malformed)?;
            if let Some(version) = GlibcVersion::from_need(&String::from_utf8_lossy(name)) {
                versions.push(version);
            }
        }
    }
    versions.sort();
    versions.dedup();
    Ok(versions)
}

/// Checks that the binary at `path` runs on a glibc of version `max`: returns the newest
/// version it needs (`None` for a static binary).
///
/// Errors: [`needs`]'s, or a need newer than `max` (the message names the version).
pub fn check(path: &Path, max: GlibcVersion) -> anyhow::Result<Option<GlibcVersion>> {
    let newest = needs(path)?.last().copied();
    if let Some(newest) = newest {
        anyhow::ensure!(
            newest <= max,
            "{} needs glibc {newest} (symbol version GLIBC_{newest}), newer than the platform's {max}",
            path.display()
        );
    }
    Ok(newest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_need_names() {
        let v = |major, minor| Some(GlibcVersion { major, minor });
        assert_eq!(GlibcVersion::from_need("GLIBC_2.35"), v(2, 35));
        assert_eq!(GlibcVersion::from_need("GLIBC_2.2.5"), v(2, 2));
        assert_eq!(GlibcVersion::from_need("GLIBC_PRIVATE"), None);
        assert_eq!(GlibcVersion::from_need("GCC_3.0"), None);
        assert!(GlibcVersion::from_need("GLIBC_2.9") < GlibcVersion::from_need("GLIBC_2.17"));
    }

    #[test]
    fn a_script_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run");
        std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
        let err = needs(&script).unwrap_err();
        assert!(format!("{err:#}").contains("not a 64-bit ELF"), "{err:#}");
    }
}
