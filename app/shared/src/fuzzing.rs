//! The property tests that fuzz Portico's parsers: each runs a parser on 100,000 generated inputs,
//! fails on any panic or broken promise, and prints how many inputs it accepted and refused.
//! Built for the crate's own tests, and for other crates' tests with the `fuzzing` feature.

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Inputs per parser.
pub const CASES: u32 = 100_000;

/// Runs `check` on [`CASES`] values of `strategy`: it returns whether the parser accepted the
/// value, or an error for a promise broken. A panic inside it fails the test as well.
pub fn run<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<bool, TestCaseError>) {
    let config = Config { cases: CASES, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let accepted = std::cell::Cell::new(0_u32);
    let started = std::time::Instant::now();
    let outcome = runner.run(&strategy, |value| {
        if check(value)? {
            accepted.set(accepted.get() + 1);
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{name}: {failure}");
    }
    let accepted = accepted.get();
    println!(
        "fuzzed {name}: {CASES} cases, {accepted} accepted, {} refused, no panic ({:.1} s)",
        CASES - accepted,
        started.elapsed().as_secs_f64()
    );
}

/// Characters that often break parsers: blanks, a NUL, a right-to-left override, letters outside
/// ASCII, an emoji, escapes and quotes.
const ODD_CHARACTERS: &[&str] = &[" ", "\t", "\n", "\r\n", "\u{0}", "\u{202e}", "é", "ß", "💥", "%", "\\", "\"", "'"];

/// Text as people and robots send it: anything printable, or pieces of what the parser expects
/// mixed with characters that often break parsers.
pub fn text(pieces: &'static [&'static str], max_pieces: usize) -> impl Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        3 => proptest::sample::select(pieces).prop_map(str::to_owned),
        2 => "\\PC{0,6}",
        1 => proptest::sample::select(ODD_CHARACTERS).prop_map(str::to_owned),
    ];
    prop_oneof![
        1 => "\\PC{0,80}",
        3 => proptest::collection::vec(piece, 0..max_pieces).prop_map(|parts| parts.concat()),
    ]
}
