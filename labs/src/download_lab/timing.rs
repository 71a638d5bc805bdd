//! The timing items: first how the student's client is concurrent (seen in `/proc` while it
//! ran in `client-runs`, [`super::mechanism`]), then whether it is faster: the course's
//! given client and the student's run back to back in ABBA pairs against our reference
//! server, once for all of a lab's timing items, until the sequential test ([`Rule`]) has
//! decided every item or the most pairs allowed (`--timing-runs`) are in.
//!
//! Each item judges one thing. The server waits the checklist's latency per connection,
//! as the course's Python server takes that long to make a frame or a list, so a client
//! that overlaps its connections wins and a sequential one cannot: the download items do
//! not wait for free cores. A CPU-bound phase (sorting) does: before each pair the grader
//! waits for the cores, and reports "not assessed" when they stay busy.
//!
//! The free share of the CPU is measured before every pair either way, because a
//! client's own work per connection is CPU too (the given client's `bytes +=` copies a
//! list about 2600 times over), and on busy cores it can swamp the waiting that threads
//! hide. So a download item that is not faster on busy cores is "not assessed", never
//! failed: that verdict would be about the grader's machine. A gain shown on busy cores
//! stands.

use std::sync::RwLockWriteGuard;

use sandbox::process::{self as proc, Exit};

use super::{State, mechanism};
use crate::checks::timing::{self, Comparison};
use crate::grading::checklist::{Item, Kind};
use crate::grading::grader::Grader;
use crate::grading::report::{Fault, Verdict};
use crate::grading::sequential_test::{Decision, MIN_PAIRS, Rule};

/// The runs of one grading's timing pairs.
pub struct Pairs {
    /// Seconds of each label, per run of the given client, in run order.
    given: Vec<[f64; 2]>,
    /// The same for the student's client.
    yours: Vec<[f64; 2]>,
    /// CPU share free before each pair.
    free: Vec<f64>,
    /// Why CPU-bound items are not assessed: the cores stayed busy.
    busy: Option<String>,
    /// Share of the CPU other programs took during each pair discarded for it.
    disturbed: Vec<f64>,
    /// A run failed or printed no timing lines: every timing item's verdict.
    stopped: Option<Verdict>,
}

/// The lab's `[timing]` table.
fn settings(g: &Grader) -> anyhow::Result<&crate::grading::checklist::TimingSettings> {
    g.checklist
        .timing
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("the checklist has timing items but no [timing] table"))
}

/// Items per timed run: the checklist's `[timing] count`, or the grading's count when that
/// is lower.
fn count(g: &Grader) -> anyhow::Result<usize> {
    Ok(settings(g)?.count.min(g.count()))
}

/// Whether item `item`'s mechanism was seen in the student's client run, with the
/// evidence; `None` when the client did not run far enough to be observed.
fn mechanism_seen(s: &State, item: &Item) -> Option<(bool, String)> {
    let run = s.client.as_ref()?;
    let activity = run.activity.as_ref()?;
    Some(mechanism::any_seen(&item.mechanism, activity, run.pid))
}

