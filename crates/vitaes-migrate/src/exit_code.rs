//! The command line's exit codes (DESIGN.md), decided here and nowhere
//! else: the library's errors say what happened, the binary what it means
//! to a shell script.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done (or nothing to do) |
//! | 1 | a finding or a refusal: hazards, modified migrations, a lock not granted, ambiguous renames |
//! | 2 | usage, configuration, schema source or migrations folder to fix |
//! | 3 | cannot connect, or the connection was lost with the outcome unknown |
//! | 4 | the database rejected a statement |

use crate::connect::ConnectError;
use crate::error::Error;
use crate::migrator::MigrateError;
use crate::push::{ApplyError, PlanError};

/// The exit code for `error`.
pub fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Refused(_) => 1,
        Error::Connect(e) => connect(e),
        Error::Migrate(e) => migrate(e),
        Error::Database(_) => 4,
        Error::Plan(e) => plan(e),
        Error::Apply(e) => apply(e),
        Error::Usage(_)
        | Error::Config { .. }
        | Error::Source(_)
        | Error::Io { .. }
        | Error::MigrationsFolder { .. } => 2,
    }
}

/// 2 for what the user must fix in the URL or TLS files, 3 otherwise.
fn connect(e: &ConnectError) -> u8 {
    match e {
        ConnectError::InvalidUrl { .. } | ConnectError::TlsFiles { .. } => 2,
        _ => 3,
    }
}

fn migrate(e: &MigrateError) -> u8 {
    match e {
        MigrateError::Modified { .. } | MigrateError::LockTimeout { .. } => 1,
        MigrateError::Folder { .. } | MigrateError::UnknownBaseline(_) => 2,
        MigrateError::ConnectionLost { .. } => 3,
        MigrateError::Failed { .. } | MigrateError::Database { .. } => 4,
    }
}

fn plan(e: &PlanError) -> u8 {
    match e {
        PlanError::Ambiguous(_) | PlanError::External(_) => 1,
        PlanError::VirtualGenerated { .. }
        | PlanError::AbsentRoles(_)
        | PlanError::ViewColumns(_) => 2,
        PlanError::Database { .. } => 4,
    }
}

fn apply(e: &ApplyError) -> u8 {
    match e {
        ApplyError::Hazardous(_) | ApplyError::ChangedSincePlan => 1,
        ApplyError::ConnectionLost { .. } => 3,
        ApplyError::AfterCommitted { error, .. } => apply(error),
        // A re-plan that fails after statements ran is the database's doing.
        ApplyError::Replan(e) => plan(e).max(4),
        _ => 4,
    }
}
