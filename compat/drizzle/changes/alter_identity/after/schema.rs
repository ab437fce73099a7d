//! Rust twin of `after/schema.ts` (alter_identity).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "items")]
pub struct Items {
    // TS: generatedByDefaultAsIdentity({ startWith: 10, increment: 2, cache: 5 }); only the
    // default sequence options are expressible here.
    #[column(primary_key, identity = "by_default")]
    pub id: i32,
    pub name: Option<String>,
}
