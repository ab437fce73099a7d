use vitaes_schema::Table;

pub enum Mood {
    Sad,
    Happy,
}

#[derive(Table)]
pub struct Diary {
    #[column(primary_key)]
    pub id: i32,
    pub mood: Mood,
}

fn main() {}
