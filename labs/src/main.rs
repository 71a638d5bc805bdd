//! `labs`: the course's handouts and checklists, and a grader for students' submissions.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use labs::catalog::{self, LABS};
use labs::class::export::gradescope::Visibility;
use labs::class::grades::MoodleWorksheet;
use labs::grading::{instructor, options};
use labs::{GradeOptions, Target};

/// Handouts, checklists and a grader for the client/server concurrency labs.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Lists the labs.
    List,
    /// Prints a lab's handout (Markdown), or its checklist.
    Show {
        /// frames, numbers, prefork, recognition or basics.
        lab: String,
        /// Print the checklist (TOML) instead of the handout.
        #[arg(long)]
        checklist: bool,
    },
    /// Grades a submission folder or zip (or, with --batch, a class of them) against a
    /// lab's checklist.
    Grade(Box<GradeArgs>),
    /// Ranks every pair of a class's submissions by how alike their code is, the lab's
    /// given code left out: the evidence for the `original-work` item, for a person to judge.
    Similarity(SimilarityArgs),
    /// Packages the grader for a platform that grades each submission in a container of its
    /// own: Gradescope's autograder.zip, or PrairieLearn's external-grader files.
    Export {
        #[command(subcommand)]
        platform: Platform,
    },
}

#[derive(Subcommand)]
enum Platform {
    /// Writes DIR/autograder.zip: setup.sh, run_autograder and the binaries, for
    /// Gradescope's Ubuntu 22.04 image.
    Gradescope {
        #[command(flatten)]
        export: ExportArgs,
        /// When students see each test.
        #[arg(long, value_enum, default_value_t = Visibility::Visible)]
        visibility: Visibility,
    },
    /// Writes a question (DIR/questions/labs-LAB), its grader files
    /// (DIR/serverFilesCourse/labs) and its grading image's Dockerfile (DIR/image), laid out
    /// as a PrairieLearn course's folders.
    Prairielearn {
        #[command(flatten)]
        export: ExportArgs,
        /// The grading image (build it from DIR/image/Dockerfile and push it under this name).
        #[arg(long)]
        image: String,
        /// Seconds PrairieLearn lets one grading run.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
}

/// What every export takes: the lab, where to write, the binaries, and the grading settings.
#[derive(clap::Args)]
struct ExportArgs {
    /// The lab.
    lab: String,
    /// The folder to write into.
    #[arg(long, value_name = "DIR")]
    output: PathBuf,
    /// Folder of `labs` and the lab's reference binaries, built for glibc 2.35 or older
    /// (cargo zigbuild --target x86_64-unknown-linux-gnu.2.35) [default: beside this executable].
    #[arg(long, value_name = "DIR")]
    bin_dir: Option<PathBuf>,
    #[command(flatten)]
    settings: labs::class::export::Settings,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
    Gradescope,
    Prairielearn,
}

#[derive(Clone, Copy, ValueEnum)]
enum SimilarityFormat {
    Text,
    Json,
    Html,
}

#[derive(clap::Args)]
struct SimilarityArgs {
    /// The lab (its given client is left out: `labs show LAB` says what students start from).
    lab: String,
    /// The class: a folder or a .zip laid out as for `labs grade --batch` (one submission
    /// per subfolder or student zip, Moodle's downloads too); role files found by name.
    dir: PathBuf,
    /// Code the students were given, never counted as evidence (repeatable): the exact
    /// copy your class received, a skeleton, an example from the lectures.
    #[arg(long, value_name = "FILE")]
    given: Vec<PathBuf>,
    /// text: the pairs at or above the threshold, a line each; json: every pair, highest
    /// first; html: one self-contained page (graph, table, files side by side).
    #[arg(long, value_enum, default_value_t = SimilarityFormat::Text)]
    format: SimilarityFormat,
    /// Write here instead of stdout.
    #[arg(long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// The similarity, in [0, 1], from which a pair is listed (text), drawn and shown side
    /// by side (html).
    #[arg(long, default_value_t = labs::class::similarity::DEFAULT_THRESHOLD)]
    threshold: f64,
    /// An edited copy of the lab's checklist: its [sandbox] archive limits apply to the
    /// class's zips, its [submission] to which file plays which role.
    #[arg(long, value_name = "FILE")]
    checklist: Option<PathBuf>,
    /// Rare tokens below which a matching fragment does not count: each of the student's own
    /// tokens counts 2/n when n files of the class share the code around it (what any two
    /// students write alike does not count; JPlag's minimum match length, weighed by rarity).
    #[arg(long, value_name = "TOKENS", default_value_t = labs::class::similarity::Settings::default().min_match)]
    min_match: f64,
    /// Code found in more than this share of the class is common idiom, never evidence
    /// (MOSS's -m, as a share), in [0, 1].
    #[arg(long, value_name = "SHARE", default_value_t = labs::class::similarity::Settings::default().max_share)]
    max_share: f64,
    /// Rare tokens from which a matching fragment counts fully (between the two, in part).
    #[arg(long, value_name = "TOKENS", default_value_t = labs::class::similarity::Settings::default().full_match)]
    full_match: f64,
    /// Shared tokens at which a pair scores 0.5 (twice as many: 0.75).
    #[arg(long, value_name = "TOKENS", default_value_t = labs::class::similarity::Settings::default().half_shared)]
    half_shared: f64,
}

#[derive(clap::Args)]
struct GradeArgs {
    /// The lab.
    lab: String,
    /// The submission folder (its Python files are found by name), or a student's `.zip`
    /// (extracted with the checklist's [sandbox] archive limits; a refused one is not
    /// graded: exit status 2, with why).
    #[arg(required_unless_present_any = ["batch", "reference"])]
    submission: Option<PathBuf>,
    /// Grade a class, in parallel: PATH is a folder or a .zip holding submission folders,
    /// <student_id>.zip archives, or Moodle's "Download all submissions" (either layout).
    /// Writes results.csv, summary.md and one JSON report per submission, each named by
    /// its student's identity, into --output (default: ./labs-results).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["submission", "reference"])]
    batch: Option<PathBuf>,
    /// With --batch: Moodle's grading worksheet (the assignment's "Download grading
    /// worksheet"), written back filled in as moodle-worksheet.csv in the results folder:
    /// each graded student's grade and deductions, matched by participant id, for
    /// "Upload grading worksheet".
    #[arg(long, value_name = "FILE")]
    moodle_worksheet: Option<PathBuf>,
    /// With --batch: continue the batch whose results are in --output (one stopped by
    /// Ctrl-C, say), grading only the submissions that have no result there or whose files
    /// or checklist changed since; results.csv and summary.md then cover them all.
    #[arg(long, requires = "batch")]
    resume: bool,
    /// Grade by this checklist instead of the lab's own: an edited copy of `labs show LAB
    /// --checklist` (points, titles, tolerances, timing, style, sandbox limits). Checked
    /// before any grading; a refused one stops with its line and column (exit status 2).
    #[arg(long, value_name = "FILE")]
    checklist: Option<PathBuf>,
    /// Grade this workspace's own reference binaries instead of a submission.
    #[arg(long)]
    reference: bool,
    /// Only these items (comma-separated ids); items they depend on still run.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With --format gradescope: when students see each test.
    #[arg(long, value_enum, default_value_t = Visibility::Visible)]
    visibility: Visibility,
    /// Write the report here instead of stdout (with --batch: the results folder).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Run the server role with this command instead of a Python file (e.g. a Rust build).
    #[arg(long)]
    server_cmd: Option<String>,
    /// Run the client role with this command instead of a Python file.
    #[arg(long)]
    client_cmd: Option<String>,
    /// Run any role with a command instead of its Python file: ROLE=COMMAND, repeatable
    /// (e.g. `--cmd udp_server=./udp-hello-server`, `--cmd worker=./my-worker`); the roles
    /// are the checklist's (`labs show LAB --checklist`, `[submission] roles`).
    #[arg(long = "cmd", value_name = "ROLE=COMMAND")]
    cmds: Vec<String>,
    /// Client count (frames, lists) instead of the handout's 5000 / 100: faster grading.
    #[arg(long, alias = "frames", alias = "lists")]
    count: Option<usize>,
    /// Most back-to-back pairs of runs (the given client's and the student's) for the
    /// timing items: a sequential test stops as soon as it is sure (usually 2-5 pairs); a
    /// client still undecided after this many is "not assessed: too noisy".
    #[arg(long, default_value_t = labs::grading::options::DEFAULT_TIMING_RUNS)]
    timing_runs: usize,
    /// Seconds to wait, before each timing pair, for the cores to be free (70%); past it the
    /// timing items are "not assessed".
    #[arg(long, default_value_t = labs::grading::options::DEFAULT_TIMING_WAIT_SECS)]
    timing_wait: u64,
    /// Seconds any one step (a client run, a server start) may take [default: the
    /// checklist's [sandbox] wall_seconds, 120].
    #[arg(long)]
    step_timeout: Option<u64>,
    /// Folder of the reference binaries [default: beside this executable].
    #[arg(long)]
    reference_bin_dir: Option<PathBuf>,
    /// Grade on the host network even when a network namespace could be created.
    #[arg(long)]
    no_isolation: bool,
    /// Run the submission's programs as the grader's own user, without limits or a
    /// file-system view: only for code you trust. By default each program runs as a user
    /// of its own (when the grader is root), with the checklist's [sandbox] limits (memory,
    /// processes, CPU and wall time, open files, file size), seeing only its working copy.
    #[arg(long)]
    no_sandbox: bool,
    /// Parallel gradings with --batch [default: the core count].
    #[arg(long)]
    jobs: Option<usize>,
    /// The Python that runs submissions and the grader's helpers. Checked before grading:
    /// it must be 3.10 or newer and have the lab's packages (Pillow for frames,
    /// pycodestyle for the style item); if not, nothing is graded and labs exits with
    /// status 2, naming what is missing.
    #[arg(long, env = "PYTHON", default_value = "python3")]
    python: String,
    /// The given client the students received, instead of the grader's course-style copy:
    /// the baseline of the timing items and a second client against the student's server.
    /// FILE, or ROLE=FILE for another role.
    #[arg(long = "given-client", value_name = "[ROLE=]FILE")]
    given: Vec<String>,
}

/// Any error is the grader's own (a missing package, an unreadable folder): status 2, and
/// no score is written. A submission's mistakes are item results in a report.
fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("labs: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::List => {
            for lab in LABS {
                let checklist = lab.checklist();
                println!(
                    "{:<12} {} ({} items, {} points)",
                    lab.name,
                    checklist.title,
                    checklist.items.len(),
                    checklist.max_score
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Show { lab, checklist } => {
            let lab = catalog::lab(&lab)?;
            print!(
                "{}",
                if checklist {
                    lab.checklist_toml
                } else {
                    lab.handout
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Grade(args) => grade(*args),
        Cmd::Similarity(args) => similarity(args),
        Cmd::Export { platform } => export(platform),
    }
}

fn similarity(args: SimilarityArgs) -> anyhow::Result<ExitCode> {
    use labs::class::similarity;
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.threshold),
        "--threshold is a similarity, in [0, 1]"
    );
    let lab = catalog::lab(&args.lab)?;
    let checklist = match &args.checklist {
        Some(path) => instructor::read(&lab, path)?,
        None => lab.checklist(),
    };
    let given = similarity::given_code(&lab, &args.given)?;
    let settings = similarity::Settings {
        min_match: args.min_match,
        full_match: args.full_match,
        half_shared: args.half_shared,
        max_share: args.max_share,
        ..Default::default()
    };
    settings
        .check()
        .map_err(|e| anyhow::anyhow!("invalid setting: {e}"))?;
    let class = similarity::compare_dir(&lab, &checklist, &args.dir, &given, &settings)?;
    let text = match args.format {
        SimilarityFormat::Text => class.report.text(args.threshold),
        SimilarityFormat::Json => class.report.to_json(),
        SimilarityFormat::Html => similarity::html::page(&class, args.threshold),
    };
    match args.output {
        Some(path) => common::fs::write_atomically(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn export(platform: Platform) -> anyhow::Result<ExitCode> {
    let (Platform::Gradescope { export: args, .. } | Platform::Prairielearn { export: args, .. }) =
        &platform;
    let lab = catalog::lab(&args.lab)?;
    let settings = &args.settings;
    let bin_dir = args.bin_dir.as_deref();
    let written = match &platform {
        Platform::Gradescope { visibility, .. } => labs::class::export::gradescope::export(
            &lab,
            bin_dir,
            settings,
            *visibility,
            &args.output,
        )?,
        Platform::Prairielearn { image, timeout, .. } => labs::class::export::prairielearn::export(
            &lab,
            bin_dir,
            settings,
            image,
            *timeout,
            &args.output,
        )?,
    };
    println!("{}", written.display());
    Ok(ExitCode::SUCCESS)
}

fn grade(args: GradeArgs) -> anyhow::Result<ExitCode> {
    let lab = catalog::lab(&args.lab)?;
    // Checked here, not by clap: `requires = "batch"` let `labs grade LAB DIR
    // --moodle-worksheet FILE` through.
    anyhow::ensure!(
        args.moodle_worksheet.is_none() || args.batch.is_some(),
        "--moodle-worksheet fills in the grades of a --batch"
    );
    // Both files are read and checked before anything is graded: a mistake in either would
    // otherwise surface only after the whole class was graded.
    let instructors = args
        .checklist
        .as_deref()
        .map(|path| instructor::read(&lab, path))
        .transpose()?;
    let worksheet = args
        .moodle_worksheet
        .as_deref()
        .map(MoodleWorksheet::read)
        .transpose()?;
    let checklist = instructors.clone().unwrap_or_else(|| lab.checklist());
    let commands = options::role_commands(&checklist, args.server_cmd, args.client_cmd, args.cmds)?;
    let given = options::given_programs(&checklist, args.given)?;
    // Checked once here, not once per submission of a batch.
    checklist.ensure_items(&args.only)?;
    let opts = GradeOptions {
        only: args.only,
        count: args.count,
        timing_runs: args.timing_runs,
        timing_wait: Duration::from_secs(args.timing_wait),
        step_timeout: args.step_timeout.map(Duration::from_secs),
        sandbox: !args.no_sandbox,
        no_isolation: args.no_isolation,
        reference_bin_dir: args.reference_bin_dir,
        commands,
        given,
        python: args.python,
        checklist: instructors,
        groups: None,
    };
    let limits = checklist.sandbox.archive;
    if let Some(batch) = args.batch {
        let out = args.output.unwrap_or_else(|| PathBuf::from("labs-results"));
        let jobs = args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        // Ctrl-C stops the batch between submissions (a second one quits at once).
        let stop = common::shutdown::Shutdown::on_signals()?;
        let run = labs::class::batch::Run {
            jobs,
            out: &out,
            worksheet: worksheet.as_ref(),
            resume: args.resume,
            stop: Some(&stop),
        };
        let display = labs::class::progress::Display::new();
        let finished =
            labs::class::batch::grade_into(&lab, &batch, &opts, &run, &|event| display.show(event));
        display.finish();
        let finished = finished?;
        print!("{}", finished.summary);
        eprintln!("results in {}", out.display());
        if finished.stopped() {
            let command = labs::class::batch::resume_command(std::env::args());
            eprintln!("{}", finished.stopped_line(&command));
            return Ok(ExitCode::from(common::report::EXIT_INTERRUPTED));
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Kept until the grading is over: a zip's files are graded from its temporary folder.
    let mut unpacked = None;
    let target = if args.reference {
        Target::Reference
    } else {
        let path = args.submission.context("a submission folder is required")?;
        if path.is_file() {
            let archive = labs::class::intake::unpack(&path, limits)
                .with_context(|| format!("{}: not graded", path.display()))?;
            for note in &archive.notes {
                eprintln!("{}: {note}", path.display());
            }
            Target::Submission(unpacked.insert((path, archive)).1.folder.clone())
        } else {
            Target::Submission(path)
        }
    };
    let mut report = labs::grade(&lab, &target, &opts)?;
    if let Some((path, _)) = &unpacked {
        report.submission = path.display().to_string();
    }
    let text = match args.format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json(),
        Format::Markdown => report.to_markdown(),
        Format::Gradescope => labs::class::export::gradescope::results(&report, args.visibility),
        Format::Prairielearn => labs::class::export::prairielearn::results(&report),
    };
    match args.output {
        Some(path) => std::fs::write(&path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
