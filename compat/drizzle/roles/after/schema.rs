use vitaes_schema::{PgRole, Table};

#[derive(PgRole)]
#[pg_role(name = "vt_admin", create_db, create_role, inherit = false)]
pub struct Admin;

#[derive(PgRole)]
#[pg_role(name = "anon", existing)]
pub struct Anon;

#[derive(Table)]
#[table(name = "notes", policy(name = "notes_admin", to("vt_admin", "anon")))]
pub struct Notes {
    #[column(primary_key)]
    pub id: i32,
}
