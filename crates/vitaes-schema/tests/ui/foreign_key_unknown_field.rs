use vitaes_schema::Table;

#[derive(Table)]
#[table(primary_key(columns(org_id, user_id)))]
pub struct Membership {
    pub org_id: i32,
    pub user_id: String,
}

#[derive(Table)]
#[table(foreign_key(columns(org_id, user_id), references(Membership, columns(org_id, usr_id))))]
pub struct Event {
    #[column(primary_key)]
    pub id: i64,
    pub org_id: i32,
    pub user_id: String,
}

fn main() {}
