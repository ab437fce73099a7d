//! What each change risks: `data-loss`, `rewrite` (the whole table is
//! rewritten), `lock` (writes block while it runs), `may-fail` (it can fail on
//! existing rows), `index-dropped` (queries that used the index get slower;
//! on a live database it may be one made by hand with SQL, which the code
//! does not declare), `rows-hidden` (row-level security switched on over
//! existing rows: every role the policies do not admit, which is every role
//! until a policy exists, stops seeing them), `policy-dropped` (access
//! widens or narrows at once: gone from a restrictive policy, more rows show;
//! from a permissive one, fewer), `recompute` (a materialized view is built
//! again from its query). An empty set means safe. Decided from the change alone,
//! plus which tables and indexes the plan creates (nothing risks a table
//! that is new, and an index dropped to be built again is not lost).

use std::collections::HashSet;
use std::ops::ControlFlow;

use serde::Serialize;
use sqlparser::ast::{visit_expressions, Expr};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use vitaes_schema_core::{ColumnDef, DefaultValue, GeneratedKind};

use super::casts::{assignable, base_type};
use super::change::{Change, Plan, TableRef};

/// A risk of a change to an existing database; `--json` spells it in kebab-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hazard {
    /// Drops data: a table, a column, enum values.
    DataLoss,
    /// Rewrites the whole table.
    Rewrite,
    /// Blocks writes to the table while it runs.
    Lock,
    /// Can fail on existing rows (`SET NOT NULL`, a new unique key, a narrower type).
    MayFail,
    /// Drops an index the plan does not build again (queries may slow down).
    IndexDropped,
    /// Enables row-level security on an existing table: its rows vanish for
    /// every role no policy admits.
    RowsHidden,
    /// Drops a policy the plan does not create again: who sees which rows changes.
    PolicyDropped,
    /// Creates a materialized view again: its query runs over every row it
    /// reads (a `with_no_data` one stays empty until `REFRESH MATERIALIZED
    /// VIEW`, which no plan runs: when to pay for a refresh is the
    /// application's choice).
    Recompute,
}

impl Hazard {
    /// The kebab-case name (`data-loss`, `may-fail`), as messages and `--json` show it.
    pub fn as_str(self) -> &'static str {
        match self {
            Hazard::DataLoss => "data-loss",
            Hazard::Rewrite => "rewrite",
            Hazard::Lock => "lock",
            Hazard::MayFail => "may-fail",
            Hazard::IndexDropped => "index-dropped",
            Hazard::RowsHidden => "rows-hidden",
            Hazard::PolicyDropped => "policy-dropped",
            Hazard::Recompute => "recompute",
        }
    }
}

impl Plan {
    /// The hazards of each change, in the plan's order.
    pub fn hazards(&self) -> Vec<Vec<Hazard>> {
        let created = self.created_tables();
        let rebuilt: HashSet<(&TableRef, &str)> = self
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::CreateIndex { table, index } => Some((table, index.name.as_str())),
                _ => None,
            })
            .collect();
        let recreated: HashSet<(&TableRef, &str)> = self
            .changes
            .iter()
            .filter_map(|c| match c {
                Change::CreatePolicy { table, policy } => Some((table, policy.name.as_str())),
                _ => None,
            })
            .collect();
        self.changes
            .iter()
            .map(|c| {
                let mut h = hazards(c, &created);
                if let Change::DropIndex { table, name } = c {
                    if !rebuilt.contains(&(table, name.as_str())) {
                        h.push(Hazard::IndexDropped);
                    }
                }
                if let Change::DropPolicy { table, name } = c {
                    if !recreated.contains(&(table, name.as_str())) {
                        h.push(Hazard::PolicyDropped);
                    }
                }
                h
            })
            .collect()
    }
}

