//! Views and materialized views, matched by schema and name.
//!
//! A changed query, or a view becoming materialized or back, is a drop and a
//! create (PostgreSQL's `CREATE OR REPLACE VIEW` cannot drop or retype
//! columns, and there is none for materialized views); options change in
//! place. A view is also dropped and created again when something it reads
//! changes under it — a column's type, a column or table renamed, moved or
//! dropped, an enum rebuilt, another view re-created — since PostgreSQL
//! refuses those changes while the view exists. Drops run dependents first,
//! creates in dependency order. `existing` views are never touched.

use std::collections::{HashMap, HashSet};

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};
use vitaes_schema_core::{Schema, ViewDef};

use super::Change;

/// The names a query may refer to: every word of it, unquoted ones in lower
/// case. Deliberately generous (a column named like a table counts), so a
/// view is never left in the way of a change; a query the tokenizer cannot
/// read refers to everything.
pub(crate) fn referenced_names(query: &str) -> Option<HashSet<String>> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, query)
        .tokenize()
        .ok()?;
    Some(
        tokens
            .into_iter()
            .filter_map(|t| match t {
                Token::Word(w) if w.quote_style.is_some() => Some(w.value),
                Token::Word(w) => Some(w.value.to_lowercase()),
                _ => None,
            })
            .collect(),
    )
}

/// Whether `view` reads the relation `name`.
fn reads(refs: &Option<HashSet<String>>, name: &str) -> bool {
    refs.as_ref().is_none_or(|r| r.contains(name))
}

/// Whether two versions differ in a way only re-creating the view applies.
/// (`WITH NO DATA` is a choice made when creating; drizzle-kit ignores it too.)
fn needs_recreate(o: &ViewDef, n: &ViewDef) -> bool {
    o.existing || o.definition != n.definition || o.materialized != n.materialized
}

fn options_differ(o: &ViewDef, n: &ViewDef) -> bool {
    let same_with = o.with.len() == n.with.len()
        && n.with.iter().all(|opt| {
            o.option(&opt.key)
                .is_some_and(|v| v.to_sql() == opt.value.to_sql())
        });
    !same_with || (n.materialized && (o.tablespace != n.tablespace || o.using != n.using))
}

/// Appends the view changes: `drops` before the table changes, `alters` with
/// them, `creates` after. `touched` names the relations (tables) the plan
/// changes under any view that reads them.
pub(super) fn diff_views(
    old: &Schema,
    new: &Schema,
    touched: &HashSet<String>,
    drops: &mut Vec<Change>,
    alters: &mut Vec<Change>,
    creates: &mut Vec<Change>,
) {
    let key = |v: &ViewDef| (v.schema.clone(), v.name.clone());
    let news: HashMap<(String, String), &ViewDef> = new.views.iter().map(|v| (key(v), v)).collect();
    // Old views that exist in the database as managed objects.
    let olds: Vec<&ViewDef> = old.views.iter().filter(|v| !v.existing).collect();
    let refs: Vec<Option<HashSet<String>>> = olds
        .iter()
        .map(|v| v.definition.as_deref().and_then(referenced_names))
        .collect();

    // Which old views go (dropped or re-created), which are altered.
    let mut gone: Vec<bool> = vec![false; olds.len()];
    for (i, o) in olds.iter().enumerate() {
        match news.get(&key(o)) {
            None => gone[i] = true,
            Some(n) if n.existing => {}
            Some(n) => gone[i] = needs_recreate(o, n),
        }
    }
    // Whatever reads a touched relation or a view that goes, goes too:
    // a walk over "is read by" edges from every view that goes.
    let readers = readers_of(&olds, &refs);
    let mut queue: Vec<usize> = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        if !gone[i] && touched.iter().any(|t| reads(r, t)) {
            gone[i] = true;
        }
        if gone[i] {
            queue.push(i);
        }
    }
    while let Some(i) = queue.pop() {
        for &j in readers.get(olds[i].name.as_str()).into_iter().flatten() {
            if !gone[j] {
                gone[j] = true;
                queue.push(j);
            }
        }
    }

    let recreated = |o: &ViewDef| news.get(&key(o)).is_some_and(|n| !n.existing);
    for i in drop_order(&olds, &refs) {
        if gone[i] {
            drops.push(Change::DropView {
                view: olds[i].clone(),
                recreated: recreated(olds[i]),
            });
        }
    }
    let old_by_key: HashMap<(String, String), usize> =
        olds.iter().enumerate().map(|(i, o)| (key(o), i)).collect();
    let managed: Vec<&ViewDef> = new.views.iter().filter(|v| !v.existing).collect();
    let new_refs: Vec<Option<HashSet<String>>> = managed
        .iter()
        .map(|v| v.definition.as_deref().and_then(referenced_names))
        .collect();
    for i in dependency_order(&managed, &new_refs) {
        let n = managed[i];
        match old_by_key.get(&key(n)) {
            Some(&o) if !gone[o] => {
                if options_differ(olds[o], n) {
                    alters.push(Change::AlterView {
                        from: olds[o].clone(),
                        to: n.clone(),
                    });
                }
            }
            // An old `existing` view of that name is in the database too:
            // drizzle-kit drops it before creating the managed one.
            _ => {
                if let Some(e) = old.views.iter().find(|o| o.existing && key(o) == key(n)) {
                    drops.push(Change::DropView {
                        view: e.clone(),
                        recreated: true,
                    });
                }
                creates.push(Change::CreateView(n.clone()));
            }
        }
    }
}

