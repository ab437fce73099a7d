//! Roles: created, altered (`CREATEDB`, `CREATEROLE`, `INHERIT`) or dropped,
//! matched by name. Which roles each side holds is decided before the diff
//! (`crate::roles::RoleScope`); an `existing` role is never planned.

use vitaes_schema_core::Schema;

use super::Change;

/// Appends to `changes` the roles `new` adds or alters, to `drops` those it lacks.
pub(super) fn diff_roles(
    old: &Schema,
    new: &Schema,
    changes: &mut Vec<Change>,
    drops: &mut Vec<Change>,
) {
    let managed = |s: &Schema| {
        s.roles
            .iter()
            .filter(|r| !r.existing)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (old, new) = (managed(old), managed(new));
    let mut alters = Vec::new();
    for r in &new {
        match old.iter().find(|o| o.name == r.name) {
            None => changes.push(Change::CreateRole(r.clone())),
            Some(o) if o != r => alters.push(Change::AlterRole {
                from: o.clone(),
                to: r.clone(),
            }),
            Some(_) => {}
        }
    }
    changes.extend(alters);
    for o in &old {
        if !new.iter().any(|r| r.name == o.name) {
            drops.push(Change::DropRole(o.name.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use vitaes_schema_core::RoleDef;

    use super::super::diff;
    use super::*;

    fn schema(roles: Vec<RoleDef>) -> Schema {
        Schema {
            roles,
            ..Schema::default()
        }
    }

    #[test]
    fn roles_are_created_altered_and_dropped_by_name() {
        let admin = RoleDef {
            create_db: true,
            ..RoleDef::new("admin")
        };
        let old = schema(vec![RoleDef::new("admin"), RoleDef::new("gone")]);
        let new = schema(vec![
            RoleDef::new("fresh"),
            admin.clone(),
            RoleDef {
                existing: true,
                ..RoleDef::new("anon")
            },
        ]);
        let plan = diff(&old, &new).unwrap();
        assert_eq!(
            plan.changes,
            vec![
                Change::CreateRole(RoleDef::new("fresh")),
                Change::AlterRole {
                    from: RoleDef::new("admin"),
                    to: admin.clone()
                },
                Change::DropRole("gone".into()),
            ]
        );
        assert!(diff(&new, &new).unwrap().is_empty());
        let sql = crate::sql::render(&plan);
        assert_eq!(
            sql,
            [
                r#"CREATE ROLE "fresh";"#,
                r#"ALTER ROLE "admin" WITH CREATEDB NOCREATEROLE INHERIT;"#,
                r#"DROP ROLE "gone";"#
            ]
        );
    }
}
