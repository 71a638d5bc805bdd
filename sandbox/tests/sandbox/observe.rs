//! What `/proc` shows of a running program: its threads, its children, its user.

use std::time::Duration;

use sandbox::observe;

use crate::{PATIENCE, sh};

#[test]
fn the_children_and_threads_of_a_program_are_seen() {
    let dir = tempfile::tempdir().unwrap();
    let mut proc = sh(None, "sleep 60 & sleep 60 & wait", dir.path(), dir.path());
    let pid = proc.pid();
    let children = observe::poll_until(PATIENCE, || {
        let found = observe::descendants(pid);
        (found.len() == 2).then_some(found)
    })
    .expect("two sleeps");
    for child in &children {
        assert_eq!(observe::threads(*child).len(), 1);
        assert_eq!(
            observe::uid(*child),
            Some(0),
            "unconfined: the grader's own user"
        );
    }
    proc.kill();
    assert!(
        observe::poll_until(Duration::from_secs(5), || observe::descendants(pid)
            .is_empty()
            .then_some(()))
        .is_some()
    );
}

#[test]
fn a_sampler_sees_threads_come_and_go() {
    let dir = tempfile::tempdir().unwrap();
    let script = "exec python3 -c 'import threading, time\n\
                  time.sleep(0.5)\n\
                  ts = [threading.Thread(target=time.sleep, args=(0.5,)) for _ in range(4)]\n\
                  [t.start() for t in ts]\n\
                  [t.join() for t in ts]\n\
                  time.sleep(60)'";
    let proc = sh(None, script, dir.path(), dir.path());
    let sampler = observe::ThreadSampler::start(proc.pid());
    std::thread::sleep(Duration::from_millis(2000));
    let trace = sampler.finish();
    assert!(trace.peak_new >= 4, "{}", trace.describe());
    assert!(trace.transient >= 4, "{}", trace.describe());
}
