//! What comparing a whole class costs as it grows: 50, 100 and 200 submissions of about 100
//! lines of Python each, every pair (19 900 at 200), tokenising included, with a given file
//! left out. The bound: 200 submissions in under 10 s on 2 cores.
//!
//! The programs are generated here, so the bench needs nothing outside this file: each is
//! a given client's worth of shared code followed by functions drawn from a dozen statement
//! shapes with names of their own, and one submission in ten is a renamed copy of another.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use similarity::{Document, Settings, compare};

/// The code every generated submission starts from, left out as given code.
const GIVEN: &str = "import os\nimport socket\nimport time\n\nSERVER_URL = '127.0.0.1:12345'\nCLIENT_BUFFER = 1024\nCOUNT = 100\n\n\ndef download(index):\n    ip, port = SERVER_URL.split(':')\n    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:\n        s.connect((ip, int(port)))\n        data = b''\n        while True:\n            packet = s.recv(CLIENT_BUFFER)\n            if not packet:\n                break\n            data += packet\n    with open(f'unsorted/{index}.txt', 'wb') as f:\n        f.write(data)\n";

/// A small deterministic generator (xorshift64), so every run benches the same class.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn name(&mut self) -> String {
        const PARTS: [&str; 12] = [
            "list", "file", "chunk", "worker", "result", "part", "item", "queue", "job", "data",
            "batch", "total",
        ];
        format!(
            "{}_{}{}",
            PARTS[self.below(12) as usize],
            PARTS[self.below(12) as usize],
            self.below(100)
        )
    }
}

/// One statement line (or two) at `indent`, of a shape drawn from `rng`.
fn statement(rng: &mut Rng, indent: &str) -> String {
    let (a, b, c) = (rng.name(), rng.name(), rng.name());
    let n = rng.below(1000);
    match rng.below(12) {
        0 => format!("{indent}{a} = [int(x) for x in {b}.split(',')]\n"),
        1 => format!("{indent}{a}.sort()\n"),
        2 => format!(
            "{indent}{a} = threading.Thread(target={b}, args=({c},))\n{indent}{a}.start()\n"
        ),
        3 => format!(
            "{indent}with open(f'sorted/{{{a}}}.txt', 'w') as {b}:\n{indent}    {b}.write(','.join(map(str, {c})))\n"
        ),
        4 => format!("{indent}if len({a}) > {n}:\n{indent}    {b} = {a}[:{n}]\n"),
        5 => format!("{indent}print(f'{a}: {{{b}}}')\n"),
        6 => format!("{indent}{a} = time.time() - {b}\n"),
        7 => format!("{indent}for {a} in range({n}):\n{indent}    {b}.append({a} * {c})\n"),
        8 => format!(
            "{indent}with multiprocessing.Pool({n}) as {a}:\n{indent}    {b} = {a}.map({c}, range(COUNT))\n"
        ),
        9 => format!("{indent}{a} = {b}.get(timeout={n})\n"),
        10 => format!("{indent}{a} += {n}\n"),
        _ => format!("{indent}{a} = {{'{b}': {c}, 'n': {n}}}\n"),
    }
}

/// A submission of about 100 lines: the given code, then functions of its own.
fn submission(rng: &mut Rng) -> String {
    let mut source = format!("import threading\nimport multiprocessing\n{GIVEN}");
    while source.lines().count() < 100 {
        let (f, arg) = (rng.name(), rng.name());
        source.push_str(&format!("\n\ndef {f}({arg}):\n"));
        for _ in 0..4 + rng.below(5) {
            source.push_str(&statement(rng, "    "));
        }
        source.push_str(&format!("    return {arg}\n"));
    }
    source
}

/// `n` submissions; every tenth copies the one before it with its names renamed.
fn class(n: usize) -> Vec<String> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut out: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let source = match out.last() {
            Some(previous) if i % 10 == 9 => previous.replace("_", "_x"),
            _ => submission(&mut rng),
        };
        out.push(source);
    }
    out
}

fn bench(c: &mut Criterion) {
    let settings = Settings::default();
    let given = Document::python(GIVEN.as_bytes(), settings.max_tokens);
    let mut group = c.benchmark_group("class");
    group.sample_size(10);
    for n in [50, 100, 200] {
        let sources = class(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &sources, |b, sources| {
            b.iter(|| {
                let docs: Vec<Document> = sources
                    .iter()
                    .map(|s| Document::python(s.as_bytes(), settings.max_tokens))
                    .collect();
                let files: Vec<Option<&Document>> = docs.iter().map(Some).collect();
                let comparison = compare(&files, &[&given], &settings);
                assert_eq!(comparison.pairs.len(), n * (n - 1) / 2);
                comparison
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
