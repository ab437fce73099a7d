//! Chain version 9: the view log is replaced by the counters (a table
//! dropped) and thumbnails are rendered on the fly (a column dropped).

use std::net::IpAddr;

use chrono::NaiveDateTime;
use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
#[pg_enum(name = "resume_template")]
pub enum ResumeTemplate {
    Classic,
    Modern,
    Elegant,
    Creative,
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
    pub ip_address: Option<IpAddr>,
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
    #[column(default_now)]
    pub created_at: NaiveDateTime,
    #[column(default_now)]
    pub updated_at: NaiveDateTime,
}

#[derive(Table)]
#[table(
    name = "resume",
    index(name = "idx_resume_user_email", columns(user_email)),
    index(name = "idx_resume_slug", columns(slug)),
    index(name = "idx_resume_user_id", columns(user_id)),
    index(name = "idx_resume_template", columns(template)),
    index(
        name = "idx_resume_modern_public",
        columns(updated_at desc),
        where = "\"resume\".\"template\" = 'modern' and \"resume\".\"is_public\""
    ),
    check(
        name = "resume_creative_public",
        expr = "\"resume\".\"template\" <> 'creative' or \"resume\".\"is_public\""
    ),
    unique(name = "uk_resume_name_user_email", columns(name, user_email))
)]
pub struct Resume {
    #[column(primary_key)]
    pub id: String,
    pub name: String,
    pub user_email: String,
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
    #[column(default = "classic")]
    pub template: ResumeTemplate,
    #[column(references(User, id), on_delete = "cascade")]
    pub user_id: Option<String>,
}

#[derive(Table)]
#[table(
    name = "resume_section",
    index(name = "idx_resume_section_order", columns(resume_id, position)),
    check(
        name = "resume_section_position_check",
        expr = "\"resume_section\".\"position\" >= 0"
    )
)]
pub struct ResumeSection {
    #[column(primary_key)]
    pub id: String,
    #[column(references(Resume, id), on_delete = "cascade")]
    pub resume_id: String,
    pub kind: String,
    pub title: String,
    pub position: i32,
    pub content: Option<serde_json::Value>,
}

#[derive(Table)]
#[table(name = "tag")]
pub struct Tag {
    #[column(primary_key, serial)]
    pub id: i32,
    #[column(unique)]
    pub name: String,
}

#[derive(Table)]
#[table(name = "resume_tag", primary_key(columns(resume_id, tag_id)))]
pub struct ResumeTag {
    #[column(references(Resume, id), on_delete = "cascade")]
    pub resume_id: String,
    #[column(references(Tag, id), on_delete = "cascade")]
    pub tag_id: i32,
    #[column(default_now)]
    pub added_at: NaiveDateTime,
}
