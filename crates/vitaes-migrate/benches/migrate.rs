//! Whole-process `vitaes-migrate migrate` next to drizzle-orm's migrator
//! (`node compat/drizzle/migrate.mjs`, the pinned drizzle-orm) on the same
//! folder: applying N migrations to an empty database, and the deploy that
//! finds nothing to do. Run `cargo bench -p vitaes-migrate --bench migrate
//! [COUNTS...]` after `scripts/test-setup` (for node_modules).
//!
//! Each migration: a table with a unique column and an index, three
//! statements. Ours commits each migration on its own (its row with it);
//! drizzle-orm's runs them all in one transaction.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vitaes_migrate::local_pg::{Cluster, ClusterOptions};

mod common;
use common::{connect, counts, fresh_database, median};
use vitaes_schema_core::journal::{Journal, JournalEntry};

fn folder(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir.join("meta")).unwrap();
    let mut journal = Journal::default();
    for i in 0..n {
        let tag = format!("{i:04}_m{i}");
        std::fs::write(
            dir.join(format!("{tag}.sql")),
            format!(
                "CREATE TABLE \"m{i}\" (\"id\" integer PRIMARY KEY, \"name\" text UNIQUE);\n--> statement-breakpoint\n\
                 CREATE INDEX \"m{i}_name_idx\" ON \"m{i}\" (\"name\");\n--> statement-breakpoint\n\
                 COMMENT ON TABLE \"m{i}\" IS 'migration {i}';"
            ),
        )
        .unwrap();
        journal.entries.push(JournalEntry {
            idx: i as u32,
            version: "7".into(),
            when: 1_700_000_000_000 + i as u64,
            tag,
            breakpoints: true,
        });
    }
    std::fs::write(dir.join("meta/_journal.json"), journal.to_json()).unwrap();
}

fn run(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let counts = counts(&[10, 100, 500]);
    let cli = env!("CARGO_BIN_EXE_vitaes-migrate");
    let compat = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../compat/drizzle");
    let node = compat.join("node_modules/drizzle-orm").is_dir();
    if !node {
        eprintln!("compat/drizzle/node_modules is missing (run scripts/test-setup): drizzle-orm's column is left out");
    }
    let cluster = Cluster::start(ClusterOptions::default()).expect("a local PostgreSQL");
    let admin = connect(&cluster.url("postgres")).await;
    println!(
        "{:>10}  {:>14}  {:>14}  {:>14}  {:>14}",
        "migrations", "ours: apply", "drizzle: apply", "ours: no-op", "drizzle: no-op"
    );
    for n in counts {
        let dir = tempfile::tempdir().unwrap();
        folder(dir.path(), n);
        let mut results = Vec::new();
        for tool in ["ours", "drizzle"] {
            if tool == "drizzle" && !node {
                results.push(("-".to_string(), "-".to_string()));
                continue;
            }
            let (mut apply, mut noop) = (Vec::new(), Vec::new());
            for round in 0..3 {
                let db = format!("migrate_{tool}_{n}_{round}");
                fresh_database(&admin, &db).await;
                let url = cluster.url(&db);
                let cmd = || {
                    if tool == "ours" {
                        let mut c = Command::new(cli);
                        c.arg("migrate")
                            .arg("--out")
                            .arg(dir.path())
                            .args(["--url", &url]);
                        c
                    } else {
                        let mut c = Command::new("node");
                        c.arg(compat.join("migrate.mjs")).arg(dir.path()).arg(&url);
                        c
                    }
                };
                apply.push(run(&mut cmd()));
                noop.push(run(&mut cmd()));
            }
            results.push((ms(median(apply)), ms(median(noop))));
        }
        println!(
            "{n:>10}  {:>14}  {:>14}  {:>14}  {:>14}",
            results[0].0, results[1].0, results[0].1, results[1].1
        );
    }
}
