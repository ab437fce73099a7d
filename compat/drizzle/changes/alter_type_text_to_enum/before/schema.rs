//! Rust twin of `before/schema.ts` (alter_type_text_to_enum).

use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
#[pg_enum(name = "mood")]
pub enum Mood {
    Happy,
    Sad,
}

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    pub mood: Option<String>,
}
