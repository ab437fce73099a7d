//! `push`: the code's schema onto a live database, without migration files.
//!
//! Introspect → canonicalise (the server spells the desired fragments, see
//! `canonical`) → diff with the same engine as `generate` → apply in one
//! transaction with a `lock_timeout`, re-reading the live schema first (and
//! refusing if it changed since the plan) and again before committing: the
//! transaction commits only if the database now equals the desired schema.
//! The phases are [`crate::diff::phases`]'s, as for `generate`: enum values
//! the rest uses are added first in their own transaction (a new value cannot
//! be used in the one that adds it), and `CONCURRENTLY` indexes (with the
//! foreign keys that need them) are built after the commit.

pub(crate) mod canonical;
mod error;
mod external;
pub mod facts;
mod views;

pub use error::{ApplyError, DbFailure, LostOutcome, PlanError, PushError};

use std::time::Duration;

use tokio_postgres::Client;
use vitaes_schema_core::{GeneratedKind, Schema, VIRTUAL_GENERATED_SINCE};

use crate::diff::phases::{phase_plans, PhaseKind};
use crate::diff::{self, Change, Plan, RenameDecisions};
use crate::introspect::{introspect, Filter};
use crate::roles::absent_policy_roles;
use crate::scope::Scope;
use crate::sql;

/// How to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Which schemas and tables of the database are compared with the code.
    pub filter: Filter,
    /// Decisions on drops and adds that may be renames.
    pub renames: RenameDecisions,
    /// Plan only.
    pub dry_run: bool,
    /// Apply a plan with hazards (without it, such a plan is refused).
    pub force: bool,
    /// `SET LOCAL lock_timeout` for the transaction.
    pub lock_timeout: Duration,
    /// Which roles are compared with the code (none by default), and
    /// whether comments are (not by default).
    pub scope: Scope,
}

impl Default for PushOptions {
    fn default() -> Self {
        PushOptions {
            filter: Filter::default(),
            renames: RenameDecisions::default(),
            dry_run: false,
            force: false,
            lock_timeout: Duration::from_secs(5),
            scope: Scope::default(),
        }
    }
}

/// What a push planned and did.
#[derive(Debug, Clone, PartialEq)]
pub struct PushReport {
    /// The changes, in order (empty when the database already matches).
    pub plan: Plan,
    /// Whether the plan was applied (false for a dry run or an empty plan).
    pub applied: bool,
}

fn db(context: &'static str) -> impl Fn(tokio_postgres::Error) -> PlanError {
    move |e| PlanError::Database {
        context,
        failure: DbFailure::of(&e),
    }
}

fn tx(context: &'static str) -> impl Fn(tokio_postgres::Error) -> ApplyError {
    move |e| ApplyError::Transaction {
        context,
        failure: DbFailure::of(&e),
    }
}

/// The live and the desired schema, both with server-spelled fragments and
/// enum defaults compared by value.
async fn comparable(
    client: &Client,
    desired: &Schema,
    options: &PushOptions,
    in_transaction: bool,
) -> Result<(Schema, Schema), PlanError> {
    let live = introspect(client, &options.filter)
        .await
        .map_err(db("reading the catalog"))?
        .schema;
    comparable_with(client, desired, live, &options.scope, in_transaction).await
}

/// [`comparable`] with the live schema already read.
pub(crate) async fn comparable_with(
    client: &Client,
    desired: &Schema,
    mut live: Schema,
    scope: &Scope,
    in_transaction: bool,
) -> Result<(Schema, Schema), PlanError> {
    // `live` holds every role of the cluster: the policies' roles are
    // checked against all of them, the diff sees only those in scope.
    let mut desired = desired.clone();
    let cluster = live.roles.clone();
    scope.apply(&mut live, &mut desired);
    // An extension the code does not declare is the platform's or another
    // application's (Supabase installs a dozen): push never drops one.
    live.extensions
        .retain(|e| desired.extensions.iter().any(|d| d.name == e.name));
    let absent = absent_policy_roles(&cluster, &desired);
    if !absent.is_empty() {
        return Err(PlanError::AbsentRoles(absent));
    }
    let desired = &desired;
    external::check(client, desired).await?;
    check_virtual_generated(client, desired).await?;
    let mut wanted = canonical::canonicalize(client, desired, &live, in_transaction)
        .await
        .map_err(db("canonicalising"))?;
    views::canonicalize(client, &mut wanted, in_transaction).await?;
    canonical::strip_enum_casts(&mut live);
    canonical::strip_enum_casts(&mut wanted);
    Ok((live, wanted))
}

