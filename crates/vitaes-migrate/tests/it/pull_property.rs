//! Property: for a random schema from the push property's generator
//! (`property::version`), built on PostgreSQL by a forced push, `pull` writes
//! code that the source reader reads back and that, pushed onto the same
//! database, plans nothing. A key, index, default, check or foreign key that
//! pull drops or misstates is a change in that plan.
//!
//! Fixed seed in CI; `PROPTEST_CASES=500` runs longer locally, and
//! `VITAES_PROPTEST_SEED=N` explores other cases. Cases that ever fail are
//! kept in `proptest-regressions/pull_property.txt`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};
use vitaes_migrate::introspect::Filter;
use vitaes_migrate::push::{plan, push, PushOptions};
use vitaes_migrate::source::load_schema;
use vitaes_test_support::test_database;

use crate::cmd::{run_async, text};
use crate::property::{features, schema_of, version, Version};

/// The push property's versions, an index asking for an operator class two
/// times in three rather than three in ten: a case here is one version, not
/// a pair, and one in thirty would seldom turn up in a run this short.
fn versions() -> impl Strategy<Value = Version> {
    (version(), prop::collection::vec(any::<bool>(), 4)).prop_map(|(mut v, opclass)| {
        for (t, on) in v.tables.iter_mut().zip(opclass) {
            if let Some(o) = &mut t.index {
                o.opclass |= on;
            }
        }
        v
    })
}

/// A plan's SQL, a statement a line.
fn statements(plan: &vitaes_migrate::diff::Plan) -> String {
    let sql = vitaes_migrate::sql::render(plan);
    let lines: Vec<&str> = sql.iter().map(|s| s.trim_end()).collect();
    lines.join("\n")
}

/// Every file pulled into `dir`, by name, with its text.
fn listing(dir: &Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            format!(
                "// {}\n{}\n",
                p.display(),
                std::fs::read_to_string(p).unwrap_or_default()
            )
        })
        .collect()
}

/// Each case builds, pulls and plans on a fresh database: about half a
/// second apiece.
const DEFAULT_CASES: u32 = 50;

#[test]
fn pulled_code_pushes_nothing_onto_its_database() {
    let cases: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    // CI's seed is fixed; a long local run may take another to see new cases.
    let seed = std::env::var("VITAES_PROPTEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026);
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/pull_property.txt",
        ))),
        max_shrink_iters: 100,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());
    let total = Mutex::new(0u32);
    let mut runner = TestRunner::new(config);
    let result = runner.run(&versions(), |v| {
        let schema = schema_of(&v);
        {
            let mut seen = seen.lock().unwrap();
            for f in features(&schema, &schema) {
                *seen.entry(f).or_default() += 1;
            }
        }
        runtime.block_on(async {
            let db = test_database().await;
            let client = db.connect().await;
            let built = push(
                &client,
                &schema,
                &PushOptions {
                    filter: Filter {
                        schemas: vec!["public".into(), "app".into()],
                        tables: Vec::new(),
                    },
                    force: true,
                    ..PushOptions::default()
                },
            )
            .await
            .map_err(|e| TestCaseError::fail(format!("building the schema: {e}")))?;
            let sql = statements(&built.plan);

            let cwd = tempfile::tempdir().unwrap();
            let pulled = run_async(
                cwd.path(),
                &["pull", "--url", db.url(), "--out-code", "schema"],
            )
            .await;
            if pulled.status.code() != Some(0) {
                return Err(TestCaseError::fail(format!(
                    "pull failed on\n{sql}\n{}",
                    text(&pulled)
                )));
            }
            let dir = cwd.path().join("schema");
            let code = load_schema(std::slice::from_ref(&dir)).map_err(|e| {
                TestCaseError::fail(format!(
                    "the pulled code does not read back: {e}\nschema:\n{sql}\npulled:\n{}",
                    listing(&dir)
                ))
            })?;
            // The built schema's schemas too: a schema pull left out
            // entirely would otherwise be outside the plan's filter.
            let mut filter = Filter::for_schema(&code);
            for s in Filter::for_schema(&schema).schemas {
                if !filter.schemas.contains(&s) {
                    filter.schemas.push(s);
                }
            }
            let options = PushOptions {
                filter,
                ..PushOptions::default()
            };
            let planned = plan(&client, &code, &options)
                .await
                .map_err(|e| TestCaseError::fail(format!("plan of the pulled code: {e}")))?;
            if !planned.is_empty() {
                let kinds: Vec<String> = planned
                    .changes
                    .iter()
                    .map(|c| format!("{} {}", c.kind(), c.object()))
                    .collect();
                return Err(TestCaseError::fail(format!(
                    "push of the pulled code plans {kinds:?}:\n{}\nschema:\n{sql}\npulled:\n{}",
                    statements(&planned),
                    listing(&dir)
                )));
            }
            Ok(())
        })?;
        *total.lock().unwrap() += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let total = *total.lock().unwrap();
    let seen = seen.lock().unwrap();
    eprintln!("{total} cases; features: {seen:?}");
    // What the generator makes shows up, each feature in at least one case
    // in twenty (not asked of runs shorter than the default).
    if total < DEFAULT_CASES {
        return;
    }
    for feature in [
        "Int",
        "Big",
        "Text",
        "Varchar",
        "Bool",
        "Tstz",
        "Jsonb",
        "Numeric",
        "TextArray",
        "Mood",
        "Uuid",
        "Date",
        "Time",
        "Bytea",
        "Inet",
        "schema app",
        "composite pk",
        "generated",
        "nulls not distinct",
        "opclass",
        "index with",
        "concurrently",
        "default",
        "unique",
        "not null",
        "index",
        "check",
        "foreign key",
        "identity",
    ] {
        let n = seen.get(feature).copied().unwrap_or(0);
        assert!(
            n * 100 >= total * 5,
            "feature {feature} in only {n} of {total} cases"
        );
    }
}
