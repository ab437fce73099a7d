//! Rust twin of `after/schema.ts` (change_view_query).

use vitaes_schema::{PgSequence, PgView, Table};

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub name: String,
    pub price: Option<i32>,
}

#[derive(PgView)]
#[view(name = "v", query = "select id, name from items where price > 0", check_option = "local")]
pub struct V {
    pub id: Option<i32>,
    pub name: Option<String>,
}
