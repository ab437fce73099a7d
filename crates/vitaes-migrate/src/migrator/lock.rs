//! The migration lock: a session-level advisory lock on the connection that
//! runs the migrations, so many deploys can start `migrate` at once.
//!
//! Taken with `pg_try_advisory_lock` in a polling loop, never the blocking
//! `pg_advisory_lock`: a waiter blocked inside the server would itself hold a
//! snapshot that a `CREATE INDEX CONCURRENTLY` of the holder waits for — a
//! deadlock no timeout breaks. Polling also lets us give up after `--lock-wait`
//! and name the holder.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio_postgres::Client;

use super::{MigrateError, MigrationsTable};

/// The advisory lock key for a migrations table: its schema and name hashed,
/// so two applications with separate tables in one database do not wait on
/// each other.
pub fn lock_key(table: &MigrationsTable) -> i64 {
    let digest = Sha256::digest(format!("vitaes-migrate\0{}\0{}", table.schema, table.table));
    i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// Takes the lock, polling until `wait` has passed. `on_wait` is called once,
/// with the holder's pid, when the first attempt fails.
pub async fn acquire(
    client: &Client,
    key: i64,
    wait: Duration,
    on_wait: &mut dyn FnMut(Option<i32>),
) -> Result<(), MigrateError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(20);
    let mut told = false;
    loop {
        let got: bool = client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(|e| MigrateError::database("taking the migration lock", e))?
            .get(0);
        if got {
            return Ok(());
        }
        if !told {
            on_wait(holder(client, key).await?);
            told = true;
        }
        if start.elapsed() >= wait {
            return Err(MigrateError::LockTimeout {
                waited: wait,
                holder: holder(client, key).await?,
            });
        }
        tokio::time::sleep(pause.min(wait.saturating_sub(start.elapsed()))).await;
        pause = (pause * 2).min(Duration::from_millis(250));
    }
}

/// The backend holding the lock, if any.
pub async fn holder(client: &Client, key: i64) -> Result<Option<i32>, MigrateError> {
    // A bigint advisory key is stored as classid (high half) and objid (low
    // half), objsubid 1.
    let hi = (key as u64 >> 32) as u32;
    let lo = key as u64 as u32;
    let row = client
        .query_opt(
            "SELECT pid FROM pg_locks
              WHERE locktype = 'advisory' AND granted AND objsubid = 1
                AND classid = $1 AND objid = $2
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              LIMIT 1",
            &[&hi, &lo],
        )
        .await
        .map_err(|e| MigrateError::database("looking up the migration lock's holder", e))?;
    Ok(row.map(|r| r.get(0)))
}

/// Releases the advisory lock `key` held by this session.
pub async fn release(client: &Client, key: i64) -> Result<(), MigrateError> {
    client
        .query_one("SELECT pg_advisory_unlock($1)", &[&key])
        .await
        .map_err(|e| MigrateError::database("releasing the migration lock", e))?;
    Ok(())
}
