//! How a plan is executed: the one rule `generate` (one migration per phase),
//! `push` (one verified transaction per phase) and `check` (judging files)
//! share.
//!
//! PostgreSQL imposes two splits on a plan:
//! - an enum value added by `ALTER TYPE ... ADD VALUE` cannot be used in the
//!   transaction that adds it (SQLSTATE 55P04), so when another change uses
//!   one, the additions run first, committed on their own;
//! - `CREATE INDEX CONCURRENTLY` cannot run in a transaction at all, so those
//!   builds run last, outside one, followed by the foreign keys whose
//!   referenced columns only such a new unique index makes unique.
//!
//! Everything else is one transactional body. Each phase carries the schema
//! it leaves behind: the snapshot of its migration, what push verifies.

use std::collections::HashSet;

use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};
use vitaes_schema_core::{DefaultValue, Schema};

use super::{Change, Plan};

/// What a phase may do, and so how it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhaseKind {
    /// Enum values that later phases use: committed before anything uses them.
    EnumValues,
    /// Everything that runs in one transaction.
    Transactional,
    /// `CONCURRENTLY` builds and what depends on them: no transaction.
    OutsideTransaction,
}

/// One step of a plan's execution.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// How it runs.
    pub kind: PhaseKind,
    /// Its changes, in the plan's order.
    pub plan: Plan,
    /// The schema once this phase (and those before it) ran.
    pub target: Schema,
}

/// Splits `plan` (the diff of `from` into `to`) into the phases it must run
/// in, each with the schema it leaves; an empty plan has none.
pub fn phases(from: &Schema, to: &Schema, plan: &Plan) -> Vec<Phase> {
    let steps = phase_plans(plan);
    let outside: Vec<Change> = steps
        .iter()
        .filter(|(k, _)| *k == PhaseKind::OutsideTransaction)
        .flat_map(|(_, p)| p.changes.iter().cloned())
        .collect();
    steps
        .into_iter()
        .map(|(kind, plan)| {
            let target = match kind {
                PhaseKind::EnumValues => with_values_of(from, to, &plan.changes),
                PhaseKind::Transactional if !outside.is_empty() => without(to, &outside),
                PhaseKind::Transactional | PhaseKind::OutsideTransaction => to.clone(),
            };
            Phase { kind, plan, target }
        })
        .collect()
}

/// The phases of `plan` without their schemas (push verifies against the
/// database instead): the changes of each, in the plan's order.
pub fn phase_plans(plan: &Plan) -> Vec<(PhaseKind, Plan)> {
    let mut out = Vec::new();
    let mut rest: Vec<Change> = plan.changes.clone();

    let added = added_values(&rest);
    if !added.is_empty() && rest.iter().any(|c| change_uses_values(c, &added)) {
        let (additions, others): (Vec<Change>, Vec<Change>) = rest
            .into_iter()
            .partition(|c| matches!(c, Change::AddEnumValue { .. }));
        rest = others;
        out.push((PhaseKind::EnumValues, Plan { changes: additions }));
    }

    let (concurrent, body): (Vec<Change>, Vec<Change>) =
        rest.into_iter().partition(is_concurrent_index);
    // A foreign key onto columns only a new concurrent unique index makes
    // unique must wait for that index.
    let (waiting, body): (Vec<Change>, Vec<Change>) = body
        .into_iter()
        .partition(|c| !concurrent.is_empty() && needs_new_unique_index(c, &concurrent));
    let outside: Vec<Change> = concurrent.into_iter().chain(waiting).collect();
    if !body.is_empty() {
        out.push((PhaseKind::Transactional, Plan { changes: body }));
    }
    if !outside.is_empty() {
        out.push((PhaseKind::OutsideTransaction, Plan { changes: outside }));
    }
    out
}

/// `from` with the enums `additions` grow holding their values in `to`.
fn with_values_of(from: &Schema, to: &Schema, additions: &[Change]) -> Schema {
    let mut s = from.clone();
    for e in &mut s.enums {
        let grows = additions.iter().any(|c| {
            matches!(c, Change::AddEnumValue { enum_def, .. }
                if enum_def.schema == e.schema && enum_def.name == e.name)
        });
        if let Some(new) = to
            .enums
            .iter()
            .find(|d| grows && d.schema == e.schema && d.name == e.name)
        {
            e.values = new.values.clone();
        }
    }
    s
}

