//! Running migrations: the migrations table (drizzle-orm's DDL, so either tool
//! finds it), and one migration at a time, each in its own transaction with
//! its bookkeeping row.

use std::time::{Duration, Instant};

use tokio_postgres::error::ErrorPosition;
use tokio_postgres::Client;
use vitaes_schema_core::naming::quote_ident;

use super::history::AppliedRow;
use super::{MigrateError, Migration, MigrationsTable, Statement};

/// `"schema"."table"`.
fn qualified(table: &MigrationsTable) -> String {
    format!(
        "{}.{}",
        quote_ident(&table.schema),
        quote_ident(&table.table)
    )
}

/// Creates the schema and table as drizzle-orm's migrator does, plus an
/// `applied_at` column (drizzle-orm names its columns when it reads and
/// inserts, so an extra one with a default does not disturb it). Rows from
/// before the column was added have no time: no default is back-filled.
pub async fn ensure_table(client: &Client, table: &MigrationsTable) -> Result<(), MigrateError> {
    let ctx = "creating the migrations table";
    // Only what is missing: a deploy role may insert into a table drizzle
    // created without being allowed to create schemas or alter the table.
    if !table_exists(client, table).await? {
        let sql = format!(
            "CREATE SCHEMA IF NOT EXISTS {schema};\n\
             CREATE TABLE IF NOT EXISTS {qualified} (\n\
             \tid SERIAL PRIMARY KEY,\n\
             \thash text NOT NULL,\n\
             \tcreated_at bigint\n\
             )",
            schema = quote_ident(&table.schema),
            qualified = qualified(table),
        );
        client
            .batch_execute(&sql)
            .await
            .map_err(|e| MigrateError::database(ctx, e))?;
    }
    if !has_applied_at(client, table).await? {
        let added = client
            .batch_execute(&format!(
                "ALTER TABLE {q} ADD COLUMN IF NOT EXISTS applied_at timestamptz;\n\
                 ALTER TABLE {q} ALTER COLUMN applied_at SET DEFAULT now()",
                q = qualified(table)
            ))
            .await;
        match added {
            Ok(()) => {}
            // Not the table's owner: record without times.
            Err(e)
                if e.code() == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {}
            Err(e) => return Err(MigrateError::database(ctx, e)),
        }
    }
    Ok(())
}

async fn table_exists(client: &Client, table: &MigrationsTable) -> Result<bool, MigrateError> {
    Ok(client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&qualified(table)])
        .await
        .map_err(|e| MigrateError::database("reading the migrations table", e))?
        .get(0))
}

async fn has_applied_at(client: &Client, table: &MigrationsTable) -> Result<bool, MigrateError> {
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_attribute
                             WHERE attrelid = to_regclass($1) AND attname = 'applied_at'
                               AND NOT attisdropped)",
            &[&qualified(table)],
        )
        .await
        .map_err(|e| MigrateError::database("reading the migrations table", e))?
        .get(0))
}

/// The table's rows, or none when it does not exist yet.
pub async fn read_rows(
    client: &Client,
    table: &MigrationsTable,
) -> Result<Vec<AppliedRow>, MigrateError> {
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&qualified(table)])
        .await
        .map_err(|e| MigrateError::database("reading the migrations table", e))?
        .get(0);
    if !exists {
        return Ok(Vec::new());
    }
    let applied_at = if has_applied_at(client, table).await? {
        r#"to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#
    } else {
        "NULL::text"
    };
    let rows = client
        .query(
            &format!(
                "SELECT id, hash, created_at, {applied_at} FROM {} ORDER BY id",
                qualified(table)
            ),
            &[],
        )
        .await
        .map_err(|e| MigrateError::database("reading the migrations table", e))?;
    rows.iter()
        .map(|r| {
            Ok(AppliedRow {
                id: r.try_get(0)?,
                hash: r.try_get(1)?,
                created_at: r.try_get(2)?,
                applied_at: r.try_get(3)?,
            })
        })
        .collect::<Result<_, tokio_postgres::Error>>()
        .map_err(|e| MigrateError::Folder {
            path: qualified(table).into(),
            message: format!(
                "is not a drizzle migrations table (id integer, hash text, created_at bigint): {e}"
            ),
        })
}

async fn record(
    client: &Client,
    table: &MigrationsTable,
    m: &Migration,
) -> Result<(), tokio_postgres::Error> {
    client
        .execute(
            &format!(
                "INSERT INTO {} (hash, created_at) VALUES ($1, $2)",
                qualified(table)
            ),
            &[&m.hash, &m.when],
        )
        .await
        .map(drop)
}

