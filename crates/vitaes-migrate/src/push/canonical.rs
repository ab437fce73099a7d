//! The server as canonicaliser: the desired schema's SQL fragments (defaults,
//! checks, index expressions and predicates, generated expressions, policies'
//! `USING` and `WITH CHECK`) spelled as
//! PostgreSQL stores them, so the live and the desired schema compare without
//! false differences.
//!
//! Inside a transaction that is always rolled back, each table with such a
//! fragment gets a temporary twin (same name, in `pg_temp`, so `"t"."c"`
//! still means its own column) holding the fragments; the twins are read back
//! with the very queries introspection uses. Only tables with fragments are
//! created, never the whole schema, and the reads are catalog-wide.

use std::collections::HashMap;
use std::ops::ControlFlow;

use sqlparser::ast::{visit_expressions_mut, Expr};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use tokio_postgres::Client;
use vitaes_schema_core::naming::{quote_ident, quote_literal};
use vitaes_schema_core::{DefaultValue, Schema, TableDef};

use crate::introspect::read_tables;
use crate::sql::column_type;

/// Whether a table has a fragment only the server can spell.
/// (Defaults do not need a twin: each distinct type and default is spelled
/// once, in a shared scratch table.)
fn has_fragments(t: &TableDef) -> bool {
    t.columns.iter().any(|c| c.generated.is_some())
        || !t.checks.is_empty()
        || t.indexes
            .iter()
            .any(|ix| ix.where_clause.is_some() || ix.columns.iter().any(|c| c.is_expression))
        || t.policies
            .iter()
            .any(|p| p.using.is_some() || p.with_check.is_some())
}

/// Enum-typed defaults compare structurally (see [`strip_enum_casts`]); a
/// value this push adds could not be used inside the scratch transaction.
fn default_needs_server(c: &vitaes_schema_core::ColumnDef) -> bool {
    c.type_schema.is_none() && c.identity.is_none() && !c.sql_type.ends_with("serial")
}

/// `'v'::type` → `'v'` on enum-typed columns, on both sides of a comparison.
pub fn strip_enum_casts(schema: &mut Schema) {
    for t in &mut schema.tables {
        for c in &mut t.columns {
            if c.type_schema.is_none() {
                continue;
            }
            if let Some(DefaultValue::Sql(sql)) = &mut c.default {
                if let Some(end) = literal_end(sql) {
                    sql.truncate(end);
                }
            }
        }
    }
}

/// The end of a leading quoted literal followed by a cast.
pub(crate) fn literal_end(sql: &str) -> Option<usize> {
    let bytes = sql.as_bytes();
    if bytes.first() != Some(&b'\'') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            if bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return sql[i + 1..].starts_with("::").then_some(i + 1);
        }
        i += 1;
    }
    None
}

