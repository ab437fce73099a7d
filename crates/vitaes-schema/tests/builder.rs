//! `SchemaBuilder` from compiled impls: a table brings the enums its columns
//! use, an enum registered twice is one enum, and a missing registration is
//! named in the error.

use vitaes_schema::{PgEnum, SchemaBuilder, Table};

#[derive(PgEnum)]
pub enum Role {
    Owner,
    #[pg_enum(rename = "plain member")]
    Member,
}

#[derive(PgEnum)]
#[pg_enum(schema = "app")]
pub enum Status {
    Active,
    Left,
}

#[derive(PgEnum)]
pub enum Badge {
    Gold,
    Silver,
}

#[derive(PgEnum)]
pub enum Unused {
    Nothing,
}

#[derive(Table)]
pub struct Member {
    #[column(primary_key)]
    pub id: i32,
    pub role: Role,
    pub status: Option<Status>,
    pub badges: Vec<Badge>,
    pub past_roles: Option<Vec<Role>>,
}

#[derive(Table)]
pub struct Invite {
    #[column(primary_key)]
    pub id: i32,
    pub role: Role,
    #[column(type = "text")]
    pub note: Unused,
}

#[derive(Table)]
pub struct Team {
    #[column(primary_key)]
    pub id: i32,
}

#[derive(Table)]
pub struct Seat {
    #[column(primary_key)]
    pub id: i32,
    #[column(references(Team, id))]
    pub team_id: i32,
}

fn enums(schema: &vitaes_schema::Schema) -> Vec<(&str, &str, Vec<&str>)> {
    schema
        .enums
        .iter()
        .map(|e| {
            (
                e.schema.as_str(),
                e.name.as_str(),
                e.values.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

#[test]
fn a_table_alone_registers_its_plain_option_and_vec_enums() {
    let schema = SchemaBuilder::new().table::<Member>().build().unwrap();
    assert_eq!(
        enums(&schema),
        [
            ("public", "role", vec!["owner", "plain member"]),
            ("app", "status", vec!["active", "left"]),
            ("public", "badge", vec!["gold", "silver"]),
        ]
    );
    assert_eq!(schema.schemas, ["app"]);
    let member = schema.table("public", "member").unwrap();
    let types: Vec<_> = member
        .columns
        .iter()
        .map(|c| (c.sql_type.as_str(), c.type_schema.as_deref()))
        .collect();
    assert_eq!(
        types,
        [
            ("integer", None),
            ("role", Some("public")),
            ("status", Some("app")),
            ("badge[]", Some("public")),
            ("role[]", Some("public")),
        ]
    );
}

#[test]
fn an_enum_registered_twice_is_one_enum() {
    let schema = SchemaBuilder::new()
        .pg_enum::<Role>()
        .table::<Member>()
        .table::<Invite>()
        .pg_enum::<Role>()
        .pg_enum::<Status>()
        .build()
        .unwrap();
    let names: Vec<_> = schema.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["role", "status", "badge"]);
    assert_eq!(schema.tables.len(), 2);
}

#[test]
fn an_enum_with_an_explicit_type_is_not_brought_and_pg_enum_adds_one_no_table_uses() {
    let schema = SchemaBuilder::new().table::<Invite>().build().unwrap();
    let names: Vec<_> = schema.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["role"]);
    assert_eq!(Invite::enums().len(), 1);

    let schema = SchemaBuilder::new()
        .table::<Invite>()
        .pg_enum::<Unused>()
        .build()
        .unwrap();
    let names: Vec<_> = schema.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["role", "unused"]);
}

#[test]
fn a_referenced_table_not_registered_is_named_with_the_call_that_adds_it() {
    let errors = SchemaBuilder::new().table::<Seat>().build().unwrap_err();
    assert_eq!(
        errors.to_string(),
        "table `seat` references `Team`, which is not registered: add `.table::<Team>()`"
    );

    let schema = SchemaBuilder::new()
        .table::<Team>()
        .table::<Seat>()
        .build()
        .unwrap();
    assert_eq!(schema.tables.len(), 2);
}

#[derive(vitaes_schema::PgRole)]
#[pg_role(name = "admin", create_db, create_role, inherit = false)]
pub struct Admin;

#[derive(vitaes_schema::PgRole)]
#[pg_role(name = "anon", existing)]
pub struct Anon;

#[derive(vitaes_schema::PgRole)]
#[pg_role(name = "admin")]
pub struct AdminAgain;

#[test]
fn roles_are_registered_in_order_and_a_name_declared_twice_is_an_error() {
    use vitaes_schema::PgRole;
    assert_eq!(Admin::NAME, "admin");
    let schema = SchemaBuilder::new()
        .pg_role::<Admin>()
        .pg_role::<Anon>()
        .build()
        .unwrap();
    let roles: Vec<(&str, bool, bool, bool, bool)> = schema
        .roles
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.create_db,
                r.create_role,
                r.inherit,
                r.existing,
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("admin", true, true, false, false),
            ("anon", false, false, true, true)
        ]
    );
    let err = SchemaBuilder::new()
        .pg_role::<Admin>()
        .pg_role::<AdminAgain>()
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("role \"admin\" is declared twice"),
        "{err}"
    );
}

