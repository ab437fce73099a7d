//! Tables the code only references (`#[table(external)]`, e.g. Supabase's
//! `auth.users`): push never changes them, but the foreign keys onto them
//! need them, so before planning it checks, in one catalog query, that each
//! exists with the columns the code declares and a unique key on what the
//! foreign keys reference.

use std::collections::{BTreeSet, HashMap};

use tokio_postgres::Client;
use vitaes_schema_core::Schema;

use super::{db, PlanError};

/// Every way `desired`'s external tables differ from the database, as one
/// [`PlanError::External`] listing them; `Ok` when there is none.
pub(super) async fn check(client: &Client, desired: &Schema) -> Result<(), PlanError> {
    if desired.external.is_empty() {
        return Ok(());
    }
    let schemas: Vec<&str> = desired.external.iter().map(|t| t.schema.as_str()).collect();
    let names: Vec<&str> = desired.external.iter().map(|t| t.name.as_str()).collect();
    // Each wanted table's columns, and each of its unique, non-partial keys.
    let rows = client
        .query(
            "SELECT w.schema, w.name, 'column' AS kind, array_agg(a.attname::text) AS names
               FROM unnest($1::text[], $2::text[]) AS w(schema, name)
               JOIN pg_namespace n ON n.nspname = w.schema
               JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.name
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              GROUP BY w.schema, w.name
             UNION ALL
             SELECT w.schema, w.name, 'key', array_agg(a.attname::text)
               FROM unnest($1::text[], $2::text[]) AS w(schema, name)
               JOIN pg_namespace n ON n.nspname = w.schema
               JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.name
               JOIN pg_index i ON i.indrelid = c.oid AND i.indisunique AND i.indpred IS NULL
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
              GROUP BY w.schema, w.name, i.indexrelid",
            &[&schemas, &names],
        )
        .await
        .map_err(db("reading the external tables"))?;
    let mut columns: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
    let mut keys: HashMap<(String, String), Vec<BTreeSet<String>>> = HashMap::new();
    for row in rows {
        let at = (row.get::<_, String>(0), row.get::<_, String>(1));
        let set: BTreeSet<String> = row.get::<_, Vec<String>>(3).into_iter().collect();
        if row.get::<_, &str>(2) == "column" {
            columns.insert(at, set);
        } else {
            keys.entry(at).or_default().push(set);
        }
    }

    let mut problems = Vec::new();
    for t in &desired.external {
        let at = (t.schema.clone(), t.name.clone());
        let qualified = format!("{}.{}", t.schema, t.name);
        let Some(have) = columns.get(&at) else {
            problems.push(format!(
                "table {qualified} does not exist (declared `external`, so push does not create it)"
            ));
            continue;
        };
        for c in &t.columns {
            if !have.contains(&c.name) {
                problems.push(format!("{qualified} has no column `{}`", c.name));
            }
        }
        for (from, fk) in desired
            .tables
            .iter()
            .flat_map(|f| f.foreign_keys.iter().map(move |k| (f, k)))
            .filter(|(_, k)| k.ref_schema == t.schema && k.ref_table == t.name)
        {
            let wanted: BTreeSet<String> = fk.ref_columns.iter().cloned().collect();
            let keyed = keys.get(&at).is_some_and(|k| k.contains(&wanted));
            if !keyed {
                problems.push(format!(
                    "foreign key {} of {}.{} references {qualified}({}), which has no primary key or unique constraint on exactly those columns",
                    fk.name,
                    from.schema,
                    from.name,
                    fk.ref_columns.join(", ")
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(PlanError::External(problems))
    }
}
