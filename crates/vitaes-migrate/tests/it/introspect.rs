//! Introspection: what our SQL builds reads back as the code's schema (apart
//! from expression spellings, listed exactly), a change made by hand shows as
//! exactly that change, and the number of catalog queries does not grow with
//! the number of tables.

use std::collections::BTreeSet;

use vitaes_migrate::diff::{self, Change};
use vitaes_migrate::introspect::{introspect, Filter};
use vitaes_migrate::local_pg::{Cluster, ClusterOptions};
use vitaes_migrate::source::load_schema;
use vitaes_schema_core::{DefaultValue, Schema};
use vitaes_test_support::test_database;

use crate::catalog::apply_each;
use crate::every_schema;
use crate::paths::{generate_vitaes, only_sql_file, vitaes_schema_dir};

/// Tables, and everything in them keyed by name, in one order.
fn sorted(mut s: Schema) -> Schema {
    s.tables
        .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    for t in &mut s.tables {
        t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s.enums
        .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    s.schemas.sort();
    s
}

/// Where code and database differ, one line per field; expression spellings
/// are what remains (the server canonicalises them in `push`).
fn differences(code: &Schema, db: &Schema) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let (code, db) = (sorted(code.clone()), sorted(db.clone()));
    if code.schemas != db.schemas {
        out.insert(format!("schemas: {:?} vs {:?}", code.schemas, db.schemas));
    }
    if code.enums != db.enums {
        out.insert(format!("enums: {:?} vs {:?}", code.enums, db.enums));
    }
    let names = |s: &Schema| {
        s.tables
            .iter()
            .map(|t| format!("{}.{}", t.schema, t.name))
            .collect::<Vec<_>>()
    };
    if names(&code) != names(&db) {
        out.insert(format!("tables: {:?} vs {:?}", names(&code), names(&db)));
        return out;
    }
    for (a, b) in code.tables.iter().zip(&db.tables) {
        let t = &a.name;
        for (ca, cb) in a.columns.iter().zip(&b.columns) {
            let c = &ca.name;
            let show =
                |d: &Option<DefaultValue>| d.as_ref().map(|d| d.to_sql()).unwrap_or_default();
            if ca.default != cb.default {
                out.insert(format!(
                    "{t}.{c} default: {} vs {}",
                    show(&ca.default),
                    show(&cb.default)
                ));
            }
            if ca.generated != cb.generated {
                let show = |g: &Option<vitaes_schema_core::Generated>| {
                    g.as_ref()
                        .map(|g| format!("{} {}", g.expr, g.kind.as_sql()))
                        .unwrap_or_default()
                };
                out.insert(format!(
                    "{t}.{c} generated: {} vs {}",
                    show(&ca.generated),
                    show(&cb.generated)
                ));
            }
            let (mut x, mut y) = (ca.clone(), cb.clone());
            (x.default, y.default, x.generated, y.generated) = (None, None, None, None);
            if x != y {
                out.insert(format!("{t}.{c}: {x:?} vs {y:?}"));
            }
        }
        if a.columns.len() != b.columns.len() {
            out.insert(format!(
                "{t} columns: {} vs {}",
                a.columns.len(),
                b.columns.len()
            ));
        }
        for (x, y) in a.checks.iter().zip(&b.checks) {
            if x.expr != y.expr {
                out.insert(format!("{t}.{} check: {} vs {}", x.name, x.expr, y.expr));
            }
        }
        for (x, y) in a.indexes.iter().zip(&b.indexes) {
            if x.where_clause != y.where_clause {
                out.insert(format!(
                    "{t}.{} where: {:?} vs {:?}",
                    x.name, x.where_clause, y.where_clause
                ));
            }
            for (p, q) in x.columns.iter().zip(&y.columns) {
                if p.expression != q.expression {
                    out.insert(format!(
                        "{t}.{} expression: {} vs {}",
                        x.name, p.expression, q.expression
                    ));
                }
            }
            let (mut p, mut q) = (x.clone(), y.clone());
            (p.where_clause, q.where_clause) = (None, None);
            for c in p.columns.iter_mut().chain(q.columns.iter_mut()) {
                if c.is_expression {
                    c.expression.clear();
                }
            }
            // CONCURRENTLY is how an index is built, not what it is.
            p.concurrently = false;
            if p != q {
                out.insert(format!("{t}.{}: {p:?} vs {q:?}", x.name));
            }
        }
        let (mut x, mut y) = (a.clone(), b.clone());
        (
            x.columns, y.columns, x.checks, y.checks, x.indexes, y.indexes,
        ) = (vec![], vec![], vec![], vec![], vec![], vec![]);
        for (cx, cy) in a.checks.iter().zip(&b.checks) {
            if cx.name != cy.name {
                out.insert(format!("{t} check names: {} vs {}", cx.name, cy.name));
            }
        }
        if x != y {
            out.insert(format!("{t}: {x:?} vs {y:?}"));
        }
    }
    out
}

