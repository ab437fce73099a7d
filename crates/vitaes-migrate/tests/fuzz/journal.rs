//! `meta/_journal.json`: [`Journal::from_json`] on its own, and through
//! [`Folder::open_existing`], whose every error names the journal file.

use proptest::prelude::*;
use vitaes_schema_core::folder::Folder;
use vitaes_schema_core::journal::Journal;

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
    "-1",
    "0",
    "1e999",
    "18446744073709551615",
    "9223372036854775808",
    "4294967296",
    "\"7\"",
    "\"5\"",
    "\"pg\"",
    "\"postgresql\"",
    "\"mysql\"",
    "\"idx\":",
    "\"when\":",
    "\"tag\":",
    "\"version\":",
    "\"dialect\":",
    "\"entries\":",
    "\"breakpoints\":",
    "\\u0000",
    "\\ud800",
    "\u{feff}",
    "../",
    "/",
    "_",
];

fn journals() -> Vec<Vec<u8>> {
    let mut all = seeds("journal");
    for project in ["dokploy", "kan", "onlook", "zero"] {
        all.extend(files(
            &format!("compat/corpus/drizzle-projects/{project}/meta"),
            "_journal.json",
            u64::MAX,
        ));
    }
    all.extend(files("migrations/meta", "_journal.json", u64::MAX));
    all
}

#[test]
fn journal() {
    let dir = tempfile::tempdir().unwrap();
    let journal_path = dir.path().join("meta").join("_journal.json");
    std::fs::create_dir_all(journal_path.parent().unwrap()).unwrap();
    let strategy = (json_input(pool(journals(), TOKENS)), any::<u64>());
    fuzz("journal", strategy, |(input, now)| {
        if let Ok(journal) = Journal::from_json(&input.text()) {
            // What `generate` writes reads back the same, and a new entry
            // never goes before the last one.
            prop_assert_eq!(
                Journal::from_json(&journal.to_json()).ok(),
                Some(journal.clone())
            );
            let when = journal.next_when(now);
            prop_assert!(when >= now);
            if let Some(last) = journal.entries.last() {
                prop_assert!(when > last.when || last.when == u64::MAX);
            }
        }
        std::fs::write(&journal_path, &input.0).unwrap();
        if let Err(e) = Folder::open_existing(dir.path()) {
            prop_assert_eq!(e.path(), journal_path.as_path());
            let shown = e.to_string();
            prop_assert!(
                shown.starts_with(&journal_path.display().to_string()),
                "{}",
                shown
            );
            prop_assert!(!e.message().is_empty());
        }
        Ok(())
    });
}