/// Refuses virtual generated columns on a server older than PostgreSQL 18,
/// naming them, before any of the code's SQL reaches it.
async fn check_virtual_generated(client: &Client, desired: &Schema) -> Result<(), PlanError> {
    let columns: Vec<String> = desired
        .tables
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| {
                    c.generated
                        .as_ref()
                        .is_some_and(|g| g.kind == GeneratedKind::Virtual)
                })
                .map(move |c| format!("{}.{}.{}", t.schema, t.name, c.name))
        })
        .collect();
    if columns.is_empty() {
        return Ok(());
    }
    let row = client
        .query_one(
            "SELECT current_setting('server_version_num')::int4, current_setting('server_version')",
            &[],
        )
        .await
        .map_err(db("reading the server version"))?;
    if row.get::<_, i32>(0) >= VIRTUAL_GENERATED_SINCE {
        return Ok(());
    }
    Err(PlanError::VirtualGenerated {
        columns,
        server_version: row.get(1),
    })
}

/// Plans the push of `desired` onto the database `client` is connected to.
pub async fn plan(
    client: &Client,
    desired: &Schema,
    options: &PushOptions,
) -> Result<Plan, PlanError> {
    plan_in(client, desired, options, false).await
}

async fn plan_in(
    client: &Client,
    desired: &Schema,
    options: &PushOptions,
    in_transaction: bool,
) -> Result<Plan, PlanError> {
    let (live, wanted) = comparable(client, desired, options, in_transaction).await?;
    diff::diff_with(&live, &wanted, &options.renames).map_err(PlanError::Ambiguous)
}

/// [`plan`] with the live schema already read (by [`introspect`] with
/// `options.filter`), so reading it can overlap with reading the sources.
pub async fn plan_with_live(
    client: &Client,
    desired: &Schema,
    live: Schema,
    options: &PushOptions,
) -> Result<Plan, PlanError> {
    let (live, wanted) = comparable_with(client, desired, live, &options.scope, false).await?;
    diff::diff_with(&live, &wanted, &options.renames).map_err(PlanError::Ambiguous)
}

/// Plans and, unless `dry_run` (or hazards without `force`), applies.
pub async fn push(
    client: &Client,
    desired: &Schema,
    options: &PushOptions,
) -> Result<PushReport, PushError> {
    let planned = plan(client, desired, options).await?;
    if planned.is_empty() || options.dry_run {
        return Ok(PushReport {
            plan: planned,
            applied: false,
        });
    }
    if !options.force && planned.hazards().iter().any(|h| !h.is_empty()) {
        return Err(ApplyError::Hazardous(planned).into());
    }
    apply(client, desired, &planned, options).await?;
    Ok(PushReport {
        plan: planned,
        applied: true,
    })
}

/// Applies a plan made by [`plan`], phase by phase as [`phase_plans`] splits it:
/// enum values that the rest uses in a transaction of their own, the body in
/// one transaction verified before it commits, then what must run outside a
/// transaction (`CONCURRENTLY` builds and the keys that need them), checked
/// once more at the end.
pub async fn apply(
    client: &Client,
    desired: &Schema,
    planned: &Plan,
    options: &PushOptions,
) -> Result<(), ApplyError> {
    let steps = phase_plans(planned);
    let mut committed: Vec<(PhaseKind, String)> = Vec::new();
    for (i, (kind, step)) in steps.iter().enumerate() {
        // What later phases will do.
        let after: Vec<&Change> = steps[i + 1..]
            .iter()
            .flat_map(|(_, p)| &p.changes)
            .collect();
        let result = match kind {
            PhaseKind::EnumValues => {
                let statements: Vec<String> =
                    step.changes.iter().flat_map(sql::render_change).collect();
                in_transaction(client, async || run_statements(client, &statements).await).await
            }
            PhaseKind::Transactional => {
                in_transaction(client, async || {
                    apply_verified(client, desired, &steps[i..], &after, options).await
                })
                .await
            }
            PhaseKind::OutsideTransaction => match run_outside_transaction(client, step).await {
                Ok(()) => verify(client, desired, options, &after, false).await,
                Err(e) => Err(e),
            },
        };
        if let Err(e) = result {
            let e = connection_lost(e, *kind);
            if committed.is_empty() {
                return Err(e);
            }
            return Err(ApplyError::AfterCommitted {
                only_enum_values: committed.iter().all(|(k, _)| *k == PhaseKind::EnumValues),
                committed: committed.into_iter().map(|(_, s)| s).collect(),
                error: Box::new(e),
            });
        }
        committed.extend(
            step.changes
                .iter()
                .flat_map(sql::render_change)
                .map(|s| (*kind, s)),
        );
    }
    Ok(())
}

