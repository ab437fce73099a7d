//! Rust twin of `after/schema.ts` (add_generated).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    pub first: Option<String>,
    pub last: Option<String>,
    #[column(generated = "\"first\" || ' ' || \"last\"")]
    pub full: Option<String>,
}
