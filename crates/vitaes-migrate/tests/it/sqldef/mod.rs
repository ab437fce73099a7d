//! sqldef's psqldef test suite (`compat/sqldef`, MIT) as a conformance
//! test of the diff: for each case, `current` is loaded into one database
//! and `desired` into another, the plan between them is applied to the
//! first, and the two must then be the same database — by our
//! introspection, by a second plan (empty), by a catalog read of our own and,
//! where a pg_dump as new as the server is installed, by `pg_dump
//! --schema-only`. sqldef's expected statements (`up`/`down`) are not
//! compared: only where the plan leads.
//!
//! Outcomes: `pass`; `unsupported` (a database holds what the model does not
//! manage — functions, triggers, domains, ... — or differs only in what it
//! does not model: privileges, owners); `expected-error` (sqldef expects an
//! error; whether we failed too is recorded); `fail` (anything else);
//! `skipped` (the server's version or flavor, sqldef's offline cases, or SQL
//! this server does not load). The per-file counts are the README's table
//! and the failing cases are `compat/sqldef/known-failures.txt`: both are
//! asserted, so the table stays true and a new failure (or a fixed one still
//! listed) fails the test. `VITAES_SQLDEF_WRITE=1` rewrites both.
//!
//! Speed: two databases per worker on a cluster of the suite's own (roles
//! are the cluster's: sqldef's test roles stay out of the cluster the other
//! tests share), emptied between cases (every user schema and extension
//! dropped) instead of created anew.

mod dump;
mod report;
mod split;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::de::IgnoredAny;
use serde::Deserialize;
use tokio_postgres::{Client, NoTls};

use vitaes_migrate::compare::{compare, Compared, Side};
use vitaes_migrate::diff::phases::{phase_plans, PhaseKind};
use vitaes_migrate::introspect::{introspect, user_schemas, Filter};
use vitaes_migrate::push::{PlanError, PushOptions};
use vitaes_migrate::renames_cli::{ask, Prompter};
use vitaes_migrate::scope::Scope;
use vitaes_schema_core::Schema;

use report::{Counts, Outcome};

/// One case of a `tests_*.yml` file (testcase.schema.json). Unknown keys are
/// refused, so a newer suite with new options is noticed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    #[serde(default)]
    current: String,
    #[serde(default)]
    desired: String,
    /// sqldef's expected statements: not compared (see the module docs).
    #[allow(dead_code)]
    up: Option<String>,
    #[allow(dead_code)]
    down: Option<String>,
    error: Option<String>,
    min_version: Option<String>,
    max_version: Option<String>,
    /// sqldef runs the case as this role, whose `search_path` is `foo, public`.
    user: Option<String>,
    flavor: Option<String>,
    /// sqldef's options of its own: a push converges whatever they say.
    #[allow(dead_code)]
    managed_roles: Option<Vec<String>>,
    #[allow(dead_code)]
    enable_drop: Option<bool>,
    #[allow(dead_code)]
    manage: Option<IgnoredAny>,
    #[allow(dead_code)]
    legacy_ignore_quotes: Option<bool>,
    offline: Option<bool>,
    #[allow(dead_code)]
    config: Option<IgnoredAny>,
}

/// The suite, as committed: `tests_*.yml` in file order, cases by name.
pub fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../compat/sqldef")
}

/// The suite's files, each with its cases by name.
type Suite = Vec<(String, BTreeMap<String, Case>)>;

fn load_suite() -> Suite {
    let dir = suite_dir();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("tests_") && n.ends_with(".yml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(&f)).unwrap();
            let cases: BTreeMap<String, Case> =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("compat/sqldef/{f}: {e}"));
            (f, cases)
        })
        .collect()
}

