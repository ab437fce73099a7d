//! Property: for random schema pairs A and B, pushing A (with a few rows per
//! table) and then B — renames decided as "no", hazards forced — either
//! leaves the database equal to B (pushing B again plans nothing), or, when
//! the live-data facts said a statement must fail, fails and leaves the
//! database exactly as it was.
//!
//! Fixed seed in CI; `PROPTEST_CASES=5000` runs longer locally. Cases that
//! ever fail are kept in `proptest-regressions/property.txt`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};
use vitaes_migrate::diff::{NoRename, QualifiedName, RenameDecisions};
use vitaes_migrate::introspect::Filter;
use vitaes_migrate::push::{plan, push, PushError, PushOptions};
use vitaes_migrate::testing::test_database;
use vitaes_schema_core::naming::unique_name;
use vitaes_schema_core::{
    Check, ColumnDef, DefaultValue, EnumDef, FkAction, ForeignKey, Identity, IdentityKind,
    IndexColumn, IndexDef, Schema, TableDef, Unique,
};

use crate::catalog::dump;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Int,
    Big,
    Text,
    Varchar,
    Bool,
    Tstz,
    Jsonb,
    Numeric,
    TextArray,
    Mood,
}

const KINDS: [Kind; 10] = [
    Kind::Int,
    Kind::Big,
    Kind::Text,
    Kind::Varchar,
    Kind::Bool,
    Kind::Tstz,
    Kind::Jsonb,
    Kind::Numeric,
    Kind::TextArray,
    Kind::Mood,
];

#[derive(Debug, Clone)]
struct Col {
    name: usize,
    kind: Kind,
    nullable: bool,
    default: bool,
    unique: bool,
}

#[derive(Debug, Clone)]
struct Tab {
    name: usize,
    identity: bool,
    cols: Vec<Col>,
    index: Option<(bool, bool)>,
    check: bool,
    fk: Option<(usize, u8)>,
}

#[derive(Debug, Clone)]
struct Version {
    moods: Vec<&'static str>,
    tables: Vec<Tab>,
}

fn col() -> impl Strategy<Value = Col> {
    (
        0..6usize,
        prop::sample::select(KINDS.to_vec()),
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(name, kind, nullable, default, unique)| Col {
            name,
            kind,
            nullable,
            default,
            unique,
        })
}

fn tab() -> impl Strategy<Value = Tab> {
    (
        0..4usize,
        prop::bool::weighted(0.3),
        prop::collection::vec(col(), 0..5),
        prop::option::weighted(0.4, (any::<bool>(), any::<bool>())),
        prop::bool::weighted(0.3),
        prop::option::weighted(0.3, (0..4usize, 0..3u8)),
    )
        .prop_map(|(name, identity, mut cols, index, check, fk)| {
            cols.sort_by_key(|c| c.name);
            cols.dedup_by_key(|c| c.name);
            Tab {
                name,
                identity,
                cols,
                index,
                check,
                fk,
            }
        })
}

fn version() -> impl Strategy<Value = Version> {
    (
        prop::sample::subsequence(vec!["sad", "ok", "happy", "meh"], 1..=4).prop_shuffle(),
        prop::collection::vec(tab(), 1..4),
    )
        .prop_map(|(moods, mut tables)| {
            tables.sort_by_key(|t| t.name);
            tables.dedup_by_key(|t| t.name);
            Version { moods, tables }
        })
}

fn sql_type(kind: Kind) -> (&'static str, Option<String>) {
    match kind {
        Kind::Int => ("integer", None),
        Kind::Big => ("bigint", None),
        Kind::Text => ("text", None),
        Kind::Varchar => ("varchar(20)", None),
        Kind::Bool => ("boolean", None),
        Kind::Tstz => ("timestamp with time zone", None),
        Kind::Jsonb => ("jsonb", None),
        Kind::Numeric => ("numeric(10, 2)", None),
        Kind::TextArray => ("text[]", None),
        Kind::Mood => ("mood", Some("public".to_string())),
    }
}

