//! A schema as canonical DDL, one block per object (a table with its keys,
//! indexes, row-level security, policies and comments; a view; a type; ...)
//! in a stable order: what `--format unified` shows two of side by side.
//! The statements are the ones a plan from nothing would run, so what the
//! blocks say is what the SQL does.

use std::collections::BTreeMap;

use vitaes_schema_core::{CommentOn, Schema};

use crate::diff::{diff, Change};

/// `(order, key)` of the block a creating change belongs to.
fn block_of(change: &Change) -> (u8, String) {
    use Change::*;
    let q = |s: &str, n: &str| format!("{s}.{n}");
    match change {
        CreateSchema(s) => (0, s.clone()),
        CreateExtension(e) => (1, e.name.clone()),
        CreateRole(r) => (2, r.name.clone()),
        CreateEnum(e) => (3, q(&e.schema, &e.name)),
        CreateSequence(s) => (4, q(&s.schema, &s.name)),
        CreateTable(t) => (5, q(&t.schema, &t.name)),
        AddForeignKey { table, .. }
        | CreateIndex { table, .. }
        | EnableRls(table)
        | ForceRls { table, .. }
        | CreatePolicy { table, .. } => (5, q(&table.schema, &table.name)),
        CreateView(v) => (6, q(&v.schema, &v.name)),
        SetComment { on, .. } => match on {
            CommentOn::Table { schema, name } => (5, q(schema, name)),
            CommentOn::Column { schema, table, .. } => {
                // A view's column comment goes with the view.
                (5, q(schema, table))
            }
            CommentOn::View { schema, name, .. } => (6, q(schema, name)),
            CommentOn::Enum { schema, name } => (3, q(schema, name)),
        },
        other => (9, other.object()),
    }
}

/// The blocks of `schema`, each `-- <kind> <name>` then its statements.
pub fn object_blocks(schema: &Schema) -> Vec<String> {
    const KINDS: [&str; 10] = [
        "schema",
        "extension",
        "role",
        "type",
        "sequence",
        "table",
        "view",
        "",
        "",
        "other",
    ];
    // A table's keys, indexes and policies by name: the two sides may list
    // them in different orders (the code's, the catalog's) and are the same.
    let mut schema = schema.clone();
    for t in &mut schema.tables {
        t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        t.policies.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let schema = &schema;
    let plan = diff(&Schema::default(), schema).unwrap_or_default();
    let views: std::collections::HashSet<String> = schema
        .views
        .iter()
        .map(|v| format!("{}.{}", v.schema, v.name))
        .collect();
    let mut blocks: BTreeMap<(u8, String), Vec<String>> = BTreeMap::new();
    for change in &plan.changes {
        let (mut order, key) = block_of(change);
        if order == 5 && views.contains(&key) {
            order = 6;
        }
        blocks.entry((order, key)).or_default().extend(
            super::render_change(change)
                .into_iter()
                .map(|s| s.trim_end().to_string()),
        );
    }
    blocks
        .into_iter()
        .map(|((order, key), statements)| {
            format!(
                "-- {} {key}\n{}\n",
                KINDS[order as usize],
                statements.join("\n")
            )
        })
        .collect()
}
