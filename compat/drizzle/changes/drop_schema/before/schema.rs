//! Rust twin of `before/schema.ts` (drop_schema).

use vitaes_schema::{PgSchema, Table};

#[derive(PgSchema)]
pub struct Archive;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
