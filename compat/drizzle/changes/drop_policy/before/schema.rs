//! Rust twin of `before/schema.ts` (drop_policy).

use vitaes_schema::Table;

#[derive(Table)]
#[table(
    name = "notes",
    policy(name = "notes_read", for = "select", to("authenticated", "anon"), using = "\"notes\".\"owner\" = current_user"),
    policy(name = "notes_write", as = "restrictive", for = "insert", to("authenticated"), with_check = "\"notes\".\"id\" > 0"),
    policy(name = "notes_all")
)]
pub struct Notes {
    #[column(primary_key)]
    pub id: i32,
    pub owner: String,
}
