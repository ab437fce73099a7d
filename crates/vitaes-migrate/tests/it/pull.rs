//! `pull` round trips: a database pulled to Rust, the Rust read back by the
//! source reader, pushed onto the same database — nothing to do — and
//! generated from empty onto a fresh database — the same catalog.

use std::path::Path;

use vitaes_migrate::introspect::Filter;
use vitaes_migrate::push::{plan, PushOptions};
use vitaes_migrate::source::load_schema;
use vitaes_test_support::{test_database, TestDatabase};

use crate::catalog::{apply_migration, dump_unordered};
use crate::cmd::{run_async, text};
use crate::paths::{repo_root, sql_files};

/// Pulls `db` into a folder and checks both round trips; returns the folder.
/// `unexpressed`: tables with row-level security off despite their policies,
/// which the structs cannot say (a policy implies it on): pull lists them at
/// the top of the file, push would enable it, and nothing else may differ.
async fn round_trip(
    db: &TestDatabase,
    what: &str,
    project: Option<&str>,
    unexpressed: &[&str],
) -> tempfile::TempDir {
    let cwd = tempfile::tempdir().unwrap();
    let pulled = run_async(
        cwd.path(),
        &["pull", "--url", db.url(), "--out-code", "schema"],
    )
    .await;
    assert_eq!(pulled.status.code(), Some(0), "{what}: {}", text(&pulled));
    let dir = cwd.path().join("schema");
    let code = load_schema(std::slice::from_ref(&dir)).unwrap_or_else(|e| {
        panic!(
            "{what}: the pulled code does not read back: {e}\n{}",
            listing(&dir)
        )
    });
    assert!(!code.tables.is_empty(), "{what}: nothing pulled");
    let client = db.connect().await;
    let options = PushOptions {
        filter: Filter::for_schema(&code),
        ..PushOptions::default()
    };
    let planned = plan(&client, &code, &options).await.unwrap();
    let kinds: Vec<String> = planned
        .changes
        .iter()
        .map(|c| format!("{} {}", c.kind(), c.object()))
        .collect();
    let expected: Vec<String> = unexpressed
        .iter()
        .map(|t| format!("enable_rls {t}"))
        .collect();
    assert_eq!(
        kinds,
        expected,
        "{what}: push of the pulled code plans {kinds:?}\n{}",
        listing(&dir)
    );
    if !unexpressed.is_empty() {
        let said = format!(
            "{} × table with row-level security off despite its policies",
            unexpressed.len()
        );
        assert!(
            listing(&dir).contains(&said),
            "{what}: {said} not said\n{}",
            listing(&dir)
        );
    }

    if project == Some("onlook") {
        // Its Supabase stand-ins (auth, storage, realtime, and the functions
        // its policies call) are the platform's: a database built from the
        // pulled code alone lacks the functions, one built after the stub
        // has the tables twice. Push planning nothing is the round trip.
        return cwd;
    }
    // Generated from empty, applied to an empty database: the same catalog.
    let folder = cwd.path().join("drizzle");
    let generated = run_async(
        cwd.path(),
        &["generate", "--schema", "schema", "--out", "drizzle"],
    )
    .await;
    assert_eq!(
        generated.status.code(),
        Some(0),
        "{what}: {}",
        text(&generated)
    );
    let fresh = test_database().await;
    let mut f = fresh.connect().await;
    if let Some(project) = project {
        crate::corpus::setup(&f, project).await;
    }
    for sql in sql_files(&folder) {
        apply_migration(&mut f, &sql).await.unwrap_or_else(|e| {
            panic!(
                "{what}: {}\n{sql}",
                e.as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string())
            )
        });
    }
    // By column names: the original's dropped columns leave gaps in attnum.
    let (mut original, mut rebuilt) = (dump_unordered(&client).await, dump_unordered(&f).await);
    for d in [&mut original, &mut rebuilt] {
        d.lines.retain(|l| {
            !unexpressed
                .iter()
                .any(|t| l.starts_with(&format!("rls {t} ")))
        });
    }
    if original != rebuilt {
        let only_a: Vec<_> = original
            .lines
            .iter()
            .filter(|l| !rebuilt.lines.contains(l))
            .collect();
        let only_b: Vec<_> = rebuilt
            .lines
            .iter()
            .filter(|l| !original.lines.contains(l))
            .collect();
        panic!("{what}: rebuilt database differs\n  only original: {only_a:#?}\n  only rebuilt: {only_b:#?}");
    }
    cwd
}

fn listing(dir: &Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        out.push_str(&format!(
            "// {}\n{}\n",
            entry.path().display(),
            std::fs::read_to_string(entry.path()).unwrap_or_default()
        ));
    }
    out
}

