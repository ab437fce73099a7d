//! Row-level security: `ENABLE`/`DISABLE ROW LEVEL SECURITY` and policies, as
//! drizzle-kit 0.31 writes them.

use vitaes_schema_core::naming::quote_ident;
use vitaes_schema_core::PolicyDef;

use super::table_sql;
use crate::diff::TableRef;

/// Role names PostgreSQL reads as keywords in `TO`: never quoted (a quoted
/// `"public"` would name a role called public, which does not exist).
const ROLE_KEYWORDS: [&str; 4] = ["current_user", "current_role", "session_user", "public"];

/// `ALTER TABLE "t" ENABLE ROW LEVEL SECURITY;` (or `DISABLE`).
pub fn switch(table: &TableRef, enable: bool) -> String {
    let verb = if enable { "ENABLE" } else { "DISABLE" };
    format!(
        "ALTER TABLE {} {verb} ROW LEVEL SECURITY;",
        table_sql(table)
    )
}

/// `ALTER TABLE "t" FORCE ROW LEVEL SECURITY;` (or `NO FORCE`). drizzle-kit
/// writes neither; the text is PostgreSQL's own.
pub fn force(table: &TableRef, force: bool) -> String {
    let verb = if force { "FORCE" } else { "NO FORCE" };
    format!(
        "ALTER TABLE {} {verb} ROW LEVEL SECURITY;",
        table_sql(table)
    )
}

/// `CREATE POLICY "p" ON "t" AS PERMISSIVE FOR SELECT TO "anon", public USING (...) WITH CHECK (...);`
pub fn create(table: &TableRef, p: &PolicyDef) -> String {
    let to: Vec<String> =
        p.to.iter()
            .map(|r| {
                if ROLE_KEYWORDS.contains(&r.as_str()) {
                    r.clone()
                } else {
                    quote_ident(r)
                }
            })
            .collect();
    format!(
        "CREATE POLICY {} ON {} AS {} FOR {} TO {}{};",
        quote_ident(&p.name),
        table_sql(table),
        p.kind.as_str(),
        p.command.as_str(),
        to.join(", "),
        expressions(p)
    )
}

/// `DROP POLICY "p" ON "t" CASCADE;`
pub fn drop(table: &TableRef, name: &str) -> String {
    format!(
        "DROP POLICY {} ON {} CASCADE;",
        quote_ident(name),
        table_sql(table)
    )
}

/// `ALTER POLICY "old" ON "t" RENAME TO "new";`
pub fn rename(table: &TableRef, from: &str, to: &str) -> String {
    format!(
        "ALTER POLICY {} ON {} RENAME TO {};",
        quote_ident(from),
        table_sql(table),
        quote_ident(to)
    )
}

/// `ALTER POLICY "p" ON "t" TO authenticated,anon USING (...) WITH CHECK (...);`.
/// drizzle-kit writes the roles bare and joined by a comma; a role that is
/// not a plain lower-case name would then be misread, so that one is quoted.
pub fn alter(table: &TableRef, from: &PolicyDef, to: &PolicyDef) -> String {
    let roles: Vec<String> = to
        .to
        .iter()
        .map(|r| {
            let plain = r.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if plain {
                r.clone()
            } else {
                quote_ident(r)
            }
        })
        .collect();
    format!(
        "ALTER POLICY {} ON {} TO {}{};",
        quote_ident(&from.name),
        table_sql(table),
        roles.join(","),
        expressions(to)
    )
}

fn expressions(p: &PolicyDef) -> String {
    let mut sql = String::new();
    if let Some(using) = &p.using {
        sql.push_str(&format!(" USING ({using})"));
    }
    if let Some(check) = &p.with_check {
        sql.push_str(&format!(" WITH CHECK ({check})"));
    }
    sql
}

#[cfg(test)]
mod tests {
    use vitaes_schema_core::{PolicyCommand, PolicyKind};

    use super::*;

    fn policy(to: &[&str], using: Option<&str>, with_check: Option<&str>) -> PolicyDef {
        PolicyDef {
            name: "p".into(),
            kind: PolicyKind::Restrictive,
            command: PolicyCommand::Update,
            to: to.iter().map(|s| s.to_string()).collect(),
            using: using.map(Into::into),
            with_check: with_check.map(Into::into),
            renamed_from: None,
        }
    }

    #[test]
    fn statements_as_drizzle_kit_writes_them() {
        let t = TableRef {
            schema: "app".into(),
            name: "notes".into(),
        };
        let p = policy(&["anon", "public"], Some("true"), Some("id > 0"));
        assert_eq!(
            create(&t, &p),
            r#"CREATE POLICY "p" ON "app"."notes" AS RESTRICTIVE FOR UPDATE TO "anon", public USING (true) WITH CHECK (id > 0);"#
        );
        assert_eq!(
            drop(&t, "p"),
            r#"DROP POLICY "p" ON "app"."notes" CASCADE;"#
        );
        assert_eq!(
            alter(&t, &p, &policy(&["anon", "Admins"], None, Some("x"))),
            r#"ALTER POLICY "p" ON "app"."notes" TO anon,"Admins" WITH CHECK (x);"#
        );
        assert_eq!(
            rename(&t, "p", "owners_only"),
            r#"ALTER POLICY "p" ON "app"."notes" RENAME TO "owners_only";"#
        );
        assert_eq!(
            switch(&t, false),
            r#"ALTER TABLE "app"."notes" DISABLE ROW LEVEL SECURITY;"#
        );
        assert_eq!(
            force(&t, true),
            r#"ALTER TABLE "app"."notes" FORCE ROW LEVEL SECURITY;"#
        );
        assert_eq!(
            force(&t, false),
            r#"ALTER TABLE "app"."notes" NO FORCE ROW LEVEL SECURITY;"#
        );
    }
}
