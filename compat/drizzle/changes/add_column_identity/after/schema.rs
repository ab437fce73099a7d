//! Rust twin of `after/schema.ts` (add_column_identity).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    pub name: Option<String>,
    #[column(identity = "always")]
    pub id: i32,
    #[column(identity(by_default, start = 100, increment = 5))]
    pub seq: i64,
}