/// A failure that is the connection's loss, said with what is known of the
/// phase it interrupted; any other failure unchanged.
fn connection_lost(e: ApplyError, kind: PhaseKind) -> ApplyError {
    let Some((during, failure)) = e.lost() else {
        return e;
    };
    let outcome = match (&e, kind) {
        (
            ApplyError::Transaction {
                context: "COMMIT", ..
            },
            _,
        ) => LostOutcome::CommitUnknown,
        (_, PhaseKind::OutsideTransaction) => LostOutcome::StatementUnknown,
        _ => LostOutcome::RolledBack,
    };
    ApplyError::ConnectionLost {
        during: during.to_string(),
        failure: failure.clone(),
        outcome,
    }
}

/// Each statement on its own, as `CONCURRENTLY` needs; a failed concurrent
/// build's INVALID index is dropped so the next push can build it.
async fn run_outside_transaction(client: &Client, step: &Plan) -> Result<(), ApplyError> {
    for change in &step.changes {
        for statement in sql::render_change(change) {
            if let Err(e) = client.batch_execute(&statement).await {
                if let Change::CreateIndex { table, index } = change {
                    let drop = sql::render_change(&Change::DropIndex {
                        table: table.clone(),
                        name: index.name.clone(),
                    });
                    let _ = client
                        .batch_execute(&drop[0].replace("DROP INDEX", "DROP INDEX IF EXISTS"))
                        .await;
                }
                return Err(ApplyError::StatementFailed {
                    statement,
                    failure: DbFailure::of(&e),
                });
            }
        }
    }
    Ok(())
}

/// After a phase: re-plans and refuses if anything is left besides `after`
/// (what later phases will do). `in_transaction` says whether the phase ran
/// in the still-open transaction (then the refusal rolls it back) or outside
/// one (then what ran stays).
async fn verify(
    client: &Client,
    desired: &Schema,
    options: &PushOptions,
    after: &[&Change],
    in_transaction: bool,
) -> Result<(), ApplyError> {
    let residual = plan_in(client, desired, options, in_transaction)
        .await
        .map_err(ApplyError::Replan)?;
    let statements: Vec<String> = residual
        .changes
        .iter()
        .filter(|c| !after.contains(c))
        .flat_map(sql::render_change)
        .collect();
    if statements.is_empty() {
        Ok(())
    } else {
        Err(ApplyError::Residual {
            statements,
            rolled_back: in_transaction,
        })
    }
}

/// Runs the first of `remaining` (the phases still to run, a transactional
/// one first); `after` is what the later ones will do.
async fn apply_verified(
    client: &Client,
    desired: &Schema,
    remaining: &[(PhaseKind, Plan)],
    after: &[&Change],
    options: &PushOptions,
) -> Result<(), ApplyError> {
    let millis = options.lock_timeout.as_millis();
    client
        .batch_execute(&format!("SET LOCAL lock_timeout = {millis}"))
        .await
        .map_err(tx("SET lock_timeout"))?;
    // The database may have changed since the plan was shown.
    let now = plan_in(client, desired, options, true)
        .await
        .map_err(|e| match e {
            PlanError::Ambiguous(_) => ApplyError::ChangedSincePlan,
            e => ApplyError::Replan(e),
        })?;
    if phase_plans(&now) != remaining {
        return Err(ApplyError::ChangedSincePlan);
    }
    let statements: Vec<String> = remaining[0]
        .1
        .changes
        .iter()
        .flat_map(sql::render_change)
        .collect();
    run_statements(client, &statements).await?;
    // Commit only what equals the desired schema, but for later phases.
    verify(client, desired, options, after, true).await
}

/// Runs `body` between BEGIN and COMMIT, rolling back when it fails.
async fn in_transaction<T>(
    client: &Client,
    body: impl AsyncFnOnce() -> Result<T, ApplyError>,
) -> Result<T, ApplyError> {
    client.batch_execute("BEGIN").await.map_err(tx("BEGIN"))?;
    match body().await {
        Ok(v) => {
            client.batch_execute("COMMIT").await.map_err(tx("COMMIT"))?;
            Ok(v)
        }
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Each statement in turn; the first the server rejects is the error.
async fn run_statements(client: &Client, statements: &[String]) -> Result<(), ApplyError> {
    for s in statements {
        client
            .batch_execute(s)
            .await
            .map_err(|e| ApplyError::StatementFailed {
                statement: s.clone(),
                failure: DbFailure::of(&e),
            })?;
    }
    Ok(())
}
