use vitaes_schema::PgView;

#[derive(PgView)]
#[view(name = "ids")]
pub struct Ids {
    pub id: Option<i32>,
}

fn main() {}
