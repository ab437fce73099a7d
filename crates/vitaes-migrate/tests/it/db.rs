//! `vitaes-migrate db`: the project's development database, from the
//! installed PostgreSQL binaries (this machine has no Docker engine; where
//! one runs, the compose path is what `db start` takes without `--local`).

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use crate::cmd::{command, text};
use crate::paths::vitaes_schema_dir;

/// A free port on loopback, for the project's URL.
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A project whose vitaes.toml points at the Vitaes schema and a URL on
/// `port`; its folder is traversable, as the `postgres` user (which runs the
/// server when the tests run as root) must pass through it.
fn project(port: u16) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        dir.path().join("vitaes.toml"),
        format!(
            "schema = [{:?}]\nout = \"m\"\n\n[database]\nurl = \"postgresql://postgres:s3cret-pw@localhost:{port}/app\"\n",
            vitaes_schema_dir()
        ),
    )
    .unwrap();
    dir
}

fn db(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = command(dir);
    cmd.arg("db").args(args);
    if args[0] != "url" {
        cmd.arg("--local");
    }
    cmd.output().unwrap()
}

fn vitaes(dir: &Path, args: &[&str]) -> Output {
    command(dir).args(args).output().unwrap()
}

async fn rows(url: &str) -> Result<i64, tokio_postgres::Error> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(conn);
    Ok(client
        .query_one("SELECT count(*) FROM \"user\"", &[])
        .await?
        .get(0))
}

#[tokio::test]
async fn start_push_stop_start_keeps_the_data_and_down_deletes_it() {
    if vitaes_migrate::commands::db::docker_engine_runs() {
        eprintln!("a Docker engine runs here: this test exercises the local path (--local) only");
    } else {
        eprintln!("no Docker engine here: the compose path is not exercised, the local one is");
    }
    let port = free_port();
    let p = project(port);
    let dir = p.path().to_path_buf();
    let run = |args: &'static [&'static str]| {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || db(&dir, args))
    };
    let out = run(&["start"]).await.unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("Created and started"), "{}", text(&out));
    assert!(
        !text(&out).contains("s3cret-pw"),
        "password printed: {}",
        text(&out)
    );
    let again = run(&["start"]).await.unwrap();
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(text(&again).contains("Already running"), "{}", text(&again));

    let url = String::from_utf8(run(&["url"]).await.unwrap().stdout).unwrap();
    let url = url.trim().to_string();
    assert_eq!(
        url,
        format!("postgresql://postgres:s3cret-pw@localhost:{port}/app")
    );
    let d = dir.clone();
    let pushed = tokio::task::spawn_blocking(move || vitaes(&d, &["push", "--force"]))
        .await
        .unwrap();
    assert_eq!(pushed.status.code(), Some(0), "{}", text(&pushed));
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let conn = tokio::spawn(conn);
    client
        .batch_execute(
            "INSERT INTO \"user\" (id, name, email, email_verified, created_at, updated_at)
             VALUES ('u1', 'Ada', 'ada@example.com', true, now(), now())",
        )
        .await
        .unwrap();
    drop(client);
    let _ = conn.await;

    let status = run(&["status"]).await.unwrap();
    let said = text(&status);
    assert!(
        said.contains("running") && !said.contains("not running"),
        "{said}"
    );
    assert!(
        said.contains(&format!("postgresql://postgres:***@localhost:{port}/app")),
        "{said}"
    );
    assert!(said.contains(".vitaes/postgres"), "{said}");
    assert!(!said.contains("s3cret-pw"), "{said}");

    let stopped = run(&["stop"]).await.unwrap();
    assert_eq!(stopped.status.code(), Some(0), "{}", text(&stopped));
    assert!(rows(&url).await.is_err(), "the server is down");
    let out = run(&["start"]).await.unwrap();
    assert!(text(&out).contains("Started:"), "{}", text(&out));
    assert_eq!(
        rows(&url).await.unwrap(),
        1,
        "the row inserted before is there"
    );

    let logs = run(&["logs"]).await.unwrap();
    assert!(
        text(&logs).contains("database system is ready to accept connections"),
        "{}",
        text(&logs)
    );

    // `--follow` keeps printing what the server writes: this stop's line,
    // written after it started (the log has the first stop's already).
    let before = std::fs::read_to_string(dir.join(".vitaes/postgres/server.log"))
        .unwrap()
        .matches("database system is shut down")
        .count();
    let mut follow = command(&dir)
        .args(["db", "logs", "--follow", "--local"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = follow.stdout.take().unwrap();
    let seen = std::thread::spawn(move || {
        use std::io::BufRead;
        std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .filter(|l| l.contains("database system is shut down"))
            .nth(before)
            .is_some()
    });
    let stopped = run(&["stop"]).await.unwrap();
    assert_eq!(stopped.status.code(), Some(0), "{}", text(&stopped));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !seen.is_finished() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    follow.kill().unwrap();
    let _ = follow.wait();
    assert!(seen.join().unwrap(), "logs --follow printed the shutdown");

    let refused = run(&["down"]).await.unwrap();
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        dir.join(".vitaes/postgres").exists(),
        "nothing deleted without --force"
    );
    let down = run(&["down", "--force"]).await.unwrap();
    assert_eq!(down.status.code(), Some(0), "{}", text(&down));
    assert!(
        !dir.join(".vitaes/postgres").exists(),
        "the data folder is gone"
    );

    let out = run(&["start"]).await.unwrap();
    assert!(text(&out).contains("Created and started"), "{}", text(&out));
    let err = rows(&url).await.expect_err("a new, empty database");
    assert_eq!(
        err.as_db_error().map(|d| d.code().code()),
        Some("42P01"),
        "{err}"
    );
    let down = run(&["down", "--force"]).await.unwrap();
    assert_eq!(down.status.code(), Some(0), "{}", text(&down));
}