/// A `CREATE INDEX CONCURRENTLY`.
pub fn is_concurrent_index(c: &Change) -> bool {
    matches!(c, Change::CreateIndex { index, .. } if index.concurrently)
}

/// `schema` without the indexes and foreign keys `changes` create.
fn without(schema: &Schema, changes: &[Change]) -> Schema {
    let mut s = schema.clone();
    for c in changes {
        let (table, index, fk) = match c {
            Change::CreateIndex { table, index } => (table, Some(&index.name), None),
            Change::AddForeignKey { table, fk } => (table, None, Some(&fk.name)),
            _ => continue,
        };
        if let Some(t) = s
            .tables
            .iter_mut()
            .find(|t| t.schema == table.schema && t.name == table.name)
        {
            t.indexes.retain(|i| Some(&i.name) != index);
            t.foreign_keys.retain(|f| Some(&f.name) != fk);
        }
    }
    s
}

/// Whether `c` adds a foreign key onto columns that one of the unique
/// indexes `indexes` creates makes unique: the key must follow that index.
pub(super) fn needs_new_unique_index(c: &Change, indexes: &[Change]) -> bool {
    let Change::AddForeignKey { fk, .. } = c else {
        return false;
    };
    indexes.iter().any(|i| match i {
        Change::CreateIndex { table, index } => {
            index.unique
                && index.where_clause.is_none()
                && table.schema == fk.ref_schema
                && table.name == fk.ref_table
                && index.columns.iter().all(|c| !c.is_expression)
                && index.columns.len() == fk.ref_columns.len()
                && index
                    .columns
                    .iter()
                    .all(|c| fk.ref_columns.contains(&c.expression))
        }
        _ => false,
    })
}

/// The values `changes` add to enums.
fn added_values(changes: &[Change]) -> HashSet<&str> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::AddEnumValue { value, .. } => Some(value.as_str()),
            _ => None,
        })
        .collect()
}

/// Whether `change` reads one of `values`: a default, generated expression,
/// check or index predicate of what it creates or sets holds it as a literal.
fn change_uses_values(change: &Change, values: &HashSet<&str>) -> bool {
    let default = |d: &Option<DefaultValue>| match d {
        Some(DefaultValue::Sql(s)) => Some(s.clone()),
        _ => None,
    };
    let mut fragments: Vec<String> = Vec::new();
    let index = |i: &vitaes_schema_core::IndexDef, out: &mut Vec<String>| {
        out.extend(i.where_clause.clone());
        out.extend(
            i.columns
                .iter()
                .filter(|c| c.is_expression)
                .map(|c| c.expression.clone()),
        );
    };
    match change {
        Change::AddEnumValue { .. } => return false,
        Change::CreateTable(t) => {
            for c in &t.columns {
                fragments.extend(default(&c.default));
                fragments.extend(c.generated.as_ref().map(|g| g.expr.clone()));
            }
            fragments.extend(t.checks.iter().map(|c| c.expr.clone()));
            for i in &t.indexes {
                index(i, &mut fragments);
            }
        }
        Change::AddColumn { column, .. } | Change::SetGenerated { column, .. } => {
            fragments.extend(default(&column.default));
            fragments.extend(column.generated.as_ref().map(|g| g.expr.clone()));
        }
        Change::AlterColumnType { to, .. } => {
            fragments.extend(default(&to.default));
            fragments.extend(to.generated.as_ref().map(|g| g.expr.clone()));
        }
        Change::SetDefault { default: d, .. } => fragments.extend(default(&Some(d.clone()))),
        Change::AddCheck { check, .. } => fragments.push(check.expr.clone()),
        Change::CreateIndex { index: i, .. } => index(i, &mut fragments),
        _ => {}
    }
    fragments.iter().any(|f| literals_in(f, values))
}

/// Whether the SQL text `sql` (an expression or statements) holds one of
/// `values` as a string literal. Literals of statements that define or alter
/// a type (`CREATE TYPE ... AS ENUM`, `ADD VALUE 'x' BEFORE 'y'`) are labels,
/// not uses.
pub fn sql_uses_values(sql: &str, values: &HashSet<&str>) -> bool {
    if values.is_empty() {
        return false;
    }
    match Parser::parse_sql(&PostgreSqlDialect {}, sql) {
        Ok(statements) => statements.iter().any(|s| {
            !matches!(s, Statement::AlterType(_) | Statement::CreateType { .. })
                && literals_in(&s.to_string(), values)
        }),
        // Not parsed (a dialect gap, hand-written SQL): judge its literals.
        Err(_) => literals_in(sql, values),
    }
}

