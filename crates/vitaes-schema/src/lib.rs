//! Schema-as-code for PostgreSQL. Annotate plain structs and enums; the
//! `vitaes-migrate` tool turns them into drizzle-kit compatible migrations.
//!
//! ```
//! use vitaes_schema::Table;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//!
//! #[derive(Table)]
//! #[table(name = "user")]
//! pub struct User {
//!     #[column(primary_key)] pub id: String,
//!     #[column(unique)]      pub email: String,
//! }
//!
//! #[derive(Table)]
//! pub struct Session {
//!     #[column(primary_key)] pub id: String,
//!     #[column(references(User, id), on_delete = "cascade")] pub user_id: String,
//! }
//!
//! let schema = vitaes_schema::SchemaBuilder::new().table::<User>().table::<Session>().build()?;
//! assert_eq!(schema.tables.len(), 2);
//! # Ok(()) }
//! ```
//!
//! Attributes name Rust structs and fields; `references(User, id)` is checked
//! by the compiler (a typo is rustc's "no field `idd`").

pub use vitaes_schema_core as core;
pub use vitaes_schema_core::model::*;
pub use vitaes_schema_core::{
    ResolveError, ResolveErrors, UnresolvedEnum, UnresolvedSchema, UnresolvedTable,
};
pub use vitaes_schema_macros::{PgEnum, PgSchema, Table};

/// A table: implemented by `#[derive(Table)]`.
pub trait Table {
    /// The table's SQL name.
    const NAME: &'static str;
    /// The table's SQL schema (`public` unless declared).
    const SCHEMA: &'static str;
    /// A struct with one `&'static str` field per column, holding its SQL name.
    type Columns: 'static;
    /// The SQL names of the columns: `User::COLUMNS.email == "email"`.
    const COLUMNS: Self::Columns;
    /// The table as parsed, before the other tables are known.
    fn unresolved() -> UnresolvedTable;
}

/// A PostgreSQL enum type: implemented by `#[derive(PgEnum)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column type: derive PgEnum for `{Self}` or add `type = \"...\"`",
    label = "not a built-in column type and not a `PgEnum`",
    note = "add #[derive(PgEnum)] to the enum, or #[column(type = \"...\")] to the field"
)]
pub trait PgEnum {
    const NAME: &'static str;
    const SCHEMA: &'static str;
    /// The enum's values, in order.
    const VALUES: &'static [&'static str];
    fn unresolved() -> UnresolvedEnum;
    /// This variant's SQL value.
    fn as_value(&self) -> &'static str;
}

/// A PostgreSQL schema: implemented by `#[derive(PgSchema)]` on a unit struct.
pub trait PgSchema {
    const NAME: &'static str;
    fn unresolved() -> UnresolvedSchema;
}

/// Assembles a [`Schema`] from compiled tables and enums through the same
/// resolver the CLI uses. List tables in the order migrations should create
/// them (drizzle-kit's order: source file, then struct name).
#[derive(Default)]
pub struct SchemaBuilder {
    tables: Vec<UnresolvedTable>,
    enums: Vec<UnresolvedEnum>,
    schemas: Vec<UnresolvedSchema>,
}

impl SchemaBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn table<T: Table>(mut self) -> Self {
        self.tables.push(T::unresolved());
        self
    }

    pub fn pg_enum<E: PgEnum>(mut self) -> Self {
        self.enums.push(E::unresolved());
        self
    }

    pub fn pg_schema<S: PgSchema>(mut self) -> Self {
        self.schemas.push(S::unresolved());
        self
    }

    pub fn build(self) -> Result<Schema, ResolveErrors> {
        vitaes_schema_core::resolve_with_schemas(&self.tables, &self.enums, &self.schemas)
    }
}

#[doc(hidden)]
pub mod __private {
    use super::*;

    pub fn table_from_json(json: &str) -> UnresolvedTable {
        serde_json::from_str(json).expect("the derive embeds a valid table")
    }

    pub fn enum_from_json(json: &str) -> UnresolvedEnum {
        serde_json::from_str(json).expect("the derive embeds a valid enum")
    }

    pub fn schema_from_json(json: &str) -> UnresolvedSchema {
        serde_json::from_str(json).expect("the derive embeds a valid schema")
    }
}
