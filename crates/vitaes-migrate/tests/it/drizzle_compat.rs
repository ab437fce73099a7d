//! Our migration folder, handed to drizzle's own tools.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};
use vitaes_test_support::test_database;

use crate::drizzle::{drizzle_kit_generate, drizzle_orm_migrate};
use crate::paths::*;

/// Every file under `dir` with its contents.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn drizzle_kit_sees_no_changes_on_our_folder() {
    let ours = generate_vitaes();
    let before = tree(ours.path());
    assert_eq!(before.len(), 3, "{:?}", before.keys());

    let output = drizzle_kit_generate(&vitaes_ts_schema_dir(), ours.path(), None);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // drizzle-kit exits 0 even on failure: its words and the files are the evidence.
    assert!(
        stdout.contains("No schema changes, nothing to migrate"),
        "drizzle-kit said:\n{stdout}\n{stderr}"
    );
    assert_eq!(
        tree(ours.path()),
        before,
        "drizzle-kit wrote into our folder"
    );
}

#[test]
fn drizzle_kit_would_write_a_migration_when_the_schema_differs() {
    // The check above must be able to fail: against an empty folder drizzle-kit
    // writes its own first migration.
    let empty = tempfile::tempdir().unwrap();
    let output = drizzle_kit_generate(&vitaes_ts_schema_dir(), empty.path(), Some("init"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("No schema changes"), "{stdout}");
    assert!(empty.path().join("0000_init.sql").is_file(), "{stdout}");
}

#[tokio::test]
async fn drizzle_orm_migrator_applies_our_folder() {
    let ours = generate_vitaes();
    let db = test_database().await;
    let output = drizzle_orm_migrate(ours.path(), db.url());
    assert!(
        output.status.success(),
        "migrator failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    let client = db.connect().await;
    let rows = client
        .query(
            "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let sql = std::fs::read(only_sql_file(ours.path())).unwrap();
    let expected_hash = format!("{:x}", Sha256::digest(&sql));
    assert_eq!(rows[0].get::<_, String>("hash"), expected_hash);

    let journal: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(ours.path().join("meta/_journal.json")).unwrap(),
    )
    .unwrap();
    let when = journal["entries"][0]["when"].as_u64().unwrap() as i64;
    assert_eq!(rows[0].get::<_, i64>("created_at"), when);

    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(tables, 5);
}
