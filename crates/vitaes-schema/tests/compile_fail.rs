//! One mistake per file under `tests/ui/`, each `.stderr` showing that
//! mistake's own message at its own token (recorded with rustc 1.95;
//! `TRYBUILD=overwrite cargo test -p vitaes-schema --test compile_fail`
//! re-records after a deliberate change). The CLI reports the same files with
//! the same positions (vitaes-migrate's `ui_cases` test).

#[test]
fn mistakes_are_compile_errors_at_the_offending_token() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
