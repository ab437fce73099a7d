//! Row-level security of a table on both sides: the switch and the policies.

use vitaes_schema_core::{PolicyDef, TableDef};

use super::change::{Change, TableRef};
use super::normalize::same;
use super::{Ambiguity, Groups, RenameDecisions};

/// The switch and the policies of a table on both sides (`ot` with the
/// renames applied). A policy dropped beside one added may be a rename: an
/// [`Ambiguity`] unless a hint or a decision said which.
pub(super) fn diff_rls(
    ot: &TableDef,
    nt: &TableDef,
    table: &TableRef,
    decisions: &RenameDecisions,
    g: &mut Groups,
) -> Result<(), Ambiguity> {
    let dropped: Vec<String> = ot
        .policies
        .iter()
        .filter(|o| nt.policy(&o.name).is_none())
        .map(|o| o.name.clone())
        .collect();
    let added: Vec<String> = nt
        .policies
        .iter()
        .filter(|n| ot.policy(&n.name).is_none())
        .map(|n| n.name.clone())
        .collect();
    let undecided = added
        .iter()
        .filter(|n| !decisions.is_new_policy(table, n))
        .count();
    if !dropped.is_empty() && undecided > 0 {
        return Err(Ambiguity::Policies {
            table: table.clone(),
            dropped,
            added,
        });
    }

    match (ot.rls_enabled(), nt.rls_enabled()) {
        (false, true) => g.rls.push(Change::EnableRls(table.clone())),
        (true, false) => g.rls.push(Change::DisableRls(table.clone())),
        _ => {}
    }
    if ot.force_rls != nt.force_rls {
        g.rls.push(Change::ForceRls {
            table: table.clone(),
            force: nt.force_rls,
        });
    }
    let own = Some((nt.schema.as_str(), nt.name.as_str()));
    for o in &ot.policies {
        if nt.policy(&o.name).is_none() {
            g.drop_policies.push(drop(table, o));
        }
    }
    for n in &nt.policies {
        let Some(o) = ot.policy(&n.name) else {
            g.create_policies.push(create(table, n));
            continue;
        };
        let expr_same = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (Some(a), Some(b)) => same(a, b, own),
            (a, b) => a == b,
        };
        if o.to == n.to
            && expr_same(&o.using, &n.using)
            && expr_same(&o.with_check, &n.with_check)
            && o.kind == n.kind
            && o.command == n.command
        {
            continue;
        }
        if alterable(o, n) {
            g.alter_policies.push(Change::AlterPolicy {
                table: table.clone(),
                from: o.clone(),
                to: n.clone(),
            });
        } else {
            g.drop_policies.push(drop(table, o));
            g.create_policies.push(create(table, n));
        }
    }
    Ok(())
}

/// `ALTER POLICY` changes roles and expressions but cannot change `AS` or
/// `FOR`, nor remove a `USING` or `WITH CHECK`.
fn alterable(o: &PolicyDef, n: &PolicyDef) -> bool {
    o.kind == n.kind
        && o.command == n.command
        && (o.using.is_none() || n.using.is_some())
        && (o.with_check.is_none() || n.with_check.is_some())
}

fn create(table: &TableRef, policy: &PolicyDef) -> Change {
    Change::CreatePolicy {
        table: table.clone(),
        policy: policy.clone(),
    }
}