/// The verdict on timing item `id`, running the pairs first if no timing item ran them.
pub fn improved(g: &mut Grader, s: &mut State, id: &str) -> anyhow::Result<Verdict> {
    let item = g
        .checklist
        .item(id)
        .ok_or_else(|| anyhow::anyhow!("no timing item {id}"))?
        .clone();
    let Some((seen, how)) = mechanism_seen(s, &item) else {
        return Ok(Verdict::not_assessed(
            "the client was not observed running to its end",
        ));
    };
    if !seen {
        return Ok(Verdict::fail(Fault::WrongAnswer, how));
    }
    if s.pairs.is_none() {
        let pairs = run_pairs(g, s)?;
        s.pairs = Some(pairs);
    }
    let pairs = s.pairs.as_ref().expect("just run");
    if let Some(verdict) = &pairs.stopped {
        return Ok(verdict.clone());
    }
    if item.needs_free_cpu
        && let Some(reason) = &pairs.busy
    {
        return Ok(Verdict::not_assessed(format!("{reason}\n{how}")));
    }
    let rule = settings(g)?.rule;
    let comparison = comparison(s, pairs, &item.measures)?;
    let latency = super::latency_ms(g);
    let mut evidence = format!(
        "{how}\n{} items per run from our server waiting {latency} ms per connection (the course's Python server's time per {}); {}",
        count(g)?,
        s.spec.item,
        comparison.describe(&item.measures.join(" + "), &rule)
    );
    let free: Vec<String> = pairs
        .free
        .iter()
        .map(|f| format!("{:.0}%", f * 100.0))
        .collect();
    evidence.push_str(&format!("\nCPU free before each pair: {}", free.join(", ")));
    if !pairs.disturbed.is_empty() {
        let taken: Vec<String> = pairs
            .disturbed
            .iter()
            .map(|f| format!("{:.0}%", f * 100.0))
            .collect();
        evidence.push_str(&format!(
            "\npairs timed again because other programs took the CPU meanwhile: {} ({} of it)",
            taken.len(),
            taken.join(", ")
        ));
    }
    if g.reference {
        evidence.push_str(&format!(
            "\ngiven = our own client without --optimized ({})",
            s.spec.client_bin
        ));
    }
    if let Some(run) = &s.client
        && !run.lowered.is_empty()
    {
        evidence.push_str(&format!("\n{}", run.lowered));
    }
    let busy = pairs.free.iter().any(|f| *f < timing::MIN_FREE_CPU);
    Ok(match rule.decide(&comparison.ratios(), max_pairs(g)) {
        Decision::Improved => Verdict::pass(evidence),
        Decision::NotImproved if busy => Verdict::not_assessed(format!(
            "not faster here, but the machine was busy (under {:.0}% of its CPU free before a pair), so this would judge the grader's machine; grade again on an idle machine\n{evidence}",
            timing::MIN_FREE_CPU * 100.0
        )),
        Decision::NotImproved => Verdict::fail(Fault::WrongAnswer, evidence),
        Decision::TooNoisy | Decision::Undecided if pairs.busy.is_some() => Verdict::not_assessed(
            format!("{}\n{evidence}", pairs.busy.as_deref().unwrap_or_default()),
        ),
        Decision::TooNoisy | Decision::Undecided => Verdict::not_assessed(format!(
            "too noisy: {} pairs did not settle whether yours is faster; grade again on an idle machine\n{evidence}",
            comparison.ratios().len()
        )),
    })
}

/// Most pairs discarded for other programs' load before the timing gives up: a machine
/// that busy cannot time a client fairly.
const MAX_DISTURBED: usize = 5;

/// Most pairs a grading times before "too noisy" (`--timing-runs`).
fn max_pairs(g: &Grader) -> usize {
    g.opts.timing_runs.max(MIN_PAIRS)
}

/// The runs of `pairs` as one item sees them: per run, the sum of the seconds printed
/// for each label the item `measures`.
fn comparison(s: &State, pairs: &Pairs, measures: &[String]) -> anyhow::Result<Comparison> {
    let labels: Vec<usize> = measures
        .iter()
        .filter_map(|m| s.spec.labels.iter().position(|l| l == m))
        .collect();
    anyhow::ensure!(
        labels.len() == measures.len(),
        "a timing item measures {measures:?}, not all of the client's labels {:?}",
        s.spec.labels
    );
    let series = |runs: &[[f64; 2]]| -> Vec<f64> {
        runs.iter()
            .map(|r| labels.iter().map(|&i| r[i]).sum())
            .collect()
    };
    Ok(Comparison {
        baseline: series(&pairs.given),
        student: series(&pairs.yours),
    })
}

/// Times ABBA pairs of the given client and the student's, alone on the machine (no other
/// grading of this process runs beside them), for the timing items to judge whose
/// mechanism was seen.
fn run_pairs(g: &mut Grader, s: &mut State) -> anyhow::Result<Pairs> {
    let planned: Vec<(Vec<String>, bool)> = g
        .checklist
        .items
        .iter()
        .filter(|i| i.kind == Kind::Timing && g.wants(&i.id))
        .filter(|i| mechanism_seen(s, i).is_some_and(|(seen, _)| seen))
        .map(|i| (i.measures.clone(), i.needs_free_cpu))
        .collect();
    s.machine = None;
    let alone: RwLockWriteGuard<'static, ()> = g.load_exclusive();
    let pairs = timed_pairs(g, s, &planned);
    drop(alone);
    s.machine = Some(g.load_shared());
    pairs
}

