//! The five labs: their handouts and checklists, embedded in the binary so `labs show`
//! works from any directory.

use crate::checklist::Checklist;

/// One lab of the course.
#[derive(Debug, Clone, Copy)]
pub struct Lab {
    /// Short name used on the command line: `frames`, `numbers`, ...
    pub name: &'static str,
    /// The handout, Markdown.
    pub handout: &'static str,
    /// The checklist, TOML (see [`Checklist`]).
    pub checklist_toml: &'static str,
}

impl Lab {
    /// The parsed checklist. The embedded files are checked by the test suite, so a parse
    /// error here is a build defect.
    pub fn checklist(&self) -> Checklist {
        Checklist::parse(self.checklist_toml)
            .unwrap_or_else(|e| panic!("embedded checklist of {}: {e:#}", self.name))
    }
}

/// Every lab, in course order.
pub const LABS: [Lab; 5] = [
    Lab {
        name: "frames",
        handout: include_str!("../handouts/frames.md"),
        checklist_toml: include_str!("../checklists/frames.toml"),
    },
    Lab {
        name: "numbers",
        handout: include_str!("../handouts/numbers.md"),
        checklist_toml: include_str!("../checklists/numbers.toml"),
    },
    Lab {
        name: "prefork",
        handout: include_str!("../handouts/prefork.md"),
        checklist_toml: include_str!("../checklists/prefork.toml"),
    },
    Lab {
        name: "recognition",
        handout: include_str!("../handouts/recognition.md"),
        checklist_toml: include_str!("../checklists/recognition.toml"),
    },
    Lab {
        name: "basics",
        handout: include_str!("../handouts/basics.md"),
        checklist_toml: include_str!("../checklists/basics.toml"),
    },
];

/// The lab called `name`.
///
/// Errors: no such lab (the message lists the known ones).
pub fn lab(name: &str) -> anyhow::Result<Lab> {
    LABS.iter()
        .copied()
        .find(|lab| lab.name == name)
        .ok_or_else(|| {
            let known: Vec<_> = LABS.iter().map(|lab| lab.name).collect();
            anyhow::anyhow!("no lab called {name:?}; known labs: {}", known.join(", "))
        })
}
