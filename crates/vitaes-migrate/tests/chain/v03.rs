//! Chain version 3: popular résumés outgrow 32-bit counters (integer →
//! bigint), user names outgrow varchar(32) (→ text); résumé sections arrive
//! from a legacy import that stored their position as text, and a view log.

use chrono::NaiveDateTime;
use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
#[pg_enum(name = "resume_template")]
pub enum ResumeTemplate {
    Classic,
    Modern,
    Minimal,
}

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
    pub username: Option<String>,
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

#[derive(Table)]
#[table(
    name = "resume",
    index(name = "idx_resume_user_email", columns(user_email)),
    index(name = "idx_resume_slug", columns(slug)),
    index(name = "idx_resume_user_id", columns(user_id)),
    unique(name = "uk_resume_name_user_email", columns(name, user_email))
)]
pub struct Resume {
    #[column(primary_key)]
    pub id: String,
    pub name: String,
    pub user_email: String,
    #[column(type = "json")]
    pub data: Option<serde_json::Value>,
    #[column(default_now)]
    pub created_at: NaiveDateTime,
    #[column(default_now)]
    pub updated_at: NaiveDateTime,
    #[column(default = false)]
    pub is_public: bool,
    #[column(unique)]
    pub slug: String,
    #[column(default = 0)]
    pub views: i64,
    #[column(default = 0)]
    pub downloads: i64,
    pub thumbnail_url: Option<String>,
    #[column(default = "classic")]
    pub template: ResumeTemplate,
    #[column(references(User, id), on_delete = "set null")]
    pub user_id: Option<String>,
}

#[derive(Table)]
#[table(name = "resume_section")]
pub struct ResumeSection {
    #[column(primary_key)]
    pub id: String,
    #[column(references(Resume, id), on_delete = "cascade")]
    pub resume_id: String,
    pub kind: String,
    pub title: String,
    /// Imported as text; numbers in practice.
    pub position: String,
    #[column(type = "json")]
    pub content: Option<serde_json::Value>,
}

#[derive(Table)]
#[table(name = "resume_view")]
pub struct ResumeView {
    #[column(primary_key, identity = "always")]
    pub id: i64,
    #[column(references(Resume, id), on_delete = "cascade")]
    pub resume_id: String,
    #[column(default_now)]
    pub viewed_at: NaiveDateTime,
    pub ip: Option<String>,
}
