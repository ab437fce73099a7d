//! Live-data facts, as Prisma shows them before applying: how many rows a
//! dropped table or column holds, and how many existing rows violate a new
//! NOT NULL, unique, check or foreign key, or fail a cast, so a statement
//! certain to fail is said to fail before anything runs.
//!
//! One counting query per risky change (changes to tables the plan creates
//! have no rows to count), all pipelined on the connection.

use serde::Serialize;
use tokio_postgres::Client;
use vitaes_schema_core::naming::{quote_ident, quote_literal};

use crate::diff::{Change, Plan, TableRef};
use crate::sql::column_type;

/// What the data says about one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// Rows that hold data the change removes, or that violate it.
    pub rows: i64,
    /// What the rows are, for people: `rows in the table`, `rows with duplicate values`.
    pub what: &'static str,
    /// The change cannot succeed on this data.
    pub fails: bool,
}

impl std::fmt::Display for Fact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}{}",
            self.rows,
            self.what,
            if self.fails { " (will fail)" } else { "" }
        )
    }
}

fn table(t: &TableRef) -> String {
    format!("{}.{}", quote_ident(&t.schema), quote_ident(&t.name))
}

fn columns(cols: &[String]) -> String {
    cols.iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The counting query for a change, with what it counts and whether any row
/// means failure.
fn query(change: &Change, server_version: i32) -> Option<(String, &'static str, bool)> {
    Some(match change {
        Change::DropTable(t) => (format!("SELECT count(*) FROM {}", table(t)), "rows in the table", false),
        Change::EnableRls(t) | Change::ForceRls { table: t, force: true } => {
            (format!("SELECT count(*) FROM {}", table(t)), "rows hidden from roles no policy admits", false)
        }
        Change::DropColumn { table: t, column } => (
            format!("SELECT count(*) FROM {} WHERE {} IS NOT NULL", table(t), quote_ident(column)),
            "rows with a value",
            false,
        ),
        Change::SetNotNull { table: t, column } => (
            format!("SELECT count(*) FROM {} WHERE {} IS NULL", table(t), quote_ident(column)),
            "rows are NULL",
            true,
        ),
        Change::AddColumn { table: t, column }
            if column.not_null && column.default.is_none() && column.identity.is_none() && column.generated.is_none() =>
        {
            (format!("SELECT count(*) FROM {}", table(t)), "rows would be NULL", true)
        }
        Change::AddUnique { table: t, unique } => {
            let cols = columns(&unique.columns);
            let filter = if unique.nulls_not_distinct {
                String::new()
            } else {
                format!(
                    " WHERE {}",
                    unique.columns.iter().map(|c| format!("{} IS NOT NULL", quote_ident(c))).collect::<Vec<_>>().join(" AND ")
                )
            };
            (
                format!(
                    "SELECT coalesce(sum(n), 0)::int8 FROM (SELECT count(*) AS n FROM {}{filter} GROUP BY {cols} HAVING count(*) > 1) d",
                    table(t)
                ),
                "rows with duplicate values",
                true,
            )
        }
        Change::AddCheck { table: t, check } => (
            format!("SELECT count(*) FROM {} WHERE NOT ({})", table(t), check.expr),
            "rows violate the check",
            true,
        ),
        Change::AddForeignKey { table: t, fk } => {
            let present = fk.columns.iter().map(|c| format!("s.{} IS NOT NULL", quote_ident(c))).collect::<Vec<_>>().join(" AND ");
            let matches = fk
                .columns
                .iter()
                .zip(&fk.ref_columns)
                .map(|(c, r)| format!("r.{} = s.{}", quote_ident(r), quote_ident(c)))
                .collect::<Vec<_>>()
                .join(" AND ");
            (
                format!(
                    "SELECT count(*) FROM {} s WHERE {present} AND NOT EXISTS (SELECT 1 FROM {}.{} r WHERE {matches})",
                    table(t),
                    quote_ident(&fk.ref_schema),
                    quote_ident(&fk.ref_table)
                ),
                "rows reference nothing",
                true,
            )
        }
        // pg_input_is_valid (PostgreSQL 16+) tells a failing cast without failing.
        Change::AlterColumnType { table: t, to, .. } if server_version >= 160000 && to.type_schema.is_none() => (
            format!(
                "SELECT count(*) FROM {} WHERE {c} IS NOT NULL AND NOT pg_input_is_valid({c}::text, {})",
                table(t),
                quote_literal(&column_type(to)),
                c = quote_ident(&to.name)
            ),
            "rows fail the cast",
            true,
        ),
        Change::RebuildEnum { removed, columns: cols, .. } if !removed.is_empty() => {
            let values = removed.iter().map(|v| quote_literal(v)).collect::<Vec<_>>().join(", ");
            let parts: Vec<String> = cols
                .iter()
                .filter(|c| c.dims == 0 && c.convert_back)
                .map(|c| {
                    format!(
                        "(SELECT count(*) FROM {} WHERE {}::text IN ({values}))",
                        table(&c.table),
                        quote_ident(&c.column)
                    )
                })
                .collect();
            if parts.is_empty() {
                return None;
            }
            (format!("SELECT ({})::int8", parts.join(" + ")), "rows hold a removed value", true)
        }
        _ => return None,
    })
}

/// The facts of each change of `plan` (aligned with it), for tables that exist.
pub async fn facts(
    client: &Client,
    plan: &Plan,
    server_version: i32,
) -> Result<Vec<Option<Fact>>, tokio_postgres::Error> {
    let created = plan.created_tables();
    let queries: Vec<Option<(String, &'static str, bool)>> = plan
        .changes
        .iter()
        .map(|c| {
            let on_new_table = match c {
                Change::AddForeignKey { table, .. }
                | Change::AddUnique { table, .. }
                | Change::AddCheck { table, .. }
                | Change::EnableRls(table)
                | Change::ForceRls { table, .. } => created.contains(table),
                _ => false,
            };
            if on_new_table {
                None
            } else {
                query(c, server_version)
            }
        })
        .collect();
    // The connection must be usable; after that each count may fail on its
    // own: a query naming a column this plan adds (a check on a new column)
    // has nothing to count yet, and its error only means "no fact".
    client.simple_query("").await?;
    let counts = futures_util::future::join_all(queries.iter().map(|q| async move {
        match q {
            Some((sql, _, _)) => client
                .query_one(sql.as_str(), &[])
                .await
                .ok()
                .map(|r| r.get::<_, i64>(0)),
            None => None,
        }
    }))
    .await;
    Ok(queries
        .into_iter()
        .zip(counts)
        .map(|(q, n)| match (q, n) {
            (Some((_, what, fails_if_any)), Some(rows)) => Some(Fact {
                rows,
                what,
                fails: fails_if_any && rows > 0,
            }),
            _ => None,
        })
        .collect())
}
