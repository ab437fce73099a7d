//! What the benches share: sizes from the command line, medians, fresh
//! databases on the local cluster, and `pg_dump --schema-only` to compare with.

#![allow(dead_code)] // each bench uses part of it

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio_postgres::Client;
use vitaes_migrate::local_pg::Cluster;

/// The sizes given as arguments, else `default`.
pub fn counts(default: &[usize]) -> Vec<usize> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if args.is_empty() {
        default.to_vec()
    } else {
        args
    }
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// A client whose connection task runs on the current runtime.
pub async fn connect(url: &str) -> Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

/// Drops and creates `name` (two statements: neither may run in an implicit
/// transaction).
pub async fn fresh_database(admin: &Client, name: &str) {
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&sql).await.unwrap();
    }
}

/// How long one `pg_dump --schema-only` of `db` takes, `None` if it did not run.
pub fn pg_dump(cluster: &Cluster, db: &str) -> Option<Duration> {
    let pg_dump = cluster.bindir().join("pg_dump");
    let start = Instant::now();
    let status = Command::new(&pg_dump)
        .args([
            "--schema-only",
            "-h",
            cluster.host(),
            "-p",
            &cluster.port().to_string(),
            "-U",
            "postgres",
            db,
        ])
        .stdout(Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Some(start.elapsed()),
        other => {
            eprintln!("pg_dump at {} did not run: {other:?}", pg_dump.display());
            None
        }
    }
}
