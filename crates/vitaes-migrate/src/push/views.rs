//! The code's views in the server's words: each query becomes a temporary
//! view inside a transaction always rolled back, and is read back with
//! introspection's own queries — `pg_get_viewdef` on both sides of the
//! comparison. Temporary views and the temporary twins of the tables they
//! read (the code's columns and types) take the real names in `pg_temp`,
//! which is searched first: a query reads the code's version of everything,
//! even what this push has yet to create or retype, so the columns the
//! server derives are the code's, and are checked against the struct's
//! fields.
//!
//! All views are created in one batch and read in one round trip; only when
//! the batch fails (a query reading a table this push has yet to create) is
//! each view tried alone, and one that still fails keeps its text as written
//! (it differs from the live one, if any, so it is created again).

use std::collections::HashSet;

use tokio_postgres::Client;
use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::{Schema, ViewDef};

use super::canonical::twin_type;
use super::error::PlanError;
use crate::diff::views::{creation_order, referenced_names};
use crate::introspect::read_views;

const VIEWS: &str = include_str!("../introspect/sql/views.sql");
const VIEW_COLUMNS: &str = include_str!("../introspect/sql/view_columns.sql");

/// `desired` with each view's query, access method and tablespace spelled as
/// the server keeps them; an error when the fields are not the columns.
pub(super) async fn canonicalize(
    client: &Client,
    desired: &mut Schema,
    in_transaction: bool,
) -> Result<(), PlanError> {
    for v in &mut desired.views {
        // The server's defaults, which introspection leaves out.
        if v.using.as_deref() == Some("heap") {
            v.using = None;
        }
        if v.tablespace.as_deref() == Some("pg_default") {
            v.tablespace = None;
        }
    }
    let managed: Vec<&ViewDef> = desired
        .views
        .iter()
        .filter(|v| !v.existing && v.definition.is_some())
        .collect();
    if managed.is_empty() {
        return Ok(());
    }
    // Two views of one name in different schemas: the later ones are left
    // as written (rare; they are then created again on every push).
    let mut seen = HashSet::new();
    let order: Vec<usize> = creation_order(&managed)
        .into_iter()
        .filter(|&i| seen.insert(managed[i].name.clone()))
        .collect();
    let create = |v: &ViewDef| {
        format!(
            "CREATE TEMP VIEW {} AS {};",
            quote_ident(&v.name),
            v.definition.as_deref().unwrap_or_default()
        )
    };
    let (open, close) = if in_transaction {
        (
            "SAVEPOINT vitaes_views",
            "ROLLBACK TO SAVEPOINT vitaes_views; RELEASE SAVEPOINT vitaes_views",
        )
    } else {
        ("BEGIN", "ROLLBACK")
    };
    let db = super::db("canonicalising the views");
    let twins = table_twins(desired, &managed);
    client.batch_execute(open).await.map_err(&db)?;
    let read = read_back(client, &twins, &managed, &order, &create).await;
    client.batch_execute(close).await.map_err(&db)?;
    let read = read.map_err(&db)?;

    let mut problems = Vec::new();
    for spelled in read {
        let Some(v) = desired
            .views
            .iter_mut()
            .find(|v| !v.existing && v.name == spelled.name)
        else {
            continue;
        };
        if let Some(problem) = column_mismatch(v, &spelled) {
            problems.push(problem);
        }
        v.definition = spelled.definition;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(PlanError::ViewColumns(problems))
    }
}

/// Creates the temporary views (all at once, else one by one) and reads them.
async fn read_back(
    client: &Client,
    twins: &str,
    managed: &[&ViewDef],
    order: &[usize],
    create: &(dyn Fn(&ViewDef) -> String + Sync),
) -> Result<Vec<ViewDef>, tokio_postgres::Error> {
    let batch: String = order.iter().map(|&i| create(managed[i])).collect();
    // Twins of a type this push has yet to create (an extension's, an
    // enum's) cannot be made: the queries then read the live tables.
    if !twins.is_empty() {
        client.batch_execute("SAVEPOINT vitaes_view_twins").await?;
        let undo = match client.batch_execute(twins).await {
            Ok(()) => "RELEASE SAVEPOINT vitaes_view_twins",
            Err(_) => {
                "ROLLBACK TO SAVEPOINT vitaes_view_twins; RELEASE SAVEPOINT vitaes_view_twins"
            }
        };
        client.batch_execute(undo).await?;
    }
    client.batch_execute("SAVEPOINT vitaes_view_batch").await?;
    if client.batch_execute(&batch).await.is_err() {
        client
            .batch_execute("ROLLBACK TO SAVEPOINT vitaes_view_batch")
            .await?;
        for &i in order {
            client.batch_execute("SAVEPOINT vitaes_view").await?;
            let undo = match client.batch_execute(&create(managed[i])).await {
                Ok(()) => "RELEASE SAVEPOINT vitaes_view",
                Err(_) => "ROLLBACK TO SAVEPOINT vitaes_view; RELEASE SAVEPOINT vitaes_view",
            };
            client.batch_execute(undo).await?;
        }
    }
    let temp: Option<String> = client
        .query_one(
            "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE oid = pg_catalog.pg_my_temp_schema()",
            &[],
        )
        .await
        .ok()
        .map(|r| r.get(0));
    let Some(temp) = temp else {
        return Ok(Vec::new());
    };
    let schemas = vec![temp];
    let (views, columns) = futures_util::future::try_join(
        client.query(VIEWS, &[&schemas]),
        client.query(VIEW_COLUMNS, &[&schemas]),
    )
    .await?;
    Ok(read_views(&views, &columns))
}

/// `CREATE TEMP TABLE` for each table a view's query names (by its name, so
/// one of two same-named tables in different schemas only), with the code's
/// columns and types and nothing else.
fn table_twins(desired: &Schema, views: &[&ViewDef]) -> String {
    let mut named: HashSet<String> = HashSet::new();
    for v in views {
        if let Some(words) = v.definition.as_deref().and_then(referenced_names) {
            named.extend(words);
        }
    }
    let mut done = HashSet::new();
    let mut ddl = String::new();
    for t in &desired.tables {
        if !named.contains(&t.name) || !done.insert(t.name.clone()) {
            continue;
        }
        let columns: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("{} {}", quote_ident(&c.name), twin_type(c)))
            .collect();
        ddl.push_str(&format!(
            "CREATE TEMP TABLE {} ({});\n",
            quote_ident(&t.name),
            columns.join(", ")
        ));
    }
    ddl
}

/// What differs between the fields and the columns the server derives: a
/// field missing, one too many, or another type. `None` when the struct
/// declares no fields.
fn column_mismatch(declared: &ViewDef, derived: &ViewDef) -> Option<String> {
    if declared.columns.is_empty() {
        return None;
    }
    let name = format!("{}.{}", declared.schema, declared.name);
    let list = |v: &ViewDef| {
        v.columns
            .iter()
            .map(|c| format!("{} {}", c.name, c.sql_type))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let same = declared.columns.len() == derived.columns.len()
        && declared
            .columns
            .iter()
            .zip(&derived.columns)
            .all(|(a, b)| a.name == b.name && a.sql_type == b.sql_type);
    (!same).then(|| {
        format!(
            "view {name}: the struct declares ({}), the query yields ({})",
            list(declared),
            list(derived)
        )
    })
}