#[test]
fn a_busy_port_and_data_of_another_version_are_said() {
    let busy = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = busy.local_addr().unwrap().port();
    let p = project(port);
    let out = db(p.path(), &["start"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains(&format!(
            "port {port} on 127.0.0.1 is in use by another program"
        )),
        "{}",
        text(&out)
    );
    drop(busy);

    let p = project(free_port());
    let data = p.path().join(".vitaes/postgres/data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("PG_VERSION"), "9\n").unwrap();
    let out = db(p.path(), &["start"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("holds data of PostgreSQL 9"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("db down"), "{}", text(&out));
}

/// The command run by an ordinary user: as root, the `postgres` system user
/// runs it (the other test covers root, where the server is switched to that
/// user); otherwise the current user, which is ordinary already.
#[test]
fn an_ordinary_user_starts_stops_and_deletes_it() {
    use std::os::unix::process::CommandExt;
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let euid: u32 = status
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .and_then(|l| l.split_whitespace().nth(2))
        .unwrap()
        .parse()
        .unwrap();
    let user = (euid == 0).then(|| {
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
        let fields: Vec<String> = passwd
            .lines()
            .find(|l| l.starts_with("postgres:"))
            .expect("a postgres user (scripts/test-setup makes one)")
            .split(':')
            .map(str::to_string)
            .collect();
        let (uid, gid): (u32, u32) = (fields[2].parse().unwrap(), fields[3].parse().unwrap());
        (uid, gid)
    });
    let p = project(free_port());
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(p.path(), Some(uid), Some(gid)).unwrap();
        std::os::unix::fs::chown(p.path().join("vitaes.toml"), Some(uid), Some(gid)).unwrap();
    }
    let run = |args: &[&str]| {
        let mut cmd = command(p.path());
        cmd.arg("db").args(args).arg("--local");
        if let Some((uid, gid)) = user {
            cmd.uid(uid).gid(gid).env("HOME", "/tmp");
        }
        cmd.output().unwrap()
    };
    let out = run(&["start"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("Created and started"), "{}", text(&out));
    if let Some((uid, _)) = user {
        use std::os::unix::fs::MetadataExt;
        let owner = std::fs::metadata(p.path().join(".vitaes/postgres"))
            .unwrap()
            .uid();
        assert_eq!(owner, uid, "the data belongs to the user who ran it");
    }
    let out = run(&["stop"]);
    assert!(text(&out).contains("Stopped"), "{}", text(&out));
    let out = run(&["down", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(!p.path().join(".vitaes/postgres").exists());
}