fn drop(table: &TableRef, policy: &PolicyDef) -> Change {
    Change::DropPolicy {
        table: table.clone(),
        name: policy.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use vitaes_schema_core::{PolicyCommand, PolicyKind, Schema};

    use super::*;
    use crate::diff::diff;

    fn schema(rls: bool, policies: Vec<PolicyDef>) -> Schema {
        let mut t = TableDef::empty("public", "notes");
        t.rls = rls;
        t.policies = policies;
        Schema {
            tables: vec![t],
            ..Schema::default()
        }
    }

    fn policy(command: PolicyCommand, using: Option<&str>) -> PolicyDef {
        PolicyDef {
            name: "p".into(),
            kind: PolicyKind::Permissive,
            command,
            to: vec!["public".into()],
            using: using.map(Into::into),
            with_check: None,
            renamed_from: None,
        }
    }

    fn kinds(old: &Schema, new: &Schema) -> Vec<&'static str> {
        diff(old, new)
            .unwrap()
            .changes
            .iter()
            .map(|c| c.kind())
            .collect()
    }

    #[test]
    fn alter_where_postgres_can_drop_and_create_where_it_cannot() {
        let select = |using| schema(false, vec![policy(PolicyCommand::Select, using)]);
        assert_eq!(
            kinds(&select(Some("a = 1")), &select(Some("a = 2"))),
            ["alter_policy"]
        );
        assert_eq!(
            kinds(&select(None), &select(Some("a = 2"))),
            ["alter_policy"]
        );
        // ALTER POLICY cannot remove a USING.
        assert_eq!(
            kinds(&select(Some("a = 1")), &select(None)),
            ["drop_policy", "create_policy"]
        );
        let delete = schema(false, vec![policy(PolicyCommand::Delete, Some("a = 1"))]);
        assert_eq!(
            kinds(&select(Some("a = 1")), &delete),
            ["drop_policy", "create_policy"]
        );
        // Spelling is not a change.
        assert!(kinds(
            &select(Some("(a = 1)")),
            &select(Some("\"notes\".\"a\"  =  1"))
        )
        .is_empty());
    }

    #[test]
    fn rls_follows_the_flag_or_the_policies() {
        let none = schema(false, vec![]);
        let flag = schema(true, vec![]);
        let policies = schema(false, vec![policy(PolicyCommand::All, None)]);
        assert_eq!(kinds(&none, &flag), ["enable_rls"]);
        assert_eq!(kinds(&flag, &none), ["disable_rls"]);
        assert_eq!(kinds(&flag, &policies), ["create_policy"]);
        assert_eq!(kinds(&policies, &flag), ["drop_policy"]);
        assert_eq!(kinds(&policies, &none), ["disable_rls", "drop_policy"]);
    }

    #[test]
    fn forcing_is_its_own_change_after_enabling_and_a_hazard_on_existing_tables() {
        let forced = |force: bool| {
            let mut s = schema(true, vec![]);
            s.tables[0].force_rls = force;
            s
        };
        assert_eq!(kinds(&forced(false), &forced(true)), ["force_rls"]);
        assert_eq!(kinds(&forced(true), &forced(false)), ["no_force_rls"]);
        assert_eq!(
            kinds(&schema(false, vec![]), &forced(true)),
            ["enable_rls", "force_rls"]
        );
        assert_eq!(
            kinds(&Schema::default(), &forced(true)),
            ["create_table", "enable_rls", "force_rls"]
        );
        let plan = diff(&forced(false), &forced(true)).unwrap();
        assert_eq!(plan.hazards()[0][0].as_str(), "rows-hidden");
        let plan = diff(&Schema::default(), &forced(true)).unwrap();
        assert!(plan.hazards().iter().all(|h| h.is_empty()));
        let plan = diff(&forced(true), &forced(false)).unwrap();
        assert!(plan.hazards()[0].is_empty());
    }

    #[test]
    fn enabling_rls_and_dropping_a_policy_are_hazards() {
        let none = schema(false, vec![]);
        let policies = schema(false, vec![policy(PolicyCommand::All, None)]);
        let names = |old: &Schema, new: &Schema| -> Vec<Vec<&'static str>> {
            let plan = diff(old, new).unwrap();
            plan.hazards()
                .iter()
                .map(|h| h.iter().map(|h| h.as_str()).collect())
                .collect()
        };
        assert_eq!(names(&none, &policies), [vec!["rows-hidden"], vec![]]);
        assert_eq!(names(&policies, &none), [vec![], vec!["policy-dropped"]]);
        // On a table the plan creates, nothing is hidden.
        assert_eq!(
            names(&Schema::default(), &policies),
            [Vec::<&str>::new(), vec![], vec![]]
        );
    }

    fn named(name: &str, using: &str, renamed_from: Option<&str>) -> PolicyDef {
        PolicyDef {
            name: name.into(),
            renamed_from: renamed_from.map(Into::into),
            ..policy(PolicyCommand::Select, Some(using))
        }
    }

    fn decided(renames: &[&str], no_renames: &[&str]) -> crate::diff::RenameDecisions {
        crate::diff::RenameDecisions {
            renames: renames.iter().map(|r| r.parse().unwrap()).collect(),
            no_renames: no_renames.iter().map(|r| r.parse().unwrap()).collect(),
        }
    }

    #[test]
    fn a_policy_renamed_from_its_old_name_is_one_rename() {
        let old = schema(false, vec![named("read", "a = 1", None)]);
        let new = schema(false, vec![named("owners_read", "a = 1", Some("read"))]);
        let plan = diff(&old, &new).unwrap();
        assert_eq!(
            plan.changes,
            [Change::RenamePolicy {
                table: TableRef {
                    schema: "public".into(),
                    name: "notes".into()
                },
                from: "read".into(),
                to: "owners_read".into()
            }]
        );
        assert_eq!(plan.changes[0].object(), "public.notes.read");
        // The hint stays harmless once the rename has happened.
        assert!(diff(&new, &new).unwrap().is_empty());
        // A --rename flag says the same.
        let unhinted = schema(false, vec![named("owners_read", "a = 1", None)]);
        let plan = crate::diff::diff_with(
            &old,
            &unhinted,
            &decided(&["policy:notes.read=owners_read"], &[]),
        )
        .unwrap();
        assert_eq!(kinds_of(&plan), ["rename_policy"]);
    }

    #[test]
    fn a_policy_dropped_beside_one_added_is_ambiguous() {
        let old = schema(false, vec![named("read", "a = 1", None)]);
        let new = schema(false, vec![named("owners_read", "a = 1", None)]);
        let found = diff(&old, &new).unwrap_err();
        assert_eq!(
            found.0,
            [Ambiguity::Policies {
                table: TableRef {
                    schema: "public".into(),
                    name: "notes".into()
                },
                dropped: vec!["read".into()],
                added: vec!["owners_read".into()],
            }]
        );
        let refusal = found.refusal();
        assert!(
            refusal.contains("--rename policy:notes.read=owners_read")
                && refusal.contains("--no-rename policy:notes.owners_read")
                && refusal.contains("renamed_from = \"read\""),
            "{refusal}"
        );
        // Only dropped, or only added: nothing to decide.
        assert_eq!(
            kinds(&old, &schema(false, vec![])),
            ["disable_rls", "drop_policy"]
        );
    }

    #[test]
    fn a_policy_said_to_be_new_is_dropped_and_created() {
        let old = schema(false, vec![named("read", "a = 1", None)]);
        let new = schema(false, vec![named("owners_read", "a = 1", None)]);
        let plan = crate::diff::diff_with(&old, &new, &decided(&[], &["policy:notes.owners_read"]))
            .unwrap();
        assert_eq!(kinds_of(&plan), ["drop_policy", "create_policy"]);
    }

    #[test]
    fn a_renamed_policy_is_compared_with_its_old_definition() {
        let old = schema(false, vec![named("read", "a = 1", None)]);
        let new = schema(false, vec![named("owners_read", "a = 2", Some("read"))]);
        let plan = diff(&old, &new).unwrap();
        assert_eq!(kinds_of(&plan), ["rename_policy", "alter_policy"]);
        let sql: Vec<String> = plan
            .changes
            .iter()
            .flat_map(crate::sql::render_change)
            .collect();
        assert_eq!(
            sql,
            [
                r#"ALTER POLICY "read" ON "notes" RENAME TO "owners_read";"#,
                r#"ALTER POLICY "owners_read" ON "notes" TO public USING (a = 2);"#,
            ]
        );
        // A change ALTER POLICY cannot make: renamed, then dropped and created.
        let mut delete = named("owners_read", "a = 1", Some("read"));
        delete.command = PolicyCommand::Delete;
        assert_eq!(
            kinds(&old, &schema(false, vec![delete])),
            ["rename_policy", "drop_policy", "create_policy"]
        );
    }

    fn kinds_of(plan: &crate::diff::Plan) -> Vec<&'static str> {
        plan.changes.iter().map(|c| c.kind()).collect()
    }
}
