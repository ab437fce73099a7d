//! The resolved schema model: what a set of annotated structs means in SQL terms.
//!
//! Every name here is an SQL name (already defaulted and truncated by
//! [`crate::naming`]); the diff, the SQL renderer and the snapshot format all
//! work on this one model.

use serde::{Deserialize, Serialize};

/// A whole database schema as the code (or a snapshot) declares it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Schema {
    /// Non-`public` schemas the tables and enums live in, in declaration order.
    pub schemas: Vec<String>,
    pub enums: Vec<EnumDef>,
    /// Tables in generation order (drizzle-kit's: source file, then struct name).
    pub tables: Vec<TableDef>,
    /// Tables declared only so others can reference them
    /// (`#[table(external)]`, e.g. Supabase's `auth.users`): never created,
    /// altered, dropped or written to a snapshot; push checks they exist.
    pub external: Vec<TableDef>,
}

impl Schema {
    pub fn table(&self, schema: &str, name: &str) -> Option<&TableDef> {
        self.tables
            .iter()
            .find(|t| t.schema == schema && t.name == name)
    }

    /// Whether `schema.name` is one of [`Schema::external`].
    pub fn is_external(&self, schema: &str, name: &str) -> bool {
        self.external
            .iter()
            .any(|t| t.schema == schema && t.name == name)
    }

    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty() && self.enums.is_empty() && self.tables.is_empty()
    }
}

/// A PostgreSQL enum type (`CREATE TYPE ... AS ENUM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumDef {
    pub name: String,
    pub schema: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDef {
    pub name: String,
    /// `public` unless declared otherwise.
    pub schema: String,
    pub columns: Vec<ColumnDef>,
    /// A table-level (composite or named) primary key. A column-level key is
    /// [`ColumnDef::primary_key`] instead, as drizzle-kit models it.
    pub primary_key: Option<PrimaryKey>,
    pub uniques: Vec<Unique>,
    pub foreign_keys: Vec<ForeignKey>,
    pub indexes: Vec<IndexDef>,
    pub checks: Vec<Check>,
    /// `renamed_from = "old"`: a hint for the diff, not part of the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl TableDef {
    /// A table with no columns, keys or indexes yet.
    pub fn empty(schema: impl Into<String>, name: impl Into<String>) -> TableDef {
        TableDef {
            name: name.into(),
            schema: schema.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            checks: Vec::new(),
            renamed_from: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnDef {
    pub name: String,
    /// The type as drizzle-kit spells it (`text`, `varchar(255)`, `timestamp with time zone`,
    /// `integer[]`, or an enum's name).
    pub sql_type: String,
    /// Set when `sql_type` names an enum outside `public`.
    pub type_schema: Option<String>,
    pub primary_key: bool,
    pub not_null: bool,
    pub default: Option<DefaultValue>,
    pub identity: Option<Identity>,
    /// The expression of a stored generated column.
    pub generated: Option<String>,
    /// `renamed_from = "old"`: a hint for the diff, not part of the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl ColumnDef {
    /// A nullable column of `sql_type` with no default, key or identity.
    pub fn new(name: impl Into<String>, sql_type: impl Into<String>) -> ColumnDef {
        ColumnDef {
            name: name.into(),
            sql_type: sql_type.into(),
            type_schema: None,
            primary_key: false,
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            renamed_from: None,
        }
    }
}

/// `GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY` with its sequence options,
/// spelled out as drizzle-kit records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub kind: IdentityKind,
    pub name: String,
    pub schema: String,
    pub increment: String,
    pub start_with: String,
    pub min_value: String,
    pub max_value: String,
    pub cache: String,
    pub cycle: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityKind {
    Always,
    ByDefault,
}

impl IdentityKind {
    /// drizzle-kit's snapshot spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Always => "always",
            IdentityKind::ByDefault => "byDefault",
        }
    }
}

/// A column default as drizzle-kit records it in a snapshot: JSON booleans and
/// numbers stay typed, everything else is SQL text (`'it''s'`, `now()`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// An SQL expression, including quoted string literals.
    Sql(String),
}

impl DefaultValue {
    /// A float default; integral values become [`DefaultValue::Int`], since
    /// JSON (and so a snapshot) cannot tell `1.0` from `1`.
    pub fn from_float(f: f64) -> DefaultValue {
        if f.fract() == 0.0 && f.abs() < 9.0e15 {
            DefaultValue::Int(f as i64)
        } else {
            DefaultValue::Float(f)
        }
    }

    /// The text that follows `DEFAULT` in SQL.
    pub fn to_sql(&self) -> String {
        match self {
            DefaultValue::Bool(b) => b.to_string(),
            DefaultValue::Int(i) => i.to_string(),
            DefaultValue::Float(f) => format_float(*f),
            DefaultValue::Sql(s) => s.clone(),
        }
    }
}

/// Formats a float the way JavaScript's `String(n)` does for the values a
/// default can hold, so SQL and snapshot match drizzle-kit's.
pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    pub name: String,
    pub columns: Vec<String>,
    pub nulls_not_distinct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_schema: String,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
}

/// A referential action, spelled as drizzle-kit writes it (`cascade`, `no action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub const ALL: [FkAction; 5] = [
        FkAction::NoAction,
        FkAction::Restrict,
        FkAction::Cascade,
        FkAction::SetNull,
        FkAction::SetDefault,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FkAction::NoAction => "no action",
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set null",
            FkAction::SetDefault => "set default",
        }
    }

    /// Accepts drizzle-kit's spelling, SQL's, and snake_case (`set_null`).
    pub fn parse(s: &str) -> Option<FkAction> {
        let norm = s.trim().to_ascii_lowercase().replace('_', " ");
        FkAction::ALL.into_iter().find(|a| a.as_str() == norm)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub expr: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexDef {
    pub name: String,
    pub columns: Vec<IndexColumn>,
    pub unique: bool,
    pub concurrently: bool,
    /// `btree` unless declared otherwise.
    pub method: String,
    pub where_clause: Option<String>,
    /// Storage parameters in declaration order (`fillfactor = 70`).
    pub with: Vec<(String, serde_json::Value)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexColumn {
    /// A column's SQL name, or an SQL expression when `is_expression`.
    pub expression: String,
    pub is_expression: bool,
    pub asc: bool,
    /// `first` or `last`.
    pub nulls_first: bool,
    pub opclass: Option<String>,
}
