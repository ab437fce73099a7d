//! Rust twin of `after/schema.ts` (change_default).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "tasks")]
pub struct Tasks {
    #[column(primary_key)]
    pub id: i32,
    #[column(default = "open")]
    pub status: Option<String>,
}
