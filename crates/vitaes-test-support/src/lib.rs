//! One fresh PostgreSQL database per test.
//!
//! [`test_database`] hands every caller its own empty database, so tests can
//! run in parallel (threads under `cargo test`, processes under `cargo
//! nextest`) without seeing each other's tables.
//!
//! Where the databases live:
//! - if `VITAES_TEST_DATABASE_URL` is set (e.g.
//!   `postgresql://user:pass@host:5432/postgres`, a role allowed to
//!   `CREATE DATABASE`), a throwaway database is created on that server and
//!   dropped again when the [`TestDatabase`] is dropped;
//! - otherwise one throwaway [`Cluster`] is started per process (on first
//!   use) and every test gets a database in it. Those databases are dropped
//!   on `Drop` too, so long test runs do not pile up data in `/tmp`; the
//!   cluster itself is stopped and deleted when the process exits, by its
//!   guard process (see [`vitaes_migrate::local_pg`]).
//!
//! `DATABASE_URL` is deliberately never read: it usually points at a
//! developer's real database.
//!
//! If no server can be used the helpers panic with what was tried and how to
//! fix it. Tests needing PostgreSQL must fail, never silently skip.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use tokio_postgres::{Client, NoTls};

use vitaes_migrate::local_pg::{percent_encode, Cluster, ClusterOptions, LocalPgError};
use vitaes_schema_core::naming::quote_ident;

/// Environment variable naming an existing server to create test databases on.
pub const TEST_DATABASE_URL_ENV: &str = "VITAES_TEST_DATABASE_URL";

/// Prefix of every database this module creates, so strays are easy to spot.
pub const TEST_DATABASE_PREFIX: &str = "vitaes_test_";

/// Why a test database could not be provided.
#[derive(Debug, thiserror::Error)]
pub enum TestDbError {
    /// `VITAES_TEST_DATABASE_URL` is not a `postgres://`/`postgresql://` URL.
    #[error("{TEST_DATABASE_URL_ENV} must be a postgres:// or postgresql:// URL, got `{masked}`")]
    BadUrl {
        /// The value, password masked.
        masked: String,
    },

    /// The process-wide local cluster could not be started.
    #[error("could not start a local PostgreSQL cluster: {0}")]
    LocalCluster(#[source] Arc<LocalPgError>),

    /// Connecting to the server failed.
    #[error("connecting to {url}: {message}")]
    Connect {
        /// The URL, password masked.
        url: String,
        /// The error, including the server's message if there was one.
        message: String,
        /// The underlying error.
        #[source]
        source: tokio_postgres::Error,
    },

    /// A statement failed.
    #[error("`{sql}` failed: {message}")]
    Statement {
        /// The statement.
        sql: String,
        /// The error, including the server's message if there was one.
        message: String,
        /// The underlying error.
        #[source]
        source: tokio_postgres::Error,
    },

    /// A helper thread or blocking task died.
    #[error("{0}")]
    Task(String),
}

/// A freshly created, empty database that belongs to one test.
///
/// Dropping it drops the database (`DROP DATABASE ... WITH (FORCE)`, which
/// also ends connections still open to it).
pub struct TestDatabase {
    name: String,
    url: String,
    admin_url: String,
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("name", &self.name)
            .field("url", &mask_password(&self.url))
            .finish()
    }
}

/// Creates a fresh database for one test; panics with a fix-it message if no
/// PostgreSQL server can be used. See the module docs for where it lives.
pub async fn test_database() -> TestDatabase {
    match TestDatabase::create().await {
        Ok(db) => db,
        Err(err) => panic!("{}", no_server_help(&err)),
    }
}

/// [`test_database`] for synchronous tests (e.g. ones that run the CLI).
/// Works inside or outside a tokio runtime: the work happens on its own thread.
pub fn test_database_blocking() -> TestDatabase {
    let created = std::thread::spawn(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| TestDbError::Task(format!("building a tokio runtime: {e}")))?
            .block_on(TestDatabase::create())
    })
    .join()
    .unwrap_or_else(|_| Err(TestDbError::Task("test database thread panicked".into())));
    created.unwrap_or_else(|err| panic!("{}", no_server_help(&err)))
}

