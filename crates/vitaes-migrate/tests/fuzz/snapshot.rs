//! `meta/NNNN_snapshot.json`: [`snapshot::from_json`] never panics, and what
//! it reads writes out as a snapshot that reads back and writes the same.

use proptest::prelude::*;
use vitaes_schema_core::snapshot;

use crate::mutate::json_input;
use crate::{files, fuzz, pool, seeds};

pub const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "false",
    "-1",
    "1e999",
    "0.1",
    "9223372036854775808",
    "\"7\"",
    "\"6\"",
    "\"postgresql\"",
    "\"pg\"",
    "\"tables\":",
    "\"enums\":",
    "\"schemas\":",
    "\"columns\":",
    "\"name\":",
    "\"type\":",
    "\"typeSchema\":",
    "\"primaryKey\":",
    "\"notNull\":",
    "\"default\":",
    "\"isUnique\":",
    "\"uniqueName\":",
    "\"identity\":",
    "\"generated\":",
    "\"indexes\":",
    "\"isExpression\":",
    "\"opclass\":",
    "\"foreignKeys\":",
    "\"onDelete\":",
    "\"cascade\"",
    "\"set default\"",
    "\"schemaTo\":",
    "\"compositePrimaryKeys\":",
    "\"uniqueConstraints\":",
    "\"checkConstraints\":",
    "\"values\":",
    "\"with\":",
    "\"where\":",
    "\"nulls\":",
    "\"first\"",
    "\"byDefault\"",
    "[]",
    "\\u0000",
    "\\ud83d\\ude00",
    "\"x\"",
];

/// Snapshots of the seed corpus, the drizzle-kit fixtures and projects (the
/// smaller ones: debug builds parse each case), and `migrations/`.
pub fn snapshots() -> Vec<Vec<u8>> {
    let mut all = seeds("snapshot");
    for dir in [
        "compat/drizzle/fixtures/every/meta",
        "compat/drizzle/fixtures/longnames/meta",
        "compat/drizzle/fixtures/vitaes/meta",
        "compat/corpus/drizzle-projects/zero/meta",
        "compat/corpus/drizzle-projects/onlook/meta",
        "migrations/meta",
    ] {
        all.extend(files(dir, "_snapshot.json", 24 * 1024));
    }
    all
}

#[test]
fn snapshot() {
    let strategy = json_input(pool(snapshots(), TOKENS));
    fuzz("snapshot", strategy, |input| {
        match snapshot::from_json(&input.text()) {
            Ok(read) => {
                // Written once, a snapshot reads back and writes the same
                // text. (Not `again == read`: two columns of one name under
                // different keys read as two and are written as one.)
                let written = snapshot::to_json(&read);
                match snapshot::from_json(&written) {
                    Ok(again) => prop_assert_eq!(snapshot::to_json(&again), written),
                    Err(e) => prop_assert!(false, "own output unreadable: {}\n{}", e, written),
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        Ok(())
    });
}
