use vitaes_schema_core::naming::quote_ident;

/// `CREATE SCHEMA "s";` followed by a newline, as drizzle-kit writes it.
pub fn render(name: &str) -> String {
    format!("CREATE SCHEMA {};\n", quote_ident(name))
}
