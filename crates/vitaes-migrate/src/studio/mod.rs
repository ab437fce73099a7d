//! `vitaes-migrate studio`: a local web application over the database —
//! its tables and rows (browse, edit), their relationships, a SQL console
//! and the migrations' state. Served by the binary (the page is compiled
//! in; nothing is fetched from elsewhere), guarded by [`guard`], and every
//! statement runs as the configured URL's role, in a transaction of its own
//! (`READ ONLY` under `--read-only`).

pub mod guard;
pub mod rows;
mod server;

pub use server::{serve, Studio};
