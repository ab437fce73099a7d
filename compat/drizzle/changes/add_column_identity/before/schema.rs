//! Rust twin of `before/schema.ts` (add_column_identity).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    pub name: Option<String>,
}
