//! Rust twin of `before/schema.ts` (create_enum).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
