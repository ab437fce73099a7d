//! Rust twin of `before/schema.ts` (change_default).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "tasks")]
pub struct Tasks {
    #[column(primary_key)]
    pub id: i32,
    #[column(default = "new")]
    pub status: Option<String>,
}
