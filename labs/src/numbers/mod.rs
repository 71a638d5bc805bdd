//! The numbers lab (course handout "Week 2 - Concurrency and Parallelism", 2024): a
//! thread-per-connection server that sends 250000 random integers per connection,
//! comma-separated, and a client that downloads 100 lists and sorts each, to make faster.
//! Its checklist and handout are beside this file; the checks it shares with the frames lab
//! are [`crate::download_lab`]'s, its own are [`payload`] (a list, its exact format, and the
//! client's two folders).

pub mod payload;

use crate::checks::shared_items as shared;
use crate::download_lab::{Concurrency, DownloadLab, State, client, message_format, server};
use crate::grading::engine::{Check, Checks, Lab, ReferenceRole};

/// The course-shaped given client every student starts from.
const GIVEN_CLIENT: &str = include_str!("given_client.py");

/// What sets the numbers lab apart from the frames lab.
const SPEC: DownloadLab = DownloadLab {
    server_bin: "numbers-server",
    client_bin: "numbers-client",
    given_client: GIVEN_CLIENT,
    item: "list",
    sent_message: "Sent a file to (",
    labels: ["Files download time", "Sorting time"],
    check_payload: payload::check_numbers,
    check_format: Some(payload::check_list_format),
    check_client_dir: payload::check_numbers_dirs,
    concurrency: Concurrency::Held,
    interop_count: 3,
    stay: (5, 5),
};

static CHECKS: Checks<State> = Checks {
    init: || State::new(&SPEC),
    table: &[
        Check::new("file-names", shared::file_names),
        Check::new("stdlib-only", shared::imports),
        Check::new("no-concurrent-futures", shared::forbidden_imports),
        Check::new("pep8", shared::pep8),
        Check::new("original-work", shared::manual),
        Check::new("server-runs", server::runs),
        Check::new("list-format", server::payload_format),
        Check::new("thread-per-connection", server::thread_per_connection),
        Check::new("client-runs", client::runs),
        Check::new("download-improved", client::download_improved),
        Check::new("sorting-improved", client::sorting_improved),
        Check::new("runs", shared::runs),
        Check::new("message-format", message_format),
    ],
};

/// The numbers lab (course handout "Week 2 - Concurrency and Parallelism", 2024).
pub const LAB: Lab = Lab {
    name: "numbers",
    handout: include_str!("handout.md"),
    checklist_toml: include_str!("checklist.toml"),
    checks: &CHECKS,
    given: &[("client", GIVEN_CLIENT)],
    reference: &[
        ReferenceRole::new("server", "numbers-server", &[]),
        ReferenceRole::new(
            "client",
            "numbers-client",
            &["--optimized", "--lists", "{count}"],
        ),
    ],
    lab_tables: |checklist| checklist.ensure_lab_tables(&[]),
};
