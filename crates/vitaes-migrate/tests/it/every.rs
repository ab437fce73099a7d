//! The every-attribute schema against drizzle-kit's output for its TypeScript
//! twin: statements, snapshot, the database each builds, and derive vs CLI.

use vitaes_migrate::commands::generate::{self, GenerateArgs};
use vitaes_migrate::config::Config;
use vitaes_migrate::migrator::Migrator;
use vitaes_migrate::source::load_schema;
use vitaes_schema_core::snapshot;
use vitaes_test_support::test_database;

use crate::catalog::{apply_each, dump};
use crate::every_schema;
use crate::paths::{only_sql_file, repo_root, sql_files};

/// drizzle-kit writes this 74-byte name in full; PostgreSQL (and we) keep 63 bytes.
const LONG_FK: &str = "organization_subscription_entitlements_billing_customer_id_customers_id_fk";

fn fixture_dir() -> std::path::PathBuf {
    repo_root().join("compat/drizzle/fixtures/every")
}

fn generate_every() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let args = GenerateArgs {
        schema: vec![every_schema::source_path()].into(),
        out: Some(out.path().to_path_buf()).into(),
        name: None,
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out.path(), &mut Vec::new()).expect("generate");
    out
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Our files' statements in order, without the no-transaction marker.
fn our_statements(dir: &std::path::Path) -> Vec<String> {
    sql_files(dir)
        .iter()
        .flat_map(|text| {
            text.trim_start_matches("-- vitaes:no-transaction\n")
                .split("--> statement-breakpoint\n")
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// drizzle-kit's statements, except that we build the CONCURRENTLY index in
/// a second migration marked to run outside a transaction (drizzle-kit's one
/// file can be run by no migrator).
#[test]
fn statements_equal_drizzle_kits_with_long_names_as_postgres_stores_them() {
    let dir = generate_every();
    let files = sql_files(dir.path());
    assert_eq!(files.len(), 2, "{files:#?}");
    let second = &files[1];
    assert!(
        second.starts_with("-- vitaes:no-transaction\nCREATE INDEX CONCURRENTLY"),
        "{second}"
    );
    assert_eq!(second.matches("--> statement-breakpoint").count(), 0);

    let ours = our_statements(dir.path());
    let theirs_text = read(&only_sql_file(&fixture_dir())).replace(LONG_FK, &LONG_FK[..63]);
    let theirs: Vec<&str> = theirs_text.split("--> statement-breakpoint\n").collect();
    assert_eq!(theirs.len(), 28, "fixture has every statement kind");
    let concurrent = |s: &str| s.contains("CONCURRENTLY");
    let (ours_rest, ours_cic): (Vec<&str>, Vec<&str>) = ours
        .iter()
        .map(String::as_str)
        .partition(|s| !concurrent(s));
    let (theirs_rest, theirs_cic): (Vec<&str>, Vec<&str>) =
        theirs.iter().copied().partition(|s| !concurrent(s));
    assert_eq!(ours_cic.len(), 1);
    assert_eq!(
        ours_cic[0].trim_end(),
        theirs_cic[0]
            .trim_end()
            .replace("CONCURRENTLY", "CONCURRENTLY IF NOT EXISTS")
    );
    for (i, (a, b)) in ours_rest.iter().zip(&theirs_rest).enumerate() {
        assert_eq!(a.trim_end(), b.trim_end(), "statement {i} differs");
    }
    assert_eq!(ours_rest.len(), theirs_rest.len());
}

#[test]
fn snapshot_equals_drizzle_kits_as_our_reader_sees_it() {
    let dir = generate_every();
    // The last snapshot is the whole schema; the one before lacks only the
    // CONCURRENTLY index.
    let last = dir.path().join("meta/0001_snapshot.json");
    let ours = snapshot::from_json(&read(&last)).unwrap();
    let theirs =
        snapshot::from_json(&read(&fixture_dir().join("meta/0000_snapshot.json"))).unwrap();
    assert_eq!(ours.schema, theirs.schema);
    let first = snapshot::from_json(&read(&dir.path().join("meta/0000_snapshot.json"))).unwrap();
    let plan = vitaes_migrate::diff::diff(&first.schema, &ours.schema).unwrap();
    assert_eq!(
        plan.changes.iter().map(|c| c.kind()).collect::<Vec<_>>(),
        ["create_index"]
    );

    // As JSON too, once drizzle-kit's long name is cut the way PostgreSQL cuts it.
    let mut a: serde_json::Value = serde_json::from_str(&read(&last)).unwrap();
    let mut b: serde_json::Value = serde_json::from_str(
        &read(&fixture_dir().join("meta/0000_snapshot.json")).replace(LONG_FK, &LONG_FK[..63]),
    )
    .unwrap();
    for v in [&mut a, &mut b] {
        v.as_object_mut().unwrap().remove("id");
        v.as_object_mut().unwrap().remove("prevId");
    }
    assert_eq!(a, b);
}

#[test]
fn derive_model_equals_cli_model() {
    let from_derive = every_schema::schema().expect("resolves");
    let from_source = load_schema(&[every_schema::source_path()]).expect("loads");
    assert_eq!(from_derive.tables.len(), 7);
    assert_eq!(from_derive.enums.len(), 2);
    assert_eq!(from_derive, from_source);
}

/// Ours through our migrate (the generate → migrate path, CONCURRENTLY
/// included), drizzle-kit's statement by statement (no migrator runs its
/// file): the same database.
#[tokio::test]
async fn both_builds_give_the_same_database() {
    let dir = generate_every();
    let theirs = read(&only_sql_file(&fixture_dir()));
    let (db_a, db_b) = (test_database().await, test_database().await);
    let (mut a_client, b_client) = (db_a.connect().await, db_b.connect().await);
    assert_eq!(dump(&a_client).await.tables, 0);
    let report = Migrator::from_dir(dir.path())
        .unwrap()
        .run(&mut a_client)
        .await
        .unwrap();
    assert_eq!(report.applied.len(), 2);
    apply_each(&b_client, &theirs).await;
    let (a, b) = (dump(&a_client).await, dump(&b_client).await);
    assert_eq!(a.tables, 7);
    assert_eq!(a.primary_keys, 7);
    assert_eq!(a.uniques, 5);
    assert_eq!(a.foreign_keys, 8);
    assert_eq!(a.check_constraints, 3);
    assert_eq!(a.indexes, 22);
    assert!(
        a.lines.iter().any(|l| l.contains(&LONG_FK[..63])),
        "{:#?}",
        a.lines
    );
    assert_eq!(a, b);
}
