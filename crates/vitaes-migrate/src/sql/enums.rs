use vitaes_schema_core::naming::{quote_ident, quote_literal};
use vitaes_schema_core::EnumDef;

use super::columns::{alter, set_default};
use crate::diff::EnumColumn;

fn name(e: &EnumDef) -> String {
    format!("{}.{}", quote_ident(&e.schema), quote_ident(&e.name))
}

/// `CREATE TYPE "public"."mood" AS ENUM('sad', 'ok');`
pub fn create(e: &EnumDef) -> String {
    let values = e
        .values
        .iter()
        .map(|v| quote_literal(v))
        .collect::<Vec<_>>()
        .join(", ");
    format!("CREATE TYPE {} AS ENUM({values});", name(e))
}

/// `DROP TYPE "public"."mood";`
pub fn drop(e: &EnumDef) -> String {
    format!("DROP TYPE {};", name(e))
}

/// `ALTER TYPE "public"."mood" ADD VALUE 'v' [BEFORE 'w'];`
pub fn add_value(e: &EnumDef, value: &str, before: Option<&str>) -> String {
    match before {
        Some(b) => format!(
            "ALTER TYPE {} ADD VALUE {} BEFORE {};",
            name(e),
            quote_literal(value),
            quote_literal(b)
        ),
        None => format!("ALTER TYPE {} ADD VALUE {};", name(e), quote_literal(value)),
    }
}

/// Values removed or reordered: every column through text, the type dropped
/// and created again, the columns back. As drizzle-kit writes it, plus what
/// makes it apply where drizzle-kit's does not: array columns go through
/// `text[]`, and columns leaving the enum in this plan only go to text.
pub fn rebuild(e: &EnumDef, columns: &[EnumColumn]) -> Vec<String> {
    let target = name(e);
    let mut out = Vec::new();
    for c in columns {
        let dims = "[]".repeat(c.dims);
        out.push(alter(
            &c.table,
            &c.column,
            &format!("SET DATA TYPE text{dims}"),
        ));
        match &c.default {
            Some(d) => out.push(set_default(
                &c.table,
                &c.column,
                &format!("{}::text{dims}", d.to_sql()),
            )),
            None if c.had_default => out.push(alter(&c.table, &c.column, "DROP DEFAULT")),
            None => {}
        }
    }
    out.push(drop(e));
    out.push(create(e));
    for c in columns.iter().filter(|c| c.convert_back) {
        let dims = "[]".repeat(c.dims);
        if let Some(d) = &c.default {
            out.push(set_default(
                &c.table,
                &c.column,
                &format!("{}::{target}{dims}", d.to_sql()),
            ));
        }
        out.push(alter(
            &c.table,
            &c.column,
            &format!(
                "SET DATA TYPE {target}{dims} USING {}::{target}{dims}",
                quote_ident(&c.column)
            ),
        ));
    }
    out
}
