//! Whole-process no-op `vitaes-migrate push` at 100 / 1000 / 5000 tables next
//! to `pg_dump --schema-only` of the same database: source reading with syn,
//! connecting, introspection, canonicalisation and the diff, all included.
//! Run `cargo bench -p vitaes-migrate --bench push [COUNTS...]`.
//!
//! Each table: 12 columns (`gen_random_uuid()`, `'{}'::jsonb`, `'{}'::text[]`,
//! `now()` defaults among them), a unique, two indexes and a foreign key.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vitaes_migrate::introspect::Filter;
use vitaes_migrate::local_pg::{Cluster, ClusterOptions};

mod common;
use common::{connect, counts, fresh_database, median, pg_dump};
use vitaes_migrate::push::{push, PushOptions};
use vitaes_migrate::source::load_schema;

fn table(i: usize) -> String {
    let parent = if i == 0 { 0 } else { i - 1 };
    format!(
        r#"
#[derive(Table)]
#[table(name = "t{i}", index(name = "t{i}_name_idx", columns(name)), index(name = "t{i}_created_idx", columns(created_at desc)))]
pub struct T{i} {{
    #[column(primary_key, default_sql = "gen_random_uuid()")] pub id: Uuid,
    pub name: String,
    #[column(type = "varchar(255)", unique)] pub email: Option<String>,
    #[column(default_sql = "'{{}}'::jsonb")] pub data: serde_json::Value,
    #[column(default_sql = "'{{}}'::text[]")] pub tags: Vec<String>,
    #[column(default = 0)] pub score: Option<i32>,
    pub ratio: Option<f64>,
    #[column(default = true)] pub active: bool,
    #[column(default_now)] pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    #[column(references(T{parent}, id))] pub parent_id: Option<Uuid>,
}}
"#
    )
}

fn time(runs: usize, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let mut samples = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        if !f() {
            return None;
        }
        samples.push(start.elapsed());
    }
    Some(median(samples))
}

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
        fresh_database(&admin, &db).await;
        let url = cluster.url(&db);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("schema.rs");
        let source: String = std::iter::once("use vitaes_schema::Table;\n".to_string())
            .chain((0..n).map(table))
            .collect();
        std::fs::write(&file, source).unwrap();
        let schema = load_schema(std::slice::from_ref(&file)).unwrap();
        let client = connect(&url).await;
        let options = PushOptions {
            filter: Filter::for_schema(&schema),
            force: true,
            ..PushOptions::default()
        };
        push(&client, &schema, &options)
            .await
            .expect("the first push");

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
