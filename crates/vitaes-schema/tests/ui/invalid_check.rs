use vitaes_schema::Table;

#[derive(Table)]
#[table(check(name = "price_positive", expr = "price >"))]
pub struct Product {
    #[column(primary_key)]
    pub id: i32,
    pub price: i32,
}

fn main() {}
