//! Standalone sequences, matched by schema and name: created before the
//! tables whose defaults call `nextval()` on them, altered in place, dropped
//! after the tables. A sequence that moves or is renamed is dropped and
//! created (its current value is lost, which the drop's hazard says).

use std::collections::HashMap;

use vitaes_schema_core::{Schema, SequenceDef};

use super::Change;

fn by_key(s: &Schema) -> HashMap<(&str, &str), &SequenceDef> {
    s.sequences
        .iter()
        .map(|q| ((q.schema.as_str(), q.name.as_str()), q))
        .collect()
}

/// Appends to `creates` what `new` adds or alters, to `drops` what it lacks.
pub(super) fn diff_sequences(
    old: &Schema,
    new: &Schema,
    creates: &mut Vec<Change>,
    drops: &mut Vec<Change>,
) {
    let olds = by_key(old);
    let news = by_key(new);
    for n in &new.sequences {
        match olds.get(&(n.schema.as_str(), n.name.as_str())) {
            None => creates.push(Change::CreateSequence(n.clone())),
            Some(o) if *o != n => creates.push(Change::AlterSequence {
                from: (*o).clone(),
                to: n.clone(),
            }),
            Some(_) => {}
        }
    }
    for o in &old.sequences {
        if !news.contains_key(&(o.schema.as_str(), o.name.as_str())) {
            drops.push(Change::DropSequence(o.clone()));
        }
    }
}
