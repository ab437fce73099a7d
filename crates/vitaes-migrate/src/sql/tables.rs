use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::{ColumnDef, Identity, IdentityKind, TableDef};

use super::{column_list, table_ref, table_sql};
use crate::diff::TableRef;

/// drizzle-kit's CREATE TABLE: one tab-indented line per column, then the
/// table's primary key, unique and check constraints; ends in `);\n`.
pub fn create(t: &TableDef) -> String {
    let mut lines: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("\t{}", column_definition(c, true)))
        .collect();
    if let Some(pk) = &t.primary_key {
        lines.push(format!(
            "\tCONSTRAINT {} PRIMARY KEY({})",
            quote_ident(&pk.name),
            column_list(&pk.columns)
        ));
    }
    for u in &t.uniques {
        lines.push(format!(
            "\tCONSTRAINT {} UNIQUE{}({})",
            quote_ident(&u.name),
            if u.nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            column_list(&u.columns)
        ));
    }
    for c in &t.checks {
        lines.push(format!(
            "\tCONSTRAINT {} CHECK ({})",
            quote_ident(&c.name),
            c.expr
        ));
    }
    format!(
        "CREATE TABLE {} (\n{}\n);\n",
        table_ref(&t.schema, &t.name),
        lines.join(",\n")
    )
}

/// `DROP TABLE "t" CASCADE;`
pub fn drop(t: &TableRef) -> String {
    format!("DROP TABLE {} CASCADE;", table_sql(t))
}

/// `"c" type [PRIMARY KEY] [DEFAULT d] [GENERATED ...] [NOT NULL] [identity]`.
/// In CREATE TABLE drizzle-kit leaves NOT NULL out of identity columns (they
/// are NOT NULL by definition); in ADD COLUMN it writes it.
pub(super) fn column_definition(c: &ColumnDef, in_create_table: bool) -> String {
    let mut line = format!("{} {}", quote_ident(&c.name), column_type(c));
    if c.primary_key {
        line.push_str(" PRIMARY KEY");
    }
    if let Some(d) = &c.default {
        line.push_str(" DEFAULT ");
        line.push_str(&d.to_sql());
    }
    if let Some(g) = &c.generated {
        line.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            g.expr,
            g.kind.as_sql()
        ));
    }
    if c.not_null && !(in_create_table && c.identity.is_some()) {
        line.push_str(" NOT NULL");
    }
    if let Some(i) = &c.identity {
        line.push_str(&format!(" {}", identity_clause(i)));
    }
    line
}

/// `GENERATED ALWAYS AS IDENTITY (sequence name "t_id_seq" INCREMENT BY 1 ...)`.
pub(super) fn identity_clause(i: &Identity) -> String {
    let kind = match i.kind {
        IdentityKind::Always => "ALWAYS",
        IdentityKind::ByDefault => "BY DEFAULT",
    };
    let options = format!(
        "sequence name {} {}",
        table_ref(&i.schema, &i.name),
        super::sequences::options_sql(&i.options)
    );
    format!("GENERATED {kind} AS IDENTITY ({options})")
}

/// drizzle-kit's `pgNativeTypes`: a type whose spelling starts with one of
/// these is written bare; any other (`"inet"`, `"bytea"`) is quoted, exactly as
/// drizzle-kit does, since PostgreSQL accepts both.
const NATIVE_TYPES: &[&str] = &[
    "uuid",
    "smallint",
    "integer",
    "bigint",
    "boolean",
    "text",
    "varchar",
    "serial",
    "bigserial",
    "decimal",
    "numeric",
    "real",
    "json",
    "jsonb",
    "time",
    "time with time zone",
    "time without time zone",
    "timestamp",
    "timestamp with time zone",
    "timestamp without time zone",
    "date",
    "interval",
    "double precision",
    "interval year",
    "interval month",
    "interval day",
    "interval hour",
    "interval minute",
    "interval second",
    "interval year to month",
    "interval day to hour",
    "interval day to minute",
    "interval day to second",
    "interval hour to minute",
    "interval hour to second",
    "interval minute to second",
    "char",
    "vector",
    "geometry",
    "halfvec",
    "sparsevec",
    "bit",
];

/// A column's type as CREATE TABLE and ADD COLUMN write it: enums quoted and,
/// outside `public`, schema-qualified.
pub fn column_type(c: &ColumnDef) -> String {
    render_type(c, false)
}

/// A column's type as SET DATA TYPE writes it: enums always schema-qualified.
pub(super) fn qualified_type(c: &ColumnDef) -> String {
    render_type(c, true)
}

fn render_type(c: &ColumnDef, qualify_public: bool) -> String {
    // Enums are always quoted: drizzle-kit's prefix test would leave an enum
    // named `text_kind` bare, which breaks for names that need quoting.
    if c.type_schema.is_none() && NATIVE_TYPES.iter().any(|n| c.sql_type.starts_with(n)) {
        return c.sql_type.clone();
    }
    let base = c.sql_type.trim_end_matches("[]");
    let dims = &c.sql_type[base.len()..];
    let prefix = match &c.type_schema {
        Some(s) if s != "public" || qualify_public => format!("{}.", quote_ident(s)),
        _ => String::new(),
    };
    format!("{prefix}{}{dims}", quote_ident(base))
}
