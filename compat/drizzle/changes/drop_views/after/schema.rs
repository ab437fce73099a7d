//! Rust twin of `after/schema.ts` (drop_views).

use vitaes_schema::{PgSequence, PgView, Table};

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    pub price: Option<i32>,
}
