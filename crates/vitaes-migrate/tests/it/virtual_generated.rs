//! Virtual generated columns (`generated(virtual = "...")`): PostgreSQL 18
//! computes them on read. On 18 push creates them, reads them back and plans
//! nothing the second time; on an older server push refuses them by name
//! before touching the database. Each database test checks the server's
//! version and asserts the path that version must take, so no run passes
//! without comparing something.

use std::path::Path;

use vitaes_migrate::diff::{diff, Change, Hazard};
use vitaes_migrate::introspect::{introspect, Filter};
use vitaes_migrate::push::{plan, push, PlanError, PushError};
use vitaes_schema_core::{snapshot, Generated, GeneratedKind, Schema};
use vitaes_test_support::test_database;

use crate::catalog::dump;
use crate::sources::{options, schema_from};

/// `total` and `label` are virtual (`label` through a cast the server
/// spells `lower((name)::text)`), `next_qty` stored.
const VIRTUAL: &str = r#"
#[derive(Table)] pub struct Line {
    #[column(primary_key)] pub id: i32,
    pub qty: i32,
    pub price: i32,
    #[column(type = "varchar(40)")] pub name: String,
    #[column(generated(virtual = "qty * price"))] pub total: i32,
    #[column(generated(virtual = "lower(name)"))] pub label: Option<String>,
    #[column(generated = "qty + 1")] pub next_qty: i32,
}"#;

async fn server_version_num(client: &tokio_postgres::Client) -> i32 {
    client
        .query_one("SELECT current_setting('server_version_num')::int4", &[])
        .await
        .unwrap()
        .get(0)
}

