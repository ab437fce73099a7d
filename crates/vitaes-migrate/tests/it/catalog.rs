//! A catalog read of a database's user schema, for comparing two databases
//! by what PostgreSQL stores rather than by the SQL that built them.

use tokio_postgres::Client;

/// What a database holds outside the system schemas and drizzle's bookkeeping.
#[derive(Debug, PartialEq, Eq)]
pub struct CatalogDump {
    /// One line per table, column, constraint and index, sorted.
    pub lines: Vec<String>,
    pub tables: i64,
    pub primary_keys: i64,
    pub uniques: i64,
    pub foreign_keys: i64,
    pub check_constraints: i64,
    /// Rows in pg_index for user tables (each key, unique and index has one).
    pub indexes: i64,
}

const USER_SCHEMAS: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'drizzle') AND n.nspname NOT LIKE 'pg_toast%'";

pub async fn dump(client: &Client) -> CatalogDump {
    let sql = format!(
        "SELECT 'table ' || n.nspname || '.' || c.relname
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND {USER_SCHEMAS}
         UNION ALL
         SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attnum || ' ' || a.attname
                || ' ' || format_type(a.atttypid, a.atttypmod)
                || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND {USER_SCHEMAS}
         UNION ALL
         SELECT 'constraint ' || n.nspname || '.' || c.relname || ' ' || k.conname || ' '
                || k.contype::text || ' ' || pg_get_constraintdef(k.oid)
           FROM pg_constraint k
           JOIN pg_class c ON c.oid = k.conrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE {USER_SCHEMAS}
         UNION ALL
         SELECT 'index ' || pg_get_indexdef(i.indexrelid)
           FROM pg_index i
           JOIN pg_class c ON c.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE {USER_SCHEMAS}"
    );
    let mut lines: Vec<String> = client
        .query(&sql, &[])
        .await
        .expect("catalog read")
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect();
    lines.sort();
    let count = |prefix: &str, kind: &str| {
        lines
            .iter()
            .filter(|l| {
                l.starts_with(prefix) && (kind.is_empty() || l.split(' ').nth(3) == Some(kind))
            })
            .count() as i64
    };
    CatalogDump {
        tables: count("table ", ""),
        primary_keys: count("constraint ", "p"),
        uniques: count("constraint ", "u"),
        foreign_keys: count("constraint ", "f"),
        check_constraints: count("constraint ", "c"),
        indexes: count("index ", ""),
        lines,
    }
}

/// Runs a migration file's statements (split on drizzle's breakpoints) in one transaction.
pub async fn apply_sql(client: &mut Client, sql: &str) {
    let tx = client.transaction().await.expect("begin");
    for statement in sql.split("--> statement-breakpoint") {
        if !statement.trim().is_empty() {
            tx.batch_execute(statement)
                .await
                .unwrap_or_else(|e| panic!("statement failed: {e}\n{statement}"));
        }
    }
    tx.commit().await.expect("commit");
}

/// Runs each statement on its own (autocommit), for files with statements
/// that cannot run in a transaction block.
pub async fn apply_each(client: &Client, sql: &str) {
    for statement in sql.split("--> statement-breakpoint") {
        if !statement.trim().is_empty() {
            client
                .batch_execute(statement)
                .await
                .unwrap_or_else(|e| panic!("statement failed: {e}\n{statement}"));
        }
    }
}
