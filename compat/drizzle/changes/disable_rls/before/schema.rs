//! Rust twin of `before/schema.ts` (disable_rls).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "notes", rls)]
pub struct Notes {
    #[column(primary_key)]
    pub id: i32,
    pub owner: String,
}
