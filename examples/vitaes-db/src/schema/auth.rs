//! Authentication tables (better-auth's layout).

use chrono::NaiveDateTime;
use vitaes_schema::Table;

#[derive(Table)]
#[table(name = "user")]
pub struct User {
    #[column(primary_key)]
    pub id: String,
    pub name: String,
    #[column(unique)]
    pub email: String,
    pub email_verified: bool,
    pub image: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Table)]
#[table(name = "session")]
pub struct Session {
    #[column(primary_key)]
    pub id: String,
    pub expires_at: NaiveDateTime,
    #[column(unique)]
    pub token: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    #[column(references(User, id), on_delete = "cascade")]
    pub user_id: String,
}

#[derive(Table)]
#[table(name = "account")]
pub struct Account {
    #[column(primary_key)]
    pub id: String,
    pub account_id: String,
    pub provider_id: String,
    #[column(references(User, id), on_delete = "cascade")]
    pub user_id: String,
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub access_token_expires_at: Option<NaiveDateTime>,
    pub refresh_token_expires_at: Option<NaiveDateTime>,
    pub scope: Option<String>,
    pub password: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Table)]
#[table(name = "verification")]
pub struct Verification {
    #[column(primary_key)]
    pub id: String,
    pub identifier: String,
    pub value: String,
    pub expires_at: NaiveDateTime,
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
}
