//! `pull`: a live database as annotated Rust structs, so a team adopts the
//! tool on an existing database (drizzle-kit's `pull`, Prisma's `db pull`,
//! `diesel print-schema`). The database is read by introspection; the
//! structs are written so that the resolver gives back the same schema, and
//! what they cannot express is listed at the top of each file.

mod names;
pub mod render;
