//! Rust twin of `before/schema.ts` (add_index).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "posts")]
pub struct Posts {
    #[column(primary_key)]
    pub id: i32,
    pub title: String,
    pub draft: bool,
}
