//! Views, materialized views, sequences and extension types pushed onto a
//! real server with rows: each converges (a second push plans nothing), a
//! column retyped under views carries them through, a view becomes
//! materialized and back, and fields that are not the query's columns are
//! refused.

use crate::sources::{kinds, options, schema_from};
use vitaes_migrate::diff::Plan;
use vitaes_migrate::push::{plan, push, PlanError};
use vitaes_schema_core::Schema;
use vitaes_test_support::test_database;

async fn push_converges(client: &tokio_postgres::Client, schema: &Schema) -> Plan {
    let first = plan(client, schema, &options(schema)).await.unwrap();
    push(client, schema, &options(schema))
        .await
        .unwrap_or_else(|e| panic!("push of {:?}: {e}", kinds(&first)));
    let again = plan(client, schema, &options(schema)).await.unwrap();
    assert!(again.is_empty(), "second push plans {:?}", kinds(&again));
    first
}

/// Every object kind of the issue at once, with rows.
const EVERYTHING: &str = r#"
#[derive(PgExtension)]
pub struct Citext;

#[derive(PgSequence)]
#[sequence(name = "invoice_no", start = 1000, increment = 2, min_value = 1, max_value = 1000000, cache = 5, cycle)]
pub struct InvoiceNo;

#[derive(PgSequence)]
#[sequence(name = "small_no", schema = "billing", as = "integer")]
pub struct SmallNo;

#[derive(Table)]
#[table(name = "items", index(name = "items_email_idx", columns(email)))]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    pub price: Option<i32>,
    #[column(type = "citext")]
    pub email: Option<String>,
}

#[derive(Table)]
#[table(name = "invoices")]
pub struct Invoices {
    #[column(primary_key, default_sql = "nextval('invoice_no')")]
    pub id: i64,
    pub item_id: i32,
}

#[derive(PgView)]
#[view(name = "cheap_items", query = "select id, name from items where price < 100",
       check_option = "local", security_barrier, security_invoker)]
pub struct CheapItems {
    pub id: Option<i32>,
    pub name: Option<String>,
}

#[derive(PgView)]
#[view(name = "item_names", schema = "billing", query = "select id, name from items")]
pub struct ItemNames {
    pub id: Option<i32>,
    pub name: Option<String>,
}

#[derive(PgView)]
#[view(name = "cheap_count", query = "select count(*) as n from cheap_items", materialized)]
pub struct CheapCount {
    pub n: Option<i64>,
}

#[derive(PgView)]
#[view(name = "items_snapshot", query = "select id, price from items", materialized,
       using = "heap", with(fillfactor = 70, autovacuum_enabled = false), with_no_data)]
pub struct ItemsSnapshot {
    pub id: Option<i32>,
    pub price: Option<i32>,
}

#[derive(PgView)]
#[view(name = "legacy_report", existing)]
pub struct LegacyReport {
    pub id: Option<i32>,
}
"#;

#[tokio::test]
async fn every_kind_of_object_is_pushed_then_nothing() {
    let schema = schema_from(EVERYTHING);
    let db = test_database().await;
    let client = db.connect().await;
    // The existing view is someone else's: it is there, and stays untouched.
    client
        .batch_execute("CREATE VIEW legacy_report AS SELECT 1 AS id")
        .await
        .unwrap();
    let first = push_converges(&client, &schema).await;
    let k = kinds(&first);
    let at = |kind: &str| {
        k.iter()
            .position(|x| *x == kind)
            .unwrap_or_else(|| panic!("{kind} in {k:?}"))
    };
    // The extension before the table typed by it, the sequence before the
    // default calling it, the materialized view after the view it reads.
    assert!(at("create_extension") < at("create_table"), "{k:?}");
    assert!(at("create_sequence") < at("create_table"), "{k:?}");
    assert!(
        !k.contains(&"drop_view"),
        "the existing view is left alone: {k:?}"
    );
    client
        .batch_execute(
            "INSERT INTO items (id, name, price, email) VALUES (1, 'pen', 5, 'A@x.org'), (2, 'desk', 300, null);
             INSERT INTO invoices (item_id) VALUES (1);
             REFRESH MATERIALIZED VIEW cheap_count;",
        )
        .await
        .unwrap();
    let row = client
        .query_one(
            "SELECT (SELECT id FROM invoices), (SELECT n FROM cheap_count),
                    (SELECT count(*) FROM items WHERE email = 'a@X.org'),
                    (SELECT count(*) FROM legacy_report)",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i64>(0), 1000, "the sequence's first value");
    assert_eq!(row.get::<_, i64>(1), 1, "one cheap item");
    assert_eq!(row.get::<_, i64>(2), 1, "citext compares without case");
    assert_eq!(row.get::<_, i64>(3), 1, "the existing view is still there");
    // With rows in place, nothing to do.
    let again = plan(&client, &schema, &options(&schema)).await.unwrap();
    assert!(again.is_empty(), "{:?}", kinds(&again));
    // introspect's text form lists them.
    let url = db.url().to_string();
    let printed = tokio::task::spawn_blocking(move || {
        let cwd = tempfile::tempdir().unwrap();
        crate::cmd::text(
            &crate::cmd::command(cwd.path())
                .args(["introspect", "--url", &url])
                .output()
                .unwrap(),
        )
    })
    .await
    .unwrap();
    for line in [
        "sequence public.invoice_no: bigint from 1000 by 2",
        "view public.cheap_items: 2 columns",
        "materialized view public.items_snapshot: 2 columns",
    ] {
        assert!(printed.contains(line), "{line} not in {printed}");
    }
}

const PRICES_INT: &str = r#"
#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub price: Option<i32>,
}

