//! Introspection time at 100 / 1000 / 5000 tables next to `pg_dump
//! --schema-only` on the same database. A bench binary, not a test: run
//! `cargo bench -p vitaes-migrate --bench introspect` (add table counts as
//! arguments to choose others).
//!
//! Each table has 12 columns (expression defaults included), a unique, two
//! indexes and a foreign key, like the tables of a real application.

use std::time::{Duration, Instant};

use vitaes_migrate::introspect::{introspect, Filter};
use vitaes_migrate::local_pg::{Cluster, ClusterOptions};

mod common;
use common::{connect, counts, fresh_database, median, pg_dump};

fn table_ddl(i: usize) -> String {
    let fk = if i == 0 {
        String::new()
    } else {
        format!(", parent_id uuid REFERENCES t{} (id)", i - 1)
    };
    format!(
        "CREATE TABLE t{i} (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name text NOT NULL,
            email varchar(255) UNIQUE,
            data jsonb NOT NULL DEFAULT '{{}}'::jsonb,
            tags text[] NOT NULL DEFAULT '{{}}'::text[],
            score integer DEFAULT 0,
            ratio double precision,
            active boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz,
            note text{fk}
         );
         CREATE INDEX t{i}_name_idx ON t{i} (name);
         CREATE INDEX t{i}_lower_email_idx ON t{i} (lower(email)) WHERE active;"
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let counts = counts(&[100, 1000, 5000]);
    let cluster = Cluster::start(ClusterOptions::default()).expect("a local PostgreSQL");
    let admin = connect(&cluster.url("postgres")).await;
    println!(
        "{:>6}  {:>14}  {:>14}  {:>8}",
        "tables", "introspect", "pg_dump -s", "ratio"
    );
    for n in counts {
        let db = format!("bench_{n}");
        fresh_database(&admin, &db).await;
        let client = connect(&cluster.url(&db)).await;
        for chunk in (0..n).collect::<Vec<_>>().chunks(200) {
            let ddl: String = chunk.iter().map(|&i| table_ddl(i)).collect();
            client.batch_execute(&ddl).await.unwrap();
        }
        client.batch_execute("ANALYZE").await.unwrap();

        let mut ours = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let live = introspect(&client, &Filter::default()).await.unwrap();
            ours.push(start.elapsed());
            assert_eq!(live.schema.tables.len(), n);
        }
        let dump: Option<Vec<Duration>> = (0..5).map(|_| pg_dump(&cluster, &db)).collect();
        let (ours, dump) = (median(ours), dump.map(median));
        match dump {
            Some(d) => println!(
                "{n:>6}  {:>11.1} ms  {:>11.1} ms  {:>7.2}x",
                ours.as_secs_f64() * 1e3,
                d.as_secs_f64() * 1e3,
                d.as_secs_f64() / ours.as_secs_f64()
            ),
            None => println!("{n:>6}  {:>11.1} ms  {:>14}", ours.as_secs_f64() * 1e3, "-"),
        }
    }
}
