//! Applies the repository's migrations, compiled into the binary, to the
//! database named by the first argument, as an application does at start-up:
//!
//! ```sh
//! cargo run -p vitaes-lean-app -- postgresql://postgres:password@localhost:5432/vitaes
//! ```
//!
//! It depends on `vitaes-migrate` without default features, so it links the
//! migrator and the TLS connector and nothing of the command line.

use vitaes_migrate::connect::connect;
use vitaes_migrate::embed_migrations;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: vitaes-lean-app <database url>")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let migrator = embed_migrations!("../../migrations");
        let (mut client, _) = connect(&url).await?;
        let report = migrator.run(&mut client).await?;
        println!(
            "applied {} migrations ({} were applied before)",
            report.applied.len(),
            report.already_applied
        );
        Ok(())
    })
}
