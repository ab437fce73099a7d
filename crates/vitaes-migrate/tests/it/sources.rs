//! What the push tests share: a schema read from Rust source text by the
//! CLI's own reader, push options for it (its schemas, hazards allowed), and
//! a plan's change kinds.

use vitaes_migrate::diff::{Change, Plan};
use vitaes_migrate::introspect::Filter;
use vitaes_migrate::push::PushOptions;
use vitaes_migrate::source::load_schema;
use vitaes_schema_core::Schema;

/// `text` as a schema source file, read and resolved.
pub fn schema_from(text: &str) -> Schema {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("schema.rs");
    std::fs::write(&file, text).unwrap();
    load_schema(&[file]).unwrap()
}

/// Push options over `schema`'s schemas, with `--force`.
pub fn options(schema: &Schema) -> PushOptions {
    PushOptions {
        filter: Filter::for_schema(schema),
        force: true,
        ..PushOptions::default()
    }
}

/// The kinds of `plan`'s changes, in order.
pub fn kinds(plan: &Plan) -> Vec<&'static str> {
    plan.changes.iter().map(Change::kind).collect()
}
