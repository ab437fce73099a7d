//! The Vitaes résumé app's database tables as annotated structs.
//!
//! `vitaes-migrate` reads these files (see the workspace's `vitaes.toml`) to
//! write `migrations/`; the application uses the same structs at run time.

pub mod schema;

use vitaes_schema::{ResolveErrors, Schema, SchemaBuilder};

/// The Vitaes schema, assembled from the compiled tables in drizzle-kit's
/// order (source file, then struct name) — the order the CLI reads them in.
pub fn schema() -> Result<Schema, ResolveErrors> {
    use schema::{app::*, auth::*};
    SchemaBuilder::new()
        .table::<Resume>()
        .table::<Account>()
        .table::<Session>()
        .table::<User>()
        .table::<Verification>()
        .build()
}
