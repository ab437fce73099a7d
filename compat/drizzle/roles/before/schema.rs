use vitaes_schema::{PgRole, Table};

#[derive(PgRole)]
#[pg_role(name = "vt_admin")]
pub struct Admin;

#[derive(PgRole)]
#[pg_role(name = "vt_gone", create_db, inherit = false)]
pub struct Gone;

#[derive(Table)]
#[table(name = "notes", policy(name = "notes_admin", to("vt_admin")))]
pub struct Notes {
    #[column(primary_key)]
    pub id: i32,
}