/// Whether a string literal token of `sql` is one of `values`.
fn literals_in(sql: &str, values: &HashSet<&str>) -> bool {
    let dialect = PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, sql).tokenize() else {
        // Unterminated quotes and the like: err on the side of a split.
        return values.iter().any(|v| sql.contains(v));
    };
    tokens.iter().any(|t| match t {
        Token::SingleQuotedString(s)
        | Token::EscapedStringLiteral(s)
        | Token::NationalStringLiteral(s) => values.contains(s.as_str()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::diff;
    use vitaes_schema_core::{
        Check, ColumnDef, EnumDef, FkAction, ForeignKey, IndexColumn, IndexDef, TableDef, Unique,
    };

    fn mood(values: &[&str]) -> EnumDef {
        EnumDef {
            name: "mood".into(),
            schema: "public".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    fn table(name: &str, columns: &[(&str, &str)]) -> TableDef {
        let mut t = TableDef::empty("public", name);
        t.columns = columns
            .iter()
            .map(|(n, ty)| ColumnDef::new(*n, *ty))
            .collect();
        t
    }

    fn schema(enums: Vec<EnumDef>, tables: Vec<TableDef>) -> Schema {
        Schema {
            enums,
            tables,
            ..Schema::default()
        }
    }

    fn index(name: &str, column: &str, unique: bool, concurrently: bool) -> IndexDef {
        IndexDef {
            name: name.into(),
            columns: vec![IndexColumn {
                expression: column.into(),
                is_expression: false,
                asc: true,
                nulls_first: false,
                opclass: None,
            }],
            unique,
            concurrently,
            method: "btree".into(),
            where_clause: None,
            with: Vec::new(),
        }
    }

    fn fk(name: &str, column: &str, ref_table: &str, ref_column: &str) -> ForeignKey {
        ForeignKey {
            name: name.into(),
            columns: vec![column.into()],
            ref_schema: "public".into(),
            ref_table: ref_table.into(),
            ref_columns: vec![ref_column.into()],
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
        }
    }

    fn kinds(p: &[Phase]) -> Vec<PhaseKind> {
        p.iter().map(|p| p.kind).collect()
    }

    fn diary(default: Option<&str>) -> TableDef {
        let mut t = table("diary", &[("id", "integer"), ("mood", "mood")]);
        t.columns[1].default = default.map(|d| DefaultValue::Sql(d.into()));
        t
    }

    fn planned(from: &Schema, to: &Schema) -> Vec<Phase> {
        phases(from, to, &diff(from, to).unwrap())
    }

    #[test]
    fn an_added_value_nothing_uses_stays_in_the_body() {
        let from = schema(vec![mood(&["sad"])], vec![diary(Some("'sad'"))]);
        let to = schema(vec![mood(&["sad", "meh"])], vec![diary(Some("'sad'"))]);
        let p = planned(&from, &to);
        assert_eq!(kinds(&p), [PhaseKind::Transactional]);
        assert_eq!(p[0].target, to);
    }

    #[test]
    fn an_added_value_a_default_uses_is_committed_first() {
        let from = schema(vec![mood(&["sad"])], vec![diary(Some("'sad'"))]);
        let to = schema(vec![mood(&["sad", "meh"])], vec![diary(Some("'meh'"))]);
        let p = planned(&from, &to);
        assert_eq!(kinds(&p), [PhaseKind::EnumValues, PhaseKind::Transactional]);
        assert!(matches!(
            p[0].plan.changes[..],
            [Change::AddEnumValue { .. }]
        ));
        // The first target is the old schema with the grown enum.
        assert_eq!(
            p[0].target,
            schema(vec![mood(&["sad", "meh"])], vec![diary(Some("'sad'"))])
        );
        assert_eq!(p[1].target, to);
    }

    #[test]
    fn checks_and_index_predicates_of_new_tables_are_uses() {
        let from = schema(vec![mood(&["sad"])], vec![]);
        let mut t = diary(None);
        t.checks.push(Check {
            name: "not_meh".into(),
            expr: "mood <> 'meh'".into(),
        });
        let to = schema(vec![mood(&["sad", "meh"])], vec![t]);
        assert_eq!(
            kinds(&planned(&from, &to)),
            [PhaseKind::EnumValues, PhaseKind::Transactional]
        );

        let mut t = diary(None);
        let mut i = index("diary_meh", "id", false, false);
        i.where_clause = Some("mood = 'meh'::mood".into());
        t.indexes.push(i);
        let to = schema(vec![mood(&["sad", "meh"])], vec![t]);
        assert_eq!(
            kinds(&planned(&from, &to)),
            [PhaseKind::EnumValues, PhaseKind::Transactional]
        );

        // A literal that is not the new value is no use.
        let mut t = diary(None);
        t.checks.push(Check {
            name: "not_sad".into(),
            expr: "mood <> 'sad'".into(),
        });
        let to = schema(vec![mood(&["sad", "meh"])], vec![t]);
        assert_eq!(kinds(&planned(&from, &to)), [PhaseKind::Transactional]);
    }

    #[test]
    fn the_text_of_other_statements_is_not_a_use() {
        // The value as an identifier, in a comment, or as a label of a type
        // being defined is no use of the literal.
        let values: HashSet<&str> = ["meh"].into();
        assert!(!sql_uses_values(
            "CREATE TYPE \"public\".\"other\" AS ENUM('meh', 'ok');",
            &values
        ));
        assert!(!sql_uses_values(
            "ALTER TYPE \"public\".\"mood\" ADD VALUE 'ok' BEFORE 'meh';",
            &values
        ));
        assert!(!sql_uses_values(
            "ALTER TABLE \"meh\" ADD COLUMN \"x\" integer; -- 'meh'",
            &values
        ));
        assert!(sql_uses_values(
            "UPDATE \"note\" SET \"body\" = 'meh';",
            &values
        ));
        assert!(sql_uses_values(
            "ALTER TABLE \"d\" ALTER COLUMN \"m\" SET DEFAULT 'meh'::\"mood\";",
            &values
        ));
    }

    #[test]
    fn a_foreign_key_onto_a_new_concurrent_unique_index_waits_for_it() {
        let mut team = table("team", &[("id", "integer"), ("code", "text")]);
        let member = table("member", &[("team_code", "text")]);
        let from = schema(vec![], vec![team.clone(), member.clone()]);
        team.indexes
            .push(index("team_code_index", "code", true, true));
        let mut member = member;
        member.foreign_keys.push(fk(
            "member_team_code_team_code_fk",
            "team_code",
            "team",
            "code",
        ));
        member.columns.push(ColumnDef::new("note", "text"));
        let to = schema(vec![], vec![team, member]);
        let p = planned(&from, &to);
        assert_eq!(
            kinds(&p),
            [PhaseKind::Transactional, PhaseKind::OutsideTransaction]
        );
        assert!(matches!(p[0].plan.changes[..], [Change::AddColumn { .. }]));
        assert!(matches!(
            p[1].plan.changes[..],
            [Change::CreateIndex { .. }, Change::AddForeignKey { .. }]
        ));
        // The body's target has neither the index nor the key; the last
        // target is the whole schema.
        let body = &p[0].target.tables;
        assert!(body
            .iter()
            .all(|t| t.indexes.is_empty() && t.foreign_keys.is_empty()));
        assert_eq!(body[1].columns.len(), 2);
        assert_eq!(p[1].target, to);
    }

    #[test]
    fn a_foreign_key_onto_an_existing_unique_runs_in_the_body() {
        let mut team = table("team", &[("code", "text")]);
        team.uniques.push(Unique {
            name: "team_code_unique".into(),
            columns: vec!["code".into()],
            nulls_not_distinct: false,
        });
        let member = table("member", &[("c", "text")]);
        let from = schema(vec![], vec![team.clone(), member.clone()]);
        team.indexes
            .push(index("team_code_index", "code", false, true));
        let mut member = member;
        member
            .foreign_keys
            .push(fk("member_c_team_code_fk", "c", "team", "code"));
        let to = schema(vec![], vec![team, member]);
        let p = planned(&from, &to);
        assert_eq!(
            kinds(&p),
            [PhaseKind::Transactional, PhaseKind::OutsideTransaction]
        );
        assert!(matches!(
            p[0].plan.changes[..],
            [Change::AddForeignKey { .. }]
        ));
    }

    #[test]
    fn an_empty_plan_has_no_phase() {
        let s = schema(vec![mood(&["sad"])], vec![]);
        assert!(phases(&s, &s, &Plan::default()).is_empty());
    }
}