fn default_of(kind: Kind, moods: &[&str]) -> DefaultValue {
    match kind {
        Kind::Int => DefaultValue::Int(7),
        Kind::Big => DefaultValue::Int(-9),
        Kind::Text => DefaultValue::Sql("'it''s'".into()),
        Kind::Varchar => DefaultValue::Sql("'v'".into()),
        Kind::Bool => DefaultValue::Bool(true),
        Kind::Tstz => DefaultValue::Sql("now()".into()),
        Kind::Jsonb => DefaultValue::Sql("'{}'::jsonb".into()),
        Kind::Numeric => DefaultValue::Sql("1.5".into()),
        Kind::TextArray => DefaultValue::Sql("'{}'::text[]".into()),
        Kind::Mood => DefaultValue::Sql(format!("'{}'", moods[0])),
    }
}

/// The model a version means.
fn schema_of(v: &Version) -> Schema {
    let mut s = Schema::default();
    let uses_mood = v
        .tables
        .iter()
        .any(|t| t.cols.iter().any(|c| c.kind == Kind::Mood));
    if uses_mood {
        s.enums.push(EnumDef {
            name: "mood".into(),
            schema: "public".into(),
            values: v.moods.iter().map(|m| m.to_string()).collect(),
        });
    }
    let names: Vec<String> = v.tables.iter().map(|t| format!("t{}", t.name)).collect();
    for t in &v.tables {
        let name = format!("t{}", t.name);
        let mut def = TableDef::empty("public", name.clone());
        def.columns.push(ColumnDef {
            name: "id".into(),
            sql_type: "integer".into(),
            type_schema: None,
            primary_key: true,
            not_null: true,
            default: None,
            identity: t.identity.then(|| Identity {
                kind: IdentityKind::ByDefault,
                name: format!("{name}_id_seq"),
                schema: "public".into(),
                increment: "1".into(),
                start_with: "1".into(),
                min_value: "1".into(),
                max_value: "2147483647".into(),
                cache: "1".into(),
                cycle: false,
            }),
            generated: None,
            renamed_from: None,
        });
        for c in &t.cols {
            let (ty, schema) = sql_type(c.kind);
            let cname = format!("c{}", c.name);
            def.columns.push(ColumnDef {
                name: cname.clone(),
                sql_type: ty.into(),
                type_schema: schema,
                primary_key: false,
                not_null: !c.nullable,
                default: c.default.then(|| default_of(c.kind, &v.moods)),
                identity: None,
                generated: None,
                renamed_from: None,
            });
            // Three rows cannot hold three distinct booleans or moods.
            if c.unique
                && !matches!(
                    c.kind,
                    Kind::Jsonb | Kind::TextArray | Kind::Bool | Kind::Mood
                )
            {
                def.uniques.push(Unique {
                    name: unique_name(&name, std::slice::from_ref(&cname)),
                    columns: vec![cname],
                    nulls_not_distinct: false,
                });
            }
        }
        let ints: Vec<String> = t
            .cols
            .iter()
            .filter(|c| c.kind == Kind::Int)
            .map(|c| format!("c{}", c.name))
            .collect();
        let texts: Vec<String> = t
            .cols
            .iter()
            .filter(|c| c.kind == Kind::Text)
            .map(|c| format!("c{}", c.name))
            .collect();
        if let (Some((desc, partial)), Some(first)) = (t.index, t.cols.first()) {
            let target = format!("c{}", first.name);
            // gin (for jsonb and arrays) has no sort order.
            let desc = desc && !matches!(first.kind, Kind::Jsonb | Kind::TextArray);
            let expression = texts
                .first()
                .filter(|_| partial && !desc)
                .map(|c| format!("lower({c})"));
            let gin = expression.is_none() && matches!(first.kind, Kind::Jsonb | Kind::TextArray);
            def.indexes.push(IndexDef {
                name: format!("{name}_ix"),
                columns: vec![IndexColumn {
                    is_expression: expression.is_some(),
                    expression: expression.unwrap_or(target.clone()),
                    asc: !desc,
                    nulls_first: desc,
                    opclass: None,
                }],
                unique: false,
                concurrently: false,
                method: if gin { "gin".into() } else { "btree".into() },
                where_clause: (partial && desc).then(|| format!("{target} IS NOT NULL")),
                with: Vec::new(),
            });
        }
        if let (true, Some(c)) = (t.check, ints.first()) {
            def.checks.push(Check {
                name: format!("{name}_chk"),
                expr: format!("{c} > -1000"),
            });
        }
        if let (Some((target, action)), Some(c)) = (t.fk, ints.first()) {
            let to = format!("t{target}");
            if names.contains(&to) {
                let on_delete =
                    [FkAction::NoAction, FkAction::Cascade, FkAction::SetNull][action as usize];
                def.foreign_keys.push(ForeignKey {
                    name: format!("{name}_{c}_fk"),
                    columns: vec![c.clone()],
                    ref_schema: "public".into(),
                    ref_table: to,
                    ref_columns: vec!["id".into()],
                    on_delete,
                    on_update: FkAction::NoAction,
                });
            }
        }
        s.tables.push(def);
    }
    s
}