#[derive(PgView)]
#[view(name = "priced", query = "select id, price from items where price is not null")]
pub struct Priced {
    pub id: Option<i32>,
    pub price: Option<i32>,
}

#[derive(PgView)]
#[view(name = "price_total", query = "select sum(price) as total from priced", materialized)]
pub struct PriceTotal {
    #[column(type = "bigint")]
    pub total: Option<i64>,
}
"#;

#[tokio::test]
async fn a_column_retyped_under_views_carries_them_through() {
    let before = schema_from(PRICES_INT);
    let after = schema_from(
        &PRICES_INT
            .replace(
                "pub price: Option<i32>,\n}\n\n#[derive(PgView)]",
                "pub price: Option<i64>,\n}\n\n#[derive(PgView)]",
            )
            .replace(
                "    pub id: Option<i32>,\n    pub price: Option<i32>,",
                "    pub id: Option<i32>,\n    pub price: Option<i64>,",
            )
            .replace(
                "#[column(type = \"bigint\")]",
                "#[column(type = \"numeric\")]",
            ),
    );
    assert_ne!(before, after);
    let db = test_database().await;
    let client = db.connect().await;
    push_converges(&client, &before).await;
    client
        .batch_execute("INSERT INTO items VALUES (1, 10), (2, 32), (3, null); REFRESH MATERIALIZED VIEW price_total;")
        .await
        .unwrap();
    let change = push_converges(&client, &after).await;
    assert_eq!(
        kinds(&change),
        [
            "drop_materialized_view",
            "drop_view",
            "alter_column_type",
            "create_view",
            "create_materialized_view"
        ]
    );
    let hazards: Vec<&str> = change.hazards()[0].iter().map(|h| h.as_str()).collect();
    assert_eq!(hazards, ["recompute"]);
    let total: String = client
        .query_one("SELECT total::text FROM price_total", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        total, "42",
        "the materialized view is computed again over the rows"
    );
}

