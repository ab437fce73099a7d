//! `migrate`: drizzle-orm's table and rows, the history cases (modified,
//! missing, out of order, CRLF, baseline), the lock (many processes, expiry,
//! a killed migrator), failures that keep earlier migrations and leave
//! nothing of the failed one, no-transaction files, embedded migrations and
//! both directions of switching with drizzle-orm's migrator.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio_postgres::Client;
use vitaes_migrate::exit_code::exit_code;
use vitaes_migrate::local_pg::{Cluster, ClusterOptions};
use vitaes_migrate::migrator::{
    lock, sha256_hex, MigrateError, MigrationsTable, Migrator, RunOptions,
};
use vitaes_test_support::test_database;

use crate::catalog::dump;
use crate::cmd::{command, text, write_folder};
use crate::drizzle::drizzle_orm_migrate;
use crate::paths::repo_root;

/// A migrations folder in a temp dir.
fn folder(migrations: &[(&str, i64, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_folder(dir.path(), migrations);
    dir
}

/// `migrate --out DIR --url URL ...` in an empty directory.
fn migrate_cmd(dir: &Path, url: &str, extra: &[&str]) -> Command {
    let mut cmd = command(&std::env::temp_dir());
    cmd.arg("migrate")
        .arg("--out")
        .arg(dir)
        .arg("--url")
        .arg(url)
        .args(extra);
    cmd
}

fn migrate(dir: &Path, url: &str, extra: &[&str]) -> Output {
    migrate_cmd(dir, url, extra).output().unwrap()
}

/// `(hash, created_at)` of every row, in id order.
async fn rows(client: &Client) -> Vec<(String, i64)> {
    client
        .query(
            "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

async fn table_exists(client: &Client, name: &str) -> bool {
    client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&name])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn applies_in_order_with_drizzle_rows_then_has_nothing_to_do() {
    let db = test_database().await;
    let dir = folder(&[
        ("0000_a", 1000, "CREATE TABLE a (id int);"),
        (
            "0001_b",
            2000,
            "CREATE TABLE b (id int);\n--> statement-breakpoint\nINSERT INTO a VALUES (1); INSERT INTO a VALUES (2);",
        ),
    ]);
    let out = migrate(dir.path(), db.url(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("applied 0001_b (2 statements"),
        "{}",
        text(&out)
    );
    let client = db.connect().await;
    let expected: Vec<(String, i64)> = ["0000_a", "0001_b"]
        .iter()
        .zip([1000, 2000])
        .map(|(tag, when)| {
            let sql = std::fs::read_to_string(dir.path().join(format!("{tag}.sql"))).unwrap();
            (sha256_hex(&sql), when)
        })
        .collect();
    assert_eq!(rows(&client).await, expected);
    let n: i64 = client
        .query_one("SELECT count(*) FROM a", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 2, "a multi-statement piece runs whole");
    let again = migrate(dir.path(), db.url(), &[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        text(&again).contains("Nothing to migrate: 2 migrations"),
        "{}",
        text(&again)
    );
    assert_eq!(rows(&client).await.len(), 2);
}

#[tokio::test]
async fn a_failing_statement_names_it_keeps_earlier_migrations_and_leaves_nothing() {
    let db = test_database().await;
    let bad = "CREATE TABLE c1 (id int);\n--> statement-breakpoint\nCREATE TABLE c2 (id int);\n--> statement-breakpoint\nINSERT INTO c1 VALUES ('not a number');";
    let dir = folder(&[
        ("0000_a", 1000, "CREATE TABLE a (id int);"),
        ("0001_b", 2000, "CREATE TABLE b (id int);"),
        ("0002_c", 3000, bad),
    ]);
    let out = migrate(dir.path(), db.url(), &[]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("migration 0002_c failed at statement 3 (line 5) of 0002_c.sql")
            && err.contains("invalid input syntax for type integer")
            && err.contains("22P02"),
        "{err}"
    );
    // What was applied is still reported.
    assert!(text(&out).contains("applied 0001_b"), "{}", text(&out));
    let client = db.connect().await;
    assert_eq!(rows(&client).await.len(), 2);
    assert!(table_exists(&client, "a").await && table_exists(&client, "b").await);
    assert!(!table_exists(&client, "c1").await && !table_exists(&client, "c2").await);
    // The lock went with the failure.
    assert_eq!(
        lock::holder(&client, lock::lock_key(&MigrationsTable::default()))
            .await
            .unwrap(),
        None
    );

    std::fs::write(
        dir.path().join("0002_c.sql"),
        bad.replace("'not a number'", "3"),
    )
    .unwrap();
    let rerun = migrate(dir.path(), db.url(), &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(rows(&client).await.len(), 3);
    assert!(table_exists(&client, "c2").await);
}

#[tokio::test]
async fn an_edited_applied_file_is_refused_naming_it_but_crlf_is_not() {
    let db = test_database().await;
    let dir = folder(&[
        (
            "0000_a",
            1000,
            "CREATE TABLE a (id int);\nCREATE TABLE a2 (id int);\n",
        ),
        ("0001_b", 2000, "CREATE TABLE b (id int);\n"),
    ]);
    assert_eq!(migrate(dir.path(), db.url(), &[]).status.code(), Some(0));
    let client = db.connect().await;

    // A checkout with CRLF line endings is the same migration.
    std::fs::write(
        dir.path().join("0000_a.sql"),
        "CREATE TABLE a (id int);\r\nCREATE TABLE a2 (id int);\r\n",
    )
    .unwrap();
    let crlf = migrate(dir.path(), db.url(), &[]);
    assert_eq!(crlf.status.code(), Some(0), "{}", text(&crlf));
    assert!(
        text(&crlf).contains("Nothing to migrate"),
        "{}",
        text(&crlf)
    );

    // An edit is not, and nothing else runs either.
    std::fs::write(
        dir.path().join("0001_b.sql"),
        "CREATE TABLE b (id bigint);\n",
    )
    .unwrap();
    write_folder(
        dir.path(),
        &[
            (
                "0000_a",
                1000,
                "CREATE TABLE a (id int);\r\nCREATE TABLE a2 (id int);\r\n",
            ),
            ("0001_b", 2000, "CREATE TABLE b (id bigint);\n"),
            ("0002_c", 3000, "CREATE TABLE c (id int);\n"),
        ],
    );
    let edited = migrate(dir.path(), db.url(), &[]);
    assert_eq!(edited.status.code(), Some(1), "{}", text(&edited));
    let err = String::from_utf8_lossy(&edited.stderr);
    assert!(err.contains("0001_b changed after being applied"), "{err}");
    assert!(!err.contains("0000_a"), "{err}");
    assert!(!table_exists(&client, "c").await);
    assert_eq!(rows(&client).await.len(), 2);
}

#[tokio::test]
async fn missing_and_out_of_order_migrations_are_reported_and_branches_applied() {
    let db = test_database().await;
    let dir = folder(&[
        ("0000_a", 1000, "CREATE TABLE a (id int);"),
        ("0001_c", 3000, "CREATE TABLE c (id int);"),
        ("0002_gone", 4000, "CREATE TABLE gone (id int);"),
    ]);
    assert_eq!(migrate(dir.path(), db.url(), &[]).status.code(), Some(0));
    // A branch merged: `0001_b` is older than the newest applied; `0002_gone`
    // left the journal.
    std::fs::remove_dir_all(dir.path()).unwrap();
    write_folder(
        dir.path(),
        &[
            ("0000_a", 1000, "CREATE TABLE a (id int);"),
            ("0001_b", 2000, "CREATE TABLE b (id int);"),
            ("0002_c", 3000, "CREATE TABLE c (id int);"),
        ],
    );
    let out = migrate(dir.path(), db.url(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("note: 0001_b is older than the newest applied migration")
            && stdout.contains("applied 0001_b"),
        "{stdout}"
    );
    assert!(
        stdout.contains("no journal entry has (id 3, created_at 4000)"),
        "{stdout}"
    );
    let client = db.connect().await;
    assert!(table_exists(&client, "b").await);
    assert_eq!(rows(&client).await.len(), 4);
}

#[tokio::test]
async fn baseline_records_without_running_and_dry_run_changes_nothing() {
    let db = test_database().await;
    let client = db.connect().await;
    // A database built by push: the tables exist, nothing is recorded.
    client
        .batch_execute("CREATE TABLE a (id int); CREATE TABLE b (id int);")
        .await
        .unwrap();
    let dir = folder(&[
        ("0000_a", 1000, "CREATE TABLE a (id int);"),
        ("0001_b", 2000, "CREATE TABLE b (id int);"),
        ("0002_c", 3000, "CREATE TABLE c (id int);"),
    ]);

    let dry = migrate(dir.path(), db.url(), &["--dry-run", "--baseline", "0001_b"]);
    assert_eq!(dry.status.code(), Some(0), "{}", text(&dry));
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert!(
        stdout.contains("would record 0000_a as applied (baseline)")
            && stdout.contains("would apply 0002_c")
            && stdout.contains("Dry run: 1 migration pending"),
        "{stdout}"
    );
    assert!(!table_exists(&client, "drizzle.__drizzle_migrations").await);

    let unknown = migrate(dir.path(), db.url(), &["--baseline", "0009_nope"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("0009_nope"));

    let out = migrate(dir.path(), db.url(), &["--baseline", "0001_b"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("recorded 0001_b as applied (baseline)"),
        "{}",
        text(&out)
    );
    assert!(table_exists(&client, "c").await);
    let recorded: Vec<i64> = rows(&client).await.into_iter().map(|r| r.1).collect();
    assert_eq!(recorded, [1000, 2000, 3000]);
    let again = migrate(dir.path(), db.url(), &[]);
    assert!(
        text(&again).contains("Nothing to migrate: 3"),
        "{}",
        text(&again)
    );
}

#[tokio::test]
async fn lock_wait_expires_naming_the_holder() {
    let db = test_database().await;
    let holder = db.connect().await;
    let key = lock::lock_key(&MigrationsTable::default());
    holder
        .query_one("SELECT pg_advisory_lock($1)", &[&key])
        .await
        .unwrap();
    let pid: i32 = holder
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    let dir = folder(&[("0000_a", 1000, "CREATE TABLE a (id int);")]);
    let url = db.url().to_string();
    let path = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || migrate(&path, &url, &["--lock-wait", "400ms"]))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("waiting for the migration lock")
            && err.contains(&format!(
                "another migrate or push holds the migration lock (backend pid {pid})"
            )),
        "{err}"
    );
    assert!(!table_exists(&holder, "a").await);
}

/// A file that must run outside a transaction, as generate writes them (one
/// index per piece, IF NOT EXISTS): the first index is built, the second
/// fails and is left INVALID; the rerun keeps the first, drops the INVALID
/// one (found under its folded name: `T_A_Ix` is stored as `t_a_ix`) and
/// builds it again.
#[tokio::test]
async fn no_transaction_files_run_concurrently_and_reruns_replace_invalid_indexes() {
    let db = test_database().await;
    let client = db.connect().await;
    client
        .batch_execute("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);")
        .await
        .unwrap();
    let dir = folder(&[(
        "0000_ix",
        1000,
        "-- vitaes:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_plain_ix ON t (a);\n--> statement-breakpoint\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS T_A_Ix ON t (a);",
    )]);
    let failed = migrate(dir.path(), db.url(), &[]);
    assert_eq!(failed.status.code(), Some(4), "{}", text(&failed));
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("failed at statement 2 (line 4)")
            && String::from_utf8_lossy(&failed.stderr).contains("runs outside a transaction"),
        "{}",
        text(&failed)
    );
    assert_eq!(
        index_valid(&client).await,
        Some(false),
        "CONCURRENTLY left an INVALID index"
    );
    client
        .batch_execute("DELETE FROM t; INSERT INTO t VALUES (1), (2);")
        .await
        .unwrap();
    let rerun = migrate(dir.path(), db.url(), &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert_eq!(index_valid(&client).await, Some(true));
    assert!(table_exists(&client, "t_plain_ix").await);
    assert_eq!(rows(&client).await.len(), 1);
}

/// A file saved with a byte-order mark applies (and keeps its hash).
#[tokio::test]
async fn a_byte_order_mark_is_not_sql() {
    let db = test_database().await;
    let sql = "\u{feff}CREATE TABLE bom (id int);";
    let dir = folder(&[("0000_bom", 1000, sql)]);
    let out = migrate(dir.path(), db.url(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let client = db.connect().await;
    assert!(table_exists(&client, "bom").await);
    assert_eq!(rows(&client).await, [(sha256_hex(sql), 1000)]);
}

async fn index_valid(c: &Client) -> Option<bool> {
    c.query_opt(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('t_a_ix')",
        &[],
    )
    .await
    .unwrap()
    .map(|r| r.get(0))
}

#[tokio::test]
async fn embedded_migrations_are_the_folders_and_run_at_start_up() {
    let embedded = vitaes_migrate::embed_migrations!("../../migrations");
    let from_dir = Migrator::from_dir(repo_root().join("migrations")).unwrap();
    assert!(!embedded.migrations().is_empty());
    assert_eq!(embedded.migrations(), from_dir.migrations());

    let db = test_database().await;
    let mut client = db.connect().await;
    let report = embedded.run(&mut client).await.unwrap();
    assert_eq!(report.applied.len(), embedded.migrations().len());
    assert!(table_exists(&client, "resume").await);
    let second = embedded.run(&mut client).await.unwrap();
    assert!(second.applied.is_empty() && second.pending.is_empty());
    assert_eq!(second.already_applied, embedded.migrations().len());
}

#[tokio::test]
async fn a_configured_table_is_used_and_the_library_refuses_edits_with_exit_1() {
    let db = test_database().await;
    let mut client = db.connect().await;
    let dir = folder(&[("0000_a", 1000, "CREATE TABLE a (id int);")]);
    let table = MigrationsTable {
        schema: "ops".into(),
        table: "Applied Migrations".into(),
    };
    let m = Migrator::from_dir(dir.path()).unwrap().with_table(table);
    m.run(&mut client).await.unwrap();
    let n: i64 = client
        .query_one(r#"SELECT count(*) FROM ops."Applied Migrations""#, &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    assert!(!table_exists(&client, "drizzle.__drizzle_migrations").await);
    std::fs::write(dir.path().join("0000_a.sql"), "CREATE TABLE a (id bigint);").unwrap();
    let m = Migrator::from_dir(dir.path())
        .unwrap()
        .with_table(m.table().clone());
    let err = m
        .run_with(&mut client, &RunOptions::default(), &mut |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, MigrateError::Modified { .. }), "{err}");
    assert_eq!(exit_code(&err.into()), 1);
}

#[test]
fn a_bad_folder_is_exit_2_naming_the_file() {
    let dir = folder(&[("0000_a", 1000, "SELECT 1;")]);
    std::fs::remove_file(dir.path().join("0000_a.sql")).unwrap();
    let out = migrate(dir.path(), "postgresql://u@127.0.0.1:1/db", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("0000_a.sql"),
        "{}",
        text(&out)
    );
    let same_when = folder(&[("0000_a", 1000, "SELECT 1;"), ("0001_b", 1000, "SELECT 2;")]);
    let out = migrate(same_when.path(), "postgresql://u@127.0.0.1:1/db", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("same `when`"),
        "{}",
        text(&out)
    );
    // A journal that is not JSON: its path said once.
    let broken = folder(&[("0000_a", 1000, "SELECT 1;")]);
    std::fs::write(broken.path().join("meta/_journal.json"), "{bad").unwrap();
    for command in ["migrate", "status"] {
        let out = crate::cmd::command(&std::env::temp_dir())
            .args([command, "--url", "postgresql://u@127.0.0.1:1/db", "--out"])
            .arg(broken.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.matches("_journal.json").count(),
            1,
            "{command}: {stderr}"
        );
        assert!(stderr.contains("not a drizzle-kit journal"), "{stderr}");
    }
}

/// drizzle-kit's committed folders (Vitaes, long names): our
/// migrate records the rows drizzle-orm's migrator records; each tool then has
/// nothing to do on a database the other migrated.
#[tokio::test]
async fn switching_with_drizzle_orms_migrator_both_ways() {
    for name in ["vitaes", "longnames"] {
        let folder = repo_root().join("compat/drizzle/fixtures").join(name);
        let ours = test_database().await;
        let theirs = test_database().await;
        let (ours_url, theirs_url, f) = (
            ours.url().to_string(),
            theirs.url().to_string(),
            folder.clone(),
        );
        let (mine, drizzle) = tokio::task::spawn_blocking(move || {
            (
                migrate(&f, &ours_url, &[]),
                drizzle_orm_migrate(&f, &theirs_url),
            )
        })
        .await
        .unwrap();
        assert_eq!(mine.status.code(), Some(0), "{name}: {}", text(&mine));
        assert!(drizzle.status.success(), "{name}: {}", text(&drizzle));
        let (a, b) = (ours.connect().await, theirs.connect().await);
        assert!(!rows(&a).await.is_empty());
        assert_eq!(rows(&a).await, rows(&b).await, "{name}");
        let before = dump(&a).await.lines;
        assert_eq!(before, dump(&b).await.lines, "{name}");

        let (ours_url, theirs_url, f) = (ours.url().to_string(), theirs.url().to_string(), folder);
        let (mine_again, drizzle_again) = tokio::task::spawn_blocking(move || {
            (
                migrate(&f, &theirs_url, &[]),
                drizzle_orm_migrate(&f, &ours_url),
            )
        })
        .await
        .unwrap();
        assert!(
            text(&mine_again).contains("Nothing to migrate"),
            "{name}: {}",
            text(&mine_again)
        );
        assert!(
            drizzle_again.status.success(),
            "{name}: {}",
            text(&drizzle_again)
        );
        assert_eq!(rows(&a).await, rows(&b).await, "{name}");
        assert_eq!(dump(&a).await.lines, before, "{name}");
        assert_eq!(dump(&b).await.lines, before, "{name}");
    }
}

/// drizzle-kit's every-attribute folder builds an index CONCURRENTLY, which
/// neither migrator can run in a transaction: ours says how to mark the file,
/// and runs it once marked.
#[tokio::test]
async fn a_drizzle_file_with_concurrently_needs_the_marker() {
    let fixture = repo_root().join("compat/drizzle/fixtures/every");
    let db = test_database().await;
    let out = migrate(&fixture, db.url(), &[]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("CREATE INDEX CONCURRENTLY cannot run inside a transaction block (25001)")
            && err.contains("make `-- vitaes:no-transaction` the first line of 0000_init.sql"),
        "{err}"
    );
    let client = db.connect().await;
    assert_eq!(
        dump(&client).await.lines,
        dump(&test_database().await.connect().await).await.lines
    );

    let marked = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(marked.path().join("meta")).unwrap();
    std::fs::copy(
        fixture.join("meta/_journal.json"),
        marked.path().join("meta/_journal.json"),
    )
    .unwrap();
    let sql = std::fs::read_to_string(fixture.join("0000_init.sql")).unwrap();
    std::fs::write(
        marked.path().join("0000_init.sql"),
        format!("-- vitaes:no-transaction\n{sql}"),
    )
    .unwrap();
    let out = migrate(marked.path(), db.url(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(table_exists(&client, "billing.customers").await);
    assert_eq!(rows(&client).await.len(), 1);
}

/// Waits for every child, killing all of them if they are not done in two
/// minutes (a deadlock must fail the test, not hang it).
fn wait_all(mut children: Vec<std::process::Child>) -> Vec<Output> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while children.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        if Instant::now() > deadline {
            for c in &mut children {
                let _ = c.kill();
            }
            panic!("migrate processes still running after 120 s: deadlocked?");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

/// A server that logs every statement, for counting what ran.
fn logging_cluster() -> Cluster {
    Cluster::start(ClusterOptions {
        settings: vec![("log_statement".into(), "all".into())],
        ..ClusterOptions::default()
    })
    .expect("a cluster logging statements")
}

async fn admin_create(cluster: &Cluster, name: &str) -> Client {
    let (admin, conn) = tokio_postgres::connect(&cluster.url("postgres"), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (client, conn) = tokio_postgres::connect(&cluster.url(name), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

#[tokio::test]
async fn eight_processes_apply_twenty_migrations_once() {
    let cluster = tokio::task::spawn_blocking(logging_cluster).await.unwrap();
    let client = admin_create(&cluster, "concurrent").await;
    // Migration 10 builds an index CONCURRENTLY outside a transaction: it
    // waits for every older snapshot, so a waiter blocked inside the server
    // (pg_advisory_lock) would deadlock it; polling waiters do not.
    let sqls: Vec<(String, i64, String)> = (0..20)
        .map(|i| {
            let head = if i == 10 {
                "-- vitaes:no-transaction\nCREATE INDEX CONCURRENTLY m_ix ON m00 (id);\n--> statement-breakpoint\n"
            } else {
                ""
            };
            (
                format!("{i:04}_m"),
                1000 + i,
                format!("{head}CREATE TABLE m{i:02} (id int);\n--> statement-breakpoint\nSELECT pg_sleep(0.1) AS m{i:02}_slept;"),
            )
        })
        .collect();
    let spec: Vec<(&str, i64, &str)> = sqls
        .iter()
        .map(|(t, w, s)| (t.as_str(), *w, s.as_str()))
        .collect();
    let dir = folder(&spec);
    let url = cluster.url("concurrent");
    let children: Vec<_> = (0..8)
        .map(|_| {
            migrate_cmd(dir.path(), &url, &[])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Output> = tokio::task::spawn_blocking(move || wait_all(children))
        .await
        .unwrap();
    for o in &outputs {
        assert_eq!(o.status.code(), Some(0), "{}", text(o));
    }
    assert!(
        outputs
            .iter()
            .any(|o| String::from_utf8_lossy(&o.stderr).contains("waiting for the migration lock")),
        "no process waited"
    );
    let applied: usize = outputs
        .iter()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .matches("applied 00")
                .count()
        })
        .sum();
    assert_eq!(applied, 20, "each migration applied by exactly one process");
    assert_eq!(rows(&client).await.len(), 20);
    let log = std::fs::read_to_string(cluster.log_file()).unwrap();
    for i in 0..20 {
        let ran = log
            .lines()
            .filter(|l| l.contains(&format!("statement: SELECT pg_sleep(0.1) AS m{i:02}_slept")))
            .count();
        assert_eq!(ran, 1, "migration {i} ran {ran} times");
    }
}

#[tokio::test]
async fn a_killed_migrator_leaves_the_migration_it_was_running_undone_and_the_lock_free() {
    let db = test_database().await;
    let client = db.connect().await;
    let dir = folder(&[
        ("0000_k1", 1000, "CREATE TABLE k1 (id int);"),
        (
            "0001_k2",
            2000,
            "CREATE TABLE k2 (id int);\n--> statement-breakpoint\nSELECT pg_sleep(30);",
        ),
        ("0002_k3", 3000, "CREATE TABLE k3 (id int);"),
    ]);
    let mut child = migrate_cmd(dir.path(), db.url(), &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        let sleeping: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                  WHERE datname = current_database() AND state = 'active'
                    AND query LIKE 'SELECT pg_sleep(30)%'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if sleeping > 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the sleep never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let key = lock::lock_key(&MigrationsTable::default());
    let start = Instant::now();
    while lock::holder(&client, key).await.unwrap().is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the killed migrator's session still holds the lock"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(table_exists(&client, "k1").await);
    assert!(!table_exists(&client, "k2").await);
    assert_eq!(
        rows(&client).await.iter().map(|r| r.1).collect::<Vec<_>>(),
        [1000]
    );

    // Not applied, so it may change: rerun without the long sleep.
    std::fs::write(
        dir.path().join("0001_k2.sql"),
        "CREATE TABLE k2 (id int);\n--> statement-breakpoint\nSELECT pg_sleep(0);",
    )
    .unwrap();
    let rerun = migrate(dir.path(), db.url(), &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", text(&rerun));
    assert!(table_exists(&client, "k2").await && table_exists(&client, "k3").await);
    assert_eq!(rows(&client).await.len(), 3);
}

/// On a terminal a progress bar names the migration running.
#[test]
fn a_terminal_shows_progress() {
    let db = vitaes_test_support::test_database_blocking();
    let dir = folder(&[
        ("0000_a", 1000, "SELECT pg_sleep(0.6);"),
        ("0001_b", 2000, "SELECT pg_sleep(0.6);"),
    ]);
    // Not `cmd::command`: its null stdin would hide the terminal.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vitaes-migrate"));
    cmd.arg("migrate")
        .arg("--out")
        .arg(dir.path())
        .args(["--url", db.url()])
        .env_remove("DATABASE_URL")
        .env("TERM", "xterm");
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn on a pty");
    session
        .exp_string("1/2 0001_b")
        .expect("the bar on the second migration");
    let rest = session.exp_eof().expect("the command ends");
    assert!(rest.contains("Applied 2 migrations"), "{rest}");
}

/// generate then migrate with a unique index built CONCURRENTLY that a new
/// foreign key needs: the index and the key are the second migration, run
/// outside a transaction, the key after the index.
#[tokio::test]
async fn generated_concurrent_indexes_and_the_keys_that_need_them_migrate() {
    use vitaes_migrate::commands::generate::{self, GenerateArgs};
    let work = tempfile::tempdir().unwrap();
    let schema = work.path().join("schema.rs");
    let v1 = r#"
use vitaes_schema::Table;
#[derive(Table)]
#[table(name = "a")]
pub struct A {
    #[column(primary_key)]
    pub id: i32,
    pub code: i32,
}
#[derive(Table)]
#[table(name = "b")]
pub struct B {
    #[column(primary_key)]
    pub id: i32,
}
"#;
    let v2 = v1
        .replace(
            "#[table(name = \"a\")]",
            "#[table(name = \"a\", index(name = \"a_code_uidx\", columns(code), unique, concurrently))]",
        )
        .replacen(
            "pub struct B {\n    #[column(primary_key)]\n    pub id: i32,\n}",
            "pub struct B {\n    #[column(primary_key)]\n    pub id: i32,\n    #[column(references(A, code))]\n    pub a_code: Option<i32>,\n}",
            1,
        );
    let out = work.path().join("migrations");
    for version in [v1, v2.as_str()] {
        std::fs::write(&schema, version).unwrap();
        let args = GenerateArgs {
            schema: vec![schema.clone()].into(),
            out: Some(out.clone()).into(),
            ..Default::default()
        };
        generate::run(
            &args,
            &vitaes_migrate::config::Config::default(),
            work.path(),
            &mut Vec::new(),
        )
        .unwrap();
    }
    let files = crate::paths::sql_files(&out);
    assert_eq!(files.len(), 3, "{files:#?}");
    assert!(
        files[2].starts_with("-- vitaes:no-transaction\n")
            && files[2].contains("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"a_code_uidx\"")
            && files[2].contains("FOREIGN KEY (\"a_code\") REFERENCES \"public\".\"a\"(\"code\")"),
        "{}",
        files[2]
    );
    assert!(!files[1].contains("FOREIGN KEY"), "{}", files[1]);

    let db = test_database().await;
    let result = migrate(&out, db.url(), &[]);
    assert_eq!(result.status.code(), Some(0), "{}", text(&result));
    let check = command(work.path())
        .args(["check", "--out"])
        .arg(&out)
        .arg("--schema")
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
}

/// With stdout piped (a deploy log), each applied migration's line arrives
/// while migrate is still running, not only at exit: a kill loses nothing
/// of what was said.
#[tokio::test]
async fn each_line_is_out_before_the_next_migration_runs() {
    use std::io::BufRead;
    let dir = folder(&[
        ("0000_quick", 1_000, "CREATE TABLE quick (id int);"),
        ("0001_slow", 2_000, "SELECT pg_sleep(3);"),
    ]);
    let db = test_database().await;
    let mut child = migrate_cmd(dir.path(), db.url(), &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    let first = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("a first line");
    assert!(first.starts_with("applied 0000_quick"), "{first}");
    assert!(
        child.try_wait().unwrap().is_none(),
        "the line came while 0001_slow was still running"
    );
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success());
}
