//! What the benches share: sizes from the command line, medians, fresh
//! databases on the local cluster, the push and pull benches' tables (and a
//! database built from them), and `pg_dump --schema-only` to compare with.

#![allow(dead_code)] // each bench uses part of it

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio_postgres::Client;
use vitaes_migrate::introspect::Filter;
use vitaes_migrate::local_pg::Cluster;
use vitaes_migrate::push::{push, PushOptions};
use vitaes_migrate::source::load_schema;

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

/// The median time of `runs` calls of `f`, `None` as soon as one says it
/// did not run.
pub fn time(runs: usize, mut f: impl FnMut() -> bool) -> Option<Duration> {
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

/// Table `i` of the push and pull benches, as a struct: 12 columns
/// (`gen_random_uuid()`, `'{}'::jsonb`, `'{}'::text[]`, `now()` defaults
/// among them), a unique, two indexes and a foreign key to table `i - 1`.
pub fn table(i: usize) -> String {
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

/// Database `db` made afresh with `n` of [`table`] by a forced push; returns
/// its URL and the folder holding their source, `schema.rs`.
pub async fn pushed_database(
    cluster: &Cluster,
    admin: &Client,
    db: &str,
    n: usize,
) -> (String, tempfile::TempDir) {
    fresh_database(admin, db).await;
    let url = cluster.url(db);
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
    (url, dir)
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
