use vitaes_schema::PgView;

#[derive(PgView)]
#[view(name = "ids", query = "select id from items", with_no_data)]
pub struct Ids {
    pub id: Option<i32>,
}

fn main() {}
