//! `CREATE ROLE`, `ALTER ROLE` and `DROP ROLE`, in drizzle-kit 0.31's words.

use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::RoleDef;

/// `CREATE ROLE "r"`, with a `WITH` clause only for what differs from
/// PostgreSQL's defaults (as drizzle-kit writes it).
pub fn create(role: &RoleDef) -> String {
    let mut with = String::new();
    if role.create_db {
        with.push_str(" CREATEDB");
    }
    if role.create_role {
        with.push_str(" CREATEROLE");
    }
    if !role.inherit {
        with.push_str(" NOINHERIT");
    }
    let with = if with.is_empty() {
        with
    } else {
        format!(" WITH{with}")
    };
    format!("CREATE ROLE {}{with};", quote_ident(&role.name))
}

/// `ALTER ROLE "r" WITH ...`: every managed attribute spelled out, as drizzle-kit does.
pub fn alter(role: &RoleDef) -> String {
    let word = |on: bool, yes: &'static str, no: &'static str| if on { yes } else { no };
    format!(
        "ALTER ROLE {} WITH {} {} {};",
        quote_ident(&role.name),
        word(role.create_db, "CREATEDB", "NOCREATEDB"),
        word(role.create_role, "CREATEROLE", "NOCREATEROLE"),
        word(role.inherit, "INHERIT", "NOINHERIT"),
    )
}

/// `DROP ROLE "r";`.
pub fn drop(name: &str) -> String {
    format!("DROP ROLE {};", quote_ident(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_drizzle_kits() {
        let admin = RoleDef {
            create_db: true,
            create_role: true,
            inherit: false,
            ..RoleDef::new("admin")
        };
        assert_eq!(
            create(&admin),
            r#"CREATE ROLE "admin" WITH CREATEDB CREATEROLE NOINHERIT;"#
        );
        assert_eq!(create(&RoleDef::new("plain")), r#"CREATE ROLE "plain";"#);
        assert_eq!(
            alter(&admin),
            r#"ALTER ROLE "admin" WITH CREATEDB CREATEROLE NOINHERIT;"#
        );
        assert_eq!(
            alter(&RoleDef::new("plain")),
            r#"ALTER ROLE "plain" WITH NOCREATEDB NOCREATEROLE INHERIT;"#
        );
        assert_eq!(drop("a\"b"), r#"DROP ROLE "a""b";"#);
    }
}
