//! `status` states from crafted databases, drift from a hand-changed one, and
//! `drop` refusing a migration the database has.

use tokio_postgres::Client;
use vitaes_schema_core::journal::Journal;
use vitaes_test_support::test_database;

use crate::cmd::{run_async, text, write_folder};
use crate::drizzle::drizzle_orm_migrate;
use crate::paths::{vitaes_fixture_dir, vitaes_schema_dir};

async fn exec(client: &Client, sql: &str) {
    client.batch_execute(sql).await.unwrap();
}

#[tokio::test]
async fn each_state_is_shown_with_its_applied_time() {
    let db = test_database().await;
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("m");
    // The database got 0000, 0002 and a migration since deleted (when 5000).
    write_folder(
        &dir,
        &[
            ("0000_a", 1000, "CREATE TABLE a (id int);"),
            ("0002_c", 3000, "CREATE TABLE c (id int);"),
            ("0003_gone", 5000, "CREATE TABLE gone (id int);"),
        ],
    );
    let out = run_async(work.path(), &["migrate", "--out", "m", "--url", db.url()]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    std::fs::remove_dir_all(&dir).unwrap();
    // The folder now: 0000 edited, 0001 merged from a branch, 0003 new.
    write_folder(
        &dir,
        &[
            ("0000_a", 1000, "CREATE TABLE a (id bigint);"),
            ("0001_b", 2000, "CREATE TABLE b (id int);"),
            ("0002_c", 3000, "CREATE TABLE c (id int);"),
            ("0003_d", 6000, "CREATE TABLE d (id int);"),
        ],
    );
    let out = run_async(
        work.path(),
        &["status", "--out", "m", "--url", db.url(), "--json"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<(String, String, bool)> = json["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["tag"].as_str().unwrap_or("-").to_string(),
                m["state"].as_str().unwrap().to_string(),
                m["applied_at"].is_string(),
            )
        })
        .collect();
    let expected = [
        ("0000_a", "modified", true),
        ("0001_b", "out-of-order", false),
        ("0002_c", "applied", true),
        ("0003_d", "pending", false),
        ("-", "missing", true),
    ]
    .map(|(t, s, a)| (t.to_string(), s.to_string(), a));
    assert_eq!(states, expected);
    assert_eq!(json["drift"]["checked"], false);

    let human = run_async(work.path(), &["status", "--out", "m", "--url", db.url()]).await;
    let stdout = String::from_utf8_lossy(&human.stdout);
    let words: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for line in [
        &["MODIFIED", "0000_a", "applied"][..],
        &["out-of-order", "0001_b"],
        &["applied", "0002_c", "applied"],
        &["pending", "0003_d"],
        &["missing", "(no", "file;", "created_at", "5000)", "applied"],
    ] {
        assert!(
            words
                .iter()
                .any(|w| w.len() >= line.len() && w[..line.len()] == *line),
            "{line:?} in {stdout}"
        );
    }
    let strict = run_async(
        work.path(),
        &["status", "--out", "m", "--url", db.url(), "--exit-code"],
    )
    .await;
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
    assert!(
        String::from_utf8_lossy(&strict.stderr).contains("4 migrations not applied"),
        "{}",
        text(&strict)
    );
}

/// A database drizzle-orm's migrator built: all applied, no times (its
/// table has no such column), no drift against the Rust schema; then a hand
/// change shows as the statement push would run.
#[tokio::test]
async fn drift_from_a_hand_change_is_shown_as_push_would_undo_it() {
    let db = test_database().await;
    let work = tempfile::tempdir().unwrap();
    let (folder, url) = (vitaes_fixture_dir(), db.url().to_string());
    let migrated = tokio::task::spawn_blocking(move || drizzle_orm_migrate(&folder, &url))
        .await
        .unwrap();
    assert!(migrated.status.success(), "{}", text(&migrated));
    let fixture = vitaes_fixture_dir();
    let schema = vitaes_schema_dir();
    let args = [
        "status",
        "--out",
        fixture.to_str().unwrap(),
        "--schema",
        schema.to_str().unwrap(),
        "--url",
        db.url(),
        "--exit-code",
    ];
    let out = run_async(work.path(), &args).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("applied      0000_init  applied (time not recorded)\n")
            && stdout.contains("Drift: none, the database matches the code"),
        "{stdout}"
    );

    let client = db.connect().await;
    exec(
        &client,
        r#"ALTER TABLE "resume" ADD COLUMN "scratch" text; DROP INDEX "idx_resume_slug""#,
    )
    .await;
    let out = run_async(work.path(), &args).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Drift: the database differs from the code:\n--- database\n+++ code\n")
            && stdout.contains("-\t\"scratch\" text")
            && stdout.contains("push would run:")
            && stdout.contains(r#"ALTER TABLE "resume" DROP COLUMN "scratch";"#)
            && stdout.contains(r#"CREATE INDEX "idx_resume_slug""#),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the database differs from the code"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn drop_refuses_an_applied_migration_and_needs_force_without_a_database() {
    let db = test_database().await;
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("m");
    let two = [
        ("0000_a", 1000, "CREATE TABLE a (id int);"),
        ("0001_b", 2000, "CREATE TABLE b (id int);"),
    ];
    write_folder(&dir, &two);
    for idx in 0..2 {
        std::fs::write(dir.join(format!("meta/{idx:04}_snapshot.json")), "{}").unwrap();
    }
    let out = run_async(work.path(), &["migrate", "--out", "m", "--url", db.url()]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let refused = run_async(
        work.path(),
        &["drop", "--out", "m", "--url", db.url(), "--force"],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("0001_b is applied to postgresql://"),
        "{}",
        text(&refused)
    );
    assert!(dir.join("0001_b.sql").exists());

    // Not applied on a fresh database: dropped with --force.
    let fresh = test_database().await;
    let out = run_async(
        work.path(),
        &["drop", "--out", "m", "--url", fresh.url(), "--force"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0001_b is not applied"));
    assert!(!dir.join("0001_b.sql").exists() && !dir.join("meta/0001_snapshot.json").exists());
    let journal =
        Journal::from_json(&std::fs::read_to_string(dir.join("meta/_journal.json")).unwrap())
            .unwrap();
    assert_eq!(journal.entries.len(), 1);

    // No database configured and no terminal: --force is required.
    let out = run_async(work.path(), &["drop", "--out", "m"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains(
            "could not check whether 0000_a is applied anywhere (no database is configured)"
        ) && all.contains("pass --force"),
        "{all}"
    );
    assert!(dir.join("0000_a.sql").exists());
    // A database configured but out of reach: exit 3, nothing dropped, even
    // with --force; --never-applied is the user saying it is safe.
    let unreachable = "postgres://u:Marker-Pw-8731@127.0.0.1:1/db";
    let before = std::fs::read(dir.join("meta/_journal.json")).unwrap();
    let kept: Vec<(&str, Vec<u8>)> = [
        "0000_a.sql",
        "meta/_journal.json",
        "meta/0000_snapshot.json",
    ]
    .into_iter()
    .map(|f| (f, std::fs::read(dir.join(f)).unwrap()))
    .collect();
    let out = run_async(
        work.path(),
        &["drop", "--out", "m", "--url", unreachable, "--force"],
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(text(&out).contains("--never-applied"), "{}", text(&out));
    assert!(!text(&out).contains("Marker-Pw"), "{}", text(&out));
    assert!(dir.join("0000_a.sql").exists());
    assert_eq!(
        std::fs::read(dir.join("meta/_journal.json")).unwrap(),
        before
    );
    let out = run_async(
        work.path(),
        &[
            "drop",
            "--out",
            "m",
            "--url",
            unreachable,
            "--force",
            "--never-applied",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!dir.join("0000_a.sql").exists());

    // With no database configured at all, --force alone drops.
    for (file, bytes) in &kept {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
    let out = run_async(work.path(), &["drop", "--out", "m", "--force"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!dir.join("0000_a.sql").exists());
}

/// On a terminal `drop` asks; "no" keeps the migration, "yes" drops it.
#[test]
fn drop_asks_on_a_terminal() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("m");
    write_folder(
        &dir,
        &[
            ("0000_a", 1000, "CREATE TABLE a (id int);"),
            ("0001_b", 2000, "CREATE TABLE b (id int);"),
        ],
    );
    let ask = |keys: &str| {
        // Not `cmd::command`: its null stdin would hide the terminal.
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_vitaes-migrate"));
        cmd.current_dir(work.path())
            .env_remove("DATABASE_URL")
            .env("TERM", "xterm")
            .args(["drop", "--out", "m"]);
        let mut session =
            rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn on a pty");
        session
            .exp_string("could not check whether 0001_b is applied anywhere")
            .expect("the note");
        session
            .exp_string("Drop 0001_b (its .sql file, snapshot and journal entry)?")
            .expect("the question");
        std::thread::sleep(std::time::Duration::from_millis(300));
        session.send(keys).unwrap();
        session.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        session.send("\r").unwrap();
        session.flush().unwrap();
        session.exp_eof().expect("the command ends")
    };
    let kept = ask("");
    assert!(kept.contains("Kept 0001_b"), "{kept}");
    assert!(dir.join("0001_b.sql").exists());
    let dropped = ask("j");
    assert!(dropped.contains("Dropped 0001_b"), "{dropped}");
    assert!(!dir.join("0001_b.sql").exists() && dir.join("0000_a.sql").exists());
}
