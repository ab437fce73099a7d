//! Two objects with one name where PostgreSQL keeps only one, found when the
//! schema is resolved rather than when a migration fails on the server.
//!
//! PostgreSQL has three namespaces that matter here:
//! - relations, per schema: tables, indexes, sequences, and the indexes that
//!   back unique and primary-key constraints (so an index named like a table,
//!   or like another table's unique constraint, cannot be created);
//! - types, per schema: enums and the row type every table has;
//! - constraints, per table: primary key, uniques, foreign keys and checks.
//!
//! The check runs on final names, after [`crate::naming::resolve_name_collisions`]
//! has given default names that PostgreSQL would cut to the same 63 bytes a
//! hash suffix; what still collides is the user's to rename.

use std::collections::HashMap;

use super::{ItemRef, ResolveError};
use crate::model::{EnumDef, TableDef};
use crate::naming;
use crate::unresolved::Loc;

/// Where each object of one resolved table was declared, in the order of the
/// lists of its [`TableDef`].
#[derive(Debug, Clone)]
pub(super) struct TableLocs {
    /// The input item the table came from.
    pub item: ItemRef,
    /// The struct.
    pub table: Loc,
    /// The table-level `primary_key(...)` or the `primary_key` field.
    pub primary_key: Loc,
    /// One per column.
    pub columns: Vec<Loc>,
    /// One per unique constraint (column-level first, as in the `TableDef`).
    pub uniques: Vec<Loc>,
    /// One per foreign key (column-level first).
    pub foreign_keys: Vec<Loc>,
    /// One per index.
    pub indexes: Vec<Loc>,
    /// One per check.
    pub checks: Vec<Loc>,
}

/// An object that takes a name, as the message shows it.
#[derive(Clone)]
struct Claim {
    /// `index "ix" of table "users"`.
    what: String,
    /// The name is a default one (not written in the code).
    derived: bool,
    item: ItemRef,
    loc: Loc,
}

/// The first claim of each name, per namespace key.
struct Namespace<K> {
    first: HashMap<K, Claim>,
    /// How the message names this namespace.
    space: &'static str,
}

impl<K: std::hash::Hash + Eq> Namespace<K> {
    fn new(space: &'static str) -> Self {
        Namespace {
            first: HashMap::new(),
            space,
        }
    }

    /// Records `claim` under `key`, or reports it against the first one;
    /// true when it collided.
    fn claim(&mut self, key: K, claim: Claim, errors: &mut Vec<ResolveError>) -> bool {
        match self.first.get(&key) {
            None => {
                self.first.insert(key, claim);
                false
            }
            Some(first) => {
                errors.push(collision(&claim, first, self.space));
                true
            }
        }
    }
}

fn collision(claim: &Claim, first: &Claim, space: &str) -> ResolveError {
    let help = if claim.derived && first.derived {
        "give one of them a name of its own with `name = \"...\"`"
    } else if claim.derived {
        "give this one a name of its own with `name = \"...\"`, or rename the other"
    } else {
        "rename one of them (`name = \"...\"`)"
    };
    ResolveError {
        item: claim.item,
        loc: claim.loc,
        message: format!(
            "{} has the same name as {}: PostgreSQL keeps one {space}\n  help: {help}",
            claim.what, first.what
        ),
        other: Some((first.item, first.loc)),
    }
}

const RELATIONS: &str =
    "relation of a name per schema (tables, indexes, sequences, and the indexes behind unique and primary keys)";
const TYPES: &str = "type of a name per schema (enums, and the row type of every table)";
const CONSTRAINTS: &str =
    "constraint of a name per table (primary key, unique, foreign key and check)";