/// Three rows per table that fit version `a` (every table holds ids 1 to 3,
/// so foreign keys hold once all are in; triggers are off while inserting).
fn rows(a: &Version) -> String {
    let mut sql = String::from("SET session_replication_role = replica;\n");
    for t in &a.tables {
        for id in 1..=3 {
            let mut cols = vec!["id".to_string()];
            let mut vals = vec![id.to_string()];
            for c in &t.cols {
                cols.push(format!("c{}", c.name));
                vals.push(match c.kind {
                    Kind::Int | Kind::Big => id.to_string(),
                    Kind::Text | Kind::Varchar => format!("'{id}'"),
                    Kind::Bool => "true".into(),
                    Kind::Tstz => format!("now() + interval '{id} seconds'"),
                    Kind::Jsonb => "'{\"k\": 1}'".into(),
                    Kind::Numeric => format!("{id}.5"),
                    Kind::TextArray => "'{x}'".into(),
                    Kind::Mood => format!("'{}'", a.moods[0]),
                });
            }
            sql.push_str(&format!(
                "INSERT INTO t{} ({}) OVERRIDING SYSTEM VALUE VALUES ({});\n",
                t.name,
                cols.join(", "),
                vals.join(", ")
            ));
        }
    }
    sql.push_str("SET session_replication_role = DEFAULT;\n");
    sql
}

/// Every added table and column of the pair is a real add, never a rename.
fn no_renames(a: &Schema, b: &Schema) -> RenameDecisions {
    let mut d = RenameDecisions::default();
    for t in &b.tables {
        let q = QualifiedName {
            schema: t.schema.clone(),
            name: t.name.clone(),
        };
        match a.table(&t.schema, &t.name) {
            None => d.no_renames.push(NoRename::Table(q)),
            Some(old) => {
                for c in &t.columns {
                    if old.column(&c.name).is_none() {
                        d.no_renames.push(NoRename::Column {
                            table: q.clone(),
                            name: c.name.clone(),
                        });
                    }
                }
            }
        }
    }
    d
}

/// Which features a pair exercises, for the coverage assertion.
fn features(a: &Version, b: &Version) -> Vec<String> {
    let mut f = Vec::new();
    for v in [a, b] {
        for t in &v.tables {
            f.push(if t.identity { "identity" } else { "plain pk" }.to_string());
            f.extend(t.cols.iter().map(|c| format!("{:?}", c.kind)));
            f.extend(
                t.cols
                    .iter()
                    .filter(|c| c.default)
                    .map(|_| "default".to_string()),
            );
            f.extend(
                t.cols
                    .iter()
                    .filter(|c| c.unique)
                    .map(|_| "unique".to_string()),
            );
            f.extend(
                t.cols
                    .iter()
                    .filter(|c| !c.nullable)
                    .map(|_| "not null".to_string()),
            );
            if t.index.is_some() {
                f.push("index".into());
            }
            if t.check {
                f.push("check".into());
            }
            if t.fk.is_some() {
                f.push("foreign key".into());
            }
        }
    }
    if a.moods != b.moods {
        f.push("enum change".into());
    }
    f.sort();
    f.dedup();
    f
}