/// `attgenerated` of each column of `line`, by name.
async fn attgenerated(client: &tokio_postgres::Client) -> Vec<(String, String)> {
    client
        .query(
            "SELECT attname::text, attgenerated::text FROM pg_attribute
              WHERE attrelid = 'public.line'::regclass AND attnum > 0 AND NOT attisdropped
              ORDER BY attnum",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// Asserts the refusal an older server gives: both virtual columns named,
/// the server's version said, nothing created.
async fn assert_refused(client: &tokio_postgres::Client, schema: &Schema, version: i32) {
    let err = push(client, schema, &options(schema))
        .await
        .expect_err("virtual columns refused before PostgreSQL 18");
    let PushError::Plan(PlanError::VirtualGenerated {
        columns,
        server_version,
    }) = &err
    else {
        panic!("expected the virtual-column refusal, got {err:?}");
    };
    assert_eq!(columns, &["public.line.total", "public.line.label"]);
    assert!(
        server_version.starts_with(&format!("{}.", version / 10000)),
        "{server_version}"
    );
    let message = err.to_string();
    assert!(
        message.contains("virtual generated columns need PostgreSQL 18")
            && message.contains(&format!("this server is PostgreSQL {server_version}"))
            && message.contains("public.line.total"),
        "{message}"
    );
    assert_eq!(dump(client).await.tables, 0, "nothing created");
}

#[tokio::test]
async fn virtual_columns_pushed_twice_plan_nothing_on_18_and_are_refused_before() {
    let schema = schema_from(VIRTUAL);
    let db = test_database().await;
    let client = db.connect().await;
    let version = server_version_num(&client).await;
    if version < 180000 {
        return assert_refused(&client, &schema, version).await;
    }

    let report = push(&client, &schema, &options(&schema)).await.unwrap();
    assert!(report.applied);
    let kinds: Vec<(String, String)> = attgenerated(&client).await;
    let kind = |c: &str| kinds.iter().find(|(n, _)| n == c).unwrap().1.clone();
    assert_eq!(
        (kind("total"), kind("label"), kind("next_qty"), kind("qty")),
        ("v".into(), "v".into(), "s".into(), String::new())
    );
    client
        .batch_execute("INSERT INTO line (id, qty, price, name) VALUES (1, 3, 5, 'Ab')")
        .await
        .unwrap();
    let row = client
        .query_one("SELECT total, label, next_qty FROM line", &[])
        .await
        .unwrap();
    assert_eq!(
        (
            row.get::<_, i32>(0),
            row.get::<_, String>(1),
            row.get::<_, i32>(2)
        ),
        (15, "ab".to_string(), 4)
    );

    let again = plan(&client, &schema, &options(&schema)).await.unwrap();
    assert!(again.is_empty(), "second push plans {:#?}", again.changes);

    let live = introspect(&client, &Filter::for_schema(&schema))
        .await
        .unwrap()
        .schema;
    let line = live.table("public", "line").unwrap();
    assert_eq!(
        line.column("total").unwrap().generated,
        Some(Generated {
            expr: "(qty * price)".into(),
            kind: GeneratedKind::Virtual
        })
    );
    assert_eq!(
        line.column("label").unwrap().generated,
        Some(Generated {
            expr: "lower((name)::text)".into(),
            kind: GeneratedKind::Virtual
        })
    );
    assert_eq!(
        line.column("next_qty").unwrap().generated,
        Some(Generated::stored("(qty + 1)"))
    );
}

#[tokio::test]
async fn stored_to_virtual_to_plain_is_a_drop_and_add_each_time_on_18() {
    let stored = schema_from(&VIRTUAL.replace(
        "generated(virtual = \"qty * price\")",
        "generated = \"qty * price\"",
    ));
    let plain =
        schema_from(&VIRTUAL.replace("#[column(generated(virtual = \"qty * price\"))] ", ""));
    let virtual_ = schema_from(VIRTUAL);
    let db = test_database().await;
    let client = db.connect().await;
    let version = server_version_num(&client).await;
    if version < 180000 {
        return assert_refused(&client, &virtual_, version).await;
    }

    push(&client, &stored, &options(&stored)).await.unwrap();
    for (to, generated, hazards) in [
        (&virtual_, "v", vec![]),
        (&plain, "", vec![Hazard::DataLoss, Hazard::MayFail]),
    ] {
        let planned = plan(&client, to, &options(to)).await.unwrap();
        let changes: Vec<String> = planned
            .changes
            .iter()
            .map(|c| format!("{} {}", c.kind(), c.object()))
            .collect();
        assert_eq!(changes, ["set_generated public.line.total"]);
        assert_eq!(planned.hazards(), [hazards]);
        push(&client, to, &options(to)).await.unwrap();
        let kinds = attgenerated(&client).await;
        assert_eq!(
            kinds.iter().find(|(n, _)| n == "total").unwrap().1,
            generated
        );
        let again = plan(&client, to, &options(to)).await.unwrap();
        assert!(again.is_empty(), "plans again {:#?}", again.changes);
    }
}

/// `vitaes-migrate push` in a project holding `schema.rs`.
fn cli_push(dir: &Path, url: &str) -> (Option<i32>, String, String) {
    let out = assert_cmd::Command::cargo_bin("vitaes-migrate")
        .unwrap()
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .args(["push", "--schema", "schema.rs", "--url", url])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_push_command_refuses_virtual_columns_before_18_with_exit_2() {
    let db = test_database().await;
    let client = db.connect().await;
    let version = server_version_num(&client).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.rs"), VIRTUAL).unwrap();
    let (path, url) = (dir.path().to_path_buf(), db.url().to_string());
    let (code, out, err) = tokio::task::spawn_blocking(move || cli_push(&path, &url))
        .await
        .unwrap();
    if version >= 180000 {
        assert_eq!(code, Some(0), "{out}{err}");
        assert_eq!(attgenerated(&client).await.len(), 7);
        return;
    }
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains(&format!(
            "virtual generated columns need PostgreSQL 18 or newer; this server is PostgreSQL {}.",
            version / 10000
        )) && err.contains("  - public.line.total\n  - public.line.label"),
        "{err}"
    );
    assert_eq!(dump(&client).await.tables, 0);
}

#[test]
fn generate_writes_virtual_sql_and_a_snapshot_that_reads_back() {
    let schema = schema_from(VIRTUAL);
    let sql = vitaes_migrate::sql::render(&diff(&Schema::default(), &schema).unwrap()).join("\n");
    assert!(
        sql.contains("\"total\" integer GENERATED ALWAYS AS (qty * price) VIRTUAL NOT NULL")
            && sql.contains("\"label\" text GENERATED ALWAYS AS (lower(name)) VIRTUAL,")
            && sql.contains("\"next_qty\" integer GENERATED ALWAYS AS (qty + 1) STORED NOT NULL"),
        "{sql}"
    );
    let snap = snapshot::Snapshot {
        id: "x".into(),
        prev_id: snapshot::ZERO_ID.into(),
        schema,
    };
    let json = snapshot::to_json(&snap);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let columns = &doc["tables"]["public.line"]["columns"];
    assert_eq!(
        columns["total"]["generated"],
        serde_json::json!({ "as": "qty * price", "type": "virtual" })
    );
    assert_eq!(
        columns["next_qty"]["generated"],
        serde_json::json!({ "as": "qty + 1", "type": "stored" })
    );
    let back = snapshot::from_json(&json).unwrap();
    assert_eq!(back, snap);
    assert!(diff(&back.schema, &snap.schema).unwrap().is_empty());
    // The kind alone is a change: stored to virtual drops and adds the column.
    let mut stored = snap.schema.clone();
    stored.tables[0].columns[4].generated = Some(Generated::stored("qty * price"));
    let plan = diff(&stored, &snap.schema).unwrap();
    assert!(
        matches!(&plan.changes[..], [Change::SetGenerated { column, .. }] if column.name == "total"),
        "{plan:#?}"
    );
}