/// For each view name, the views whose query reads it (a query the
/// tokenizer could not read reads every view).
fn readers_of<'a>(
    views: &[&'a ViewDef],
    refs: &[Option<HashSet<String>>],
) -> HashMap<&'a str, Vec<usize>> {
    let names: HashSet<&str> = views.iter().map(|v| v.name.as_str()).collect();
    let mut readers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in refs.iter().enumerate() {
        let read: Vec<&str> = match r {
            Some(words) => words
                .iter()
                .filter_map(|w| names.get(w.as_str()).copied())
                .collect(),
            None => names.iter().copied().collect(),
        };
        for name in read {
            if name != views[i].name {
                readers.entry(name).or_default().push(i);
            }
        }
    }
    readers
}

/// The order to create `views` in: each after the views it reads.
pub(crate) fn creation_order(views: &[&ViewDef]) -> Vec<usize> {
    let refs: Vec<Option<HashSet<String>>> = views
        .iter()
        .map(|v| v.definition.as_deref().and_then(referenced_names))
        .collect();
    dependency_order(views, &refs)
}

/// For each view, the views it reads (a query the tokenizer could not read
/// reads none here: ordering needs names, and it is tried in declaration order).
fn reads_of(views: &[&ViewDef], refs: &[Option<HashSet<String>>]) -> Vec<Vec<usize>> {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, v) in views.iter().enumerate() {
        by_name.entry(v.name.as_str()).or_default().push(i);
    }
    refs.iter()
        .enumerate()
        .map(|(i, r)| match r {
            Some(words) => words
                .iter()
                .filter_map(|w| by_name.get(w.as_str()))
                .flatten()
                .copied()
                .filter(|&j| j != i)
                .collect(),
            None => Vec::new(),
        })
        .collect()
}

/// Indexes of `views` with each view after the views it reads, declaration
/// order otherwise (plain views before materialized ones, as drizzle-kit).
fn dependency_order(views: &[&ViewDef], refs: &[Option<HashSet<String>>]) -> Vec<usize> {
    ordered(views, &reads_of(views, refs))
}

/// Indexes of `views` with each view before the views it reads (the order
/// to drop them in), declaration order otherwise.
fn drop_order(views: &[&ViewDef], refs: &[Option<HashSet<String>>]) -> Vec<usize> {
    let mut read_by: Vec<Vec<usize>> = vec![Vec::new(); views.len()];
    for (i, reads) in reads_of(views, refs).into_iter().enumerate() {
        for j in reads {
            read_by[j].push(i);
        }
    }
    ordered(views, &read_by)
}