/// The process-wide local cluster, started on first call (blocking, 0.5–2 s,
/// mostly initdb). Kept in a static so it outlives every test's runtime; it
/// is never dropped, and its guard process deletes it when the process exits.
/// A start failure is remembered, so later callers fail fast with the same error.
pub fn shared_cluster() -> Result<&'static Cluster, TestDbError> {
    static CLUSTER: OnceLock<Result<Cluster, Arc<LocalPgError>>> = OnceLock::new();
    CLUSTER
        .get_or_init(|| Cluster::start(ClusterOptions::default()).map_err(Arc::new))
        .as_ref()
        .map_err(|e| TestDbError::LocalCluster(Arc::clone(e)))
}

impl TestDatabase {
    /// Creates a fresh database on the server chosen as described in the module docs.
    pub async fn create() -> Result<Self, TestDbError> {
        let admin_url = server_admin_url().await?;
        let name = unique_database_name();
        let url = with_database(&admin_url, &name).ok_or_else(|| TestDbError::BadUrl {
            masked: mask_password(&admin_url),
        })?;
        let admin = connect_url(&admin_url).await?;
        execute(&admin, &format!("CREATE DATABASE {}", quote_ident(&name))).await?;
        Ok(Self {
            name,
            url,
            admin_url,
        })
    }

    /// The database name, e.g. `vitaes_test_4242_3_1a2b3c4d`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A `postgresql://user[:password]@host:port/db` URL for this database,
    /// usable by other programs (node's `pg`, `psql`, the CLI under test).
    /// It may contain a password: never print it; use [`mask_password`].
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new client connected to this database; its connection task runs on
    /// the current tokio runtime. Panics if the connection fails.
    pub async fn connect(&self) -> Client {
        self.try_connect()
            .await
            .unwrap_or_else(|err| panic!("test database {}: {err}", self.name))
    }

    /// Like [`TestDatabase::connect`], returning the error instead of panicking.
    pub async fn try_connect(&self) -> Result<Client, TestDbError> {
        connect_url(&self.url).await
    }
}

impl Drop for TestDatabase {
    /// Drops the database. `Drop` cannot be async and may run on (and block)
    /// a runtime thread, so the work runs on a fresh thread with its own
    /// runtime, and is waited for so the database is gone when the test ends.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let result = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| TestDbError::Task(format!("building a tokio runtime: {e}")))?
                .block_on(drop_database(&admin_url, &name))
        })
        .join()
        .unwrap_or_else(|_| Err(TestDbError::Task("drop thread panicked".into())));
        if let Err(err) = result {
            eprintln!(
                "vitaes-migrate: could not drop test database {}: {err}",
                self.name
            );
        }
    }
}

/// The URL of the maintenance database to run `CREATE/DROP DATABASE` from:
/// `VITAES_TEST_DATABASE_URL` as given, or the shared cluster's `postgres`.
async fn server_admin_url() -> Result<String, TestDbError> {
    if let Some(url) = std::env::var_os(TEST_DATABASE_URL_ENV).filter(|v| !v.is_empty()) {
        let url = url.to_string_lossy().into_owned();
        return match with_database(&url, "postgres") {
            Some(_) => Ok(url),
            None => Err(TestDbError::BadUrl {
                masked: mask_password(&url),
            }),
        };
    }
    let cluster = tokio::task::spawn_blocking(shared_cluster)
        .await
        .map_err(|e| TestDbError::Task(format!("starting the local cluster: {e}")))??;
    Ok(cluster.url("postgres"))
}

/// `DROP DATABASE ... WITH (FORCE)`, falling back to terminating sessions and
/// a plain `DROP DATABASE` on servers older than 13, which lack `FORCE`.
async fn drop_database(admin_url: &str, name: &str) -> Result<(), TestDbError> {
    let admin = connect_url(admin_url).await?;
    let quoted = quote_ident(name);
    let forced = format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)");
    match execute(&admin, &forced).await {
        Err(TestDbError::Statement { source, .. })
            if source.code() == Some(&tokio_postgres::error::SqlState::SYNTAX_ERROR) =>
        {
            let terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                             WHERE datname = $1 AND pid <> pg_backend_pid()";
            admin
                .execute(terminate, &[&name])
                .await
                .map_err(|source| statement_error(terminate, source))?;
            execute(&admin, &format!("DROP DATABASE IF EXISTS {quoted}")).await
        }
        other => other,
    }
}

