//! Renames, in drizzle-kit's text where it has one (tables, columns, enums,
//! moves); constraints, indexes and sequences named after a renamed object
//! are renamed too, which drizzle-kit does not do.

use vitaes_schema_core::naming::quote_ident;

use super::{table_ref, table_sql};
use crate::diff::TableRef;

/// `ALTER TYPE "public"."old" RENAME TO "new";`
pub fn enum_rename(schema: &str, from: &str, to: &str) -> String {
    format!(
        "ALTER TYPE {}.{} RENAME TO {};",
        quote_ident(schema),
        quote_ident(from),
        quote_ident(to)
    )
}

/// `ALTER TYPE "public"."mood" SET SCHEMA "app";`
pub fn enum_move(name: &str, from: &str, to: &str) -> String {
    format!(
        "ALTER TYPE {}.{} SET SCHEMA {};",
        quote_ident(from),
        quote_ident(name),
        quote_ident(to)
    )
}

/// `ALTER TABLE "public"."t" SET SCHEMA "app";` and a newline, as drizzle-kit writes it.
pub fn table_move(name: &str, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {}.{} SET SCHEMA {};\n",
        quote_ident(from),
        quote_ident(name),
        quote_ident(to)
    )
}

/// `ALTER TABLE "old" RENAME TO "new";`
pub fn table(table: &TableRef, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME TO {};",
        table_sql(table),
        quote_ident(to)
    )
}

/// `ALTER TABLE "t" RENAME COLUMN "a" TO "b";`
pub fn column(table: &TableRef, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME COLUMN {} TO {};",
        table_sql(table),
        quote_ident(from),
        quote_ident(to)
    )
}

/// `ALTER TABLE "t" RENAME CONSTRAINT "a" TO "b";` (a key's index follows it).
pub fn constraint(table: &TableRef, from: &str, to: &str) -> String {
    format!(
        "ALTER TABLE {} RENAME CONSTRAINT {} TO {};",
        table_sql(table),
        quote_ident(from),
        quote_ident(to)
    )
}

/// `ALTER INDEX "a" RENAME TO "b";`
pub fn index(schema: &str, from: &str, to: &str) -> String {
    format!(
        "ALTER INDEX {} RENAME TO {};",
        table_ref(schema, from),
        quote_ident(to)
    )
}

/// `ALTER SEQUENCE "a" RENAME TO "b";`
pub fn sequence(schema: &str, from: &str, to: &str) -> String {
    format!(
        "ALTER SEQUENCE {} RENAME TO {};",
        table_ref(schema, from),
        quote_ident(to)
    )
}
