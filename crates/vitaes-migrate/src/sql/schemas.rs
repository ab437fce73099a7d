use vitaes_schema_core::naming::quote_ident;

/// `CREATE SCHEMA "s";` and a newline, as drizzle-kit writes it.
pub fn create(name: &str) -> String {
    format!("CREATE SCHEMA {};\n", quote_ident(name))
}

/// `DROP SCHEMA "s";` and a newline; last in a plan, after its tables and types.
pub fn drop(name: &str) -> String {
    format!("DROP SCHEMA {};\n", quote_ident(name))
}
