//! `pull` round trips: a database pulled to Rust, the Rust read back by the
//! source reader, pushed onto the same database — nothing to do — and
//! generated from empty onto a fresh database — the same catalog; the
//! baseline it writes beside the code; and the pulled code compiled with the
//! derive in a crate of its own.

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
    // The baseline beside it, commented out, is what the code says: generate
    // on top of it has nothing to do.
    let baseline = std::fs::read_to_string(cwd.path().join("drizzle/0000_baseline.sql")).unwrap();
    assert!(
        baseline.starts_with("-- Current sql file was generated after introspecting the database")
            && baseline.contains("CREATE TABLE"),
        "{what}: {baseline}"
    );
    let on_top = run_async(
        cwd.path(),
        &["generate", "--schema", "schema", "--out", "drizzle"],
    )
    .await;
    assert!(
        String::from_utf8_lossy(&on_top.stdout).contains("No schema changes"),
        "{what}: {}",
        text(&on_top)
    );
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
    let folder = cwd.path().join("rebuilt");
    let generated = run_async(
        cwd.path(),
        &["generate", "--schema", "schema", "--out", "rebuilt"],
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
    let differs = vitaes_migrate::diff::diff(&theirs, &ours).unwrap();
    assert!(
        differs.is_empty(),
        "the pulled structs differ from examples/vitaes-db: {:?}",
        differs.changes
    );
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
    assert!(
        billing.contains("use super::public::Accounts;"),
        "{billing}"
    );
    compile_pulled(&[("hand_made", &pulled.path().join("schema"))]);
}

#[tokio::test]
async fn the_corpus_databases_pull_and_push_nothing() {
    let mut pulled = Vec::new();
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
        pulled.push((
            project,
            round_trip(&db, project, Some(project), unexpressed).await,
        ));
    }
    let modules: Vec<(&str, std::path::PathBuf)> = pulled
        .iter()
        .map(|(project, cwd)| (*project, cwd.path().join("schema")))
        .collect();
    let modules: Vec<(&str, &Path)> = modules.iter().map(|(p, d)| (*p, d.as_path())).collect();
    compile_pulled(&modules);
}

#[tokio::test]
async fn a_baseline_is_recorded_as_applied_and_refused_over_a_history() {
    let db = test_database().await;
    let client = db.connect().await;
    client
        .batch_execute(
            "CREATE TABLE users (id integer PRIMARY KEY, email text UNIQUE);
             CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                                 author integer NOT NULL REFERENCES users (id));",
        )
        .await
        .unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let pull = |code: &'static str, out: &'static str, extra: &'static [&'static str]| {
        let mut args = vec!["pull", "--url", db.url(), "--out-code", code, "--out", out];
        args.extend_from_slice(extra);
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let cwd = cwd.path().to_path_buf();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run_async(&cwd, &args).await
        }
    };
    let pulled = pull("schema", "migrations", &["--baseline"]).await;
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    assert!(
        text(&pulled).contains("recorded 0000_baseline as applied (baseline), without running it"),
        "{}",
        text(&pulled)
    );
    // A real migration, not drizzle-kit's commented-out one.
    let sql = std::fs::read_to_string(cwd.path().join("migrations/0000_baseline.sql")).unwrap();
    assert!(sql.starts_with("CREATE TABLE"), "{sql}");
    let recorded: i64 = client
        .query_one("SELECT count(*) FROM drizzle.__drizzle_migrations", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(recorded, 1);
    let migrated = run_async(
        cwd.path(),
        &["migrate", "--url", db.url(), "--out", "migrations"],
    )
    .await;
    assert!(
        text(&migrated).contains("Nothing to migrate: 1 migration of"),
        "{}",
        text(&migrated)
    );
    // On an empty database the baseline builds the same tables.
    let fresh = test_database().await;
    let built = run_async(
        cwd.path(),
        &["migrate", "--url", fresh.url(), "--out", "migrations"],
    )
    .await;
    assert_eq!(built.status.code(), Some(0), "{}", text(&built));
    assert_eq!(
        dump_unordered(&fresh.connect().await).await,
        dump_unordered(&client).await
    );

    // The folder has a history now: a second baseline is refused, and
    // nothing is written (the code files are not even overwritten).
    let before = crate::cmd::listing(cwd.path());
    let again = pull("schema", "migrations", &["--baseline", "--force"]).await;
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(
        text(&again).contains("already has migrations; nothing was written"),
        "{}",
        text(&again)
    );
    assert_eq!(crate::cmd::listing(cwd.path()), before);
    // An empty folder, but the table records the baseline: refused too.
    let elsewhere = pull("schema2", "other", &["--baseline"]).await;
    assert_eq!(elsewhere.status.code(), Some(1), "{}", text(&elsewhere));
    assert!(
        text(&elsewhere).contains("drizzle.__drizzle_migrations already records 1 migration(s)"),
        "{}",
        text(&elsewhere)
    );
    assert_eq!(crate::cmd::listing(cwd.path()), before);
    // Without --baseline, the code is written and the history left alone.
    let plain = pull("schema", "migrations", &["--force"]).await;
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain));
    assert!(
        text(&plain).contains("No baseline written"),
        "{}",
        text(&plain)
    );
    assert_eq!(
        crate::paths::sql_files(&cwd.path().join("migrations")).len(),
        1
    );
}

