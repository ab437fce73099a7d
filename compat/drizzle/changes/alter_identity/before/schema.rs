//! Rust twin of `before/schema.ts` (alter_identity).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key, identity = "always")]
    pub id: i32,
    pub name: Option<String>,
}
