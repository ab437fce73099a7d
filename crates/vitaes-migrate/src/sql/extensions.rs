//! `CREATE EXTENSION IF NOT EXISTS`, `ALTER EXTENSION` and `DROP EXTENSION`.
//! drizzle-kit writes none of these; the text is PostgreSQL's own.

use vitaes_schema_core::naming::{quote_ident, quote_literal};
use vitaes_schema_core::ExtensionDef;

/// `CREATE EXTENSION IF NOT EXISTS "e" [SCHEMA "s"] [VERSION 'v'];`: `IF NOT
/// EXISTS` because an extension may be installed already by the platform
/// (Supabase, Neon) or another application of the cluster's database.
pub fn create(e: &ExtensionDef) -> String {
    let mut sql = format!("CREATE EXTENSION IF NOT EXISTS {}", quote_ident(&e.name));
    if let Some(schema) = &e.schema {
        sql.push_str(&format!(" SCHEMA {}", quote_ident(schema)));
    }
    if let Some(version) = &e.version {
        sql.push_str(&format!(" VERSION {}", quote_literal(version)));
    }
    sql.push(';');
    sql
}

/// `ALTER EXTENSION "e" SET SCHEMA "s";`
pub fn move_to(name: &str, schema: &str) -> String {
    format!(
        "ALTER EXTENSION {} SET SCHEMA {};",
        quote_ident(name),
        quote_ident(schema)
    )
}

/// `ALTER EXTENSION "e" UPDATE TO 'v';`
pub fn update(name: &str, version: &str) -> String {
    format!(
        "ALTER EXTENSION {} UPDATE TO {};",
        quote_ident(name),
        quote_literal(version)
    )
}

/// `DROP EXTENSION "e" CASCADE;`: the objects that use it (columns of its
/// types, indexes with its operator classes) go too, which is why the drop
/// is a `data-loss` hazard that push applies only with `--force`.
pub fn drop(name: &str) -> String {
    format!("DROP EXTENSION {} CASCADE;", quote_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_quote_names_and_versions() {
        let e = ExtensionDef {
            name: "uuid-ossp".into(),
            schema: Some("extensions".into()),
            version: Some("1.1".into()),
        };
        assert_eq!(
            create(&e),
            r#"CREATE EXTENSION IF NOT EXISTS "uuid-ossp" SCHEMA "extensions" VERSION '1.1';"#
        );
        let plain = ExtensionDef {
            name: "pg_trgm".into(),
            schema: None,
            version: None,
        };
        assert_eq!(
            create(&plain),
            r#"CREATE EXTENSION IF NOT EXISTS "pg_trgm";"#
        );
        assert_eq!(
            move_to("pg_trgm", "ext"),
            r#"ALTER EXTENSION "pg_trgm" SET SCHEMA "ext";"#
        );
        assert_eq!(
            update("vector", "0.8'0"),
            r#"ALTER EXTENSION "vector" UPDATE TO '0.8''0';"#
        );
        assert_eq!(drop("pg_trgm"), r#"DROP EXTENSION "pg_trgm" CASCADE;"#);
    }
}
