use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::{IndexColumn, IndexDef};

use super::{table_ref, table_sql};
use crate::diff::TableRef;

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY IF NOT EXISTS] "n" ON "t" USING btree ("c" DESC NULLS LAST) WITH (...) WHERE ...;`
///
/// A concurrent build runs outside a transaction, so a run can stop after
/// some of its indexes: `IF NOT EXISTS` lets the rerun skip those (an
/// interrupted build is INVALID and dropped before the rerun). drizzle-kit
/// writes plain `CONCURRENTLY`.
pub fn create(table: &TableRef, ix: &IndexDef) -> String {
    let columns = ix.columns.iter().map(column).collect::<Vec<_>>().join(",");
    let mut sql = format!(
        "CREATE {}INDEX {}{} ON {} USING {} ({columns})",
        if ix.unique { "UNIQUE " } else { "" },
        if ix.concurrently {
            "CONCURRENTLY IF NOT EXISTS "
        } else {
            ""
        },
        quote_ident(&ix.name),
        table_sql(table),
        ix.method,
    );
    if !ix.with.is_empty() {
        let params = ix
            .with
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join(",");
        sql.push_str(&format!(" WITH ({params})"));
    }
    if let Some(w) = &ix.where_clause {
        sql.push_str(&format!(" WHERE {w}"));
    }
    sql.push(';');
    sql
}

/// `DROP INDEX "n";` (schema-qualified outside public, where the index lives with its table).
pub fn drop(table: &TableRef, name: &str) -> String {
    format!("DROP INDEX {};", table_ref(&table.schema, name))
}

/// One index element: ascending with NULLS LAST (btree's default) gets no
/// suffix, as drizzle-kit writes it. drizzle-kit also drops the order of an
/// opclass column, building `c text_pattern_ops` for a `.desc()` one; we keep
/// it, so the index built is the one declared.
fn column(c: &IndexColumn) -> String {
    let mut out = if c.is_expression {
        c.expression.clone()
    } else {
        quote_ident(&c.expression)
    };
    if let Some(op) = &c.opclass {
        out.push(' ');
        out.push_str(op);
    }
    if !c.asc {
        out.push_str(" DESC");
    }
    if !c.asc || c.nulls_first {
        out.push_str(if c.nulls_first {
            " NULLS FIRST"
        } else {
            " NULLS LAST"
        });
    }
    out
}
