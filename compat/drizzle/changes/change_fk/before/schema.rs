//! Rust twin of `before/schema.ts` (change_fk).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "posts")]
pub struct Posts {
    #[column(primary_key)]
    pub id: i32,
    #[column(references(Users, id), on_delete = "cascade")]
    pub author_id: Option<i32>,
}

#[derive(Table)]
#[table(name = "users")]
pub struct Users {
    #[column(primary_key)]
    pub id: i32,
}