/// The hazards of one change, given the tables created in the same plan.
pub fn hazards(change: &Change, created: &HashSet<TableRef>) -> Vec<Hazard> {
    use Hazard::*;
    let existing = |t: &TableRef| !created.contains(t);
    let mut out = match change {
        Change::DropTable(_) | Change::DropColumn { .. } => vec![DataLoss],
        // A role that owns objects or holds privileges, in any database of
        // the cluster, cannot be dropped.
        Change::DropRole(_) => vec![MayFail],
        // CASCADE: columns of its types, and whatever calls its functions, go with it.
        Change::DropExtension(_) => vec![DataLoss],
        // Its current value: numbers start over if it is created again.
        Change::DropSequence(_) => vec![DataLoss],
        Change::DropView { view, recreated } if view.materialized => {
            if *recreated {
                vec![Recompute]
            } else {
                vec![DataLoss]
            }
        }
        Change::AlterColumnType {
            from,
            to,
            from_enum,
            to_enum,
            ..
        } => type_change(from, to, *from_enum, *to_enum),
        Change::RebuildEnum {
            removed, columns, ..
        } => {
            let mut h = vec![];
            if !columns.is_empty() {
                h.push(Rewrite);
            }
            if !removed.is_empty() {
                h.extend([DataLoss, MayFail]);
            }
            h
        }
        Change::AddColumn { column, .. } => add_column(column),
        Change::EnableRls(table) if existing(table) => vec![RowsHidden],
        // Forced, the owner (who bypassed the policies) sees only what they admit.
        Change::ForceRls { table, force: true } if existing(table) => vec![RowsHidden],
        // Dropped and added: a stored column is computed for every row, a virtual one
        // for none, and a plain one (from virtual) starts empty.
        Change::SetGenerated { column, .. } => match &column.generated {
            Some(g) if g.kind == GeneratedKind::Stored => vec![Rewrite],
            Some(_) => vec![],
            None => {
                let mut h = vec![DataLoss];
                h.extend(add_column(column));
                h
            }
        },
        Change::SetNotNull { table, .. } if existing(table) => vec![Lock, MayFail],
        Change::AddUnique { table, .. }
        | Change::AddCheck { table, .. }
        | Change::AddForeignKey { table, .. }
        | Change::AddPrimaryKey { table, .. }
        | Change::AddColumnPrimaryKey { table, .. }
        | Change::AlterPrimaryKey { table, .. }
            if existing(table) =>
        {
            vec![Lock, MayFail]
        }
        Change::CreateIndex { table, index } if existing(table) => {
            let mut h = if index.concurrently {
                vec![]
            } else {
                vec![Lock]
            };
            if index.unique {
                h.push(MayFail);
            }
            h
        }
        _ => vec![],
    };
    out.sort();
    out.dedup();
    out
}

fn add_column(c: &ColumnDef) -> Vec<Hazard> {
    let mut h = Vec::new();
    let volatile_default = match &c.default {
        Some(DefaultValue::Sql(sql)) => is_volatile(sql),
        _ => false,
    };
    // A virtual column stores nothing, so adding one rewrites nothing.
    if volatile_default
        || c.generated
            .as_ref()
            .is_some_and(|g| g.kind == GeneratedKind::Stored)
        || c.identity.is_some()
        || c.sql_type.ends_with("serial")
    {
        h.push(Hazard::Rewrite);
    }
    if c.not_null
        && c.default.is_none()
        && c.identity.is_none()
        && c.generated.is_none()
        && !c.sql_type.ends_with("serial")
    {
        h.push(Hazard::MayFail);
    }
    h
}

/// A type change rewrites the table unless PostgreSQL only relabels it (a
/// wider varchar, varchar to text); narrowing loses data; a cast that is not
/// an assignment cast, or a narrowing, may fail on existing values.
fn type_change(from: &ColumnDef, to: &ColumnDef, from_enum: bool, to_enum: bool) -> Vec<Hazard> {
    let (fb, fd) = base_type(&from.sql_type);
    let (tb, td) = base_type(&to.sql_type);
    let relabel = fd == td
        && !from_enum
        && !to_enum
        && ((fb == tb && widens(&from.sql_type, &to.sql_type))
            || (fb == "varchar" && tb == "text"));
    if relabel {
        return vec![];
    }
    let mut h = vec![Hazard::Rewrite];
    let narrowing = narrows(&from.sql_type, &to.sql_type);
    if narrowing {
        h.push(Hazard::DataLoss);
    }
    if narrowing || !assignable(&from.sql_type, from_enum, &to.sql_type, to_enum) || to_enum {
        h.push(Hazard::MayFail);
    }
    h
}