async fn round_trip(sql: &str, code: &Schema) -> BTreeSet<String> {
    let db = test_database().await;
    let client = db.connect().await;
    apply_each(&client, sql).await;
    let live = introspect(&client, &Filter::for_schema(code))
        .await
        .expect("introspect");
    assert!(live.not_managed.is_empty(), "{:?}", live.not_managed);
    differences(code, &live.schema)
}

#[tokio::test]
async fn the_vitaes_schema_reads_back_as_the_code() {
    let code = load_schema(&[vitaes_schema_dir()]).unwrap();
    let dir = generate_vitaes();
    let sql = std::fs::read_to_string(only_sql_file(dir.path())).unwrap();
    assert_eq!(round_trip(&sql, &code).await, BTreeSet::new());
}

/// What PostgreSQL spells differently from the code, each expected exactly.
const EVERY_SPELLINGS: &[&str] = &[
    "customers.balance default: '0' vs '0'::numeric",
    "customers.tier default: 'free' vs 'free'::billing.plan_tier",
    "customers.customers_balance_check check: \"billing\".\"customers\".\"balance\" >= 0 vs balance >= 0::numeric",
    "events.events_org_day_uidx where: Some(\"\\\"events\\\".\\\"deleted_at\\\" is null\") vs Some(\"deleted_at IS NULL\")",
    "memberships.position default: -1 vs '-1'::integer",
    "organizations.motto default: 'it''s' vs 'it''s'::text",
    "organizations.organizations_seats_check check: \"organizations\".\"seats\" > 0 vs seats > 0",
    "users.email_lower generated: lower(email) STORED vs lower((email)::text) STORED",
    "users.mood default: 'ok' vs 'ok'::mood",
    "users.users_email_check check: \"users\".\"email\" like '%@%' vs email::text ~~ '%@%'::text",
    "users.users_email_lower_idx expression: lower(\"email\") vs lower(email::text)",
];

