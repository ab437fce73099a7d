//! Rust twin of `after/schema.ts` (change_composite_pk).

use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "memberships", primary_key(columns(user_id, role_id)))]
pub struct Memberships {
    pub user_id: i32,
    pub group_id: i32,
    pub role_id: i32,
}
