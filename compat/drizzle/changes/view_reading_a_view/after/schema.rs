//! Rust twin of `after/schema.ts` (view_reading_a_view).

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
#[view(name = "a_view", query = "select id from z_view")]
pub struct AView {
    pub id: Option<i32>,
}

#[derive(PgView)]
#[view(name = "z_view", query = "select id, name from items")]
pub struct ZView {
    pub id: Option<i32>,
    pub name: Option<String>,
}
