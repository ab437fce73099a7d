//! What one annotated struct or enum says, before the other structs are known.
//!
//! Names inside attributes are still Rust identifiers (struct and field
//! names); [`crate::resolve()`] turns a set of these into a [`crate::Schema`].
//! The derive embeds this value in the code it generates, so the compiled
//! `Table` impl and the CLI's source reader hand the resolver the very same
//! input.

use serde::{Deserialize, Serialize};

use crate::model::{DefaultValue, FkAction, IdentityKind};

/// A 1-based line and column in a source file, where the parser saw an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Loc {
    pub line: usize,
    pub column: usize,
}

impl Loc {
    /// Where `span` starts (1-based column).
    #[cfg(feature = "parse")]
    pub fn of(span: proc_macro2::Span) -> Loc {
        let start = span.start();
        Loc {
            line: start.line,
            column: start.column + 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnresolvedTable {
    /// The struct's identifier, used by other tables' references.
    pub rust_name: String,
    pub name: String,
    pub schema: String,
    pub columns: Vec<UnresolvedColumn>,
    pub primary_key: Option<UnresolvedPrimaryKey>,
    pub uniques: Vec<UnresolvedUnique>,
    pub indexes: Vec<UnresolvedIndex>,
    pub foreign_keys: Vec<UnresolvedForeignKey>,
    pub checks: Vec<UnresolvedCheck>,
    /// `renamed_from = "old"`: the table's previous SQL name, for the diff.
    pub renamed_from: Option<String>,
    /// `external`: declared only to be referenced (see [`crate::Schema::external`]).
    #[serde(default)]
    pub external: bool,
    /// Where the struct is, for the CLI's messages (not set by the derive).
    #[serde(skip)]
    pub loc: Loc,
}

impl UnresolvedTable {
    pub fn column_by_field(&self, field: &str) -> Option<&UnresolvedColumn> {
        self.columns.iter().find(|c| c.field == field)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnresolvedColumn {
    /// The Rust field name (raw prefix removed).
    pub field: String,
    pub name: String,
    pub ty: TypeSpec,
    pub nullable: bool,
    pub primary_key: bool,
    pub unique: Option<ColumnUnique>,
    pub default: Option<DefaultValue>,
    pub references: Option<ColumnReference>,
    pub identity: Option<IdentitySpec>,
    /// `serial`: a serial/bigserial/smallserial by the integer width.
    pub serial: bool,
    /// `generated = "<expr>"`: a stored generated column.
    pub generated: Option<String>,
    /// `renamed_from = "old"`: the column's previous SQL name, for the diff.
    pub renamed_from: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
    /// Where the field's type is written.
    #[serde(skip)]
    pub ty_loc: Loc,
}

/// `identity = "always"` or `identity(by_default, start = 10, increment = 2, ...)`:
/// options left out take drizzle-kit's defaults (from 1 up to the type's maximum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentitySpec {
    pub kind: IdentityKind,
    pub name: Option<String>,
    pub increment: Option<i64>,
    pub start: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
}

/// How a column's SQL type was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TypeSpec {
    /// `type = "..."`, already in drizzle-kit's spelling.
    Sql(String),
    /// A type that is not built in: a `PgEnum` by its Rust name, in `dims` arrays.
    Enum { rust_name: String, dims: usize },
    /// A built-in mapping of the written Rust type.
    Builtin(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUnique {
    pub name: Option<String>,
    pub nulls_not_distinct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnReference {
    /// The referenced struct and field, as written.
    pub table: String,
    pub field: String,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    /// Where the referenced struct and field are named.
    #[serde(skip)]
    pub loc: Loc,
    #[serde(skip)]
    pub field_loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedPrimaryKey {
    pub name: Option<String>,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedUnique {
    pub name: Option<String>,
    pub fields: Vec<String>,
    pub nulls_not_distinct: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnresolvedIndex {
    pub name: Option<String>,
    pub columns: Vec<UnresolvedIndexColumn>,
    pub unique: bool,
    pub method: Option<String>,
    pub concurrently: bool,
    pub where_clause: Option<String>,
    /// Storage parameters, `with(fillfactor = 70)`.
    pub with: Vec<(String, serde_json::Value)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedIndexColumn {
    pub target: IndexTarget,
    pub asc: bool,
    pub nulls_first: bool,
    pub opclass: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexTarget {
    /// A field of this struct.
    Field(String),
    /// An SQL expression, `expr("lower(email)")`.
    Expr(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedCheck {
    pub name: String,
    pub expr: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedForeignKey {
    pub name: Option<String>,
    pub fields: Vec<String>,
    pub ref_table: String,
    pub ref_fields: Vec<String>,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    #[serde(skip)]
    pub loc: Loc,
    /// Where each referenced field is named.
    #[serde(skip)]
    pub ref_field_locs: Vec<Loc>,
}

/// A `#[derive(PgEnum)]` enum as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedEnum {
    pub rust_name: String,
    pub name: String,
    pub schema: String,
    pub values: Vec<String>,
    #[serde(skip)]
    pub loc: Loc,
}

/// A `#[derive(PgSchema)]` unit struct: declares a schema, even one with no
/// tables yet (drizzle-kit's `pgSchema("name")`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedSchema {
    pub rust_name: String,
    pub name: String,
    #[serde(skip)]
    pub loc: Loc,
}