/// Records migrations as applied without running them (`--baseline`), in one
/// transaction.
pub async fn record_all(
    client: &Client,
    table: &MigrationsTable,
    ms: &[&Migration],
) -> Result<(), MigrateError> {
    let ctx = "recording the baseline";
    client
        .batch_execute("BEGIN")
        .await
        .map_err(|e| MigrateError::database(ctx, e))?;
    for m in ms {
        if let Err(e) = record(client, table, m).await {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(MigrateError::database(ctx, e));
        }
    }
    client
        .batch_execute("COMMIT")
        .await
        .map_err(|e| MigrateError::database(ctx, e))
}

/// Runs one migration and records it. In a transaction unless the file says
/// `-- vitaes:no-transaction`; then each statement commits on its own, after
/// dropping INVALID indexes a killed earlier run of it left behind.
/// Returns how long it took and how many statements it ran.
pub async fn apply(
    client: &Client,
    table: &MigrationsTable,
    m: &Migration,
) -> Result<(Duration, usize), MigrateError> {
    let start = Instant::now();
    let statements = m.statements();
    let transactional = !m.no_transaction();
    if transactional {
        client
            .batch_execute("BEGIN")
            .await
            .map_err(|e| MigrateError::database("starting a transaction", e))?;
    } else {
        drop_invalid_indexes(client, &statements).await?;
    }
    let fail = |st: Option<&Statement>, e: tokio_postgres::Error| failed(m, st, &e, transactional);
    for st in &statements {
        if let Err(e) = client.batch_execute(st.text).await {
            if transactional {
                let _ = client.batch_execute("ROLLBACK").await;
            }
            let mut error = fail(Some(st), e);
            if let MigrateError::Failed { code, blockers, .. } = &mut error {
                if code == "55P03" {
                    *blockers = lock_holders(client, st.text).await.into();
                }
            }
            return Err(error);
        }
    }
    if let Err(e) = record(client, table, m).await {
        if transactional {
            let _ = client.batch_execute("ROLLBACK").await;
        }
        return Err(fail(None, e));
    }
    if transactional {
        // Deferred constraints are checked here.
        client
            .batch_execute("COMMIT")
            .await
            .map_err(|e| fail(None, e))?;
    }
    Ok((start.elapsed(), statements.len()))
}

fn failed(
    m: &Migration,
    st: Option<&Statement>,
    e: &tokio_postgres::Error,
    transactional: bool,
) -> MigrateError {
    let Some(db) = e.as_db_error() else {
        // No answer from the server: the connection is gone, and whether a
        // COMMIT it was sent went through is unknown.
        return MigrateError::ConnectionLost {
            tag: m.tag.clone(),
            message: e.to_string(),
        };
    };
    // The server's position (1-based, in characters) sharpens the line.
    let line = st.map(|st| {
        let offset = match db.position() {
            Some(ErrorPosition::Original(p)) => st
                .text
                .chars()
                .take((*p as usize).saturating_sub(1))
                .filter(|c| *c == '\n')
                .count(),
            _ => 0,
        };
        // A file of more than 4 billion lines is not a migration.
        u32::try_from(st.line + offset).unwrap_or(u32::MAX)
    });
    MigrateError::Failed {
        tag: m.tag.clone(),
        statement: st.map(|s| u32::try_from(s.number).unwrap_or(u32::MAX)),
        line,
        message: db.message().to_string(),
        code: db.code().code().to_string(),
        transactional,
        blockers: Box::default(),
    }
}

/// The other sessions' granted locks on tables whose names `statement`
/// mentions, for a statement that gave up waiting: which lock it waited for,
/// said with the holder's pid and state (never its query text, which may
/// hold data). Best effort: an error here is no reason to hide the first.
async fn lock_holders(client: &Client, statement: &str) -> Vec<String> {
    let rows = client
        .query(
            "SELECT c.relname::text, l.mode, l.pid, coalesce(a.state, '')
               FROM pg_locks l
               JOIN pg_class c ON c.oid = l.relation
               LEFT JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_backend_pid()
                AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND position(c.relname in $1) > 0
              ORDER BY c.relname, l.pid
              LIMIT 5",
            &[&statement],
        )
        .await
        .unwrap_or_default();
    rows.iter()
        .map(|r| {
            let (table, mode, pid, state): (String, String, i32, String) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            let state = if state.is_empty() {
                String::new()
            } else {
                format!(", {state}")
            };
            format!("{} ({mode}, backend pid {pid}{state})", quote_ident(&table))
        })
        .collect()
}

