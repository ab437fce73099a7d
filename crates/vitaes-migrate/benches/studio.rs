//! The studio's table view on a table of 1,000,000 rows: each page is one
//! HTTP request to the running binary (keyset paging on the key, so a page
//! deep in the table costs what the first does), timed from the request to
//! the last byte of the answer.
//! Run `cargo bench -p vitaes-migrate --bench studio [ROWS]`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vitaes_migrate::local_pg::{Cluster, ClusterOptions};

mod common;
use common::{connect, counts, fresh_database, median};

/// One POST to the studio; the status code and how long it took.
fn post(port: u16, token: &str, path: &str, body: &str) -> (u16, Duration) {
    let start = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let host = format!("127.0.0.1:{port}");
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nCookie: vitaes_studio={token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, start.elapsed())
}

fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let rows = counts(&[1_000_000])[0];
    let cluster = Cluster::start(ClusterOptions::default()).expect("a local PostgreSQL");
    let admin = connect(&cluster.url("postgres")).await;
    fresh_database(&admin, "studio_bench").await;
    let url = cluster.url("studio_bench");
    let client = connect(&url).await;
    let built = Instant::now();
    client
        .batch_execute(&format!(
            "CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
                                 created_at timestamptz NOT NULL DEFAULT now(), data jsonb);
             INSERT INTO items (name, data)
               SELECT 'item ' || i, jsonb_build_object('n', i) FROM generate_series(1, {rows}) i;"
        ))
        .await
        .unwrap();
    client.batch_execute("VACUUM ANALYZE items").await.unwrap();
    println!("{rows} rows in {:.1} s", built.elapsed().as_secs_f64());

    let mut studio = Command::new(env!("CARGO_BIN_EXE_vitaes-migrate"))
        .args(["studio", "--url", &url, "--port", "0", "--no-open"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(studio.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let rest = line
        .trim()
        .strip_prefix("Studio: http://127.0.0.1:")
        .unwrap();
    let (port, token) = rest.split_once("/?token=").unwrap();
    let port: u16 = port.parse().unwrap();

    let page = |after: Option<u64>| {
        let after = after.map_or(String::new(), |id| {
            format!(r#", "after": {{"id": "{id}"}}"#)
        });
        post(
            port,
            token,
            "/api/rows",
            &format!(r#"{{"schema": "public", "table": "items", "limit": 50{after}}}"#),
        )
    };
    // Warm the connection and the plan cache.
    assert_eq!(page(None).0, 200);
    let mut first = Vec::new();
    let mut deep = Vec::new();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..50 {
        first.push(page(None).1);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let (status, took) = page(Some(seed % rows as u64));
        assert_eq!(status, 200);
        deep.push(took);
    }
    let filtered = (0..20)
        .map(|i| {
            let (status, took) = post(
                port,
                token,
                "/api/rows",
                &format!(
                    r#"{{"schema": "public", "table": "items", "limit": 50, "filters": [{{"column": "id", "op": "gte", "value": "{}"}}]}}"#,
                    i * 40_000
                ),
            );
            assert_eq!(status, 200);
            took
        })
        .collect::<Vec<_>>();
    let _ = studio.kill();
    let _ = studio.wait();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{:<34} {:>8} {:>8} {:>8}",
        "page of 50 rows (HTTP, whole)", "median", "p95", "max"
    );
    for (what, samples) in [
        ("first page", first),
        ("after a random key", deep),
        ("filtered id >= N", filtered),
    ] {
        println!(
            "{what:<34} {:>6.2}ms {:>6.2}ms {:>6.2}ms",
            ms(median(samples.clone())),
            ms(percentile(samples.clone(), 0.95)),
            ms(*samples.iter().max().unwrap())
        );
    }
}