/// `"billing"."customers"."balance"` → `"customers"."balance"` inside a check
/// on billing.customers: the twin lives in `pg_temp`, not in `billing`.
fn unqualify_schema(sql: &str, schema: &str, table: &str) -> String {
    if schema == "public" || !sql.contains(schema) {
        return sql.to_string();
    }
    let dialect = PostgreSqlDialect {};
    let Ok(mut expr) = Parser::new(&dialect)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
    else {
        return sql.to_string();
    };
    let _ = visit_expressions_mut(&mut expr, |e| {
        if let Expr::CompoundIdentifier(parts) = e {
            if parts.len() == 3 && parts[0].value == schema && parts[1].value == table {
                parts.remove(0);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    expr.to_string()
}

/// The desired schema with its fragments in the server's spelling. On any
/// failure to build the twins the desired schema comes back unchanged (the
/// offline comparison still applies). `in_transaction`: the caller's
/// transaction is open, so the twins live in a savepoint rolled back to,
/// never a transaction of their own (which would end the caller's).
pub async fn canonicalize(
    client: &Client,
    desired: &Schema,
    live: &Schema,
    in_transaction: bool,
) -> Result<Schema, tokio_postgres::Error> {
    let twins: Vec<usize> = (0..desired.tables.len())
        .filter(|&i| has_fragments(&desired.tables[i]))
        .collect();
    // Each distinct (type, default) once, however many columns share it.
    let mut defaults: Vec<(String, String)> = Vec::new();
    for t in &desired.tables {
        for c in &t.columns {
            if let (true, Some(d)) = (default_needs_server(c), &c.default) {
                let key = (twin_type(c), d.to_sql());
                if !defaults.contains(&key) {
                    defaults.push(key);
                }
            }
        }
    }
    if twins.is_empty() && defaults.is_empty() {
        return Ok(desired.clone());
    }
    let mut ddl = String::new();
    for s in &desired.schemas {
        if !live.schemas.contains(s) {
            ddl.push_str(&format!(
                "CREATE SCHEMA IF NOT EXISTS {};\n",
                quote_ident(s)
            ));
        }
    }
    for e in &desired.enums {
        if !live
            .enums
            .iter()
            .any(|l| l.schema == e.schema && l.name == e.name)
        {
            let values: Vec<String> = e.values.iter().map(|v| quote_literal(v)).collect();
            ddl.push_str(&format!(
                "CREATE TYPE {}.{} AS ENUM ({});\n",
                quote_ident(&e.schema),
                quote_ident(&e.name),
                values.join(", ")
            ));
        }
    }
    let mut names: Vec<String> = Vec::new();
    for (k, &i) in twins.iter().enumerate() {
        let t = &desired.tables[i];
        // Two tables of one name in different schemas: the second twin gets another name.
        let name = if names.contains(&t.name) {
            format!("vitaes_twin_{k}")
        } else {
            t.name.clone()
        };
        let twin = format!("pg_temp.{}", quote_ident(&name));
        let columns: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let mut line = format!("{} {}", quote_ident(&c.name), twin_type(c));
                if let Some(g) = &c.generated {
                    line.push_str(&format!(
                        " GENERATED ALWAYS AS ({}) {}",
                        unqualify_schema(&g.expr, &t.schema, &t.name),
                        g.kind.as_sql()
                    ));
                }
                line
            })
            .collect();
        ddl.push_str(&format!(
            "CREATE TEMP TABLE {twin} ({});\n",
            columns.join(", ")
        ));
        for c in &t.checks {
            ddl.push_str(&format!(
                "ALTER TABLE {twin} ADD CONSTRAINT {} CHECK ({});\n",
                quote_ident(&c.name),
                unqualify_schema(&c.expr, &t.schema, &t.name)
            ));
        }
        for (j, ix) in t.indexes.iter().enumerate() {
            if ix.where_clause.is_none() && !ix.columns.iter().any(|c| c.is_expression) {
                continue;
            }
            let mut scratch = ix.clone();
            scratch.name = format!("vitaes_twin_{k}_{j}");
            scratch.concurrently = false;
            scratch.unique = false;
            for c in &mut scratch.columns {
                if c.is_expression {
                    c.expression = unqualify_schema(&c.expression, &t.schema, &t.name);
                }
            }
            scratch.where_clause = scratch
                .where_clause
                .map(|w| unqualify_schema(&w, &t.schema, &t.name));
            let table = crate::diff::TableRef {
                schema: "pg_temp".into(),
                name: name.clone(),
            };
            ddl.push_str(
                &crate::sql::render_change(&crate::diff::Change::CreateIndex {
                    table,
                    index: scratch,
                })[0],
            );
            ddl.push('\n');
        }
        for p in &t.policies {
            if p.using.is_none() && p.with_check.is_none() {
                continue;
            }
            // To PUBLIC: the roles do not change the spelling, and may not exist yet.
            let mut scratch = p.clone();
            scratch.to = vec!["public".into()];
            scratch.using = p
                .using
                .as_ref()
                .map(|u| unqualify_schema(u, &t.schema, &t.name));
            scratch.with_check = p
                .with_check
                .as_ref()
                .map(|w| unqualify_schema(w, &t.schema, &t.name));
            let table = crate::diff::TableRef {
                schema: "pg_temp".into(),
                name: name.clone(),
            };
            ddl.push_str(
                &crate::sql::render_change(&crate::diff::Change::CreatePolicy {
                    table,
                    policy: scratch,
                })[0],
            );
            ddl.push('\n');
        }
        names.push(name);
    }

    let twin_count = names.len();
    for (n, chunk) in defaults.chunks(1000).enumerate() {
        let name = format!("vitaes_defaults_{n}");
        let columns: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, (ty, sql))| format!("\"d{i}\" {ty} DEFAULT {sql}"))
            .collect();
        ddl.push_str(&format!(
            "CREATE TEMP TABLE pg_temp.{} ({});\n",
            quote_ident(&name),
            columns.join(", ")
        ));
        names.push(name);
    }

    let (open, close) = if in_transaction {
        (
            "SAVEPOINT vitaes_twins",
            "ROLLBACK TO SAVEPOINT vitaes_twins; RELEASE SAVEPOINT vitaes_twins",
        )
    } else {
        ("BEGIN", "ROLLBACK")
    };
    client.batch_execute(open).await?;
    let result = read_twins(client, &ddl, &names).await;
    client.batch_execute(close).await?;
    let Ok(read) = result else {
        return Ok(desired.clone());
    };

    if read.len() != names.len() {
        return Ok(desired.clone());
    }
    let mut spelled: HashMap<&(String, String), DefaultValue> = HashMap::new();
    for (n, table) in read[twin_count..].iter().enumerate() {
        for (i, key) in defaults.iter().skip(n * 1000).take(1000).enumerate() {
            if let Some(d) = table
                .column(&format!("d{i}"))
                .and_then(|c| c.default.clone())
            {
                spelled.insert(key, d);
            }
        }
    }
    let mut out = desired.clone();
    for t in &mut out.tables {
        for c in &mut t.columns {
            if let (true, Some(d)) = (default_needs_server(c), &c.default) {
                if let Some(server) = spelled.get(&(twin_type(c), d.to_sql())) {
                    c.default = Some(server.clone());
                }
            }
        }
    }
    for (&i, twin) in twins.iter().zip(&read) {
        let t = &mut out.tables[i];
        for c in &mut t.columns {
            let Some(tc) = twin.column(&c.name) else {
                continue;
            };
            if c.generated.is_some() {
                c.generated = tc.generated.clone();
            }
        }
        for c in &mut t.checks {
            if let Some(tc) = twin.checks.iter().find(|x| x.name == c.name) {
                c.expr = tc.expr.clone();
            }
        }
        let k = twins
            .iter()
            .position(|&x| x == i)
            .expect("a twin of this table");
        for (j, ix) in t.indexes.iter_mut().enumerate() {
            let Some(tix) = twin
                .indexes
                .iter()
                .find(|x| x.name == format!("vitaes_twin_{k}_{j}"))
            else {
                continue;
            };
            ix.where_clause = tix.where_clause.clone();
            for (c, tc) in ix.columns.iter_mut().zip(&tix.columns) {
                if c.is_expression {
                    c.expression = tc.expression.clone();
                }
            }
        }
        for p in &mut t.policies {
            if let Some(tp) = twin.policies.iter().find(|x| x.name == p.name) {
                p.using = tp.using.clone();
                p.with_check = tp.with_check.clone();
            }
        }
    }
    Ok(out)
}

