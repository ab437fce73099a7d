//! The HTTP side: routes, the guard in front of all of them, and the one
//! database connection, held by one request at a time (a request's
//! statements are one transaction; a local tool has one user).

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::{Mutex, RwLock};
use tokio_postgres::{Client, SimpleQueryMessage};
use vitaes_schema_core::{naming::quote_ident, Schema, TableDef};

use super::guard::{Guard, Request as Seen};
use super::rows::{self, Browse, Values};
use crate::commands::status::{drift, Drift};
use crate::config::Config;
use crate::introspect::{introspect, Filter};
use crate::migrator::{MigrationsTable, Migrator};

const PAGE: &str = include_str!("page.html");

/// What the studio serves: one database, the tables it shows, the
/// migrations folder whose state it reports.
pub struct Studio {
    /// Who may ask.
    pub guard: Guard,
    /// The connection every statement runs on.
    pub client: Client,
    /// The schemas shown.
    pub filter: Filter,
    /// Every transaction `READ ONLY`, edits refused.
    pub read_only: bool,
    /// The migrations folder.
    pub migrations: PathBuf,
    /// The migrations table.
    pub migrations_table: MigrationsTable,
    /// The configuration, for the drift from the code (read anew each time
    /// the migrations page asks: the code may change while the studio runs).
    pub config: Config,
    /// Where the command runs, for the configured schema sources.
    pub cwd: PathBuf,
}

struct Shared {
    guard: Guard,
    db: Mutex<Client>,
    schema: RwLock<Schema>,
    filter: Filter,
    read_only: bool,
    migrations: PathBuf,
    migrations_table: MigrationsTable,
    config: Config,
    cwd: PathBuf,
}

type St = State<Arc<Shared>>;

/// Serves `studio` on `listener` until the process ends.
pub async fn serve(studio: Studio, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let schema = introspect(&studio.client, &studio.filter)
        .await
        .map(|l| l.schema)
        .unwrap_or_default();
    let shared = Arc::new(Shared {
        guard: studio.guard,
        db: Mutex::new(studio.client),
        schema: RwLock::new(schema),
        filter: studio.filter,
        read_only: studio.read_only,
        migrations: studio.migrations,
        migrations_table: studio.migrations_table,
        config: studio.config,
        cwd: studio.cwd,
    });
    let app = Router::new()
        .route("/", get(page))
        .route("/api/schema", get(schema_view))
        .route("/api/rows", post(browse))
        .route("/api/update", post(update))
        .route("/api/insert", post(insert))
        .route("/api/delete", post(delete))
        .route("/api/query", post(query))
        .route("/api/migrations", get(migrations))
        .route("/api/diagram.svg", get(diagram))
        .layer(middleware::from_fn_with_state(shared.clone(), guarded))
        .with_state(shared);
    axum::serve(listener, app).await
}

/// The guard in front of every route; the token from the URL becomes the
/// cookie, and the page is then shown without it in the address bar.
async fn guarded(State(s): St, request: Request, next: Next) -> Response {
    let h = request.headers();
    let text = |name: header::HeaderName| h.get(name).and_then(|v| v.to_str().ok());
    let seen = Seen {
        host: text(header::HOST),
        origin: text(header::ORIGIN),
        fetch_site: h.get("sec-fetch-site").and_then(|v| v.to_str().ok()),
        cookie: text(header::COOKIE),
        query: request.uri().query(),
    };
    match s.guard.check(&seen) {
        Err(refusal) => (StatusCode::FORBIDDEN, refusal.message()).into_response(),
        Ok(true) if request.uri().path() == "/" => Response::builder()
            .status(StatusCode::SEE_OTHER)
            .header(header::LOCATION, "/")
            .header(header::SET_COOKIE, s.guard.cookie())
            .body(Body::empty())
            .expect("a valid response"),
        Ok(true) => {
            let mut r = next.run(request).await;
            if let Ok(v) = s.guard.cookie().parse() {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Ok(false) => next.run(request).await,
    }
}

async fn page() -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        "text/html; charset=utf-8".parse().unwrap(),
    );
    // The page's own script and styles only: nothing loads from elsewhere.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:"
            .parse()
            .unwrap(),
    );
    (headers, PAGE).into_response()
}

/// An error as the page shows it: the database's words, SQLSTATE,
/// constraint and position as they came.
fn failure(
    status: StatusCode,
    message: String,
    db: Option<&tokio_postgres::error::DbError>,
) -> Response {
    let mut body = json!({ "error": message });
    if let Some(d) = db {
        body["code"] = json!(d.code().code());
        body["constraint"] = json!(d.constraint());
        body["detail"] = json!(d.detail());
        body["position"] = json!(match d.position() {
            Some(tokio_postgres::error::ErrorPosition::Original(p)) => Some(*p),
            _ => None,
        });
    }
    (status, Json(body)).into_response()
}

