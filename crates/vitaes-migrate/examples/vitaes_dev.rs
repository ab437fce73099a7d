//! The Vitaes app's development start-up: push the compiled schema to the
//! development database, then go on. Hazardous changes (a dropped column, a
//! narrowed type) are refused, so a stray edit cannot lose local data.
//!
//! ```sh
//! docker compose up -d
//! DATABASE_URL=postgresql://postgres:password@localhost:5432/vitaes \
//!   cargo run -p vitaes-migrate --example vitaes_dev
//! ```

use vitaes_migrate::connect::connect;
use vitaes_migrate::introspect::Filter;
use vitaes_migrate::push::{push, ApplyError, PushError, PushOptions};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("DATABASE_URL")
        .map_err(|_| "set DATABASE_URL to the development database")?;
    let schema = vitaes_db::schema()?;
    let (client, server) = connect(&url).await?;
    let options = PushOptions {
        filter: Filter::for_schema(&schema),
        ..PushOptions::default()
    };
    match push(&client, &schema, &options).await {
        Ok(report) if report.applied => {
            println!("schema pushed: {} changes", report.plan.changes.len())
        }
        Ok(_) => println!("schema up to date on PostgreSQL {}", server.version),
        Err(PushError::Apply(ApplyError::Hazardous(plan))) => {
            eprintln!(
                "the schema change has hazards; review it with `vitaes-migrate push --dry-run`:"
            );
            for (change, hazards) in plan.changes.iter().zip(plan.hazards()) {
                if !hazards.is_empty() {
                    eprintln!("  {} {} ({hazards:?})", change.kind(), change.object());
                }
            }
            std::process::exit(1);
        }
        Err(e) => return Err(e.into()),
    }
    // ... start the application here.
    Ok(())
}