/// A column's type for its twin: enums schema-qualified so the twin finds them.
pub(super) fn twin_type(c: &vitaes_schema_core::ColumnDef) -> String {
    match c.sql_type.as_str() {
        "serial" => "integer".to_string(),
        "bigserial" => "bigint".to_string(),
        "smallserial" => "smallint".to_string(),
        _ => column_type(c),
    }
}

/// Creates the twins and reads them back (inside the caller's transaction).
async fn read_twins(
    client: &Client,
    ddl: &str,
    names: &[String],
) -> Result<Vec<TableDef>, tokio_postgres::Error> {
    client.batch_execute(ddl).await?;
    let rows = client
        .query(
            "SELECT c.oid::int8 AS oid, c.relname::text AS name FROM pg_catalog.pg_class c
              WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relkind = 'r' AND c.relname = ANY($1)",
            &[&names],
        )
        .await?;
    let listed: Vec<(i64, String, String)> = names
        .iter()
        .filter_map(|n| {
            rows.iter()
                .find(|r| r.get::<_, String>("name") == *n)
                .map(|r| (r.get("oid"), "pg_temp".to_string(), n.clone()))
        })
        .collect();
    read_tables(client, &listed).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_casts_and_schema_qualifiers() {
        assert_eq!(literal_end("'ok'::mood"), Some(4));
        assert_eq!(literal_end("'it''s'::text"), Some(7));
        assert_eq!(literal_end("now()"), None);
        assert_eq!(
            unqualify_schema(
                "\"billing\".\"customers\".\"balance\" >= 0",
                "billing",
                "customers"
            ),
            "\"customers\".\"balance\" >= 0"
        );
        assert_eq!(
            unqualify_schema("balance >= 0", "public", "t"),
            "balance >= 0"
        );
    }
}