#[tokio::test]
async fn a_view_becomes_materialized_and_back() {
    const PLAIN: &str = r#"
#[derive(Table)]
#[table(name = "items")]
pub struct Items { #[column(primary_key)] pub id: i32 }

#[derive(PgView)]
#[view(name = "ids", query = "select id from items")]
pub struct Ids { pub id: Option<i32> }
"#;
    let plain = schema_from(PLAIN);
    let materialized = schema_from(&PLAIN.replace(
        "query = \"select id from items\"",
        "query = \"select id from items\", materialized",
    ));
    let db = test_database().await;
    let client = db.connect().await;
    push_converges(&client, &plain).await;
    let to = push_converges(&client, &materialized).await;
    assert_eq!(kinds(&to), ["drop_view", "create_materialized_view"]);
    let back = push_converges(&client, &plain).await;
    assert_eq!(kinds(&back), ["drop_materialized_view", "create_view"]);
}

#[tokio::test]
async fn fields_that_are_not_the_querys_columns_are_refused() {
    let wrong = schema_from(
        r#"
#[derive(Table)]
#[table(name = "items")]
pub struct Items { #[column(primary_key)] pub id: i32, pub name: String }

#[derive(PgView)]
#[view(name = "names", query = "select id, name from items")]
pub struct Names { pub id: Option<i32>, pub name: Option<i32> }
"#,
    );
    let db = test_database().await;
    let client = db.connect().await;
    // The table first, so the query can be read by the server.
    let mut table_only = wrong.clone();
    table_only.views.clear();
    push(&client, &table_only, &options(&table_only))
        .await
        .unwrap();
    match plan(&client, &wrong, &options(&wrong)).await {
        Err(e @ PlanError::ViewColumns(_)) => {
            let text = e.to_string();
            assert!(
                text.contains("view public.names: the struct declares (id integer, name integer), the query yields (id integer, name text)"),
                "{text}"
            );
        }
        other => panic!("expected the columns refused, got {other:?}"),
    }
}

mod against_drizzle_kit {

    use crate::drizzle::drizzle_kit_generate;
    use crate::paths::repo_root;

    const CASES: &[&str] = &[
        "create_sequences",
        "alter_sequence",
        "create_views",
        "alter_view_options",
        "alter_materialized_view",
        "change_view_query",
        "every_view_and_sequence_option",
    ];

    use crate::rls::{our_folder, snapshot};

    /// drizzle-kit's `sequences` and `views` fields, written as it writes them.
    #[test]
    fn snapshots_equal_drizzle_kits() {
        for case in CASES {
            let out = our_folder(case);
            let theirs = repo_root()
                .join("compat/drizzle/changes")
                .join(case)
                .join("drizzle/meta");
            for n in ["0000", "0001"] {
                let file = format!("{n}_snapshot.json");
                let (ours, theirs) = (
                    snapshot(&out.path().join("meta").join(&file)),
                    snapshot(&theirs.join(&file)),
                );
                assert_eq!(
                    serde_json::to_string_pretty(&ours).unwrap(),
                    serde_json::to_string_pretty(&theirs).unwrap(),
                    "{case}: {file} differs from drizzle-kit's"
                );
            }
        }
    }

    /// Our folder applied by our migrate, drizzle-kit's by drizzle-orm's
    /// migrator: the same database, views and sequences included.
    #[tokio::test]
    async fn our_folders_build_the_databases_drizzle_kits_build() {
        use crate::catalog::dump;
        use crate::cmd::{command, text};
        use crate::drizzle::drizzle_orm_migrate;
        use vitaes_test_support::test_database;

        for case in CASES {
            let ours = our_folder(case);
            let theirs = repo_root()
                .join("compat/drizzle/changes")
                .join(case)
                .join("drizzle");
            let (a, b) = (test_database().await, test_database().await);
            let (a_url, b_url, folder) = (
                a.url().to_string(),
                b.url().to_string(),
                ours.path().to_path_buf(),
            );
            let (mine, drizzle) = tokio::task::spawn_blocking(move || {
                let cwd = tempfile::tempdir().unwrap();
                (
                    command(cwd.path())
                        .args([
                            "migrate",
                            "--out",
                            folder.to_str().unwrap(),
                            "--url",
                            &a_url,
                        ])
                        .output()
                        .unwrap(),
                    drizzle_orm_migrate(&theirs, &b_url),
                )
            })
            .await
            .unwrap();
            assert_eq!(mine.status.code(), Some(0), "{case}: {}", text(&mine));
            assert!(drizzle.status.success(), "{case}: {}", text(&drizzle));
            let (da, db) = (
                dump(&a.connect().await).await,
                dump(&b.connect().await).await,
            );
            assert!(
                da.lines
                    .iter()
                    .any(|l| l.starts_with("view ") || l.starts_with("sequence ")),
                "{case}: {:?}",
                da.lines
            );
            assert_eq!(da, db, "{case}");
        }
    }

    /// drizzle-kit's generate on a folder we wrote finds nothing to do.
    #[test]
    fn drizzle_kit_sees_no_changes_on_our_folders() {
        for case in CASES {
            let out = our_folder(case);
            let ts = repo_root()
                .join("compat/drizzle/changes")
                .join(case)
                .join("after");
            let output = drizzle_kit_generate(&ts, out.path(), None);
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                stdout.contains("No schema changes, nothing to migrate"),
                "{case}: drizzle-kit said:\n{stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