/// sqldef's test roles (`testRoles` of psqldef_test.go, created once before
/// its suite runs) and the role of its `user:` cases.
const ROLES: &[&str] = &[
    "readonly_user",
    "app_user",
    "admin_role",
    "user-with-dash",
    "user.with.dot",
    "user with spaces",
    "CamelCaseUser",
    "UPPERCASE_USER",
    "user1",
    "user2",
    "user3",
    "user4",
    "My User",
    "reader",
    "writer",
    "admin",
    "reader1",
    "reader2",
    "writer1",
    "writer2",
    "role1",
    "role2",
    "power_user",
    "user@domain.com",
    "psqldef_user",
];

/// The schema sqldef's `user:` cases create and put first on `search_path`.
const USER_SCHEMA: &str = "foo";

/// What is known of the server.
struct Server {
    major: u32,
    /// `15.18`.
    version: String,
    vector: bool,
    pg_dump: Option<PathBuf>,
}

struct Db {
    client: Client,
    url: String,
}

async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    tokio::spawn(async move {
        let _ = connection.await;
    });
    client
}

/// Where the databases live: a cluster of the suite's own, or (with
/// `VITAES_TEST_DATABASE_URL`) databases of that server.
enum Host {
    Local(#[allow(dead_code)] vitaes_migrate::local_pg::Cluster),
    Shared(#[allow(dead_code)] Vec<vitaes_test_support::TestDatabase>),
}

async fn databases(pairs: usize) -> (Host, Vec<(String, String)>) {
    let shared =
        std::env::var_os(vitaes_test_support::TEST_DATABASE_URL_ENV).is_some_and(|v| !v.is_empty());
    if shared {
        let mut dbs = Vec::new();
        for _ in 0..pairs * 2 {
            dbs.push(vitaes_test_support::test_database().await);
        }
        let urls = dbs
            .chunks(2)
            .map(|p| (p[0].url().to_string(), p[1].url().to_string()))
            .collect();
        return (Host::Shared(dbs), urls);
    }
    let cluster = tokio::task::spawn_blocking(|| {
        vitaes_migrate::local_pg::Cluster::start(vitaes_migrate::local_pg::ClusterOptions {
            max_connections: 40,
            ..Default::default()
        })
    })
    .await
    .unwrap()
    .unwrap_or_else(|e| panic!("starting a cluster for the sqldef suite: {e}"));
    let admin = connect(&cluster.url("postgres")).await;
    let mut urls = Vec::new();
    for i in 0..pairs {
        let (a, b) = (format!("sqldef_{i}_current"), format!("sqldef_{i}_desired"));
        for name in [&a, &b] {
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
        }
        urls.push((cluster.url(&a), cluster.url(&b)));
    }
    (Host::Local(cluster), urls)
}

/// Creates sqldef's roles unless they exist.
async fn create_roles(client: &Client) {
    for role in ROLES {
        let quoted = format!("\"{}\"", role.replace('"', "\"\""));
        client
            .batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE {quoted}; \
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            ))
            .await
            .unwrap_or_else(|e| panic!("create role {role}: {e}"));
    }
}

/// Empties a database: every extension but plpgsql and every user schema
/// dropped, `public` created as initdb makes it.
const RESET: &str = "
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END $$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
COMMENT ON SCHEMA public IS 'standard public schema';
GRANT USAGE ON SCHEMA public TO PUBLIC;
RESET ALL;
";

/// A tokio-postgres error with the server's message.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        ),
        None => e.to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Loads a case's SQL statement by statement (autocommit, as psql runs a
