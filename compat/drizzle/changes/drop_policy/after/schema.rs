//! Rust twin of `after/schema.ts` (drop_policy).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "notes")]
pub struct Notes {
    #[column(primary_key)]
    pub id: i32,
    pub owner: String,
}
