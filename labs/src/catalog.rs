//! The five labs, in course order. Each lab module defines its own [`Lab`] (handout,
//! checklist, checks, reference binaries); this list is the one place that names them all,
//! so `labs list`, `labs show` and `labs grade` know every lab.

use crate::grading::engine::Lab;
use crate::{basics, frames, numbers, prefork, recognition};

/// Every lab, in course order.
pub const LABS: [Lab; 5] = [
    frames::LAB,
    numbers::LAB,
    prefork::LAB,
    recognition::LAB,
    basics::LAB,
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
