//! Faults while applying: many pushes at once, a push whose connection is
//! cut, a migration waiting for a table lock another session holds.

use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use tokio_postgres::Client;
use vitaes_migrate::local_pg::{Cluster, ClusterOptions};
use vitaes_test_support::test_database;

use crate::cmd::{command, text, write_folder};

const SCHEMA: &str = r#"
use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
#[pg_enum(name = "shade")]
pub enum Shade { Light, Dark }

#[derive(Table)]
pub struct Palette {
    #[column(primary_key)]
    pub id: i32,
    pub shade: Shade,
    #[column(unique)]
    pub name: String,
}

#[derive(Table)]
pub struct Swatch {
    #[column(primary_key)]
    pub id: i32,
    #[column(references(Palette, id))]
    pub palette_id: i32,
}
"#;

/// A project whose `schema/` holds `schema`.
fn project(schema: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/app.rs"), schema).unwrap();
    dir
}

fn push_cmd(dir: &Path, url: &str, extra: &[&str]) -> std::process::Command {
    let mut cmd = command(dir);
    cmd.args(["push", "--schema", "schema", "--force", "--url", url])
        .args(extra);
    cmd
}

fn wait_all(mut children: Vec<Child>) -> Vec<Output> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while children.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        if Instant::now() > deadline {
            for c in &mut children {
                let _ = c.kill();
            }
            panic!("push processes still running after 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect()
}

async fn connect(url: &str) -> Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

/// Eight pushes of one schema at once: one applies it, the others wait for
/// the lock, plan again and exit 0 with nothing to do; the server log shows
/// each statement of the plan once.
#[tokio::test]
async fn eight_concurrent_pushes_apply_the_plan_once() {
    let cluster = tokio::task::spawn_blocking(|| {
        Cluster::start(ClusterOptions {
            settings: vec![("log_statement".into(), "all".into())],
            ..ClusterOptions::default()
        })
        .expect("a cluster logging statements")
    })
    .await
    .unwrap();
    let admin = connect(&cluster.url("postgres")).await;
    admin.batch_execute("CREATE DATABASE pushes").await.unwrap();
    let url = cluster.url("pushes");
    let p = project(SCHEMA);
    let children: Vec<Child> = (0..8)
        .map(|_| {
            push_cmd(p.path(), &url, &[])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs = tokio::task::spawn_blocking(move || wait_all(children))
        .await
        .unwrap();
    for o in &outputs {
        assert_eq!(o.status.code(), Some(0), "{}", text(o));
    }
    let applied = outputs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("Changes applied"))
        .count();
    let nothing = outputs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stdout).contains("No changes detected"))
        .count();
    assert_eq!(
        (applied, nothing),
        (1, 7),
        "{}",
        outputs.iter().map(text).collect::<Vec<_>>().join("\n")
    );
    assert!(
        outputs.iter().any(|o| String::from_utf8_lossy(&o.stderr)
            .contains("waiting for the migration lock held by another push or migrate")),
        "no push waited"
    );
    let log = std::fs::read_to_string(cluster.log_file()).unwrap();
    for statement in [
        "CREATE TYPE \"public\".\"shade\"",
        "CREATE TABLE \"palette\"",
        "CREATE TABLE \"swatch\"",
    ] {
        let ran = log
            .lines()
            .filter(|l| l.contains(&format!("statement: {statement}")))
            .count();
        assert_eq!(ran, 1, "{statement} ran {ran} times");
    }
}

/// The backend of a push waiting in its transaction is terminated: exit 3,
/// said as the connection lost with the transaction rolled back (not "the
/// database rejected a statement"), and the database is as it was.
#[tokio::test]
async fn a_push_whose_connection_is_cut_is_exit_3_and_rolled_back() {
    let db = test_database().await;
    let p = project("use vitaes_schema::Table;\n#[derive(Table)] pub struct Ledger { #[column(primary_key)] pub id: i32 }\n");
    let first =
        crate::cmd::run_async(p.path(), &["push", "--schema", "schema", "--url", db.url()]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    std::fs::write(
        p.path().join("schema/app.rs"),
        "use vitaes_schema::Table;\n#[derive(Table)] pub struct Ledger { #[column(primary_key)] pub id: i32, pub note: Option<String> }\n",
    )
    .unwrap();

    // SHARE lets push read and count rows, but its ALTER TABLE waits.
    let blocker = db.connect().await;
    blocker
        .batch_execute("BEGIN; LOCK TABLE ledger IN SHARE MODE")
        .await
        .unwrap();
    let child = push_cmd(p.path(), db.url(), &["--lock-timeout", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let watcher = db.connect().await;
    let start = Instant::now();
    loop {
        let terminated: i64 = watcher
            .query_one(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                  WHERE datname = current_database() AND wait_event_type = 'Lock'
                    AND query LIKE 'ALTER TABLE%'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        if terminated > 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "push never waited on the lock"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    blocker.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("lost the connection while running ALTER TABLE"),
        "{said}"
    );
    assert!(said.contains("nothing of it was applied"), "{said}");
    assert!(
        !said.contains("the database rejected a statement"),
        "{said}"
    );
    let columns: i64 = watcher
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'ledger'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(columns, 1, "the column was not added");
}

/// A migration whose statement waits for a table lock gives up after
/// `--lock-timeout`, names the lock and its holder, and says the file is
/// fine; nothing of the migration is kept, and it applies once the lock is
/// gone.
#[tokio::test]
async fn migrate_gives_up_on_a_held_table_lock_and_names_it() {
    let db = test_database().await;
    let client = db.connect().await;
    client
        .batch_execute("CREATE TABLE account (id int)")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_folder(
        dir.path(),
        &[(
            "0000_note",
            1000,
            "ALTER TABLE account ADD COLUMN note text;",
        )],
    );
    let blocker = db.connect().await;
    blocker
        .batch_execute("BEGIN; LOCK TABLE account IN SHARE MODE")
        .await
        .unwrap();
    let blocker_pid: i32 = blocker
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0);
    let out_dir = dir.path().to_str().unwrap().to_string();
    let run = |timeout: &'static str| {
        let (out_dir, url) = (out_dir.clone(), db.url().to_string());
        tokio::task::spawn_blocking(move || {
            command(&std::env::temp_dir())
                .args([
                    "migrate",
                    "--out",
                    &out_dir,
                    "--url",
                    &url,
                    "--lock-timeout",
                    timeout,
                ])
                .output()
                .unwrap()
        })
    };
    let started = Instant::now();
    let out = run("1s").await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(30), "it gave up");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains(&format!(
            "waited longer than the lock timeout for a lock on \"account\" (ShareLock, backend pid {blocker_pid}, idle in transaction)"
        )),
        "{said}"
    );
    assert!(said.contains("nothing is wrong with the file"), "{said}");
    assert!(!said.contains("fix the file"), "{said}");

    blocker.batch_execute("ROLLBACK").await.unwrap();
    let out = run("1s").await.unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("applied 0000_note"), "{}", text(&out));
}
