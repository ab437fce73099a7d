//! The Vitaes app's production start-up: apply the migrations compiled into
//! the binary, then go on. Safe when several instances start at once (they
//! take turns on the migration lock); a failed migration stops the start
//! with its file and statement, leaving the ones before it applied.
//!
//! ```sh
//! DATABASE_URL=postgresql://postgres:password@localhost:5432/vitaes \
//!   cargo run -p vitaes-migrate --example vitaes_start
//! ```

use vitaes_migrate::connect::connect;
use vitaes_migrate::embed_migrations;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL to the database")?;
    // The repository's `migrations/`, relative to this crate's Cargo.toml;
    // a new migration file rebuilds the binary.
    let migrator = embed_migrations!("../../migrations");
    let (mut client, _) = connect(&url).await?;
    let report = migrator.run(&mut client).await?;
    for tag in &report.out_of_order {
        eprintln!("note: {tag} was older than the newest applied migration (merged from a branch)");
    }
    println!(
        "database migrated: {} applied now, {} before",
        report.applied.len(),
        report.already_applied
    );
    // ... start the application here.
    Ok(())
}