/// Connects without TLS and spawns the connection task on the current runtime.
async fn connect_url(url: &str) -> Result<Client, TestDbError> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .map_err(|source| TestDbError::Connect {
            url: mask_password(url),
            message: describe(&source),
            source,
        })?;
    // Errors surface on the client's next query; ending because the database
    // was dropped under it is expected, so nothing is reported here.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

async fn execute(client: &Client, sql: &str) -> Result<(), TestDbError> {
    client
        .batch_execute(sql)
        .await
        .map_err(|source| statement_error(sql, source))
}

fn statement_error(sql: &str, source: tokio_postgres::Error) -> TestDbError {
    TestDbError::Statement {
        sql: sql.to_owned(),
        message: describe(&source),
        source,
    }
}

/// A tokio-postgres error with the server's message: its `Display` alone is
/// often just "db error".
fn describe(err: &tokio_postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return format!(
            "{}: {} (SQLSTATE {})",
            db.severity(),
            db.message(),
            db.code().code()
        );
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// The panic message for "no usable server": what was tried and how to fix it.
fn no_server_help(err: &TestDbError) -> String {
    let url_set = std::env::var_os(TEST_DATABASE_URL_ENV).is_some_and(|v| !v.is_empty());
    let (tried, fix) = if url_set {
        (
            format!(
                "{TEST_DATABASE_URL_ENV} is set, so a database was to be created on that server"
            ),
            format!(
                "  - fix {TEST_DATABASE_URL_ENV} (postgresql://user:password@host:5432/postgres, \
                 a role allowed to CREATE DATABASE, server reachable without TLS);\n  \
                 - or unset it to use a throwaway local cluster instead."
            ),
        )
    } else {
        (
            format!(
                "{TEST_DATABASE_URL_ENV} is not set, so a throwaway local cluster was to be \
                 started with initdb/pg_ctl (looked for via PG_BINDIR, PATH, pg_config, \
                 /usr/lib/postgresql/*/bin)"
            ),
            format!(
                "  - install the PostgreSQL server, e.g. `apt-get install postgresql` \
                 (Debian/Ubuntu) or `brew install postgresql` (macOS);\n  \
                 - or set PG_BINDIR to the directory containing initdb and pg_ctl;\n  \
                 - or set {TEST_DATABASE_URL_ENV}=postgresql://user:password@host:5432/postgres \
                 (a role allowed to CREATE DATABASE)."
            ),
        )
    };
    format!(
        "this test needs PostgreSQL, and none could be used (DATABASE_URL is never used).\n\
         Tried: {tried}.\n\
         Error: {err}\n\
         Fix:\n{fix}"
    )
}

/// `vitaes_test_<pid>_<counter>_<random>`: unique across threads (counter),
/// processes (pid) and runs or hosts sharing a server (random).
fn unique_database_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!(
        "{TEST_DATABASE_PREFIX}{}_{n}_{}",
        std::process::id(),
        &random[..8]
    )
}

