//! Migration files split at `--> statement-breakpoint`: never a panic, every
//! piece non-empty, trimmed and without a breakpoint, numbered in order, and
//! its line the line the text starts on.

use proptest::prelude::*;
use vitaes_migrate::migrator::{Migration, BREAKPOINT, NO_TRANSACTION};

use crate::mutate::input;
use crate::{files, fuzz, pool, seeds};

const TOKENS: &[&str] = &[
    BREAKPOINT,
    BREAKPOINT,
    "--> statement-breakpoint\n",
    "-->",
    "statement-breakpoint",
    "--",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\u{feff}",
    "\u{85}",
    "\u{2028}",
    "\u{a0}",
    "\u{3000}",
    ";",
    "'",
    "$$",
    "/*",
    "*/",
    "-- vitaes:no-transaction\n",
    "SELECT 1;",
    "é",
    "\u{0}",
];

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[test]
fn statements() {
    let mut all = seeds("statements");
    all.extend(files("migrations", ".sql", u64::MAX));
    all.extend(files("compat/drizzle/fixtures/every", ".sql", u64::MAX));
    all.extend(files(
        "compat/corpus/drizzle-projects/zero",
        ".sql",
        16 * 1024,
    ));
    all.extend(files(
        "compat/corpus/drizzle-projects/onlook",
        ".sql",
        16 * 1024,
    ));
    fuzz("statements", input(pool(all, TOKENS)), |input| {
        let migration = Migration::new(0, "0000_x", 1, input.text());
        let sql = migration
            .sql
            .strip_prefix('\u{feff}')
            .unwrap_or(&migration.sql);
        let mut last = 0;
        for s in migration.statements() {
            prop_assert!(s.number > last, "{} after {}", s.number, last);
            last = s.number;
            prop_assert!(!s.text.is_empty());
            prop_assert_eq!(s.text, s.text.trim());
            prop_assert!(!s.text.contains(BREAKPOINT));
            let offset = s.text.as_ptr() as usize - sql.as_ptr() as usize;
            prop_assert!(offset + s.text.len() <= sql.len());
            prop_assert_eq!(s.line, line_of(sql, offset), "statement {}", s.number);
        }
        prop_assert!(last <= sql.matches(BREAKPOINT).count() + 1);
        prop_assert!(migration.matches_hash(&migration.hash));
        let crlf = Migration::new(0, "0000_x", 1, migration.sql.replace('\n', "\r\n"));
        if !migration.sql.contains('\r') {
            prop_assert!(crlf.matches_hash(&migration.hash));
        }
        if migration.no_transaction() {
            prop_assert!(migration.sql.contains(NO_TRANSACTION));
        }
        Ok(())
    });
}
