//! Rust twin of `before/schema.ts` (drop_schema).

use vitaes_schema::Table;

// TS: `export const archive = pgSchema('archive');` declares a schema with no
// tables; a Rust schema file has no way to declare an empty schema.

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
