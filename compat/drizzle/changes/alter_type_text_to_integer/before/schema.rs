//! Rust twin of `before/schema.ts` (alter_type_text_to_integer).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    #[column(primary_key)]
    pub id: i32,
    pub qty: Option<String>,
}
