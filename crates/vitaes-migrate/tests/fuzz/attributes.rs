//! The attribute parser, fed Rust source as the CLI reads it
//! ([`load_schema`]: syn, the parser, the resolver): never a panic, and
//! every error is at a line and column of the file, inside the text.

use proptest::prelude::*;
use vitaes_migrate::source::load_schema;
use vitaes_migrate::Error;

use crate::mutate::input;
use crate::{files, fuzz, pool, repo, seeds};

const TOKENS: &[&str] = &[
    "#[derive(Table)]",
    "#[derive(PgEnum)]",
    "#[derive(PgSchema)]",
    "#[derive(PgRole)]",
    "#[table(",
    "#[column(",
    "#[pg_enum(",
    "#[pg_schema(",
    "#[pg_role(",
    "create_db",
    "inherit = false",
    "existing",
    ")]",
    "(",
    ")",
    ",",
    "=",
    "\"",
    "r#\"",
    "\"#",
    "name",
    "schema",
    "type",
    "default",
    "default_sql",
    "default_now",
    "primary_key",
    "unique",
    "references",
    "on_delete",
    "on_update",
    "index",
    "columns",
    "check",
    "expr",
    "where",
    "identity",
    "generated",
    "renamed_from",
    "rename_all",
    "rename",
    "skip",
    "serial",
    "nulls_not_distinct",
    "foreign_key",
    "external",
    "unchecked",
    "\"cascade\"",
    "\"x\"",
    "\"\"",
    "\"lower(a)\"",
    "\"a >\"",
    "\"'\"",
    "-1",
    "1e9",
    "99999999999999999999",
    "true",
    "Option<",
    "Vec<",
    ">",
    "i64",
    "String",
    "pub",
    "struct",
    "enum",
    "{",
    "}",
    ";",
    ":",
    "\n",
    "mod m {",
    "'a",
    "é",
    "\u{0}",
    "/*",
    "*/",
    "//",
];

const KEYS: &[&str] = &[
    "name",
    "schema",
    "type",
    "default",
    "default_sql",
    "default_now",
    "primary_key",
    "unique",
    "references",
    "on_delete",
    "on_update",
    "index",
    "columns",
    "check",
    "expr",
    "where",
    "identity",
    "generated",
    "renamed_from",
    "rename_all",
    "rename",
    "skip",
    "serial",
    "nulls_not_distinct",
    "foreign_key",
    "external",
    "unchecked",
    "method",
    "desc",
    "asc",
    "nulls",
    "opclass",
    "with",
    "concurrently",
    "by_default",
    "always",
    "start",
    "increment",
    "min_value",
    "max_value",
    "cache",
    "cycle",
    "bigint",
    "smallint",
    "bogus",
];

const VALUES: &[&str] = &[
    "\"x\"",
    "\"\"",
    "\"users\"",
    "\"camelCase\"",
    "\"cascade\"",
    "\"set null\"",
    "\"now()\"",
    "\"lower(name)\"",
    "\"a > 0\"",
    "\"(\"",
    "\"first\"",
    "\"btree\"",
    "\"varchar(255)\"",
    "\"integer[]\"",
    "0",
    "-1",
    "1",
    "9223372036854775808",
    "1.5",
    "true",
    "false",
    "Org",
    "Mood",
    "a::b",
    "'c'",
    "b\"x\"",
];

const TYPES: &[&str] = &[
    "i16",
    "i32",
    "i64",
    "String",
    "bool",
    "f32",
    "f64",
    "Option<String>",
    "Option<i64>",
    "Vec<String>",
    "Vec<u8>",
    "Vec<Vec<i32>>",
    "Option<Vec<Mood>>",
    "Mood",
    "u128",
    "chrono::DateTime<chrono::Utc>",
    "chrono::NaiveDate",
    "uuid::Uuid",
    "serde_json::Value",
    "[u8; 4]",
    "(i32, i32)",
    "&'static str",
    "Box<i32>",
];

fn meta(depth: u32) -> BoxedStrategy<String> {
    let key = || prop::sample::select(KEYS);
    let leaf = prop_oneof![
        key().prop_map(str::to_string),
        (key(), prop::sample::select(VALUES)).prop_map(|(k, v)| format!("{k} = {v}")),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => (key(), metas(depth - 1)).prop_map(|(k, m)| format!("{k}({m})")),
    ]
    .boxed()
}