/// file), retrying the failed ones while that makes progress: sqldef sorts
/// the statements by their dependencies before running them, and some
/// cases list a table after one that references it. `SET` statements are
/// left out, as sqldef ignores them (tests_set.yml).
async fn load(client: &Client, sql: &str, user: bool) -> Result<(), String> {
    let mut pending: Vec<String> = split::statements(sql)
        .into_iter()
        .filter(|s| !matches!(split::keyword(s).as_str(), "SET" | "RESET"))
        .collect();
    let search_path = if user {
        format!("SET search_path TO {USER_SCHEMA}, public")
    } else {
        "RESET search_path".to_string()
    };
    client
        .batch_execute(&search_path)
        .await
        .map_err(|e| describe(&e))?;
    let result = loop {
        let before = pending.len();
        let mut failed = Vec::new();
        for s in pending {
            if let Err(e) = client.batch_execute(&s).await {
                // A schema `current` had is there already (see run_case).
                let exists = e.code() == Some(&tokio_postgres::error::SqlState::DUPLICATE_SCHEMA)
                    && split::keyword(&s) == "CREATE";
                if !exists {
                    failed.push((s, describe(&e)));
                }
            }
        }
        if failed.is_empty() {
            break Ok(());
        }
        if failed.len() == before {
            let (s, e) = &failed[0];
            break Err(format!("`{}`: {e}", one_line(s)));
        }
        pending = failed.into_iter().map(|(s, _)| s).collect();
    };
    client
        .batch_execute("RESET ALL")
        .await
        .map_err(|e| describe(&e))?;
    result
}

/// Creates in `to` the schemas `from` has.
async fn carry_schemas(from: &Client, to: &Client) -> Result<(), String> {
    for s in user_schemas(from).await.map_err(|e| describe(&e))? {
        let quoted = format!("\"{}\"", s.replace('"', "\"\""));
        to.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {quoted}"))
            .await
            .map_err(|e| describe(&e))?;
    }
    Ok(())
}

/// Declines every rename: a drop and an add are a drop and an add.
struct NoRenames;

impl Prompter for NoRenames {
    fn choose(&mut self, _question: &str, _options: &[String]) -> std::io::Result<usize> {
        Ok(0)
    }
}

/// The plan `from` → `to`, every rename question answered "created".
async fn plan(from: &Client, to: &Client, filter: &Filter) -> Result<Compared, String> {
    let mut options = PushOptions {
        filter: filter.clone(),
        scope: Scope {
            comments: true,
            ..Scope::default()
        },
        ..PushOptions::default()
    };
    for _ in 0..4 {
        match compare(Side::Live(from), Side::Live(to), &options).await {
            Err(PlanError::Ambiguous(a)) => {
                ask(&a, &mut NoRenames, &mut options.renames).map_err(|e| e.to_string())?
            }
            Err(e) => return Err(e.to_string()),
            Ok(c) => return Ok(c),
        }
    }
    Err("rename questions keep coming after every one was answered".into())
}

/// Applies a plan as `migrate` runs the files `generate` writes for it: each
/// phase in a transaction of its own, `CONCURRENTLY` builds each alone.
async fn apply(client: &Client, planned: &vitaes_migrate::diff::Plan) -> Result<(), String> {
    for (kind, step) in phase_plans(planned) {
        let statements = vitaes_migrate::sql::render(&step);
        let transaction = kind != PhaseKind::OutsideTransaction;
        if transaction {
            client
                .batch_execute("BEGIN")
                .await
                .map_err(|e| describe(&e))?;
        }
        for s in &statements {
            if let Err(e) = client.batch_execute(s).await {
                if transaction {
                    let _ = client.batch_execute("ROLLBACK").await;
                }
                return Err(format!("`{}`: {}", one_line(s), describe(&e)));
            }
        }
        if transaction {
            client
                .batch_execute("COMMIT")
                .await
                .map_err(|e| format!("COMMIT: {}", describe(&e)))?;
        }
    }
    Ok(())
}

/// A schema read back, with the order of what has no order in the
/// database (tables, columns, constraints, ...) made canonical.
async fn read(client: &Client, filter: &Filter) -> Result<Schema, String> {
    let mut s = introspect(client, filter)
        .await
        .map_err(|e| describe(&e))?
        .schema;
    fn sort<T: std::fmt::Debug>(v: &mut [T]) {
        v.sort_by_cached_key(|x| format!("{x:?}"));
    }
    sort(&mut s.schemas);
    sort(&mut s.enums);
    sort(&mut s.roles);
    sort(&mut s.extensions);
    sort(&mut s.sequences);
    sort(&mut s.views);
    sort(&mut s.comments);
    for t in &mut s.tables {
        sort(&mut t.columns);
        sort(&mut t.uniques);
        sort(&mut t.foreign_keys);
        sort(&mut t.indexes);
        sort(&mut t.checks);
        sort(&mut t.policies);
    }
    s.tables
        .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
    Ok(s)
}

