//! SQL rendering: one module per statement kind, each statement's text as
//! drizzle-kit 0.31 writes it for the same object. Every identifier goes
//! through [`vitaes_schema_core::naming::quote_ident`].

mod create_enum;
mod create_index;
mod create_schema;
mod create_table;
mod foreign_key;

use vitaes_schema_core::naming::quote_ident;

use crate::diff::{Change, Plan};

pub use create_table::column_type;

/// drizzle-kit's separator between statements in a migration file.
pub const BREAKPOINT: &str = "--> statement-breakpoint\n";

/// The statements of a plan, in the plan's order.
pub fn render(plan: &Plan) -> Vec<String> {
    plan.changes.iter().map(render_change).collect()
}

fn render_change(change: &Change) -> String {
    match change {
        Change::CreateSchema(name) => create_schema::render(name),
        Change::CreateEnum(e) => create_enum::render(e),
        Change::CreateTable(t) => create_table::render(t),
        Change::AddForeignKey { table, fk } => foreign_key::render_add(table, fk),
        Change::CreateIndex { table, index } => create_index::render(table, index),
    }
}

/// A migration file's text: statements joined by the breakpoint marker
/// (CREATE TABLE and CREATE SCHEMA texts end in a newline, the others do not,
/// exactly as drizzle-kit writes them).
pub fn migration_file(statements: &[String]) -> String {
    statements.join(BREAKPOINT)
}

/// `"schema"."name"`, with the schema left out for `public` as drizzle-kit does
/// for tables.
pub(crate) fn table_ref(schema: &str, name: &str) -> String {
    if schema == "public" {
        quote_ident(name)
    } else {
        format!("{}.{}", quote_ident(schema), quote_ident(name))
    }
}

/// A quoted, comma-separated column list without spaces: `"a","b"`.
pub(crate) fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(",")
}
