//! Who a submission belongs to, from the names a learning platform gives its files: a
//! folder's or a `<student_id>.zip`'s name, or the prefix Moodle's "Download all
//! submissions" writes (`Full Name_<participant id>_assignsubmission_file_`), and that
//! identity as a file name no other submission of the batch has.

use std::collections::BTreeSet;
use std::fmt;

/// Who a submission belongs to, as the batch found it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Identity {
    /// The name of a submission folder, or of a `<student_id>.zip` without `.zip`: the
    /// student id when students follow the handout.
    Named(String),
    /// A submission of Moodle's "Download all submissions".
    Moodle {
        /// The student's full name, as Moodle wrote it.
        full_name: String,
        /// Moodle's participant id for this assignment (not the student id).
        participant_id: String,
    },
}

impl fmt::Display for Identity {
    /// `12345`, or Moodle's own prefix `Full Name_4242` (what instructors match back).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identity::Named(name) => f.write_str(name),
            Identity::Moodle {
                full_name,
                participant_id,
            } => write!(f, "{full_name}_{participant_id}"),
        }
    }
}

/// Reads a name of Moodle's "Download all submissions":
/// `Full Name_<participant id>_assignsubmission_<plugin>_<file>`. Returns the identity
/// and the file's own name (`None` for a folder's name, which ends at the plugin).
pub(crate) fn moodle(name: &str) -> Option<(Identity, Option<String>)> {
    let (who, rest) = name.split_once("_assignsubmission_")?;
    let (full_name, participant_id) = who.rsplit_once('_')?;
    if full_name.is_empty()
        || participant_id.is_empty()
        || !participant_id.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let file = rest
        .split_once('_')
        .map(|(_, file)| file)
        // `.` and `..` are no file's own name, whatever a crafted download says.
        .filter(|file| !file.is_empty() && *file != "." && *file != "..");
    let identity = Identity::Moodle {
        full_name: full_name.to_owned(),
        participant_id: participant_id.to_owned(),
    };
    Some((identity, file.map(str::to_owned)))
}

/// The identity as a name no other submission of the batch has, usable as a file name.
pub(crate) fn unique_name(identity: &Identity, taken: &mut BTreeSet<String>) -> String {
    let base: String = identity
        .to_string()
        .chars()
        .map(|c| if c == '/' || c == '\0' { '_' } else { c })
        .collect();
    let base = if base.is_empty() || base.starts_with('.') {
        format!("_{base}")
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{base} ({n})");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moodle_names_give_full_name_and_participant_id() {
        let jane = Identity::Moodle {
            full_name: "Jane Doe".into(),
            participant_id: "4242".into(),
        };
        assert_eq!(
            moodle("Jane Doe_4242_assignsubmission_file_"),
            Some((jane.clone(), None))
        );
        assert_eq!(
            moodle("Jane Doe_4242_assignsubmission_file_Jane_client.py"),
            Some((jane.clone(), Some("Jane_client.py".into())))
        );
        assert_eq!(jane.to_string(), "Jane Doe_4242");
        assert_eq!(moodle("12345"), None);
        assert_eq!(moodle("Jane_x_assignsubmission_file_"), None);
        assert_eq!(
            moodle("Jane Doe_4242_assignsubmission_file_.."),
            Some((jane, None))
        );
    }

    #[test]
    fn names_are_unique_and_usable_as_file_names() {
        let mut taken = BTreeSet::new();
        let id = Identity::Named("12345".into());
        assert_eq!(unique_name(&id, &mut taken), "12345");
        assert_eq!(unique_name(&id, &mut taken), "12345 (2)");
        assert_eq!(
            unique_name(&Identity::Named("..".into()), &mut taken),
            "_.."
        );
    }
}