#[tokio::test]
async fn the_vitaes_database_pulls_to_code_that_pushes_nothing_and_rebuilds_it() {
    let db = test_database().await;
    let cwd = tempfile::tempdir().unwrap();
    let fixture = repo_root().join("compat/drizzle/fixtures/vitaes");
    let migrated = run_async(
        cwd.path(),
        &[
            "migrate",
            "--out",
            fixture.to_str().unwrap(),
            "--url",
            db.url(),
        ],
    )
    .await;
    assert_eq!(migrated.status.code(), Some(0), "{}", text(&migrated));
    let pulled = round_trip(&db, "vitaes", None, &[]).await;
    let public = std::fs::read_to_string(pulled.path().join("schema/public.rs")).unwrap();
    insta::assert_snapshot!("pull_vitaes", public);
    // What the code says, the pulled structs say too.
    let theirs = load_schema(&[repo_root().join("examples/vitaes-db/src/schema")]).unwrap();
    let ours = load_schema(&[pulled.path().join("schema")]).unwrap();
    let names = |s: &vitaes_schema_core::Schema| {
        let mut n: Vec<(String, Vec<String>)> = s
            .tables
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.columns.iter().map(|c| c.name.clone()).collect(),
                )
            })
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&ours), names(&theirs));
    // A second pull into the same folder is refused without --force.
    let again = run_async(
        pulled.path(),
        &["pull", "--url", db.url(), "--out-code", "schema"],
    )
    .await;
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(
        text(&again).contains("nothing was written"),
        "{}",
        text(&again)
    );
    let forced = run_async(
        pulled.path(),
        &["pull", "--url", db.url(), "--out-code", "schema", "--force"],
    )
    .await;
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
}

#[tokio::test]
async fn hand_made_tables_round_trip_with_every_key_index_and_default() {
    let db = test_database().await;
    db.connect()
        .await
        .batch_execute(
            r#"CREATE SCHEMA billing;
               CREATE TYPE "Mood" AS ENUM ('calm', 'very busy', 'OK');
               CREATE TABLE "Accounts" (
                 id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY,
                 "type" text NOT NULL DEFAULT 'basic',
                 "createdAt" timestamp with time zone NOT NULL DEFAULT now(),
                 mood "Mood",
                 score double precision DEFAULT 1.5,
                 active boolean NOT NULL DEFAULT true,
                 email varchar(320),
                 tags text[],
                 lower_email text GENERATED ALWAYS AS (lower(email)) STORED,
                 CONSTRAINT accounts_email_key UNIQUE NULLS NOT DISTINCT (email),
                 CONSTRAINT score_positive CHECK (score > 0)
               );
               CREATE INDEX accounts_created ON "Accounts" ("createdAt" DESC NULLS LAST) WHERE active;
               CREATE INDEX accounts_lower ON "Accounts" USING hash (lower(email));
               CREATE TABLE billing.invoices (
                 account_id bigint NOT NULL REFERENCES "Accounts" (id) ON DELETE CASCADE,
                 n serial,
                 amount numeric(10, 2) NOT NULL DEFAULT 0,
                 PRIMARY KEY (account_id, n)
               );
               CREATE SEQUENCE invoice_no AS integer START WITH 1000 INCREMENT BY 2 CYCLE;
               CREATE SEQUENCE billing.countdown INCREMENT BY -1;
               CREATE VIEW active_accounts WITH (check_option = local, security_barrier = true) AS
                 SELECT id, email FROM "Accounts" WHERE active;
               CREATE MATERIALIZED VIEW billing.totals WITH (fillfactor = 70) AS
                 SELECT account_id, sum(amount) AS total FROM billing.invoices GROUP BY account_id;"#,
        )
        .await
        .unwrap();
    let pulled = round_trip(&db, "hand-made", None, &[]).await;
    let public = std::fs::read_to_string(pulled.path().join("schema/public.rs")).unwrap();
    for want in [
        "#[pg_enum(name = \"Mood\")]",
        "#[pg_enum(rename = \"very busy\")]",
        "pub r#type: String",
        "name = \"createdAt\"",
        "pub struct Accounts",
        "#[sequence(as = \"integer\", start = 1000, increment = 2, cycle)]",
        "check_option = \"local\",\n    security_barrier = true",
    ] {
        assert!(public.contains(want), "{want} not in\n{public}");
    }
    let billing = std::fs::read_to_string(pulled.path().join("schema/billing.rs")).unwrap();
    assert!(
        billing.contains("materialized,\n    with(fillfactor = 70)"),
        "{billing}"
    );
    assert!(billing.contains("pub struct Countdown;"), "{billing}");
}

#[tokio::test]
async fn the_corpus_databases_pull_and_push_nothing() {
    for project in crate::corpus::PROJECTS {
        let db = test_database().await;
        crate::corpus::setup(&db.connect().await, project).await;
        let folder = crate::corpus::corpus().join(project);
        let cwd = tempfile::tempdir().unwrap();
        let migrated = run_async(
            cwd.path(),
            &[
                "migrate",
                "--out",
                folder.to_str().unwrap(),
                "--url",
                db.url(),
            ],
        )
        .await;
        assert_eq!(
            migrated.status.code(),
            Some(0),
            "{project}: {}",
            text(&migrated)
        );
        // Supabase's own realtime.messages and storage.objects (the stub's).
        let unexpressed: &[&str] = if project == "onlook" {
            &["realtime.messages", "storage.objects"]
        } else {
            &[]
        };
        round_trip(&db, project, Some(project), unexpressed).await;
    }
}
