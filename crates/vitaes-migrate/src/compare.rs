//! The plan between any two schemas, each a live database or a schema read
//! offline (code, a migrations folder's last snapshot, nothing): what `diff`
//! prints. A database is read by its own server and the other side, when
//! offline, is spelled by that server as push spells the code; two offline
//! schemas compare as `generate` compares them; two databases compare as
//! each reads itself.

use tokio_postgres::Client;
use vitaes_schema_core::Schema;

use crate::diff::{diff_with, Plan};
use crate::introspect::{introspect, Filter};
use crate::push::{comparable_with, PlanError, PushOptions};

/// One side of a comparison.
pub enum Side<'a> {
    /// A database, read through `client`.
    Live(&'a Client),
    /// A schema already in hand.
    Offline(Box<Schema>),
}

/// The plan that turns `from` into `to`, and what the databases hold that
/// the model does not manage (`function public.f`), left alone by the plan.
#[derive(Debug)]
pub struct Compared {
    /// The changes, in order.
    pub plan: Plan,
    /// Objects of either database the plan neither reads nor touches.
    pub left_alone: Vec<String>,
    /// The two schemas as compared (spelled by the server where one is
    /// live), for showing them side by side.
    pub from: Schema,
    /// See [`Compared::from`].
    pub to: Schema,
}

async fn read(client: &Client, filter: &Filter) -> Result<(Schema, Vec<String>), PlanError> {
    let live = introspect(client, filter)
        .await
        .map_err(|e| PlanError::Database {
            context: "reading the catalog",
            failure: crate::push::DbFailure::of(&e),
        })?;
    Ok((live.schema, live.not_managed))
}

/// Plans `from` → `to` under `options` (filter, scope, rename decisions).
pub async fn compare(
    from: Side<'_>,
    to: Side<'_>,
    options: &PushOptions,
) -> Result<Compared, PlanError> {
    let mut left_alone = Vec::new();
    let (old, new) = match (from, to) {
        (Side::Offline(a), Side::Offline(b)) => {
            let (mut a, mut b) = (*a, *b);
            options.scope.apply(&mut a, &mut b);
            (a, b)
        }
        (Side::Live(a), Side::Live(b)) => {
            let ((mut a, la), (mut b, lb)) =
                futures_util::future::try_join(read(a, &options.filter), read(b, &options.filter))
                    .await?;
            options.scope.apply(&mut a, &mut b);
            left_alone.extend(la);
            left_alone.extend(lb);
            (a, b)
        }
        (Side::Live(client), Side::Offline(code)) => {
            let (live, la) = read(client, &options.filter).await?;
            left_alone = la;
            comparable_with(client, &code, live, &options.scope, false).await?
        }
        (Side::Offline(code), Side::Live(client)) => {
            let (live, la) = read(client, &options.filter).await?;
            left_alone = la;
            let (live, wanted) =
                comparable_with(client, &code, live, &options.scope, false).await?;
            (wanted, live)
        }
    };
    left_alone.sort();
    left_alone.dedup();
    let plan = diff_with(&old, &new, &options.renames).map_err(PlanError::Ambiguous)?;
    Ok(Compared {
        plan,
        left_alone,
        from: old,
        to: new,
    })
}