/// The pairs themselves (see [`run_pairs`]); `planned` lists what each timing item to
/// judge measures and whether it needs free cores. Pairs are added until the sequential
/// test has decided every planned item, or [`max_pairs`] are in.
fn timed_pairs(g: &Grader, s: &State, planned: &[(Vec<String>, bool)]) -> anyhow::Result<Pairs> {
    // Whether to wait for free cores before each pair (a CPU-bound item is planned and
    // the cores have not stayed busy yet).
    let mut wait_for_cores = planned.iter().any(|(_, cpu)| *cpu);
    let only_cpu = planned.iter().all(|(_, cpu)| *cpu);
    let mut pairs = Pairs {
        given: Vec::new(),
        yours: Vec::new(),
        free: Vec::new(),
        busy: None,
        disturbed: Vec::new(),
        stopped: None,
    };
    let rule: Rule = settings(g)?.rule;
    let most = max_pairs(g);
    let mut run = 0;
    while !planned.is_empty() {
        let mut open = false;
        for (measures, _) in planned {
            let ratios = comparison(s, &pairs, measures)?.ratios();
            open |= rule.decide(&ratios, most) == Decision::Undecided;
        }
        if !open {
            break;
        }
        if !wait_for_cores {
            pairs
                .free
                .push(timing::cpu_free(std::time::Duration::from_millis(200)));
        } else {
            let (share, enough) = timing::wait_for_free_cpu(g.opts.timing_wait);
            pairs.free.push(share);
            if !enough {
                pairs.busy = Some(format!(
                    "the machine is busy: only {:.0}% of its CPU was free after waiting {} s (a fair timing of a CPU-bound phase needs {:.0}%); grade again on an idle machine",
                    share * 100.0,
                    g.opts.timing_wait.as_secs(),
                    timing::MIN_FREE_CPU * 100.0
                ));
                if only_cpu {
                    break;
                }
                wait_for_cores = false;
            }
        }
        // ABBA order: given first in even pairs, yours first in odd ones, so neither side
        // always runs on the warmer (or busier) half of a pair.
        let order = if run % 2 == 0 {
            ["given", "yours"]
        } else {
            ["yours", "given"]
        };
        let monitor = timing::LoadMonitor::start();
        let mut pair = [[0.0; 2]; 2];
        for who in order {
            match one_run(g, s, who, run)? {
                Ok(seconds) => pair[usize::from(who == "yours")] = seconds,
                Err(verdict) => {
                    pairs.stopped = Some(verdict);
                    return Ok(pairs);
                }
            }
        }
        run += 1;
        let other = monitor.finish();
        if other > timing::MAX_OTHER_LOAD {
            pairs.disturbed.push(other);
            pairs.free.pop();
            if pairs.disturbed.len() >= MAX_DISTURBED {
                pairs.busy = Some(format!(
                    "the machine is busy: other programs took over {:.0}% of its CPU during {} pairs; grade again on an idle machine",
                    timing::MAX_OTHER_LOAD * 100.0,
                    pairs.disturbed.len()
                ));
                break;
            }
            continue;
        }
        pairs.given.push(pair[0]);
        pairs.yours.push(pair[1]);
    }
    Ok(pairs)
}

/// One timed run of the given client or the student's: the seconds it printed for each
/// label, or the verdict that ends the timing (a failed run, missing lines).
fn one_run(
    g: &Grader,
    s: &State,
    who: &str,
    run: usize,
) -> anyhow::Result<Result<[f64; 2], Verdict>> {
    let count = count(g)?;
    let name = format!("timing-{who}-{run}");
    let mut proc = if who == "given" && g.reference {
        // Our optimised client is compared with our sequential one: the same language and
        // build on both sides, which is what the item asks.
        let dir = g.workdir.fresh_dir(&name)?;
        g.spawn_reference_client(s.spec.client_bin, count, &dir, &name)?
    } else if who == "given" {
        g.spawn_given("client", s.spec.given_client, &name, count)?
            .0
    } else if g.reference {
        let dir = g.workdir.fresh_dir(&name)?;
        let flag = g
            .checklist
            .submission
            .count_flag
            .clone()
            .unwrap_or_default();
        let args = ["--optimized".to_owned(), flag, count.to_string()];
        g.spawn_reference(s.spec.client_bin, &args, &dir, &name)?
    } else {
        let dir = g.run_dir(&name)?;
        if let Some(file) = g.python_file("client") {
            g.lower_count(&dir, &file, count);
        }
        g.spawn("client", &[], &dir, &name)?
    };
    let exit = proc.wait(g.step_timeout());
    if exit != Exit::Code(0) {
        return Ok(Err(Verdict::fail(
            Fault::from(exit),
            format!(
                "{who} client, timing run {}: {}\n{}",
                run + 1,
                proc::describe_exit(exit),
                proc.tail(6)
            ),
        )));
    }
    let output = proc.output();
    let seconds = s.spec.labels.map(|l| timing::printed_seconds(&output, l));
    match seconds {
        [Some(a), Some(b)] => Ok(Ok([a, b])),
        _ => Ok(Err(Verdict::not_assessed(format!(
            "the {who} client does not print both '{}' and '{}' lines",
            s.spec.labels[0], s.spec.labels[1]
        )))),
    }
}