/// What differs between two schemas read back, one line each.
fn schema_difference(a: &Schema, b: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let dbg = |x: &dyn std::fmt::Debug| format!("{x:?}");
    let mut names: BTreeSet<(String, String)> = BTreeSet::new();
    for t in a.tables.iter().chain(&b.tables) {
        names.insert((t.schema.clone(), t.name.clone()));
    }
    for (schema, name) in &names {
        match (a.table(schema, name), b.table(schema, name)) {
            (Some(x), Some(y)) if x != y => {
                let fields: [(&str, String, String); 8] = [
                    ("columns", dbg(&x.columns), dbg(&y.columns)),
                    ("primary key", dbg(&x.primary_key), dbg(&y.primary_key)),
                    ("uniques", dbg(&x.uniques), dbg(&y.uniques)),
                    ("foreign keys", dbg(&x.foreign_keys), dbg(&y.foreign_keys)),
                    ("indexes", dbg(&x.indexes), dbg(&y.indexes)),
                    ("checks", dbg(&x.checks), dbg(&y.checks)),
                    ("policies", dbg(&x.policies), dbg(&y.policies)),
                    (
                        "row-level security",
                        dbg(&(x.rls, x.force_rls, x.rls_off)),
                        dbg(&(y.rls, y.force_rls, y.rls_off)),
                    ),
                ];
                for (what, l, r) in fields {
                    if l != r {
                        out.push(format!("table {schema}.{name} {what}: {l} ≠ {r}"));
                    }
                }
            }
            (Some(_), None) => out.push(format!("table {schema}.{name} only in current")),
            (None, Some(_)) => out.push(format!("table {schema}.{name} only in desired")),
            _ => {}
        }
    }
    let rest: [(&str, String, String); 7] = [
        ("schemas", dbg(&a.schemas), dbg(&b.schemas)),
        ("enums", dbg(&a.enums), dbg(&b.enums)),
        ("extensions", dbg(&a.extensions), dbg(&b.extensions)),
        ("sequences", dbg(&a.sequences), dbg(&b.sequences)),
        ("views", dbg(&a.views), dbg(&b.views)),
        ("comments", dbg(&a.comments), dbg(&b.comments)),
        ("roles", dbg(&a.roles), dbg(&b.roles)),
    ];
    for (what, l, r) in rest {
        if l != r {
            out.push(format!("{what}: {l} ≠ {r}"));
        }
    }
    out
}