#[tokio::test]
async fn split_by_table_gives_the_same_schema_with_imports_between_files() {
    let db = test_database().await;
    db.connect()
        .await
        .batch_execute(
            r#"CREATE SCHEMA billing;
               CREATE TYPE billing.state AS ENUM ('open', 'paid');
               CREATE TABLE "userAccounts" (
                 "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                 "displayName" text NOT NULL,
                 "createdAt" timestamp with time zone NOT NULL DEFAULT now(),
                 "profile" jsonb,
                 "birthDay" date,
                 "legacy_code" integer
               );
               CREATE TABLE billing.invoices (
                 id serial PRIMARY KEY,
                 account uuid NOT NULL REFERENCES "userAccounts" (id),
                 state billing.state NOT NULL DEFAULT 'open',
                 amount numeric(10, 2),
                 "type" text
               );"#,
        )
        .await
        .unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let by_schema = run_async(
        cwd.path(),
        &["pull", "--url", db.url(), "--out-code", "a", "--out", "m1"],
    )
    .await;
    assert_eq!(by_schema.status.code(), Some(0), "{}", text(&by_schema));
    let by_table = run_async(
        cwd.path(),
        &[
            "pull",
            "--url",
            db.url(),
            "--out-code",
            "b",
            "--out",
            "m2",
            "--split",
            "tables",
        ],
    )
    .await;
    assert_eq!(by_table.status.code(), Some(0), "{}", text(&by_table));
    let mut names: Vec<String> = std::fs::read_dir(cwd.path().join("b"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "billing_invoices.rs",
            "billing_state.rs",
            "mod.rs",
            "user_accounts.rs"
        ]
    );
    let read = |d: &str| load_schema(&[cwd.path().join(d)]).unwrap();
    assert_eq!(read("a"), read("b"));
    let invoices = std::fs::read_to_string(cwd.path().join("b/billing_invoices.rs")).unwrap();
    for want in [
        "use super::billing_state::State;",
        "use super::user_accounts::UserAccounts;",
        "pub r#type: Option<String>",
        "#[column(type = \"numeric(10, 2)\")]\n    pub amount: Option<String>",
        "invoices.amount (numeric(10, 2))",
    ] {
        assert!(invoices.contains(want), "{want} not in\n{invoices}");
    }
    let accounts = std::fs::read_to_string(cwd.path().join("b/user_accounts.rs")).unwrap();
    for want in [
        "rename_all = \"camelCase\"",
        "#[column(name = \"legacy_code\")]",
        "pub id: uuid::Uuid",
        "pub created_at: chrono::DateTime<chrono::Utc>",
        "pub profile: Option<serde_json::Value>",
        "pub birth_day: Option<chrono::NaiveDate>",
        "the crates chrono, serde_json, uuid",
    ] {
        assert!(accounts.contains(want), "{want} not in\n{accounts}");
    }
    assert!(!accounts.contains("name = \"displayName\""), "{accounts}");
    let modules = std::fs::read_to_string(cwd.path().join("b/mod.rs")).unwrap();
    assert!(modules.contains("pub mod billing_invoices;"), "{modules}");
    // rustfmt has laid them out: they pass its check.
    let check = std::process::Command::new("rustfmt")
        .args(["--check", "--edition", "2021"])
        .args(crate::paths::rust_files(&cwd.path().join("b")))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // Both folders compile with the derive.
    compile_pulled(&[
        ("by_schema", &cwd.path().join("a")),
        ("by_table", &cwd.path().join("b")),
    ]);
}

