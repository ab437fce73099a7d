//! Property fuzzing of every reader of user input: the journal, snapshots,
//! the migrations folder, vitaes.toml, database URLs, migration files split
//! into statements, the attribute parser and the rename flags.
//!
//! Each target starts from its seed corpus (`fuzz/corpus/<target>/`) and the
//! repository's real inputs (the drizzle-kit projects of `compat/corpus`,
//! `migrations/`, the example schemas), mutates them (bytes, lines, format
//! tokens, JSON fields spliced between files) or makes arbitrary bytes, and
//! checks that the reader never panics and that every error names its
//! input: the file, the line and column, never a password.
//!
//! A short pass with a fixed seed runs in `cargo test`; a long one is
//! `PROPTEST_CASES=100000 cargo test -p vitaes-migrate --test fuzz`
//! (`VITAES_PROPTEST_SEED=N` explores other cases). Failing cases are kept
//! in `proptest-regressions/fuzz-<target>.txt` and re-run first.

mod attributes;
mod config;
mod folder;
mod journal;
mod mutate;
mod renames;
mod snapshot;
mod statements;
mod url;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};

use mutate::Pool;

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The files directly in `dir` (relative to the repository) whose names end
/// with `suffix` and are at most `max_len` bytes, sorted by name.
pub fn files(dir: &str, suffix: &str, max_len: u64) -> Vec<Vec<u8>> {
    let dir = repo().join(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
        .filter(|p| p.metadata().is_ok_and(|m| m.len() <= max_len))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// `fuzz/corpus/<target>/`'s seeds.
pub fn seeds(target: &str) -> Vec<Vec<u8>> {
    let seeds = files(&format!("fuzz/corpus/{target}"), "", u64::MAX);
    assert!(!seeds.is_empty(), "fuzz/corpus/{target} has no seeds");
    seeds
}

/// A pool of `files` with the format's `tokens`.
pub fn pool(files: Vec<Vec<u8>>, tokens: &'static [&'static str]) -> Pool {
    Pool {
        files: Arc::new(files),
        tokens,
    }
}

/// Runs `property` on `strategy`'s inputs: 256 cases unless
/// `PROPTEST_CASES` says otherwise, a fixed seed unless
/// `VITAES_PROPTEST_SEED` does, failures kept per target.
pub fn fuzz<S: Strategy>(
    target: &'static str,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let cases: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    let seed = std::env::var("VITAES_PROPTEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026);
    let persistence = Box::leak(format!("proptest-regressions/fuzz-{target}.txt").into_boxed_str());
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(persistence))),
        max_shrink_iters: 2000,
        ..Config::default()
    };
    let started = std::time::Instant::now();
    let result = TestRunner::new(config).run(&strategy, property);
    eprintln!("fuzz {target}: {cases} cases in {:.1?}", started.elapsed());
    if let Err(e) = result {
        panic!("fuzz {target}: {e}");
    }
}