fn version_cmp(server: &str, wanted: &str) -> std::cmp::Ordering {
    // sqldef compares only the segments both have ("18.0" vs "15.18").
    let seg = |s: &str| -> Vec<u64> { s.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let (l, r) = (seg(server), seg(wanted));
    let n = l.len().min(r.len());
    l[..n].cmp(&r[..n])
}

/// Why the case cannot run on this server, if it cannot.
fn skip_reason(case: &Case, server: &Server) -> Option<String> {
    if case.offline == Some(true) {
        return Some("offline: sqldef checks it without a database (Aurora DSQL's dialect)".into());
    }
    if let Some(min) = &case.min_version {
        if version_cmp(&server.version, min).is_lt() {
            return Some(format!(
                "min_version {min}: the server is {}",
                server.version
            ));
        }
    }
    if let Some(max) = &case.max_version {
        if version_cmp(&server.version, max).is_gt() {
            return Some(format!(
                "max_version {max}: the server is {}",
                server.version
            ));
        }
    }
    match case.flavor.as_deref() {
        Some("pgvector") if !server.vector => {
            Some("flavor pgvector: the server has no vector extension".into())
        }
        Some("!pgvector") if server.vector => {
            Some("flavor !pgvector: the server has the vector extension".into())
        }
        Some(f) if !f.contains("pgvector") => Some(format!("flavor {f}: not PostgreSQL")),
        _ => None,
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// Runs one case on a pair of databases.
async fn run_case(case: &Case, server: &Server, a: &Db, b: &Db) -> Outcome {
    if let Some(reason) = skip_reason(case, server) {
        return Outcome::Skipped(reason);
    }
    let user = case.user.is_some();
    let reset = if user {
        format!("{RESET} CREATE SCHEMA {USER_SCHEMA};")
    } else {
        RESET.to_string()
    };
    let (ra, rb) = tokio::join!(
        a.client.batch_execute(&reset),
        b.client.batch_execute(&reset)
    );
    if let Err(e) = ra.and(rb) {
        return Outcome::Fail(format!("resetting the databases: {}", describe(&e)));
    }
    if let Err(e) = load(&a.client, &case.current, user).await {
        return Outcome::Skipped(format!("current does not load: {e}"));
    }
    // sqldef never drops a schema (its `desired` often leaves out the
    // `CREATE SCHEMA` of `current`): the schemas of `current` are there for
    // `desired` too.
    if let Err(e) = carry_schemas(&a.client, &b.client).await {
        return Outcome::Fail(format!("creating the schemas of current: {e}"));
    }
    if let Err(e) = load(&b.client, &case.desired, user).await {
        return Outcome::Skipped(format!("desired does not load: {e}"));
    }
    let outcome = converge(server, a, b).await;
    match &case.error {
        None => outcome,
        Some(expected) => {
            let ours = match &outcome {
                Outcome::Fail(e) => format!("we failed too: {e}"),
                Outcome::Unsupported(e) => format!("we did not fail (unsupported: {e})"),
                Outcome::Pass => "we did not fail: the plan converged".to_string(),
                other => format!("we did not fail ({other:?})"),
            };
            Outcome::ExpectedError {
                failed: matches!(outcome, Outcome::Fail(_)),
                detail: format!("sqldef: {expected}; {ours}"),
            }
        }
    }
}

/// Plans current → desired, applies it, and checks that they are then the same.
async fn converge(server: &Server, a: &Db, b: &Db) -> Outcome {
    let mut schemas: BTreeSet<String> = BTreeSet::new();
    for db in [a, b] {
        match user_schemas(&db.client).await {
            Ok(s) => schemas.extend(s),
            Err(e) => return Outcome::Fail(format!("listing schemas: {}", describe(&e))),
        }
    }
    schemas.insert("public".into());
    let mut ordered = vec!["public".to_string()];
    ordered.extend(schemas.into_iter().filter(|s| s != "public"));
    let filter = Filter {
        schemas: ordered,
        tables: vec![],
    };

    let first = match plan(&a.client, &b.client, &filter).await {
        Ok(c) => c,
        Err(e) => return Outcome::Fail(format!("plan: {}", one_line(&e))),
    };
    if !first.left_alone.is_empty() {
        return Outcome::Unsupported(format!("not managed: {}", first.left_alone.join(", ")));
    }
    let statements = vitaes_migrate::sql::render(&first.plan);
    let planned = || {
        statements
            .iter()
            .map(|s| one_line(s))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Err(e) = apply(&a.client, &first.plan).await {
        return Outcome::Fail(format!("apply: {e}; plan: {}", clip(&planned(), 1500)));
    }
    match plan(&a.client, &b.client, &filter).await {
        Ok(again) if !again.plan.is_empty() => {
            let again = vitaes_migrate::sql::render(&again.plan)
                .iter()
                .map(|s| one_line(s))
                .collect::<Vec<_>>()
                .join(" ");
            return Outcome::Fail(format!(
                "second plan not empty: {}; first plan: {}",
                clip(&again, 1000),
                clip(&planned(), 1000)
            ));
        }
        Ok(_) => {}
        Err(e) => return Outcome::Fail(format!("second plan: {}", one_line(&e))),
    }
    let (sa, sb) = tokio::join!(read(&a.client, &filter), read(&b.client, &filter));
    match (sa, sb) {
        (Ok(sa), Ok(sb)) if sa != sb => {
            let d = schema_difference(&sa, &sb);
            return Outcome::Fail(format!(
                "introspection differs after the plan: {}; plan: {}",
                clip(&d.join("; "), 1500),
                clip(&planned(), 600)
            ));
        }
        (Ok(_), Ok(_)) => {}
        (Err(e), _) | (_, Err(e)) => return Outcome::Fail(format!("introspection: {e}")),
    }
    // The databases as PostgreSQL stores them.
    let mut differences: Vec<(String, Vec<String>)> = Vec::new();
    let (ca, cb) = tokio::join!(dump::catalog(&a.client), dump::catalog(&b.client));
    match (ca, cb) {
        (Ok(ca), Ok(cb)) => differences.push(("catalog".into(), dump::difference(&ca, &cb))),
        (Err(e), _) | (_, Err(e)) => return Outcome::Fail(format!("catalog: {}", describe(&e))),
    }
    if let Some(bin) = &server.pg_dump {
        let (bin_a, url_a, bin_b, url_b) = (bin.clone(), a.url.clone(), bin.clone(), b.url.clone());
        let (da, db) = tokio::join!(
            tokio::task::spawn_blocking(move || dump::pg_dump(&bin_a, &url_a)),
            tokio::task::spawn_blocking(move || dump::pg_dump(&bin_b, &url_b))
        );
        match (da.unwrap(), db.unwrap()) {
            (Ok(da), Ok(db)) => differences.push(("pg_dump".into(), dump::difference(&da, &db))),
            (Err(e), _) | (_, Err(e)) => return Outcome::Fail(e),
        }
    }
    let mut unmodelled: BTreeSet<&'static str> = BTreeSet::new();
    let mut wrong: Vec<String> = Vec::new();
    for (how, lines) in &differences {
        let schema: Vec<&String> = lines
            .iter()
            .filter(|l| dump::Kind::of(l) == dump::Kind::Schema)
            .collect();
        for l in lines {
            match dump::Kind::of(l) {
                dump::Kind::Privileges => {
                    unmodelled.insert("privileges (GRANT/REVOKE)");
                }
                dump::Kind::Owner => {
                    unmodelled.insert("owners (OWNER TO)");
                }
                dump::Kind::Schema => {}
            }
        }
        if !schema.is_empty() {
            let text: Vec<String> = schema.iter().map(|l| one_line(l)).collect();
            wrong.push(format!("{how}: {}", clip(&text.join(" | "), 1500)));
        }
    }
    if !wrong.is_empty() {
        return Outcome::Fail(format!(
            "databases differ after the plan ({}); plan: {}",
            wrong.join("; "),
            clip(&planned(), 600)
        ));
    }
    if !unmodelled.is_empty() {
        let detail: Vec<String> = differences
            .iter()
            .flat_map(|(_, l)| l.iter())
            .filter(|l| dump::Kind::of(l) != dump::Kind::Schema)
            .map(|l| one_line(l))
            .collect();
        return Outcome::Unsupported(format!(
            "not modelled: {} ({})",
            unmodelled.into_iter().collect::<Vec<_>>().join(", "),
            clip(&detail.join(" | "), 400)
        ));
    }
    Outcome::Pass
}

/// The whole suite on this server: every case classified, the README's
/// table and the list of known failures checked (or rewritten).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqldef_psqldef_suite() {
    let started = Instant::now();
    let suite = select(
        load_suite(),
        std::env::var("VITAES_SQLDEF_ONLY").ok().as_deref(),
    );
    let total: usize = suite.iter().map(|(_, c)| c.len()).sum();
    assert!(total > 0, "no case in {}", suite_dir().display());

    let workers: usize = std::env::var("VITAES_SQLDEF_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
        .max(1);
    let (host, urls) = databases(workers).await;
    let mut pairs = Vec::new();
    for (ua, ub) in &urls {
        let (ca, cb) = (connect(ua).await, connect(ub).await);
        pairs.push((
            Db {
                client: ca,
                url: ua.clone(),
            },
            Db {
                client: cb,
                url: ub.clone(),
            },
        ));
    }
    let first = &pairs[0].0.client;
    create_roles(first).await;
    // Collations of the operating system initdb imports: this machine's have
    // no en_US, which sqldef's cases use; ICU's stands in where the server
    // has ICU (if not, those cases do not load and are skipped).
    for (a, b) in &pairs {
        for db in [a, b] {
            let _ = db
                .client
                .batch_execute(
                    "CREATE COLLATION IF NOT EXISTS pg_catalog.\"en_US\" (provider = icu, locale = 'en-US')",
                )
                .await;
        }
    }
    let num: i32 = first
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .unwrap()
        .get(0);
    let vector: bool = first
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let major = (num / 10000) as u32;
    let server = Server {
        major,
        version: format!("{}.{}", num / 10000, num % 10000),
        vector,
        pg_dump: dump::pg_dump_for(major),
    };

    let queue: Mutex<VecDeque<(String, String)>> = Mutex::new(
        suite
            .iter()
            .flat_map(|(f, cases)| cases.keys().map(move |k| (f.clone(), k.clone())))
            .collect(),
    );
    // The workers share one task: the plan's futures are not Send.
    let suite = &suite;
    let server = &server;
    let workers = pairs.iter().map(|(a, b)| {
        let queue = &queue;
        async move {
            let mut results = Vec::new();
            loop {
                let Some((file, name)) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let case = &suite.iter().find(|(f, _)| *f == file).unwrap().1[&name];
                let t = Instant::now();
                let outcome =
                    tokio::time::timeout(Duration::from_secs(60), run_case(case, server, a, b))
                        .await
                        .unwrap_or_else(|_| Outcome::Fail("timed out after 60 s".into()));
                results.push((file, name, outcome, t.elapsed()));
            }
            results
        }
    });
    let mut results: Results = futures_util::future::join_all(workers)
        .await
        .into_iter()
        .flatten()
        .collect();
    drop(host);
    results.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    let elapsed = started.elapsed();

    report::check(&server_label(server), &results, total, elapsed);
}

/// `VITAES_SQLDEF_ONLY=tests_indices.yml` or `=tests_indices.yml/IndexWithCollate`
/// (a comma-separated list of either): only those cases, each printed with
/// its outcome, held to the known failures but not to the README's table.
fn select(suite: Suite, only: Option<&str>) -> Suite {
    let Some(only) = only.filter(|o| !o.is_empty()) else {
        return suite;
    };
    let wanted: Vec<(&str, Option<&str>)> = only
        .split(',')
        .map(|w| match w.trim().split_once('/') {
            Some((f, c)) => (f, Some(c)),
            None => (w.trim(), None),
        })
        .collect();
    let picked: Suite = suite
        .into_iter()
        .filter_map(|(file, mut cases)| {
            cases.retain(|name, _| {
                wanted
                    .iter()
                    .any(|(f, c)| *f == file && c.is_none_or(|c| c == name))
            });
            (!cases.is_empty()).then_some((file, cases))
        })
        .collect();
    assert!(
        !picked.is_empty(),
        "VITAES_SQLDEF_ONLY={only} selects no case of the suite"
    );
    picked
}

fn server_label(server: &Server) -> String {
    format!(
        "PostgreSQL {} ({}{})",
        server.major,
        server.version,
        if server.pg_dump.is_some() {
            ", pg_dump"
        } else {
            ""
        }
    )
}

pub type Results = Vec<(String, String, Outcome, Duration)>;

impl Counts {
    fn of(results: &Results) -> BTreeMap<String, Counts> {
        let mut out: BTreeMap<String, Counts> = BTreeMap::new();
        for (file, _, outcome, _) in results {
            out.entry(file.clone()).or_default().add(outcome);
        }
        out
    }
}
