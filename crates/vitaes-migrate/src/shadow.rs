//! Shadow validation (Prisma's shadow database, Atlas's dev database): the
//! whole migrations folder applied to a throwaway database, then compared
//! with the code the way `push` compares (the server spells both sides). A
//! chain that does not produce the code — a migration edited by hand, a
//! statement removed, an entry lost in a merge — is found before a deploy,
//! where comparing snapshots cannot see it (the snapshots say what generate
//! meant, the SQL files what will run).

use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::Schema;

use crate::connect::{connect_to, ConnectUrl};
use crate::diff::Plan;
use crate::error::{Error, Result};
use crate::introspect::Filter;
use crate::local_pg::{Cluster, ClusterOptions};
use crate::migrator::{MigrateError, Migrator, RunOptions};
use crate::push::{PlanError, PushOptions};
use crate::scope::Scope;
use crate::sql;

/// Where the throwaway database is made.
pub enum ShadowServer {
    /// A local cluster started for the purpose, stopped when dropped.
    Local(Cluster),
    /// The server of `--shadow-url`: a database is created there (the URL's
    /// role needs CREATEDB) and dropped afterwards; the URL's own database
    /// is only connected to.
    Remote(Box<ConnectUrl>),
}

impl ShadowServer {
    /// `--shadow-url` when given, else a local cluster from the installed
    /// server binaries. Blocking (initdb): call it outside the runtime.
    pub fn open(shadow_url: Option<&str>) -> Result<ShadowServer> {
        match shadow_url {
            Some(url) => Ok(ShadowServer::Remote(Box::new(ConnectUrl::parse(url).map_err(
                |e| Error::Usage(format!("--shadow-url: {e}")),
            )?))),
            None => Cluster::start(ClusterOptions {
                max_connections: 20,
                ..ClusterOptions::default()
            })
            .map(ShadowServer::Local)
            .map_err(|e| {
                Error::Usage(format!(
                    "no shadow database: {e}\n  help: install the PostgreSQL server binaries (or set PG_BINDIR), or pass --shadow-url"
                ))
            }),
        }
    }

    fn admin_url(&self) -> Result<ConnectUrl> {
        match self {
            ShadowServer::Remote(url) => Ok((**url).clone()),
            ShadowServer::Local(cluster) => ConnectUrl::parse(&cluster.url("postgres"))
                .map_err(|e| Error::Usage(format!("the shadow cluster's URL: {e}"))),
        }
    }
}

/// What the chain built, compared with the code.
#[derive(Debug)]
pub enum Verdict {
    /// The migrations, applied in order to an empty database, produce the code.
    Matches,
    /// What still differs after the chain ran, one line per object, then the
    /// statements that would make the database the code, then both as a
    /// unified diff of their DDL.
    Differs(Vec<String>),
    /// A migration failed on the empty database.
    Failed(MigrateError),
}

/// Applies `migrator`'s migrations to a new database on `server` and
/// compares the result with `code` (its roles as `roles` scopes them); the
/// database is dropped afterwards, whatever the outcome.
pub async fn verify(
    server: &ShadowServer,
    migrator: &Migrator,
    code: &Schema,
    scope: &Scope,
) -> Result<Verdict> {
    let admin_url = server.admin_url()?;
    let (admin, _) = connect_to(&admin_url).await?;
    let name = format!(
        "vitaes_shadow_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    admin
        .batch_execute(&format!("CREATE DATABASE {}", quote_ident(&name)))
        .await
        .map_err(|e| {
            Error::Database(format!(
                "creating the shadow database on {}: {}",
                admin_url.masked(),
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_string())
            ))
        })?;
    let verdict = apply_and_compare(&admin_url.with_database(&name), migrator, code, scope).await;
    // WITH (FORCE): the shadow's own sessions are gone, but a server-side
    // one may linger for a moment.
    let dropped = admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&name)
        ))
        .await;
    let verdict = verdict?;
    dropped.map_err(|e| Error::Database(format!("dropping the shadow database {name}: {e}")))?;
    Ok(verdict)
}

async fn apply_and_compare(
    url: &ConnectUrl,
    migrator: &Migrator,
    code: &Schema,
    scope: &Scope,
) -> Result<Verdict> {
    let (mut client, _) = connect_to(url).await?;
    let options = RunOptions::default();
    if let Err(e) = migrator.run_with(&mut client, &options, &mut |_| {}).await {
        return Ok(Verdict::Failed(e));
    }
    let options = PushOptions {
        filter: Filter::for_schema(code),
        scope: scope.clone(),
        ..PushOptions::default()
    };
    let compared = crate::compare::compare(
        crate::compare::Side::Live(&client),
        crate::compare::Side::Offline(Box::new(code.clone())),
        &options,
    )
    .await;
    match compared {
        Ok(c) if c.plan.is_empty() => Ok(Verdict::Matches),
        Ok(c) => {
            let mut lines = describe(&c.plan);
            let shown = crate::unified::unified("migrations", &c.from, "code", &c.to, false);
            lines.extend(shown.lines().map(|l| format!("  {l}")));
            Ok(Verdict::Differs(lines))
        }
        // Something removed and something added: that is the difference.
        Err(PlanError::Ambiguous(a)) => Ok(Verdict::Differs(
            a.0.iter().map(ToString::to_string).collect(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// One line per change naming its object, then the SQL that would close
/// the gap.
fn describe(plan: &Plan) -> Vec<String> {
    let mut lines: Vec<String> = plan
        .changes
        .iter()
        .map(|c| format!("{} {}", c.kind().replace('_', " "), c.object()))
        .collect();
    lines.extend(
        sql::render(plan)
            .into_iter()
            .map(|s| format!("  {}", s.trim_end())),
    );
    lines
}
