//! The frames lab (course handout "Week 2 - Concurrency and Parallelism", 2023): a
//! thread-per-connection server that sends a random 10x10 PNG per connection, and a client
//! that downloads 5000 frames and makes a GIF of them, to make faster. Its checklist and
//! handout are beside this file; the checks it shares with the numbers lab are
//! [`crate::download_lab`]'s, its own are [`payload`] (a frame and the `frames/` folder)
//! and [`gif`] (`gif-valid`).

pub mod gif;
pub mod payload;

use crate::checks::shared_items as shared;
use crate::download_lab::{Concurrency, DownloadLab, State, client, message_format, server};
use crate::grading::engine::{Check, Checks, Lab, ReferenceRole};

/// The course-shaped given client every student starts from.
const GIVEN_CLIENT: &str = include_str!("given_client.py");

/// What sets the frames lab apart from the numbers lab.
const SPEC: DownloadLab = DownloadLab {
    server_bin: "frame-server",
    client_bin: "frame-client",
    given_client: GIVEN_CLIENT,
    item: "frame",
    sent_message: "Sent an image to (",
    labels: ["Frames download time", "GIF creation time"],
    check_payload: payload::check_frame,
    check_format: None,
    check_client_dir: payload::check_frames_dir,
    concurrency: Concurrency::Burst,
    interop_count: 20,
    stay: (200, 32),
};

static CHECKS: Checks<State> = Checks {
    init: || State::new(&SPEC),
    table: &[
        Check::new("file-names", shared::file_names),
        Check::new("pillow-only", shared::imports),
        Check::new("pep8", shared::pep8),
        Check::new("original-work", shared::manual),
        Check::new("server-runs", server::runs),
        Check::new("thread-per-connection", server::thread_per_connection),
        Check::new("stays-listening", server::stays_listening),
        Check::new("reuse-address", server::reuse_address),
        Check::new("client-runs", client::runs),
        Check::new("gif-valid", gif::gif_valid),
        Check::new("runtime-improved", client::runtime_improved),
        Check::new("runs", shared::runs),
        Check::new("message-format", message_format),
    ],
};

/// The frames lab (course handout "Week 2 - Concurrency and Parallelism", 2023).
pub const LAB: Lab = Lab {
    name: "frames",
    handout: include_str!("handout.md"),
    checklist_toml: include_str!("checklist.toml"),
    checks: &CHECKS,
    given: &[("client", GIVEN_CLIENT)],
    reference: &[
        ReferenceRole::new("server", "frame-server", &[]),
        ReferenceRole::new(
            "client",
            "frame-client",
            &["--optimized", "--frames", "{count}"],
        ),
    ],
    lab_tables: gif::check_table,
};
