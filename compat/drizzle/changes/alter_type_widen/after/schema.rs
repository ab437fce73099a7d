//! Rust twin of `after/schema.ts` (alter_type_widen).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
    #[column(type = "varchar(255)")]
    pub name: Option<String>,
}
