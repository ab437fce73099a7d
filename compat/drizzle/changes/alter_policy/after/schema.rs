//! Rust twin of `after/schema.ts` (alter_policy).

use vitaes_schema::Table;

#[derive(Table)]
#[table(
    name = "notes",
    policy(name = "notes_read", for = "select", to("authenticated"), using = "\"notes\".\"owner\" = session_user"),
    policy(name = "notes_write", as = "restrictive", for = "update", to("authenticated"), using = "true", with_check = "\"notes\".\"id\" > 0"),
    policy(name = "notes_all")
)]
pub struct Notes {
    #[column(primary_key)]
    pub id: i32,
    pub owner: String,
}