fn db_failure(e: &tokio_postgres::Error) -> Response {
    match e.as_db_error() {
        Some(d) => failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            d.message().to_string(),
            Some(d),
        ),
        None => failure(StatusCode::BAD_GATEWAY, e.to_string(), None),
    }
}

fn invalid(e: rows::Invalid) -> Response {
    failure(StatusCode::BAD_REQUEST, e.0, None)
}

fn read_only() -> Response {
    failure(
        StatusCode::FORBIDDEN,
        "the studio runs --read-only: nothing is written".into(),
        None,
    )
}

/// Runs `work` in a transaction of its own (read-only under
/// `--read-only`): committed when it succeeds, rolled back otherwise.
async fn in_transaction<T>(
    s: &Shared,
    work: impl for<'c> FnOnce(
        &'c Client,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<T, Response>> + Send + 'c>,
    >,
) -> Result<T, Response> {
    let client = s.db.lock().await;
    let begin = if s.read_only {
        "BEGIN READ ONLY"
    } else {
        "BEGIN"
    };
    client
        .batch_execute(begin)
        .await
        .map_err(|e| db_failure(&e))?;
    match work(&client).await {
        Ok(v) => {
            client
                .batch_execute("COMMIT")
                .await
                .map_err(|e| db_failure(&e))?;
            Ok(v)
        }
        Err(r) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(r)
        }
    }
}

async fn table(s: &Shared, schema: &str, name: &str) -> Result<TableDef, Response> {
    s.schema
        .read()
        .await
        .table(schema, name)
        .cloned()
        .ok_or_else(|| {
            failure(
                StatusCode::NOT_FOUND,
                format!("no table {schema}.{name} among the studio's tables"),
                None,
            )
        })
}

async fn run_rows(client: &Client, q: &rows::Query) -> Result<Vec<tokio_postgres::Row>, Response> {
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
        q.params.iter().map(|p| p as _).collect();
    client
        .query(&q.sql, &params)
        .await
        .map_err(|e| db_failure(&e))
}

fn cells(row: &tokio_postgres::Row) -> Vec<Option<String>> {
    row.get::<_, Vec<Option<String>>>(0)
}

/// Every table with its columns, keys, relationships both ways and row
/// count (exact below 100,000 estimated rows, else the planner's estimate,
/// said so); read fresh from the catalog.
async fn schema_view(State(s): St) -> Response {
    let client = s.db.lock().await;
    let live = match introspect(&client, &s.filter).await {
        Ok(l) => l.schema,
        Err(e) => return db_failure(&e),
    };
    let estimates = match client
        .query(
            "SELECT n.nspname::text, c.relname::text, c.reltuples::float8
               FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p')",
            &[],
        )
        .await
    {
        Ok(rows) => rows
            .iter()
            .map(|r| {
                (
                    (r.get::<_, String>(0), r.get::<_, String>(1)),
                    r.get::<_, f64>(2),
                )
            })
            .collect::<std::collections::HashMap<_, _>>(),
        Err(e) => return db_failure(&e),
    };
    let estimate = |t: &TableDef| {
        estimates
            .get(&(t.schema.clone(), t.name.clone()))
            .copied()
            .unwrap_or(-1.0)
    };
    // One statement counts every small table.
    let small: Vec<&TableDef> = live
        .tables
        .iter()
        .filter(|t| estimate(t) < 100_000.0)
        .collect();
    let mut exact = std::collections::HashMap::new();
    if !small.is_empty() {
        let union: Vec<String> = small
            .iter()
            .enumerate()
            .map(|(i, t)| {
                format!(
                    "SELECT {i}, count(*) FROM {}.{}",
                    quote_ident(&t.schema),
                    quote_ident(&t.name)
                )
            })
            .collect();
        match client.query(&union.join(" UNION ALL "), &[]).await {
            Ok(rows) => {
                for r in rows {
                    let i: i32 = r.get(0);
                    exact.insert(i as usize, r.get::<_, i64>(1));
                }
            }
            Err(e) => return db_failure(&e),
        }
    }
    drop(client);
    let mut tables = Vec::new();
    for t in &live.tables {
        let small_index = small.iter().position(|x| std::ptr::eq(*x, t));
        let (rows, estimated) = match small_index.and_then(|i| exact.get(&i)) {
            Some(n) => (*n as f64, false),
            None => (estimate(t).max(0.0), true),
        };
        let enums = |c: &vitaes_schema_core::ColumnDef| {
            let schema = c.type_schema.as_deref()?;
            let base = c.sql_type.trim_end_matches("[]");
            live.enums
                .iter()
                .find(|e| e.schema == schema && e.name == base)
                .map(|e| e.values.clone())
        };
        let pk = t.key_columns();
        let referenced_by: Vec<Value> = live
            .tables
            .iter()
            .flat_map(|o| o.foreign_keys.iter().map(move |fk| (o, fk)))
            .filter(|(_, fk)| fk.ref_schema == t.schema && fk.ref_table == t.name)
            .map(|(o, fk)| {
                json!({"name": fk.name, "schema": o.schema, "table": o.name,
                       "columns": fk.columns, "ref_columns": fk.ref_columns})
            })
            .collect();
        tables.push(json!({
            "schema": t.schema,
            "name": t.name,
            "rows": rows,
            "estimated": estimated,
            "editable": rows::key(t).is_ok(),
            "read_only_why": rows::key(t).err().map(|e| e.0),
            "primary_key": pk,
            "columns": t.columns.iter().map(|c| json!({
                "name": c.name,
                "type": c.sql_type,
                "not_null": c.not_null || pk.contains(&c.name.as_str()),
                "enum": enums(c),
                "has_default": c.default.is_some() || c.identity.is_some() || c.generated.is_some()
                    || c.sql_type.ends_with("serial"),
                "generated": c.generated.is_some(),
            })).collect::<Vec<_>>(),
            "foreign_keys": t.foreign_keys.iter().map(|fk| json!({
                "name": fk.name, "columns": fk.columns, "ref_schema": fk.ref_schema,
                "ref_table": fk.ref_table, "ref_columns": fk.ref_columns,
            })).collect::<Vec<_>>(),
            "referenced_by": referenced_by,
        }));
    }
    *s.schema.write().await = live;
    Json(json!({ "tables": tables, "read_only": s.read_only })).into_response()
}

