//! Rust twin of `before/schema.ts` (enum_add_value_end).

use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
#[pg_enum(name = "status")]
pub enum Status {
    Open,
    Closed,
}

#[derive(Table)]
#[table(name = "tickets")]
pub struct Tickets {
    #[column(primary_key)]
    pub id: i32,
    pub status: Option<Status>,
}
