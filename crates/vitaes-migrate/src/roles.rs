//! Which roles are compared with the code: the `[roles]` section of
//! vitaes.toml. Roles belong to the whole cluster, not to one database, so
//! none is managed unless asked (`manage = true`, drizzle-kit's
//! `entities.roles`), a provider's built-in roles never are, and a role the
//! code does not declare is dropped only when `include` names it: one
//! application's push never drops another's roles (drizzle-kit drops them).

use serde::Deserialize;
use vitaes_schema_core::{RoleDef, Schema};

/// A hosting provider whose built-in roles are never created or dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Supabase.
    Supabase,
    /// Neon.
    Neon,
}

impl Provider {
    /// The provider's roles, as drizzle-kit 0.31 lists them (`prepareRoles`).
    pub fn builtin_roles(self) -> &'static [&'static str] {
        match self {
            Provider::Supabase => &[
                "anon",
                "authenticator",
                "authenticated",
                "service_role",
                "supabase_auth_admin",
                "supabase_storage_admin",
                "dashboard_user",
                "supabase_admin",
            ],
            Provider::Neon => &["authenticated", "anonymous"],
        }
    }
}

/// The roles compared with the code, from `[roles]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleScope {
    /// Roles are created, altered and dropped at all.
    pub manage: bool,
    /// Whose built-in roles are left alone.
    pub provider: Option<Provider>,
    /// Roles dropped when the code does not declare them.
    pub include: Vec<String>,
    /// Roles never created, altered or dropped.
    pub exclude: Vec<String>,
}

/// Names a policy's `TO` may use that are not roles of the catalog.
const PSEUDO_ROLES: [&str; 4] = ["public", "current_role", "current_user", "session_user"];

impl RoleScope {
    /// Whether `name` is left alone whatever the code says.
    pub fn excludes(&self, name: &str) -> bool {
        self.exclude.iter().any(|e| e == name)
            || self
                .provider
                .is_some_and(|p| p.builtin_roles().contains(&name))
    }

    /// Keeps of a database read without code (`introspect`) the roles this
    /// scope could manage: none unless managed, and never excluded ones.
    pub fn shown(&self, live: &mut Schema) {
        live.roles
            .retain(|r| self.manage && !self.excludes(&r.name));
    }

    /// Keeps of `old` (a snapshot or the database) and `new` (the code) only
    /// the roles this scope manages: the code's own (not `existing`, not
    /// excluded), and of `old` those the code declares or `include` names.
    pub fn apply(&self, old: &mut Schema, new: &mut Schema) {
        if !self.manage {
            old.roles.clear();
            new.roles.clear();
            return;
        }
        new.roles.retain(|r| !r.existing && !self.excludes(&r.name));
        let declared: Vec<String> = new.roles.iter().map(|r| r.name.clone()).collect();
        old.roles.retain(|r| {
            !self.excludes(&r.name)
                && (declared.contains(&r.name) || self.include.contains(&r.name))
        });
    }
}

/// `(schema.table.policy, role)` for each role a policy of `code` (after
/// [`RoleScope::apply`]) names that is neither in `cluster` (every role of
/// the database's cluster) nor one of the code's roles the plan creates.
pub fn absent_policy_roles(cluster: &[RoleDef], code: &Schema) -> Vec<(String, String)> {
    let known = |r: &str| {
        PSEUDO_ROLES.contains(&r)
            || cluster.iter().any(|l| l.name == r)
            || code.roles.iter().any(|s| s.name == r)
    };
    let mut out = Vec::new();
    for t in &code.tables {
        for p in &t.policies {
            for r in p.to.iter().filter(|r| !known(r)) {
                out.push((format!("{}.{}.{}", t.schema, t.name, p.name), r.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use vitaes_schema_core::{PolicyCommand, PolicyDef, PolicyKind, TableDef};

    use super::*;

    #[test]
    fn a_policy_role_is_absent_unless_the_cluster_has_it_or_the_plan_creates_it() {
        let mut code = schema(&["made"]);
        let mut t = TableDef::empty("public", "t");
        t.policies.push(PolicyDef {
            name: "p".into(),
            kind: PolicyKind::Permissive,
            command: PolicyCommand::All,
            to: vec![
                "admin".into(),
                "made".into(),
                "postgres".into(),
                "public".into(),
            ],
            using: None,
            with_check: None,
            renamed_from: None,
        });
        code.tables.push(t);
        let absent = absent_policy_roles(&[RoleDef::new("postgres")], &code);
        assert_eq!(absent, [("public.t.p".to_string(), "admin".to_string())]);
    }

    fn schema(names: &[&str]) -> Schema {
        Schema {
            roles: names.iter().map(|n| RoleDef::new(*n)).collect(),
            ..Schema::default()
        }
    }

    fn names(s: &Schema) -> Vec<&str> {
        s.roles.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn nothing_is_managed_unless_asked() {
        let (mut old, mut new) = (schema(&["a"]), schema(&["b"]));
        RoleScope::default().apply(&mut old, &mut new);
        assert!(old.roles.is_empty() && new.roles.is_empty());
    }

    #[test]
    fn only_included_roles_are_dropped_and_provider_roles_never_touched() {
        let scope = RoleScope {
            manage: true,
            provider: Some(Provider::Supabase),
            include: vec!["old_app".into()],
            exclude: vec!["ours_but_hands_off".into()],
        };
        let mut old = schema(&["postgres", "old_app", "anon", "admin", "ours_but_hands_off"]);
        let mut new = schema(&["admin", "authenticated", "ours_but_hands_off", "fresh"]);
        new.roles.push(RoleDef {
            existing: true,
            ..RoleDef::new("referred")
        });
        scope.apply(&mut old, &mut new);
        assert_eq!(names(&old), ["old_app", "admin"]);
        assert_eq!(names(&new), ["admin", "fresh"]);
    }
}