#[test]
fn push_a_then_b_equals_b_or_fails_cleanly() {
    let cases: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(300);
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(0x5eed_2026),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/property.txt",
        ))),
        max_shrink_iters: 200,
        ..Config::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let seen: Mutex<BTreeMap<String, u32>> = Mutex::new(BTreeMap::new());
    // cases, pairs that differ, pushes the data made fail, of which facts predicted
    let stats = Mutex::new((0u32, 0u32, 0u32, 0u32));
    let mut runner = TestRunner::new(config);
    let result = runner.run(&(version(), version()), |(a, b)| {
        let (sa, sb) = (schema_of(&a), schema_of(&b));
        {
            let mut seen = seen.lock().unwrap();
            for f in features(&a, &b) {
                *seen.entry(f).or_default() += 1;
            }
        }
        let differed = runtime.block_on(async {
            let db = test_database().await;
            let client = db.connect().await;
            let first = PushOptions {
                filter: Filter::default(),
                force: true,
                ..PushOptions::default()
            };
            push(&client, &sa, &first)
                .await
                .map_err(|e| TestCaseError::fail(format!("push A: {e}")))?;
            client
                .batch_execute(&rows(&a))
                .await
                .map_err(|e| TestCaseError::fail(format!("rows: {e}")))?;
            let options = PushOptions {
                renames: no_renames(&sa, &sb),
                ..first
            };
            let planned = plan(&client, &sb, &options)
                .await
                .map_err(|e| TestCaseError::fail(format!("plan B: {e}")))?;
            let version: i32 = client
                .query_one("SELECT current_setting('server_version_num')::int", &[])
                .await
                .unwrap()
                .get(0);
            let facts = vitaes_migrate::push::facts::facts(&client, &planned, version)
                .await
                .map_err(|e| TestCaseError::fail(format!("facts: {e}")))?;
            let predicted_failure = facts.iter().flatten().any(|f| f.fails);
            let before = dump(&client).await;
            match push(&client, &sb, &options).await {
                Ok(_) => {
                    let again = plan(&client, &sb, &options)
                        .await
                        .map_err(|e| TestCaseError::fail(format!("plan again: {e}")))?;
                    prop_assert!(
                        again.is_empty(),
                        "pushing B again plans {:#?}",
                        again.changes
                    );
                }
                Err(PushError::Other(e)) if e.exit_code() == 4 => {
                    // Only the data may make it fail (SQLSTATE class 22: data
                    // exception, 23: integrity violation), never the SQL.
                    let text = e.to_string();
                    let code = text
                        .rsplit_once('(')
                        .map(|(_, c)| c.trim_end_matches(')'))
                        .unwrap_or("");
                    prop_assert!(
                        code.starts_with("22") || code.starts_with("23"),
                        "push B failed on its SQL: {text}"
                    );
                    // Enum values are added first, in their own transaction (said
                    // in the plan); nothing else may stay.
                    let without_enums = |d: crate::catalog::CatalogDump| -> Vec<String> {
                        d.lines
                            .into_iter()
                            .filter(|l| !l.starts_with("enum "))
                            .collect()
                    };
                    prop_assert_eq!(
                        without_enums(dump(&client).await),
                        without_enums(before),
                        "a failed push changed the database"
                    );
                    let mut s = stats.lock().unwrap();
                    s.2 += 1;
                    s.3 += u32::from(predicted_failure);
                }
                Err(e) => return Err(TestCaseError::fail(format!("push B: {e}"))),
            }
            Ok::<bool, TestCaseError>(!planned.is_empty())
        })?;
        let mut s = stats.lock().unwrap();
        s.0 += 1;
        s.1 += u32::from(differed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (total, differed, refused, predicted) = *stats.lock().unwrap();
    let seen = seen.lock().unwrap();
    eprintln!(
        "{total} cases, {differed} differing pairs, {refused} pushes the data made fail ({predicted} predicted by the facts); features: {seen:?}"
    );
    assert!(
        differed * 100 >= total * 80,
        "only {differed} of {total} pairs differ"
    );
    for feature in [
        "Int",
        "Big",
        "Text",
        "Varchar",
        "Bool",
        "Tstz",
        "Jsonb",
        "Numeric",
        "TextArray",
        "Mood",
        "default",
        "unique",
        "not null",
        "index",
        "check",
        "foreign key",
        "identity",
        "enum change",
    ] {
        let n = seen.get(feature).copied().unwrap_or(0);
        assert!(
            n * 100 >= total * 5,
            "feature {feature} in only {n} of {total} cases"
        );
    }
}
