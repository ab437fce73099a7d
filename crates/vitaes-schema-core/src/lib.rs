//! The heart of vitaes-migrate, shared by the derive and the CLI: the schema
//! model, the naming rules, drizzle-kit's snapshot and journal formats, the
//! migrations folder's layout, and the one attribute parser and resolver.
//!
//! ```text
//! syn::DeriveInput ──parse──► UnresolvedTable ──resolve──► Schema
//! ```

#![warn(missing_docs)]

pub mod defaults;
pub mod folder;
pub mod journal;
pub mod model;
pub mod naming;
#[cfg(feature = "parse")]
pub mod parse;
pub mod resolve;
pub mod snapshot;
pub mod types;
pub mod unresolved;

pub use model::*;
pub use resolve::{resolve, resolve_registered, resolve_with_schemas, ResolveError, ResolveErrors};
pub use unresolved::{
    UnresolvedEnum, UnresolvedExtension, UnresolvedRole, UnresolvedSchema, UnresolvedSequence,
    UnresolvedTable, UnresolvedView,
};