/// Replaces the database in a `postgres[ql]://` URL, keeping user, password,
/// host, port and query parameters. `None` if `url` is not such a URL.
fn with_database(url: &str, dbname: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "postgres" && scheme != "postgresql" {
        return None;
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let query = tail
        .find('?')
        .map_or("", |i| &tail[i..])
        .split('#')
        .next()
        .unwrap_or("");
    Some(format!(
        "{scheme}://{authority}/{}{query}",
        percent_encode(dbname)
    ))
}

/// `url` with any password replaced by `***`, both `user:password@` and a
/// `password=` parameter; safe to print. The one implementation is
/// [`vitaes_migrate::connect::mask_url`].
pub fn mask_password(url: &str) -> String {
    vitaes_migrate::connect::mask_url(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords() {
        assert_eq!(
            mask_password("postgresql://u:s3cret@h:5432/db?sslmode=disable"),
            "postgresql://u:***@h:5432/db?sslmode=disable"
        );
        assert_eq!(mask_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            mask_password("postgres://h/db?user=u&password=s3cret&x=1"),
            "postgres://h/db?user=u&password=***&x=1"
        );
        assert_eq!(
            mask_password("host=h password=s3cret user=u"),
            "host=h password=*** user=u"
        );
        let err = TestDbError::BadUrl {
            masked: mask_password("postgresql://u:s3cret@h/db"),
        };
        assert!(!err.to_string().contains("s3cret"));
    }

    #[test]
    fn replaces_database_in_urls() {
        assert_eq!(
            with_database("postgresql://u:p@h:5432/postgres?sslmode=disable", "x_1").as_deref(),
            Some("postgresql://u:p@h:5432/x_1?sslmode=disable")
        );
        assert_eq!(
            with_database("postgres://u@h", "x").as_deref(),
            Some("postgres://u@h/x")
        );
        assert_eq!(
            with_database("postgres://u@h?host=/run/pg", "x").as_deref(),
            Some("postgres://u@h/x?host=/run/pg")
        );
        assert_eq!(with_database("host=h user=u", "x"), None);
        assert_eq!(with_database("mysql://h/db", "x"), None);
    }

    #[test]
    fn names_are_unique_and_quoted() {
        let (a, b) = (unique_database_name(), unique_database_name());
        assert_ne!(a, b);
        assert!(a.starts_with(TEST_DATABASE_PREFIX) && a.len() < 63, "{a}");
    }

    #[tokio::test]
    async fn databases_are_distinct_and_usable() {
        let (a, b) = tokio::join!(test_database(), test_database());
        assert_ne!(a.name(), b.name());
        let (ca, cb) = (a.connect().await, b.connect().await);
        ca.batch_execute("CREATE TABLE only_in_a (id int); INSERT INTO only_in_a VALUES (1)")
            .await
            .expect("create table in a");
        let count: i64 = ca
            .query_one("SELECT count(*) FROM only_in_a", &[])
            .await
            .expect("query a")
            .get(0);
        assert_eq!(count, 1);
        let in_b: Option<String> = cb
            .query_one("SELECT to_regclass('only_in_a')::text", &[])
            .await
            .expect("query b")
            .get(0);
        assert_eq!(
            in_b,
            None,
            "table from {} visible in {}",
            a.name(),
            b.name()
        );
        let db: String = cb
            .query_one("SELECT current_database()", &[])
            .await
            .expect("query b")
            .get(0);
        assert_eq!(db, b.name());
    }

    #[tokio::test]
    async fn select_version_works() {
        let db = test_database().await;
        let version: String = db
            .connect()
            .await
            .query_one("SELECT version()", &[])
            .await
            .expect("SELECT version()")
            .get(0);
        assert!(version.starts_with("PostgreSQL "), "{version}");
    }

    #[tokio::test]
    async fn url_works_for_a_fresh_connection() {
        let db = test_database().await;
        assert!(db.url().starts_with("postgres"), "{db:?}");
        let (client, connection) = tokio_postgres::connect(db.url(), NoTls)
            .await
            .unwrap_or_else(|e| panic!("connect to {}: {}", mask_password(db.url()), describe(&e)));
        tokio::spawn(connection);
        let name: String = client
            .query_one("SELECT current_database()", &[])
            .await
            .expect("query")
            .get(0);
        assert_eq!(name, db.name());
    }

    #[tokio::test]
    async fn drop_removes_the_database() {
        let db = test_database().await;
        let (name, admin_url) = (db.name().to_owned(), db.admin_url.clone());
        let _open = db.connect().await; // FORCE must cope with open sessions
        drop(db);
        let admin = connect_url(&admin_url).await.expect("admin connect");
        let rows = admin
            .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .await
            .expect("query pg_database");
        assert!(rows.is_empty(), "{name} still exists");
    }

    #[test]
    fn blocking_variant_works_without_a_runtime() {
        let db = test_database_blocking();
        assert!(db.name().starts_with(TEST_DATABASE_PREFIX));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let one: i32 = db
                .connect()
                .await
                .query_one("SELECT 1", &[])
                .await
                .expect("query")
                .get(0);
            assert_eq!(one, 1);
        });
    }
}