#[derive(Deserialize)]
struct RowsRequest {
    schema: String,
    table: String,
    #[serde(flatten)]
    browse: Browse,
}

async fn browse(State(s): St, Json(r): Json<RowsRequest>) -> Response {
    let t = match table(&s, &r.schema, &r.table).await {
        Ok(t) => t,
        Err(e) => return e,
    };
    let q = match rows::page(&t, &r.browse) {
        Ok(q) => q,
        Err(e) => return invalid(e),
    };
    let result = in_transaction(&s, |c| {
        Box::pin(async move {
            let found = run_rows(c, &q).await?;
            Ok(found
                .iter()
                .map(|row| json!({"cells": cells(row), "ctid": row.get::<_, String>(1)}))
                .collect::<Vec<_>>())
        })
    })
    .await;
    match result {
        Ok(found) => Json(json!({ "rows": found })).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct UpdateRequest {
    schema: String,
    table: String,
    key: Values,
    set: Values,
}

/// One row changed, or nothing: the statement must touch exactly one row.
async fn write_one(s: &Shared, q: rows::Query, what: &'static str) -> Response {
    if s.read_only {
        return read_only();
    }
    let result = in_transaction(s, |c| {
        Box::pin(async move {
            let found = run_rows(c, &q).await?;
            match found.as_slice() {
                [one] => Ok(cells(one)),
                _ => Err(failure(
                    StatusCode::CONFLICT,
                    format!(
                        "{what}: {} rows matched, not one; nothing was saved",
                        found.len()
                    ),
                    None,
                )),
            }
        })
    })
    .await;
    match result {
        Ok(cells) => Json(json!({ "row": cells })).into_response(),
        Err(r) => r,
    }
}

async fn update(State(s): St, Json(r): Json<UpdateRequest>) -> Response {
    let t = match table(&s, &r.schema, &r.table).await {
        Ok(t) => t,
        Err(e) => return e,
    };
    match rows::update(&t, &r.key, &r.set) {
        Ok(q) => write_one(&s, q, "the row was changed or deleted meanwhile").await,
        Err(e) => invalid(e),
    }
}

#[derive(Deserialize)]
struct InsertRequest {
    schema: String,
    table: String,
    values: Values,
}

async fn insert(State(s): St, Json(r): Json<InsertRequest>) -> Response {
    let t = match table(&s, &r.schema, &r.table).await {
        Ok(t) => t,
        Err(e) => return e,
    };
    match rows::insert(&t, &r.values) {
        Ok(q) => write_one(&s, q, "insert").await,
        Err(e) => invalid(e),
    }
}

#[derive(Deserialize)]
struct DeleteRequest {
    schema: String,
    table: String,
    keys: Vec<Values>,
}

async fn delete(State(s): St, Json(r): Json<DeleteRequest>) -> Response {
    if s.read_only {
        return read_only();
    }
    let t = match table(&s, &r.schema, &r.table).await {
        Ok(t) => t,
        Err(e) => return e,
    };
    let q = match rows::delete(&t, &r.keys) {
        Ok(q) => q,
        Err(e) => return invalid(e),
    };
    let wanted = r.keys.len() as u64;
    let result = in_transaction(&s, |c| {
        Box::pin(async move {
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                q.params.iter().map(|p| p as _).collect();
            let n = c
                .execute(&q.sql, &params)
                .await
                .map_err(|e| db_failure(&e))?;
            if n == wanted {
                Ok(n)
            } else {
                Err(failure(
                    StatusCode::CONFLICT,
                    format!("{n} of {wanted} rows found; nothing was deleted"),
                    None,
                ))
            }
        })
    })
    .await;
    match result {
        Ok(n) => Json(json!({ "deleted": n })).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct QueryRequest {
    sql: String,
}

/// The console: one statement (the server refuses more when it prepares
/// it), its rows as text.
async fn query(State(s): St, Json(r): Json<QueryRequest>) -> Response {
    let sql = r.sql;
    let result = in_transaction(&s, |c| {
        Box::pin(async move {
            c.prepare(&sql).await.map_err(|e| db_failure(&e))?;
            let messages = c.simple_query(&sql).await.map_err(|e| db_failure(&e))?;
            let mut columns: Vec<String> = Vec::new();
            let mut found = Vec::new();
            let mut affected = None;
            for m in messages {
                match m {
                    SimpleQueryMessage::RowDescription(cols) => {
                        columns = cols.iter().map(|c| c.name().to_string()).collect();
                    }
                    SimpleQueryMessage::Row(row) => {
                        if columns.is_empty() {
                            columns = row.columns().iter().map(|c| c.name().to_string()).collect();
                        }
                        found.push(
                            (0..row.len())
                                .map(|i| row.get(i).map(str::to_string))
                                .collect::<Vec<_>>(),
                        );
                    }
                    SimpleQueryMessage::CommandComplete(n) => affected = Some(n),
                    _ => {}
                }
            }
            Ok(json!({ "columns": columns, "rows": found, "affected": affected }))
        })
    })
    .await;
    match result {
        Ok(v) => Json(v).into_response(),
        Err(r) => r,
    }
}

/// The schema diagram (`vitaes-migrate diagram`'s SVG) of the tables shown,
/// read fresh from the catalog.
async fn diagram(State(s): St) -> Response {
    let client = s.db.lock().await;
    match introspect(&client, &s.filter).await {
        Ok(live) => (
            [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
            crate::diagram::svg(&live.schema),
        )
            .into_response(),
        Err(e) => db_failure(&e),
    }
}

/// The folder's migrations and where each stands on this database, as
/// `status` reports them.
async fn migrations(State(s): St) -> Response {
    let migrator = match Migrator::from_dir(&s.migrations) {
        Ok(m) => m.with_table(s.migrations_table.clone()),
        Err(e) => {
            return Json(json!({ "folder": s.migrations.display().to_string(), "error": e.to_string(), "migrations": [] }))
                .into_response()
        }
    };
    let client = s.db.lock().await;
    let list = match migrator.status(&client).await {
        Ok(list) => list,
        Err(e) => return failure(StatusCode::BAD_GATEWAY, e.to_string(), None),
    };
    // As `status` says it: the plan push would run, and the schemas' diff.
    let drifted = match crate::commands::code_if_configured(&s.config, &[], &s.cwd) {
        Err(e) => json!({ "checked": false, "error": e.to_string() }),
        Ok(code) => match drift(&client, code.as_ref(), &s.config, false).await {
            Ok(Drift::NotChecked) => json!({ "checked": false }),
            Ok(Drift::None) => json!({ "checked": true, "drifted": false }),
            Ok(Drift::Plan(plan, shown)) => json!({
                "checked": true, "drifted": true,
                "statements": crate::sql::render(&plan), "unified": shown,
            }),
            Ok(Drift::Ambiguous(message)) => {
                json!({ "checked": true, "drifted": true, "ambiguous": message })
            }
            Err(e) => json!({ "checked": false, "error": e.to_string() }),
        },
    };
    Json(json!({
        "folder": s.migrations.display().to_string(),
        "migrations": list,
        "drift": drifted,
    }))
    .into_response()
}