/// Reports every name claimed twice in a namespace. `tables` pairs each
/// resolved table (external ones included) with where its objects are;
/// `enums` pairs each enum with where it is. A table declared twice is left
/// to the resolver's own message.
pub(super) fn check(
    tables: &[(&TableDef, &TableLocs)],
    enums: &[(&EnumDef, ItemRef, Loc)],
    errors: &mut Vec<ResolveError>,
) {
    let mut relations = Namespace::new(RELATIONS);
    let mut types = Namespace::new(TYPES);
    for (e, item, loc) in enums {
        let claim = Claim {
            what: format!("enum \"{}\"", e.name),
            derived: false,
            item: *item,
            loc: *loc,
        };
        types.claim((e.schema.clone(), e.name.clone()), claim, errors);
    }
    for (t, locs) in tables {
        let item = locs.item;
        let key = (t.schema.clone(), t.name.clone());
        if relations.first.contains_key(&key) {
            continue;
        }
        let claim = Claim {
            what: format!("table \"{}\"", t.name),
            derived: false,
            item,
            loc: locs.table,
        };
        types.claim(key.clone(), claim.clone(), errors);
        relations.claim(key, claim, errors);
    }
    for (t, locs) in tables {
        let item = locs.item;
        let mut constraints = Namespace::new(CONSTRAINTS);
        for object in table_objects(t, locs, item) {
            // One message per object: a unique constraint named twice
            // collides as an index first.
            let collided = object.relation
                && relations.claim(
                    (t.schema.clone(), object.name.clone()),
                    object.claim.clone(),
                    errors,
                );
            if object.constraint && !collided {
                constraints.claim(object.name, object.claim, errors);
            }
        }
    }
}

/// One named object of a table and the namespaces its name lives in.
struct Named {
    name: String,
    claim: Claim,
    /// In the schema's relations (an index, a sequence, a key's index).
    relation: bool,
    /// In the table's constraints.
    constraint: bool,
}

/// Every named object of `t` except the table itself, with its final name.
fn table_objects(t: &TableDef, locs: &TableLocs, item: ItemRef) -> Vec<Named> {
    let mut out = Vec::new();
    let at = |list: &[Loc], i: usize| list.get(i).copied().unwrap_or(locs.table);
    let mut push = |name: &str, kind: &str, derived: bool, loc: Loc, relation, constraint| {
        let default = if derived { " (its default name)" } else { "" };
        out.push(Named {
            name: name.to_string(),
            claim: Claim {
                what: format!("{kind} \"{name}\" of table \"{}\"{default}", t.name),
                derived,
                item,
                loc,
            },
            relation,
            constraint,
        });
    };
    if t.columns.iter().any(|c| c.primary_key) {
        push(
            &naming::pkey_name(&t.name),
            "primary key",
            true,
            locs.primary_key,
            true,
            true,
        );
    }
    if let Some(pk) = &t.primary_key {
        let derived = pk.name == naming::primary_key_name(&t.name, &pk.columns);
        push(
            &pk.name,
            "primary key",
            derived,
            locs.primary_key,
            true,
            true,
        );
    }
    for (i, u) in t.uniques.iter().enumerate() {
        let derived = u.name == naming::unique_name(&t.name, &u.columns);
        let loc = at(&locs.uniques, i);
        push(&u.name, "unique constraint", derived, loc, true, true);
    }
    for (i, fk) in t.foreign_keys.iter().enumerate() {
        let derived = fk.name
            == naming::foreign_key_name(&t.name, &fk.columns, &fk.ref_table, &fk.ref_columns);
        let loc = at(&locs.foreign_keys, i);
        push(&fk.name, "foreign key", derived, loc, false, true);
    }
    for (i, c) in t.checks.iter().enumerate() {
        push(&c.name, "check", false, at(&locs.checks, i), false, true);
    }
    for (i, ix) in t.indexes.iter().enumerate() {
        let exprs: Vec<String> = ix.columns.iter().map(|c| c.expression.clone()).collect();
        let derived = ix.name == naming::index_name(&t.name, &exprs);
        push(
            &ix.name,
            "index",
            derived,
            at(&locs.indexes, i),
            true,
            false,
        );
    }
    for (i, c) in t.columns.iter().enumerate() {
        let loc = at(&locs.columns, i);
        if let Some(identity) = &c.identity {
            let derived =
                identity.name == naming::truncate_identifier(&format!("{}_{}_seq", t.name, c.name));
            push(&identity.name, "sequence", derived, loc, true, false);
        } else if c.sql_type.ends_with("serial") {
            let name = naming::sequence_name(&t.name, &c.name);
            push(&name, "sequence", true, loc, true, false);
        }
    }
    out
}
