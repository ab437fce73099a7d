use vitaes_schema::Table;

#[derive(Table)]
#[table(
    unique(name = "price_rule", columns(price)),
    check(name = "price_rule", expr = "price > 0")
)]
pub struct Product {
    #[column(primary_key)]
    pub id: i32,
    pub price: i32,
}

fn main() {}
