//! Switching tools in both directions on one migrations folder, with the
//! pinned drizzle-kit and drizzle-orm: drizzle-kit writes 0000 from
//! TypeScript and we write the next from Rust (drizzle-orm's migrator applies
//! both); we write 0000 and drizzle-kit writes the next on top of our
//! snapshot (our migrate applies both). Either way every migration is
//! applied and the database equals the final code (no drift).

use std::path::{Path, PathBuf};

use vitaes_migrate::commands::generate::{self, GenerateArgs, Generated};
use vitaes_migrate::config::Config;
use vitaes_migrate::introspect::Filter;
use vitaes_migrate::migrator::{Migrator, State};
use vitaes_migrate::push::{self, PushOptions};
use vitaes_migrate::source::load_schema;
use vitaes_test_support::test_database;

use crate::drizzle::{drizzle_kit_generate, drizzle_orm_migrate};
use crate::every_schema;
use crate::paths::repo_root;

/// Change cases whose two sides exist in TypeScript and Rust, one per kind of
/// object (columns, enums, keys, indexes, schemas, types).
const CASES: &[&str] = &[
    "add_column_default_not_null",
    "enum_add_value_middle",
    "add_fk",
    "change_composite_pk",
    "change_index",
    "create_table_in_new_schema",
    "alter_type_text_to_enum",
];

fn case_dir(case: &str, side: &str) -> PathBuf {
    repo_root()
        .join("compat/drizzle/changes")
        .join(case)
        .join(side)
}

fn our_generate(schema: &Path, out: &Path) -> Generated {
    let args = GenerateArgs {
        schema: vec![schema.to_path_buf()].into(),
        out: Some(out.to_path_buf()).into(),
        ..Default::default()
    };
    generate::run(&args, &Config::default(), out, &mut Vec::new())
        .unwrap_or_else(|e| panic!("generate {}: {e}", schema.display()))
}

fn drizzle_generate(schema_dir: &Path, out: &Path) {
    let o = drizzle_kit_generate(schema_dir, out, None);
    assert!(
        o.status.success(),
        "drizzle-kit generate {}:\n{}\n{}",
        schema_dir.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn sql_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count()
}

/// Every migration of `out` applied, and the database equal to `code`.
async fn assert_applied_without_drift(label: &str, out: &Path, code_path: &Path, url: &str) {
    let (client, _) = vitaes_migrate::connect::connect(url).await.unwrap();
    let statuses = Migrator::from_dir(out)
        .unwrap()
        .status(&client)
        .await
        .unwrap();
    assert_eq!(statuses.len(), sql_count(out), "{label}: {statuses:#?}");
    assert!(
        statuses.iter().all(|s| s.state == State::Applied),
        "{label}: {statuses:#?}"
    );
    let code = load_schema(&[code_path.to_path_buf()]).unwrap();
    let options = PushOptions {
        filter: Filter::for_schema(&code),
        ..PushOptions::default()
    };
    let drift = push::plan(&client, &code, &options)
        .await
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    assert!(drift.is_empty(), "{label}: drift {:#?}", drift.changes);
    // And the command says so: `status --exit-code` exits 1 on anything else.
    let (out, code_path, url) = (out.to_path_buf(), code_path.to_path_buf(), url.to_string());
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_vitaes-migrate"))
            .arg("status")
            .arg("--out")
            .arg(&out)
            .arg("--schema")
            .arg(&code_path)
            .args(["--url", &url, "--exit-code"])
            .current_dir(std::env::temp_dir())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{label}: {}{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
}

#[tokio::test]
async fn drizzle_kit_first_then_us_applied_by_drizzle_orm() {
    for case in CASES {
        let out = tempfile::tempdir().unwrap();
        let migrations = out.path().join("drizzle");
        drizzle_generate(&case_dir(case, "before"), &migrations);
        assert_eq!(sql_count(&migrations), 1, "{case}");
        let after = case_dir(case, "after").join("schema.rs");
        assert!(
            matches!(our_generate(&after, &migrations), Generated::Written { .. }),
            "{case}: we saw no change on top of drizzle-kit's snapshot"
        );
        let db = test_database().await;
        let (dir, url) = (migrations.clone(), db.url().to_string());
        let applied = tokio::task::spawn_blocking(move || drizzle_orm_migrate(&dir, &url))
            .await
            .unwrap();
        assert!(
            applied.status.success(),
            "{case}: drizzle-orm's migrator: {}",
            String::from_utf8_lossy(&applied.stderr)
        );
        assert_applied_without_drift(case, &migrations, &after, db.url()).await;
    }
}

#[tokio::test]
async fn us_first_then_drizzle_kit_applied_by_our_migrate() {
    for case in CASES {
        let out = tempfile::tempdir().unwrap();
        let migrations = out.path().join("drizzle");
        let before = case_dir(case, "before").join("schema.rs");
        assert!(matches!(
            our_generate(&before, &migrations),
            Generated::Written { .. }
        ));
        let ours = sql_count(&migrations);
        drizzle_generate(&case_dir(case, "after"), &migrations);
        assert_eq!(
            sql_count(&migrations),
            ours + 1,
            "{case}: drizzle-kit wrote its migration on top of our snapshot"
        );
        let db = test_database().await;
        let report = Migrator::from_dir(&migrations)
            .unwrap()
            .run(&mut db.connect().await)
            .await
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(report.applied.len(), ours + 1);
        let after = case_dir(case, "after").join("schema.rs");
        assert_applied_without_drift(case, &migrations, &after, db.url()).await;
    }
}

/// The every-attribute schema: we write it (two migrations: the CONCURRENTLY
/// index apart), drizzle-kit generates on top of our snapshot, our migrate
/// applies all; and on drizzle-kit's own folder our generate has nothing to do.
#[tokio::test]
async fn the_every_attribute_schema_both_ways() {
    let out = tempfile::tempdir().unwrap();
    let migrations = out.path().join("drizzle");
    assert!(matches!(
        our_generate(&every_schema::source_path(), &migrations),
        Generated::Written { .. }
    ));
    let ours = sql_count(&migrations);
    assert_eq!(ours, 2);
    drizzle_generate(
        &repo_root().join("compat/drizzle/schemas/every"),
        &migrations,
    );
    // drizzle-kit names one foreign key with 74 bytes where the snapshot has
    // PostgreSQL's 63, so it writes a migration re-creating that key.
    assert_eq!(sql_count(&migrations), ours + 1);
    let db = test_database().await;
    Migrator::from_dir(&migrations)
        .unwrap()
        .run(&mut db.connect().await)
        .await
        .unwrap();
    assert_applied_without_drift("every", &migrations, &every_schema::source_path(), db.url())
        .await;

    let theirs = tempfile::tempdir().unwrap();
    let folder = theirs.path().join("drizzle");
    drizzle_generate(&repo_root().join("compat/drizzle/schemas/every"), &folder);
    assert_eq!(
        our_generate(&every_schema::source_path(), &folder),
        Generated::NothingToDo
    );
}
