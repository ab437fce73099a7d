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
    dump_with(client, true).await
}

/// The dump with columns listed by name only, for databases that reached the
/// same schema by different paths (an added column comes last).
pub async fn dump_unordered(client: &Client) -> CatalogDump {
    dump_with(client, false).await
}

/// PostgreSQL 18 stores each NOT NULL as a constraint named `<table>_<column>_not_null` when
/// it is created, and keeps that name through table and column renames; no tool's model has
/// the name (the column line says `not null`), so its line leaves the name out (`-`).
async fn dump_with(client: &Client, column_order: bool) -> CatalogDump {
    let attnum = if column_order {
        "a.attnum::text"
    } else {
        "'_'"
    };
    let sql = format!(
        "SELECT 'table ' || n.nspname || '.' || c.relname
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND {USER_SCHEMAS}
         UNION ALL
         SELECT 'column ' || n.nspname || '.' || c.relname || '.' || {attnum} || ' ' || a.attname
                || ' ' || format_type(a.atttypid, a.atttypmod)
                || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
                || CASE a.attgenerated WHEN 's' THEN ' generated' WHEN 'v' THEN ' generated virtual' ELSE '' END
                || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND {USER_SCHEMAS}
         UNION ALL
         SELECT 'constraint ' || n.nspname || '.' || c.relname || ' '
                || CASE WHEN k.contype = 'n' THEN '-' ELSE k.conname END || ' '
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
          WHERE {USER_SCHEMAS}
         UNION ALL
         SELECT 'sequence ' || n.nspname || '.' || c.relname || ' ' || s.seqincrement || ' ' || s.seqmin
                || ' ' || s.seqmax || ' ' || s.seqstart || ' ' || s.seqcache || ' ' || s.seqcycle
           FROM pg_sequence s
           JOIN pg_class c ON c.oid = s.seqrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE {USER_SCHEMAS}
         UNION ALL
         SELECT 'enum ' || n.nspname || '.' || t.typname || ' '
                || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
           FROM pg_enum e
           JOIN pg_type t ON t.oid = e.enumtypid
           JOIN pg_namespace n ON n.oid = t.typnamespace
          GROUP BY n.nspname, t.typname
         UNION ALL
         SELECT 'rls ' || n.nspname || '.' || c.relname || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND (c.relrowsecurity OR c.relforcerowsecurity) AND {USER_SCHEMAS}
         UNION ALL
         SELECT 'policy ' || n.nspname || '.' || c.relname || ' ' || p.polname || ' ' || p.polpermissive
                || ' ' || p.polcmd::text || ' '
                || coalesce((SELECT string_agg(CASE r WHEN 0 THEN 'public' ELSE pg_get_userbyid(r)::text END, ',' ORDER BY 1)
                               FROM unnest(p.polroles) r), '')
                || coalesce(' using ' || pg_get_expr(p.polqual, p.polrelid), '')
                || coalesce(' check ' || pg_get_expr(p.polwithcheck, p.polrelid), '')
           FROM pg_policy p
           JOIN pg_class c ON c.oid = p.polrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE {USER_SCHEMAS}
         UNION ALL
         SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
                || ' ' || coalesce((SELECT string_agg(o, ',' ORDER BY o) FROM unnest(c.reloptions) o), '')
                || ' ' || coalesce(am.amname::text, '') || ' ' || pg_get_viewdef(c.oid)
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_am am ON am.oid = c.relam
          WHERE c.relkind IN ('v', 'm') AND {USER_SCHEMAS}
         UNION ALL
         SELECT 'view column ' || n.nspname || '.' || c.relname || '.' || a.attnum || ' ' || a.attname
                || ' ' || format_type(a.atttypid, a.atttypmod)
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND {USER_SCHEMAS}
         UNION ALL
         SELECT 'extension ' || e.extname || ' ' || n.nspname
           FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname <> 'plpgsql'
         UNION ALL
         SELECT 'schema ' || n.nspname FROM pg_namespace n
          WHERE {USER_SCHEMAS} AND n.nspname <> 'public'"
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

/// Applies a migration file as a migrator would: in one transaction, or
/// statement by statement when it holds `CREATE INDEX CONCURRENTLY`.
pub async fn apply_migration(client: &mut Client, sql: &str) -> Result<(), tokio_postgres::Error> {
    let statements: Vec<&str> = sql
        .split("--> statement-breakpoint")
        .filter(|s| !s.trim().is_empty())
        .collect();
    if sql.contains("CONCURRENTLY") {
        for s in statements {
            client.batch_execute(s).await?;
        }
        return Ok(());
    }
    let tx = client.transaction().await?;
    for s in statements {
        tx.batch_execute(s).await?;
    }
    tx.commit().await
}

/// Creates Supabase's `anon` and `authenticated` roles in the cluster unless
/// they exist, for tests of policies naming them (roles are cluster-wide, so
/// tests running at once may race: either one creating them is fine).
pub async fn supabase_roles(client: &Client) {
    for role in ["anon", "authenticated"] {
        client
            .batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE {role} NOLOGIN; \
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            ))
            .await
            .unwrap_or_else(|e| panic!("create role {role}: {e}"));
    }
}