/// A topological order of `views` where `after[i]` must come before `i`;
/// ties in declaration order, plain views before materialized ones. Depth
/// first without recursion; a cycle (possible only with the generous reading
/// of names) falls back to declaration order.
fn ordered(views: &[&ViewDef], after: &[Vec<usize>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..views.len()).collect();
    order.sort_by_key(|&i| views[i].materialized);
    let mut placed = vec![false; views.len()];
    let mut visiting = vec![false; views.len()];
    let mut out = Vec::with_capacity(views.len());
    for start in order {
        let mut stack = vec![(start, 0usize)];
        while let Some((i, next)) = stack.pop() {
            if placed[i] {
                continue;
            }
            visiting[i] = true;
            if let Some(&j) = after[i].get(next) {
                stack.push((i, next + 1));
                if !placed[j] && !visiting[j] {
                    stack.push((j, 0));
                }
                continue;
            }
            visiting[i] = false;
            placed[i] = true;
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use vitaes_schema_core::{ColumnDef, Schema, TableDef, ViewDef};

    use super::super::{diff, diff_with, RenameDecisions};
    use crate::diff::Change;

    fn view(name: &str, query: &str, materialized: bool) -> ViewDef {
        ViewDef {
            name: name.into(),
            schema: "public".into(),
            definition: Some(query.into()),
            materialized,
            existing: false,
            columns: vec![],
            with: vec![],
            with_no_data: false,
            using: None,
            tablespace: None,
        }
    }

    fn items(columns: &[(&str, &str)]) -> TableDef {
        let mut t = TableDef::empty("public", "items");
        for (n, ty) in columns {
            t.columns.push(ColumnDef::new(*n, *ty));
        }
        t
    }

    fn schema(tables: Vec<TableDef>, views: Vec<ViewDef>) -> Schema {
        Schema {
            tables,
            views,
            ..Schema::default()
        }
    }

    fn kinds_and_objects(old: &Schema, new: &Schema) -> Vec<String> {
        diff(old, new)
            .unwrap()
            .changes
            .iter()
            .map(|c| format!("{} {}", c.kind(), c.object()))
            .collect()
    }

    #[test]
    fn a_renamed_column_recreates_the_views_reading_its_table_only() {
        let old = schema(
            vec![items(&[("id", "integer"), ("price", "integer")])],
            vec![
                view("priced", "select id, price from items", false),
                view("other", "select 1 as one", false),
            ],
        );
        let mut renamed = items(&[("id", "integer"), ("cost", "integer")]);
        renamed.columns[1].renamed_from = Some("price".into());
        let new = schema(
            vec![renamed],
            vec![
                view("priced", "select id, cost from items", false),
                view("other", "select 1 as one", false),
            ],
        );
        let plan = diff_with(&old, &new, &RenameDecisions::default()).unwrap();
        let k: Vec<String> = plan
            .changes
            .iter()
            .map(|c| format!("{} {}", c.kind(), c.object()))
            .collect();
        assert_eq!(
            k,
            [
                "drop_view public.priced",
                "rename_column public.items.price",
                "create_view public.priced"
            ]
        );
    }

    #[test]
    fn a_dropped_table_drops_its_views_first_dependents_before_what_they_read() {
        let old = schema(
            vec![items(&[("id", "integer")])],
            vec![
                view("base", "select id from items", false),
                view("totals", "select count(*) from base", true),
            ],
        );
        let new = Schema::default();
        assert_eq!(
            kinds_and_objects(&old, &new),
            [
                "drop_materialized_view public.totals",
                "drop_view public.base",
                "drop_table public.items"
            ]
        );
    }

    #[test]
    fn existing_views_are_never_planned_and_one_becoming_managed_is_replaced() {
        let mut existing = view("legacy", "", false);
        existing.definition = None;
        existing.existing = true;
        let t = || vec![items(&[("id", "integer")])];
        let none = schema(t(), vec![]);
        let with_existing = schema(t(), vec![existing.clone()]);
        assert!(kinds_and_objects(&none, &with_existing).is_empty());
        assert!(kinds_and_objects(&with_existing, &none).is_empty());
        // A managed view declared `existing` from now on stays in place.
        let managed = schema(t(), vec![view("legacy", "select id from items", false)]);
        assert!(kinds_and_objects(&managed, &with_existing).is_empty());
        assert_eq!(
            kinds_and_objects(&with_existing, &managed),
            ["drop_view public.legacy", "create_view public.legacy"]
        );
    }

    #[test]
    fn a_query_the_tokenizer_cannot_read_is_taken_to_read_everything() {
        let old = schema(
            vec![items(&[("id", "integer"), ("n", "integer")])],
            vec![view("odd", "select $$unterminated", false)],
        );
        let new = schema(
            vec![items(&[("id", "integer"), ("n", "bigint")])],
            vec![view("odd", "select $$unterminated", false)],
        );
        let plan = diff(&old, &new).unwrap();
        assert!(
            matches!(
                plan.changes.first(),
                Some(Change::DropView {
                    recreated: true,
                    ..
                })
            ),
            "{:?}",
            plan.changes
        );
    }
}
