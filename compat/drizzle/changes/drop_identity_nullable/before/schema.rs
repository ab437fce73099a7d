//! Rust twin of `before/schema.ts` (drop_identity_nullable).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(identity = "always")]
    pub id: i32,
    pub name: Option<String>,
}
