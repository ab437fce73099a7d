//! Integration tests of vitaes-migrate: one binary, one module per area.
//! Database tests use real PostgreSQL (a throwaway cluster per test process,
//! or `VITAES_TEST_DATABASE_URL`); drizzle tests use the pinned drizzle-kit
//! and drizzle-orm in `compat/drizzle`.

mod apply_faults;
mod catalog;
mod chain;
mod changes;
mod check;
mod cli;
mod cmd;
mod comments;
mod connect;
mod corpus;
mod database;
mod db;
mod diagram;
mod diff;
mod drizzle;
mod drizzle_compat;
mod every;
mod every_schema;
mod extensions;
mod external;
mod faults;
mod fixtures;
mod generate_rules;
mod introspect;
mod lean_runtime;
mod long_names;
mod migrate;
mod paths;
mod prefixes;
mod property;
mod pull;
mod pull_property;
mod push;
mod renames;
mod rls;
mod roles;
mod server_version;
mod shadow;
mod sources;
mod sqldef;
mod status;
mod studio;
mod two_way;
mod ui_cases;
mod views;
mod virtual_generated;