/// The numbers in a type's modifier: `varchar(255)` → [255], `numeric(12, 2)` → [12, 2].
fn modifier(sql_type: &str) -> Vec<u64> {
    match (sql_type.find('('), sql_type.find(')')) {
        (Some(a), Some(b)) if a < b => sql_type[a + 1..b]
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect(),
        _ => vec![],
    }
}

fn widens(from: &str, to: &str) -> bool {
    let (f, t) = (modifier(from), modifier(to));
    match (f.as_slice(), t.as_slice()) {
        (_, []) => true,
        ([a], [b]) => b >= a,
        ([p1, s1], [p2, s2]) => s1 == s2 && p2 >= p1,
        _ => false,
    }
}

/// Conversions that can lose information.
fn narrows(from: &str, to: &str) -> bool {
    let (fb, _) = base_type(from);
    let (tb, _) = base_type(to);
    const WIDTH: &[&str] = &["smallint", "integer", "bigint"];
    let rank = |t: &str| WIDTH.iter().position(|w| *w == t);
    if let (Some(a), Some(b)) = (rank(&fb), rank(&tb)) {
        return b < a;
    }
    if fb == tb {
        return !widens(from, to);
    }
    matches!(
        (fb.as_str(), tb.as_str()),
        ("text", "varchar")
            | ("text", "char")
            | ("varchar", "char")
            | ("double precision", "real")
            | ("numeric", "integer")
            | ("numeric", "bigint")
            | ("numeric", "smallint")
            | ("numeric", "real")
            | ("double precision", "integer")
            | ("double precision", "bigint")
            | ("real", "integer")
            | ("timestamp with time zone", "date")
            | ("timestamp", "date")
            | ("jsonb", "json")
    )
}

/// Functions whose value does not change row by row. Anything else in a
/// default — `random()`, `gen_random_uuid()`, `clock_timestamp()`, or a
/// function unknown here — counts as volatile: adding a column with it
/// rewrites the table.
const NON_VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtime",
    "localtimestamp",
    "transaction_timestamp",
    "statement_timestamp",
    "lower",
    "upper",
    "length",
    "abs",
    "coalesce",
    "concat",
    "btrim",
    "trim",
    "make_date",
    "make_interval",
    "to_jsonb",
    "jsonb_build_object",
    "json_build_object",
    "array_length",
];

pub fn is_volatile(sql: &str) -> bool {
    let dialect = PostgreSqlDialect {};
    let Ok(expr) = Parser::new(&dialect)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
    else {
        return true;
    };
    let found = visit_expressions(&expr, |e: &Expr| match e {
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            let name = name
                .rsplit('.')
                .next()
                .unwrap_or(&name)
                .trim_matches('"')
                .to_string();
            if NON_VOLATILE.contains(&name.as_str()) {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        }
        _ => ControlFlow::Continue(()),
    });
    found.is_break()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatility_of_defaults() {
        for v in [
            "random()",
            "gen_random_uuid()",
            "clock_timestamp()",
            "my_func(1)",
            "md5(random()::text)",
        ] {
            assert!(is_volatile(v), "{v}");
        }
        for s in [
            "now()",
            "'{}'::jsonb",
            "0",
            "'it''s'",
            "CURRENT_TIMESTAMP",
            "lower('A')",
        ] {
            assert!(!is_volatile(s), "{s}");
        }
    }

    fn col(t: &str) -> ColumnDef {
        ColumnDef::new("c", t)
    }

    #[test]
    fn type_changes() {
        use Hazard::*;
        assert_eq!(
            type_change(&col("varchar(100)"), &col("varchar(255)"), false, false),
            vec![]
        );
        assert_eq!(
            type_change(&col("varchar(100)"), &col("text"), false, false),
            vec![]
        );
        assert_eq!(
            type_change(&col("varchar(255)"), &col("varchar(10)"), false, false),
            vec![Rewrite, DataLoss, MayFail]
        );
        assert_eq!(
            type_change(&col("integer"), &col("bigint"), false, false),
            vec![Rewrite]
        );
        assert_eq!(
            type_change(&col("bigint"), &col("integer"), false, false),
            vec![Rewrite, DataLoss, MayFail]
        );
        assert_eq!(
            type_change(&col("text"), &col("integer"), false, false),
            vec![Rewrite, MayFail]
        );
    }
}