/// Drops the INVALID index a `CREATE INDEX CONCURRENTLY` of these statements
/// left when its run was killed, so the rerun can build it.
async fn drop_invalid_indexes(
    client: &Client,
    statements: &[Statement<'_>],
) -> Result<(), MigrateError> {
    for (table, name) in statements.iter().flat_map(|st| concurrent_indexes(st.text)) {
        let ctx = "looking for an INVALID index of an interrupted run";
        let rows = client
            .query(
                "SELECT n.nspname, c.relname
                   FROM pg_index i
                   JOIN pg_class c ON c.oid = i.indexrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE NOT i.indisvalid
                    AND i.indrelid = to_regclass($1)
                    AND c.relname = $2",
                &[&table, &name],
            )
            .await
            .map_err(|e| MigrateError::database(ctx, e))?;
        for r in rows {
            let index = format!(
                "{}.{}",
                quote_ident(r.get::<_, &str>(0)),
                quote_ident(r.get::<_, &str>(1))
            );
            client
                .batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {index}"))
                .await
                .map_err(|e| MigrateError::database("dropping an INVALID index", e))?;
        }
    }
    Ok(())
}

/// A word of SQL text, as far as recognising `CREATE INDEX` needs: unquoted
/// identifiers and keywords folded to lower case (as the catalog stores
/// them), quoted ones as written.
#[derive(Debug, PartialEq)]
enum Word {
    Bare(String),
    Quoted(String),
    Dot,
    Semicolon,
    Other,
}

/// The words of `sql`, comments and string literals skipped.
fn words(sql: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '-' if chars.peek() == Some(&'-') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' | '\'' => {
                let mut text = String::new();
                while let Some(n) = chars.next() {
                    if n == c {
                        if chars.peek() == Some(&c) {
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    text.push(n);
                }
                out.push(if c == '"' {
                    Word::Quoted(text)
                } else {
                    Word::Other
                });
            }
            '.' => out.push(Word::Dot),
            ';' => out.push(Word::Semicolon),
            c if c.is_alphanumeric() || c == '_' => {
                let mut text = c.to_lowercase().to_string();
                while let Some(&n) = chars.peek() {
                    if !(n.is_alphanumeric() || n == '_' || n == '$') {
                        break;
                    }
                    text.extend(n.to_lowercase());
                    chars.next();
                }
                out.push(Word::Bare(text));
            }
            _ => out.push(Word::Other),
        }
    }
    out
}

/// The `(table, index name)` of each `CREATE [UNIQUE] INDEX CONCURRENTLY
/// [IF NOT EXISTS] name ON [ONLY] table` in `sql`: the table as a quoted,
/// possibly qualified name for `to_regclass`, the index as the catalog names it.
fn concurrent_indexes(sql: &str) -> Vec<(String, String)> {
    let words = words(sql);
    words
        .split(|w| *w == Word::Semicolon)
        .filter_map(|st| {
            let kw = |i: usize, k: &str| matches!(st.get(i), Some(Word::Bare(w)) if w == k);
            let name = |i: usize| match st.get(i) {
                Some(Word::Bare(w) | Word::Quoted(w)) => Some(w.clone()),
                _ => None,
            };
            let mut i = 0;
            if !kw(i, "create") {
                return None;
            }
            i += 1;
            if kw(i, "unique") {
                i += 1;
            }
            if !(kw(i, "index") && kw(i + 1, "concurrently")) {
                return None;
            }
            i += 2;
            if kw(i, "if") && kw(i + 1, "not") && kw(i + 2, "exists") {
                i += 3;
            }
            let index = name(i)?;
            i += 1;
            if !kw(i, "on") {
                return None;
            }
            i += 1;
            if kw(i, "only") {
                i += 1;
            }
            let mut table = vec![quote_ident(&name(i)?)];
            while st.get(i + 1) == Some(&Word::Dot) {
                i += 2;
                table.push(quote_ident(&name(i)?));
            }
            Some((table.join("."), index))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::concurrent_indexes;

    #[test]
    fn concurrent_index_builds_are_recognised_with_their_catalog_names() {
        assert_eq!(
            concurrent_indexes(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"a_Code\" ON \"public\".\"a\" USING btree (\"code\");"
            ),
            [("\"public\".\"a\"".to_string(), "a_Code".to_string())]
        );
        assert_eq!(
            concurrent_indexes(
                "-- a comment\ncreate index concurrently Idx_X on only Items (x); CREATE INDEX CONCURRENTLY y ON s.t (y)"
            ),
            [
                ("\"items\"".to_string(), "idx_x".to_string()),
                ("\"s\".\"t\"".to_string(), "y".to_string()),
            ]
        );
        // Without CONCURRENTLY (or in a string) nothing is to be dropped.
        assert!(concurrent_indexes("CREATE INDEX i ON t (x);").is_empty());
        assert!(concurrent_indexes("SELECT 'CREATE INDEX CONCURRENTLY i ON t (x)';").is_empty());
    }
}
