use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::{Check, ForeignKey, PrimaryKey, Unique};

use super::{column_list, table_sql, BREAKPOINT};
use crate::diff::TableRef;

/// `ALTER TABLE "t" DROP CONSTRAINT "n";`
pub fn drop(table: &TableRef, name: &str) -> String {
    format!(
        "ALTER TABLE {} DROP CONSTRAINT {};",
        table_sql(table),
        quote_ident(name)
    )
}

/// A dropped foreign key: drizzle-kit ends this statement with a newline.
pub fn drop_foreign_key(table: &TableRef, name: &str) -> String {
    format!("{}\n", drop(table, name))
}

/// `ALTER TABLE "t" ADD PRIMARY KEY ("c");` for a column-level key.
pub fn add_column_primary_key(table: &TableRef, column: &str) -> String {
    format!(
        "ALTER TABLE {} ADD PRIMARY KEY ({});",
        table_sql(table),
        quote_ident(column)
    )
}

pub fn add_primary_key(table: &TableRef, pk: &PrimaryKey) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY({});",
        table_sql(table),
        quote_ident(&pk.name),
        column_list(&pk.columns)
    )
}

/// A composite key that keeps its name: drizzle-kit writes drop and add as one
/// entry with the breakpoint inside it.
pub fn alter_primary_key(table: &TableRef, old_name: &str, pk: &PrimaryKey) -> String {
    format!(
        "{}\n{BREAKPOINT}{}",
        drop(table, old_name),
        add_primary_key(table, pk)
    )
}

pub fn add_unique(table: &TableRef, u: &Unique) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} UNIQUE{}({});",
        table_sql(table),
        quote_ident(&u.name),
        if u.nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        },
        column_list(&u.columns)
    )
}

pub fn add_check(table: &TableRef, c: &Check) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({});",
        table_sql(table),
        quote_ident(&c.name),
        c.expr
    )
}

/// `ALTER TABLE "t" ADD CONSTRAINT "n" FOREIGN KEY ("c") REFERENCES "public"."u"("id") ON DELETE cascade ON UPDATE no action;`
pub fn add_foreign_key(table: &TableRef, fk: &ForeignKey) -> String {
    format!(
        "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}.{}({}) ON DELETE {} ON UPDATE {};",
        table_sql(table),
        quote_ident(&fk.name),
        column_list(&fk.columns),
        quote_ident(&fk.ref_schema),
        quote_ident(&fk.ref_table),
        column_list(&fk.ref_columns),
        fk.on_delete.as_str(),
        fk.on_update.as_str(),
    )
}
