//! One module per subcommand; each takes its parsed flags and returns what
//! happened, leaving printing of errors and exit codes to `main.rs`.

pub mod check;
pub mod drop;
pub mod generate;
pub mod introspect;
pub mod migrate;
pub mod push;
pub mod status;
