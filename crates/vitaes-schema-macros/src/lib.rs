//! `#[derive(Table)]` and `#[derive(PgEnum)]`: thin wrappers over
//! `vitaes-schema-core`'s parser. The expansion lives in [`expand`] as
//! functions over `proc_macro2::TokenStream`, so it is unit-tested without a
//! compiler in the loop.

use proc_macro::TokenStream;

mod expand;

/// Makes a struct a table. See the `vitaes-schema` crate for the attributes.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    expand::derive_table_inner(input.into()).into()
}

/// Makes a unit-variant enum a PostgreSQL enum type.
#[proc_macro_derive(PgEnum, attributes(pg_enum))]
pub fn derive_pg_enum(input: TokenStream) -> TokenStream {
    expand::derive_pg_enum_inner(input.into()).into()
}

/// Declares a PostgreSQL schema (a unit struct), even before it has tables.
#[proc_macro_derive(PgSchema, attributes(pg_schema))]
pub fn derive_pg_schema(input: TokenStream) -> TokenStream {
    expand::derive_pg_schema_inner(input.into()).into()
}
