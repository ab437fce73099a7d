//! Rust twin of `after/schema.ts` (drop_identity_nullable).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    pub id: Option<i32>,
    pub name: Option<String>,
}
