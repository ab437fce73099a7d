//! Whole-process no-op `vitaes-migrate push` at 100 / 1000 / 5000 tables next
//! to `pg_dump --schema-only` of the same database: source reading with syn,
//! connecting, introspection, canonicalisation and the diff, all included.
//! Run `cargo bench -p vitaes-migrate --bench push [COUNTS...]`.
//!
//! Each table (`common::table`): 12 columns (`gen_random_uuid()`,
//! `'{}'::jsonb`, `'{}'::text[]`, `now()` defaults among them), a unique, two
//! indexes and a foreign key.

use std::process::{Command, Stdio};
use std::time::Duration;

use vitaes_migrate::local_pg::{Cluster, ClusterOptions};

mod common;
use common::{connect, counts, median, pg_dump, pushed_database, time};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let counts = counts(&[100, 1000, 5000]);
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
        "tables", "no-op push", "pg_dump -s", "ratio"
    );
    for n in counts {
        let db = format!("push_{n}");
        let (url, dir) = pushed_database(&cluster, &admin, &db, n).await;

        let ours = time(5, || {
            let out = Command::new(cli)
                .current_dir(dir.path())
                .args(["push", "--schema", "schema.rs", "--url", &url])
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && said.contains("No changes detected"),
                "{said}{}",
                String::from_utf8_lossy(&out.stderr)
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
