//! Rust twin of `after/schema.ts` (enum_remove_value).

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
    #[column(default = "open")]
    pub status: Status,
}
