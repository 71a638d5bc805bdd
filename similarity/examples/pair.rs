//! Compares two Python files, the given code left out, and prints their fragments:
//! `cargo run -p similarity --example pair -- LEFT RIGHT [GIVEN...]`.

use similarity::{Document, Settings, compare};

fn main() -> std::io::Result<()> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.len() < 2 {
        eprintln!("usage: pair LEFT RIGHT [GIVEN...]");
        std::process::exit(2);
    }
    let settings = Settings::default();
    let read = |p: &String| std::fs::read(p).map(|b| Document::python(&b, settings.max_tokens));
    let docs = paths
        .iter()
        .map(read)
        .collect::<std::io::Result<Vec<_>>>()?;
    let given: Vec<&Document> = docs[2..].iter().collect();
    let comparison = compare(&[Some(&docs[0]), Some(&docs[1])], &given, &settings);
    let pair = &comparison.pairs[0];
    println!(
        "similarity {:.3} ({:.1} shared tokens; coverage {:.3} / {:.3}); own tokens {} / {}",
        pair.similarity,
        pair.shared_tokens,
        pair.left_coverage,
        pair.right_coverage,
        comparison.files[0].own,
        comparison.files[1].own
    );
    for f in &pair.fragments {
        println!(
            "  lines {}-{} / {}-{}: {} own tokens, evidence {:.1}, weight {:.2}",
            f.left.lines.0,
            f.left.lines.1,
            f.right.lines.0,
            f.right.lines.1,
            f.own_tokens,
            f.evidence,
            f.weight
        );
    }
    Ok(())
}