#[derive(vitaes_schema::PgExtension)]
#[pg_extension(name = "uuid-ossp", schema = "extensions")]
pub struct UuidOssp;

#[derive(vitaes_schema::PgExtension)]
pub struct PgTrgm;

#[derive(vitaes_schema::PgExtension)]
#[pg_extension(name = "pg_trgm", version = "1.6")]
pub struct TrigramsAgain;

#[test]
fn extensions_are_registered_in_order_and_a_name_declared_twice_is_an_error() {
    use vitaes_schema::PgExtension;
    assert_eq!(UuidOssp::NAME, "uuid-ossp");
    let schema = SchemaBuilder::new()
        .pg_extension::<UuidOssp>()
        .pg_extension::<PgTrgm>()
        .build()
        .unwrap();
    let got: Vec<(&str, Option<&str>)> = schema
        .extensions
        .iter()
        .map(|e| (e.name.as_str(), e.schema.as_deref()))
        .collect();
    assert_eq!(got, [("uuid-ossp", Some("extensions")), ("pg_trgm", None)]);
    let err = SchemaBuilder::new()
        .pg_extension::<PgTrgm>()
        .pg_extension::<TrigramsAgain>()
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("extension \"pg_trgm\" is declared twice (by `PgTrgm` and `TrigramsAgain`)"),
        "{err}"
    );
}

#[derive(vitaes_schema::PgSequence)]
#[sequence(
    name = "invoice_no",
    schema = "billing",
    as = "integer",
    start = 1000,
    cycle
)]
pub struct InvoiceNo;

/// Items cheaper than a hundred.
#[derive(vitaes_schema::PgView)]
#[view(
    name = "cheap",
    query = "select id from items where price < 100",
    security_barrier
)]
pub struct Cheap {
    /// The item.
    pub id: Option<i32>,
}

#[derive(vitaes_schema::PgView)]
#[view(
    name = "totals",
    query = "select count(*) as n from cheap",
    materialized,
    with(fillfactor = 70)
)]
pub struct Totals {
    pub n: Option<i64>,
}

#[test]
fn sequences_and_views_are_registered_with_their_options_and_comments() {
    use vitaes_schema::{OptionValue, PgSequence, PgView};
    assert_eq!(InvoiceNo::NAME, "invoice_no");
    assert_eq!(Cheap::NAME, "cheap");
    let schema = SchemaBuilder::new()
        .pg_sequence::<InvoiceNo>()
        .pg_view::<Totals>()
        .pg_view::<Cheap>()
        .build()
        .unwrap();
    let q = &schema.sequences[0];
    assert_eq!(
        (
            q.schema.as_str(),
            q.data_type.as_str(),
            q.options.start_with.as_str(),
            q.options.max_value.as_str(),
            q.options.cycle
        ),
        ("billing", "integer", "1000", "2147483647", true)
    );
    assert_eq!(schema.schemas, ["billing"]);
    // Plain views first, as drizzle-kit lists them.
    let names: Vec<&str> = schema.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["cheap", "totals"]);
    assert_eq!(
        schema.views[0].option("security_barrier"),
        Some(&OptionValue::Bool(true))
    );
    assert_eq!(
        schema.views[1].option("fillfactor"),
        Some(&OptionValue::Int(70))
    );
    assert_eq!(schema.views[1].columns[0].sql_type, "bigint");
    let comments: Vec<&str> = schema.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(comments, ["Items cheaper than a hundred.", "The item."]);
}