fn metas(depth: u32) -> BoxedStrategy<String> {
    prop::collection::vec(meta(depth), 0..4)
        .prop_map(|v| v.join(", "))
        .boxed()
}

/// A `#[derive(Table)]` struct and a `#[derive(PgEnum)]` enum with
/// attributes made of the parser's keys and values.
fn grammar() -> impl Strategy<Value = String> {
    let field = (
        prop::option::of(metas(2)),
        "[a-z][a-z_]{0,6}",
        prop::sample::select(TYPES),
    )
        .prop_map(|(attr, name, ty)| match attr {
            Some(m) => format!("    #[column({m})]\n    pub {name}: {ty},\n"),
            None => format!("    pub {name}: {ty},\n"),
        });
    (
        prop::option::of(metas(2)),
        prop::collection::vec(field, 0..5),
        prop::option::of(metas(1)),
        prop::option::of(metas(1)),
    )
        .prop_map(|(table, fields, pg_enum, variant)| {
            let mut text = String::from("#[derive(Table)]\n");
            if let Some(m) = table {
                text.push_str(&format!("#[table({m})]\n"));
            }
            text.push_str("pub struct Thing {\n");
            text.push_str(&fields.concat());
            text.push_str("}\n\n#[derive(PgEnum)]\n");
            if let Some(m) = pg_enum {
                text.push_str(&format!("#[pg_enum({m})]\n"));
            }
            text.push_str("pub enum Mood {\n    Sad,\n");
            if let Some(m) = variant {
                text.push_str(&format!("    #[pg_enum({m})]\n"));
            }
            text.push_str("    Happy,\n}\n");
            text
        })
}

fn sources() -> Vec<Vec<u8>> {
    let mut all = seeds("attributes");
    all.extend(files("examples/vitaes-db/src/schema", ".rs", u64::MAX));
    all.extend(files(
        "crates/vitaes-migrate/tests/chain",
        "v15.rs",
        u64::MAX,
    ));
    all.extend(files(
        "crates/vitaes-migrate/tests/it",
        "every_schema.rs",
        u64::MAX,
    ));
    all.extend(files(
        "compat/corpus/drizzle-projects/rust-translations/kan",
        ".rs",
        u64::MAX,
    ));
    let changes = repo().join("compat/drizzle/changes");
    let mut cases: Vec<_> = std::fs::read_dir(&changes)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    for case in cases {
        for side in ["before", "after"] {
            let dir = format!("compat/drizzle/changes/{case}/{side}");
            if repo().join(&dir).join("schema.rs").is_file() {
                all.extend(files(&dir, "schema.rs", u64::MAX));
            }
        }
    }
    all
}

#[test]
fn attributes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schema.rs");
    let strategy = prop_oneof![
        3 => input(pool(sources(), TOKENS)),
        1 => grammar().prop_map(|t| crate::mutate::Bytes(t.into_bytes())),
    ];
    fuzz("attributes", strategy, |input| {
        std::fs::write(&file, &input.0).unwrap();
        let loaded = load_schema(std::slice::from_ref(&file));
        // syn keeps every parsed file's text for its spans; nothing holds one now.
        proc_macro2::extra::invalidate_current_thread_spans();
        match loaded {
            Ok(_) => {}
            Err(Error::Source(messages)) => {
                let text = input.text();
                let lines: Vec<&str> = text.split('\n').collect();
                prop_assert!(!messages.is_empty());
                for m in &messages {
                    prop_assert_eq!(&m.file, &file);
                    prop_assert!(!m.message.is_empty());
                    prop_assert!((1..=lines.len()).contains(&m.line), "{}", m);
                    let width = lines[m.line - 1].chars().count();
                    prop_assert!((1..=width + 1).contains(&m.column), "{}", m);
                }
            }
            Err(Error::Io { path, .. }) => {
                prop_assert!(std::str::from_utf8(&input.0).is_err());
                prop_assert_eq!(&path, &file);
            }
            Err(other) => prop_assert!(false, "unexpected error: {}", other),
        }
        Ok(())
    });
}
