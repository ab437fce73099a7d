//! Rust twin of `after/schema.ts` (alter_identity).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key, identity(by_default, start = 10, increment = 2, cache = 5))]
    pub id: i32,
    pub name: Option<String>,
}
