//! Rust twin of `after/schema.ts` (add_column_identity).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    pub name: Option<String>,
    #[column(identity = "always")]
    pub id: i32,
    // TS: generatedByDefaultAsIdentity({ startWith: 100, increment: 5 }); only the
    // default sequence options are expressible here.
    #[column(identity = "by_default")]
    pub seq: i64,
}
