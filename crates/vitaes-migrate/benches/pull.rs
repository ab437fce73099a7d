//! Whole-process `vitaes-migrate pull` at 1000 tables (by default) next to
//! `pg_dump --schema-only` of the same database: connecting, introspection,
//! rendering every struct and writing the files, all included.
//! Run `cargo bench -p vitaes-migrate --bench pull [COUNTS...]`.
//!
//! The database is the push bench's (`common::table`), built once per size
//! by a forced push; each run pulls it into the same folder with `--force`.

use std::process::{Command, Stdio};
use std::time::Duration;

use vitaes_migrate::local_pg::{Cluster, ClusterOptions};

mod common;
use common::{connect, counts, median, pg_dump, pushed_database, time};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let counts = counts(&[1000]);
    let cli = env!("CARGO_BIN_EXE_vitaes-migrate");
    // The first push creates every table in one transaction: thousands of
    // tables need more lock slots than PostgreSQL's default.
    let cluster = Cluster::start(ClusterOptions {
        settings: vec![("max_locks_per_transaction".into(), "1024".into())],
        ..ClusterOptions::default()
    })
    .expect("a local PostgreSQL");
    let admin = connect(&cluster.url("postgres")).await;
    println!(
        "{:>6}  {:>16}  {:>14}  {:>8}",
        "tables", "pull", "pg_dump -s", "ratio"
    );
    for n in counts {
        let db = format!("pull_{n}");
        let (url, _source) = pushed_database(&cluster, &admin, &db, n).await;
        let out = tempfile::tempdir().unwrap();
        let said_tables = format!("{n} tables");

        let ours = time(5, || {
            let pulled = Command::new(cli)
                .current_dir(out.path())
                .args(["pull", "--url", &url, "--out-code", "schema", "--force"])
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&pulled.stdout);
            assert!(
                pulled.status.success() && said.contains(&said_tables),
                "{said}{}",
                String::from_utf8_lossy(&pulled.stderr)
            );
            true
        })
        .unwrap();
        let dump: Option<Vec<Duration>> = (0..5).map(|_| pg_dump(&cluster, &db)).collect();
        let dump = dump.map(median);
        match dump {
            Some(d) => println!(
                "{n:>6}  {:>13.1} ms  {:>11.1} ms  {:>7.2}x",
                ours.as_secs_f64() * 1e3,
                d.as_secs_f64() * 1e3,
                d.as_secs_f64() / ours.as_secs_f64()
            ),
            None => println!("{n:>6}  {:>13.1} ms  {:>14}", ours.as_secs_f64() * 1e3, "-"),
        }
    }
}