/// Builds a crate of the pulled folders (each a module, from its `mod.rs`)
/// with the derive and the crates the field types come from, warnings
/// denied; its target folder is kept under the workspace's, so later runs
/// only build the modules.
pub(crate) fn compile_pulled(modules: &[(&str, &Path)]) {
    let krate = tempfile::tempdir().unwrap();
    let root = crate::paths::repo_root();
    let schema_crate = root.join("crates/vitaes-schema");
    std::fs::write(
        krate.path().join("Cargo.toml"),
        format!(
            r#"[package]
name = "pulled"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
vitaes-schema = {{ path = {:?} }}
chrono = {{ version = "0.4", default-features = false, features = ["std"] }}
uuid = "1"
serde_json = "1"
"#,
            schema_crate.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), krate.path().join("Cargo.lock")).unwrap();
    let src = krate.path().join("src");
    let mut lib = String::new();
    for (name, dir) in modules {
        let into = src.join(name);
        std::fs::create_dir_all(&into).unwrap();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, into.join(path.file_name().unwrap())).unwrap();
        }
        lib.push_str(&format!("pub mod {name};\n"));
    }
    std::fs::write(src.join("lib.rs"), lib).unwrap();
    let build = std::process::Command::new(env!("CARGO"))
        .current_dir(krate.path())
        .args(["build", "--offline", "--target-dir"])
        .arg(root.join("target/pulled-crate"))
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the pulled code does not compile:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

#[tokio::test]
async fn managed_roles_are_pulled_with_their_attributes() {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let role = format!("vt_pull_{}_{nanos}", std::process::id());
    let db = test_database().await;
    let client = db.connect().await;
    client
        .batch_execute(&format!(
            "CREATE ROLE \"{role}\" CREATEDB NOINHERIT; CREATE TABLE notes (id integer PRIMARY KEY)"
        ))
        .await
        .unwrap();
    let cwd = tempfile::tempdir().unwrap();
    std::fs::write(cwd.path().join("vitaes.toml"), "[roles]\nmanage = true\n").unwrap();
    let pulled = run_async(
        cwd.path(),
        &["pull", "--url", db.url(), "--out-code", "schema"],
    )
    .await;
    client
        .batch_execute(&format!("DROP ROLE \"{role}\""))
        .await
        .unwrap();
    assert_eq!(pulled.status.code(), Some(0), "{}", text(&pulled));
    let code = load_schema(&[cwd.path().join("schema")]).unwrap();
    let ours = code.roles.iter().find(|r| r.name == role);
    assert!(
        ours.is_some_and(|r| r.create_db && !r.create_role && !r.inherit),
        "{ours:?}\n{}",
        listing(&cwd.path().join("schema"))
    );
    assert!(
        listing(&cwd.path().join("schema")).contains("#[derive(PgRole)]"),
        "{}",
        listing(&cwd.path().join("schema"))
    );
}