#[tokio::test]
async fn the_every_attribute_schema_reads_back_as_the_code_but_for_spellings() {
    let code = load_schema(&[every_schema::source_path()]).unwrap();
    let out = tempfile::tempdir().unwrap();
    let args = vitaes_migrate::commands::generate::GenerateArgs {
        schema: vec![every_schema::source_path()].into(),
        out: Some(out.path().to_path_buf()).into(),
        ..Default::default()
    };
    vitaes_migrate::commands::generate::run(
        &args,
        &vitaes_migrate::config::Config::default(),
        out.path(),
        &mut Vec::new(),
    )
    .unwrap();
    // Both files: the CONCURRENTLY index is a migration of its own.
    let sql = crate::paths::sql_files(out.path())
        .iter()
        .map(|t| {
            t.trim_start_matches("-- vitaes:no-transaction\n")
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n--> statement-breakpoint\n");
    let found = round_trip(&sql, &code).await;
    let expected: BTreeSet<String> = EVERY_SPELLINGS.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        found,
        expected,
        "\nfound:\n{}",
        found.iter().cloned().collect::<Vec<_>>().join("\n")
    );
}

const MUTABLE: &str = r#"
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE owner (id integer PRIMARY KEY);
CREATE TABLE item (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id integer REFERENCES owner (id) ON DELETE CASCADE,
  code text CONSTRAINT item_code_unique UNIQUE,
  price integer DEFAULT 0 CONSTRAINT price_positive CHECK (price >= 0),
  mood mood
);
CREATE INDEX item_price_idx ON item (price);
"#;

#[tokio::test]
async fn a_change_made_by_hand_shows_as_exactly_that_change() {
    let cases: &[(&str, &[&str])] = &[
        ("ALTER TABLE item ALTER COLUMN price SET DEFAULT 5", &["set_default"]),
        ("ALTER TABLE item DROP CONSTRAINT price_positive, ADD CONSTRAINT price_positive CHECK (price > 0)", &["drop_check", "add_check"]),
        ("DROP INDEX item_price_idx; CREATE INDEX item_price_idx ON item (price DESC)", &["drop_index", "create_index"]),
        (
            "ALTER TABLE item DROP CONSTRAINT item_owner_id_fkey, ADD CONSTRAINT item_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES owner (id) ON DELETE SET NULL",
            &["drop_foreign_key", "add_foreign_key"],
        ),
        ("ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'", &["add_enum_value"]),
        ("ALTER TABLE item DROP CONSTRAINT item_code_unique, ADD CONSTRAINT item_code_unique UNIQUE NULLS NOT DISTINCT (code)", &["drop_unique", "add_unique"]),
        ("ALTER TABLE item ALTER COLUMN id SET INCREMENT BY 5", &["alter_identity"]),
    ];
    for (mutation, expected) in cases {
        let db = test_database().await;
        let client = db.connect().await;
        client.batch_execute(MUTABLE).await.unwrap();
        let filter = Filter::default();
        let before = introspect(&client, &filter).await.unwrap().schema;
        assert_eq!(before.tables.len(), 2);
        client.batch_execute(mutation).await.unwrap();
        let after = introspect(&client, &filter).await.unwrap().schema;
        let plan = diff::diff(&before, &after).unwrap();
        let kinds: Vec<&str> = plan.changes.iter().map(Change::kind).collect();
        assert_eq!(kinds, *expected, "{mutation}: {:#?}", plan.changes);
        // And nothing at all without a mutation.
        assert!(
            diff::diff(&after, &introspect(&client, &filter).await.unwrap().schema)
                .unwrap()
                .is_empty()
        );
    }
}

/// Statements the server ran for this database, from pg_stat_statements.
async fn statements_run(client: &tokio_postgres::Client) -> i64 {
    client
        .query_one(
            "SELECT coalesce(sum(calls), 0)::int8 FROM pg_stat_statements s
              WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND s.query NOT ILIKE '%pg_stat_statements%'",
            &[],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn the_number_of_catalog_queries_does_not_grow_with_tables() {
    let cluster = tokio::task::spawn_blocking(|| {
        Cluster::start(ClusterOptions {
            settings: vec![(
                "shared_preload_libraries".into(),
                "pg_stat_statements".into(),
            )],
            ..ClusterOptions::default()
        })
    })
    .await
    .unwrap()
    .expect("a cluster with pg_stat_statements");
    let (admin, conn) = tokio_postgres::connect(&cluster.url("postgres"), tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let mut counts = Vec::new();
    for n in [10, 500] {
        let name = format!("count_{n}");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let (client, conn) = tokio_postgres::connect(&cluster.url(&name), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let ddl: String = (0..n)
            .map(|i| format!("CREATE TABLE t{i} (id integer PRIMARY KEY, name text UNIQUE, ref integer REFERENCES t0 (id)); CREATE INDEX t{i}_name ON t{i} (lower(name));"))
            .collect();
        client
            .batch_execute("CREATE TABLE t0 (id integer PRIMARY KEY)")
            .await
            .unwrap();
        client.batch_execute(&ddl.replacen("CREATE TABLE t0 (id integer PRIMARY KEY, name text UNIQUE, ref integer REFERENCES t0 (id));", "ALTER TABLE t0 ADD COLUMN name text UNIQUE, ADD COLUMN ref integer REFERENCES t0 (id);", 1)).await.unwrap();
        client
            .batch_execute("CREATE EXTENSION pg_stat_statements")
            .await
            .unwrap();
        client
            .query_one("SELECT pg_stat_statements_reset()", &[])
            .await
            .unwrap();
        let before = statements_run(&client).await;
        let live = introspect(&client, &Filter::default()).await.unwrap();
        let ran = statements_run(&client).await - before;
        assert_eq!(live.schema.tables.len(), n, "all {n} tables read");
        assert!(live
            .schema
            .tables
            .iter()
            .all(|t| t.indexes.len() == 1 && t.uniques.len() == 1 && t.foreign_keys.len() == 1));
        counts.push(ran);
    }
    // One query per kind of object, whatever the number of each.
    assert!(counts[0] <= 14, "{counts:?}");
    assert_eq!(
        counts[0], counts[1],
        "queries for 10 and 500 tables: {counts:?}"
    );
}

/// What the model does not manage is listed, never read as tables: the
/// database's extensions with their versions, domains and composite types.
/// Views are the model's now, read with their query. Row-level security and
/// policies are read into their table.
#[tokio::test]
async fn objects_it_does_not_manage_are_listed() {
    let db = test_database().await;
    let client = db.connect().await;
    client
        .batch_execute(
            "CREATE EXTENSION pg_trgm;
             CREATE TABLE note (id int PRIMARY KEY, body text);
             ALTER TABLE note ENABLE ROW LEVEL SECURITY;
             CREATE POLICY own_notes ON note USING (id > 0);
             CREATE DOMAIN positive AS int CHECK (VALUE > 0);
             CREATE TYPE pair AS (a int, b int);
             CREATE VIEW note_ids AS SELECT id FROM note;",
        )
        .await
        .unwrap();
    let live = introspect(&client, &Filter::default()).await.unwrap();
    let listed: BTreeSet<&str> = live.not_managed.iter().map(String::as_str).collect();
    let version: String = client
        .query_one(
            "SELECT extversion FROM pg_extension WHERE extname = 'pg_trgm'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    // Extensions are the model's: read, not listed.
    assert!(
        live.schema
            .extensions
            .iter()
            .any(|e| e.name == "pg_trgm" && e.version.as_deref() == Some(version.as_str())),
        "{:?}",
        live.schema.extensions
    );
    assert!(
        !listed.iter().any(|l| l.starts_with("extension ")),
        "{listed:?}"
    );
    for want in ["domain public.positive", "composite type public.pair"] {
        assert!(listed.contains(want), "{want} not in {listed:?}");
    }
    assert!(!listed.iter().any(|l| l.contains("note_ids")), "{listed:?}");
    let view = live
        .schema
        .views
        .iter()
        .find(|v| v.name == "note_ids")
        .expect("the view is read");
    assert_eq!(view.columns.len(), 1);
    assert_eq!(
        (
            view.columns[0].name.as_str(),
            view.columns[0].sql_type.as_str()
        ),
        ("id", "integer")
    );
    assert!(
        view.definition
            .as_deref()
            .is_some_and(|d| d.contains("FROM note")),
        "{:?}",
        view.definition
    );
    assert!(
        !listed
            .iter()
            .any(|l| l.contains("plpgsql") || l.starts_with("composite type public.note")),
        "{listed:?}"
    );
    // pg_trgm's own functions belong to the extension, not to the list.
    assert!(
        !listed.iter().any(|l| l.contains("similarity")),
        "{listed:?}"
    );
    assert_eq!(live.schema.tables.len(), 1);
    let note = &live.schema.tables[0];
    assert!(note.rls, "{note:?}");
    assert_eq!(note.policies.len(), 1, "{note:?}");
    assert_eq!(note.policies[0].name, "own_notes");
    assert_eq!(note.policies[0].to, ["public"]);
    assert_eq!(note.policies[0].using.as_deref(), Some("(id > 0)"));
    assert!(
        !listed.iter().any(|l| l.contains("own_notes")),
        "{listed:?}"
    );
}
