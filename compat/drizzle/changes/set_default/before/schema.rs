//! Rust twin of `before/schema.ts` (set_default).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "tasks")]
pub struct Tasks {
    #[column(primary_key)]
    pub id: i32,
    pub status: Option<String>,
}
