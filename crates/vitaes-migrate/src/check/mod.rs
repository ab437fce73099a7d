//! `check`: is the migrations folder healthy, and is the code in it? No
//! database. What CI runs on every pull request: it catches the journal, the
//! files and the snapshots disagreeing, two branches that both generated from
//! one parent, and code changed without `generate`.
//!
//! [`read`] does the I/O; [`findings`] is pure over what was read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

mod enum_values;

use serde::Serialize;
use vitaes_schema_core::folder::{Contents, FolderError, DEFAULT as LAYOUT, POSTGRES_DIALECTS};
use vitaes_schema_core::journal::Journal;
use vitaes_schema_core::snapshot::{self, ZERO_ID};
use vitaes_schema_core::Schema;

use crate::diff;
use crate::migrator::runs_outside_transaction;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// What a finding puts at risk, so the commands that write or apply refuse
/// exactly what would make them wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concern {
    /// The journal's entries, which every command reads.
    Journal,
    /// The snapshot chain whose end `generate` diffs against.
    Snapshots,
    /// One file's own problem (a stray file, an old snapshot's lost parent).
    File,
    /// The code against the last snapshot.
    Code,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// What it puts at risk (not part of `--json`).
    #[serde(skip)]
    pub concern: Concern,
    /// The file it is about (relative to the folder).
    pub file: PathBuf,
    pub message: String,
    /// What to do about it.
    pub fix: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.file.display(), self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "\n  fix: {fix}")?;
        }
        Ok(())
    }
}

/// The folder's files as text: the journal, `<tag>.sql` files by tag and
/// snapshot files by name in the folder (`meta/0000_snapshot.json`).
pub type Folder = Contents;

pub fn read(dir: &Path) -> std::io::Result<Folder> {
    LAYOUT.scan(dir).map_err(FolderError::into_io)
}

/// What to do with a snapshot older than version 7.
const SNAPSHOT_UPGRADE: &str = "snapshots of drizzle-kit 0.31 (postgresql, version 7) are read; `npx drizzle-kit up --dialect postgresql --out <this folder>` (drizzle-kit 0.31) rewrites older ones (versions 5 and 6) as version 7";

const DROP_FIX: &str = "keep one line of history: `vitaes-migrate drop` the later migration (on the branch that has not deployed it), then run `vitaes-migrate generate` to write its changes again on top";

/// Everything wrong with `folder`, and with `code` against its last snapshot
/// when given.
pub fn findings(
    folder: &Folder,
    code: Option<&Schema>,
    scope: &crate::scope::Scope,
) -> Vec<Finding> {
    let journal_file = LAYOUT.journal_file();
    let mut out = Vec::new();
    let error = |concern: Concern, file: &str, message: String, fix: Option<&str>| Finding {
        severity: Severity::Error,
        concern,
        file: PathBuf::from(file),
        message,
        fix: fix.map(str::to_string),
    };
    let Some(journal_text) = &folder.journal else {
        if !folder.sql.is_empty() || !folder.snapshots.is_empty() {
            out.push(error(
                Concern::Journal,
                journal_file,
                "missing, but the folder has migrations".into(),
                Some("restore it from version control"),
            ));
        } else if code.is_some_and(|c| !c.is_empty()) {
            out.push(error(
                Concern::Code,
                journal_file,
                "no migrations yet, but the code has tables".into(),
                Some("run `vitaes-migrate generate`"),
            ));
        }
        return out;
    };
    let journal = match Journal::from_json(journal_text) {
        Ok(j) => j,
        Err(e) => {
            let markers = journal_text.contains("<<<<<<<");
            out.push(error(
                Concern::Journal,
                journal_file,
                format!(
                    "not a drizzle-kit journal: {e}{}",
                    if markers {
                        " (a merge left conflict markers)"
                    } else {
                        ""
                    }
                ),
                Some("resolve it keeping both sides' entries, then run check again"),
            ));
            return out;
        }
    };
    // drizzle-kit 0.31 and drizzle-orm's migrator read any header version;
    // only another database's journal is wrong here.
    if !POSTGRES_DIALECTS.contains(&journal.dialect.as_str()) {
        out.push(error(
            Concern::Journal,
            journal_file,
            format!(
                "journal is for dialect `{}`, not PostgreSQL",
                journal.dialect
            ),
            Some("point --out (or `out` in vitaes.toml) at the PostgreSQL migrations folder"),
        ));
    }

    // Entries: unique idx in sequence, unique and rising `when`, a file each.
    let mut by_idx: HashMap<u32, &str> = HashMap::new();
    let mut by_when: HashMap<u64, &str> = HashMap::new();
    let mut expected_idx = 0;
    for (pos, e) in journal.entries.iter().enumerate() {
        if let Some(other) = by_idx.insert(e.idx, &e.tag) {
            out.push(error(
                Concern::Journal, journal_file,
                format!("`{other}` and `{}` both have idx {} (two branches both generated migration {})", e.tag, e.idx, e.idx),
                Some(DROP_FIX),
            ));
        } else if e.idx != expected_idx {
            // One finding per gap or jump, not one per entry after it.
            out.push(error(
                Concern::Journal, journal_file,
                if e.idx > expected_idx {
                    format!("entry `{}` has idx {} where {expected_idx} comes next: idx {expected_idx}{} missing", e.tag, e.idx,
                        if e.idx - expected_idx > 1 { format!("–{} are", e.idx - 1) } else { " is".to_string() })
                } else {
                    format!("entry `{}` has idx {} after idx {}: the entries are out of order", e.tag, e.idx, expected_idx - 1)
                },
                Some("number the entries 0, 1, 2, … in order, renaming their files and snapshots to match"),
            ));
        }
        expected_idx = expected_idx.max(e.idx + 1);
        if let Some(other) = by_when.insert(e.when, &e.tag) {
            out.push(error(
                Concern::Journal, journal_file,
                format!("`{other}` and `{}` have the same `when` ({}); the migrations table tells migrations apart by it", e.tag, e.when),
                Some("give the later entry a larger `when` (milliseconds since the epoch) before either is applied"),
            ));
        }
        if pos > 0 && e.when < journal.entries[pos - 1].when {
            out.push(Finding {
                severity: Severity::Warning,
                concern: Concern::Journal,
                file: PathBuf::from(journal_file),
                message: format!(
                    "`{}` is older than `{}` before it: drizzle-orm's migrator skips it on a database that has the newer one (vitaes-migrate applies it)",
                    e.tag, journal.entries[pos - 1].tag
                ),
                fix: None,
            });
        }
        match folder.sql.get(&e.tag) {
            None => out.push(error(
                Concern::File, &LAYOUT.sql_file(&e.tag),
                format!("journal entry {} has no migration file", e.idx),
                Some("restore the file, or remove the entry with `vitaes-migrate drop` if it is the last"),
            )),
            Some(sql) => out.extend(file_warnings(&e.tag, sql)),
        }
        // Only the newest snapshot is read (by generate and here); an older
        // one missing (a hand-written migration) breaks nothing unless the
        // chain does, which is checked below.
        let snap = LAYOUT.snapshot_file(e);
        if pos + 1 == journal.entries.len() && !folder.snapshots.contains_key(&snap) {
            out.push(error(
                Concern::Snapshots, &snap,
                format!("journal entry `{}` has no snapshot", e.tag),
                Some("restore it from version control; without it the next generate compares with an older schema"),
            ));
        }
    }
    for tag in folder.sql.keys() {
        if !journal.entries.iter().any(|e| &e.tag == tag) {
            out.push(error(
                Concern::File, &LAYOUT.sql_file(tag),
                "no journal entry: no migrator will run it".into(),
                Some(&format!("add its entry back to {journal_file} (a merge may have dropped it), or delete the file")),
            ));
        }
    }

    // Snapshots: supported, one parent each, one chain.
    let mut snaps: Vec<(String, String, String)> = Vec::new(); // (file, id, prevId)
    let mut last_schema = None;
    let last_file = journal.entries.last().map(|e| LAYOUT.snapshot_file(e));
    let entry_snapshots: HashSet<String> = journal
        .entries
        .iter()
        .map(|e| LAYOUT.snapshot_file(e))
        .collect();
    for (file, text) in &folder.snapshots {
        let path = file.clone();
        if !entry_snapshots.contains(file.as_str()) {
            out.push(error(
                Concern::File,
                &path,
                "no journal entry has this snapshot's prefix".into(),
                Some("delete it, or restore the journal entry it belongs to"),
            ));
        }
        match snapshot::from_json(text) {
            Ok(s) => {
                if last_file.as_ref() == Some(file) {
                    last_schema = Some(s.schema.clone());
                }
                snaps.push((path, s.id, s.prev_id));
            }
            Err(e) => out.push(error(
                Concern::Snapshots,
                &path,
                format!("cannot be read: {e}"),
                Some(SNAPSHOT_UPGRADE),
            )),
        }
    }
    let mut ids: HashMap<&str, &str> = HashMap::new();
    for (file, id, _) in &snaps {
        if let Some(first) = ids.insert(id.as_str(), file.as_str()) {
            out.push(error(
                Concern::Snapshots, file,
                format!("has the id of {first} ({id}): one snapshot was copied from the other, so the chain cannot tell them apart"),
                Some("regenerate the later migration: `vitaes-migrate drop` it, then `vitaes-migrate generate`"),
            ));
            ids.insert(id.as_str(), first);
        }
    }
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, _, prev) in &snaps {
        // drizzle-kit's first snapshots had `""` as the root's prevId.
        let prev = if prev.is_empty() {
            ZERO_ID
        } else {
            prev.as_str()
        };
        children.entry(prev).or_default().push(file);
        if prev != ZERO_ID && !ids.contains_key(prev) {
            out.push(error(
                Concern::File, file,
                format!("its prevId {prev} is no snapshot's id: the chain is broken (a snapshot lost in a merge?)"),
                Some(DROP_FIX),
            ));
        }
    }
    for (prev, files) in &children {
        if files.len() > 1 {
            let parent = if *prev == ZERO_ID {
                "the empty schema".to_string()
            } else {
                ids.get(prev).map_or(prev.to_string(), |f| f.to_string())
            };
            out.push(error(
                Concern::Snapshots, files[1],
                format!(
                    "{} were both generated from {parent}: two branches generated migrations in parallel, so the later one does not know the other's changes",
                    files.join(" and ")
                ),
                Some(DROP_FIX),
            ));
        }
    }

    // Every snapshot leads back to the root (a cycle never does), and the
    // newest migration's snapshot ends the chain: generate diffs against it,
    // so a snapshot generated after it would be ignored. (A journal whose
    // order differs from the chain's, as merges leave it, is the `when`
    // warning's business.)
    let by_id: HashMap<&str, &str> = snaps
        .iter()
        .map(|(_, id, prev)| (id.as_str(), prev.as_str()))
        .collect();
    let mut in_cycle = false;
    let mut reported: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (file, id, _) in &snaps {
        let mut seen = vec![id.as_str()];
        let mut at = id.as_str();
        while let Some(&prev) = by_id.get(at) {
            if prev.is_empty() || prev == ZERO_ID || !by_id.contains_key(prev) {
                break;
            }
            if seen.contains(&prev) {
                if !reported.contains(prev) {
                    let files: Vec<&str> = seen
                        .iter()
                        .skip_while(|i| **i != prev)
                        .map(|i| ids.get(i).copied().unwrap_or(i))
                        .collect();
                    out.push(error(
                        Concern::Snapshots, file,
                        format!("the prevIds form a cycle ({} and back): no snapshot of it leads to the empty schema", files.join(" → ")),
                        Some("restore the snapshots from version control"),
                    ));
                    reported.extend(seen.iter().skip_while(|i| **i != prev).copied());
                }
                in_cycle = true;
                break;
            }
            seen.push(prev);
            at = prev;
        }
    }
    if let (false, Some(file)) = (in_cycle, &last_file) {
        if let Some((_, last_id, _)) = snaps.iter().find(|(f, _, _)| f == file) {
            for (child, _, prev) in &snaps {
                if prev == last_id {
                    out.push(error(
                        Concern::Snapshots, child,
                        format!("was generated from {file}, the newest migration's snapshot, but no journal entry after it has this snapshot: the chain runs past the journal's end"),
                        Some("restore the journal entry it belongs to, or restore the snapshots from version control"),
                    ));
                }
            }
        }
    }

    let files: Vec<(&str, &str)> = journal
        .entries
        .iter()
        .filter_map(|e| folder.sql.get(&e.tag).map(|s| (e.tag.as_str(), s.as_str())))
        .collect();
    out.extend(enum_values::findings(&files, last_schema.as_ref()));

    if let (Some(code), Some(last)) = (code, &last_schema) {
        let (mut last, mut code) = (last.clone(), code.clone());
        scope.apply(&mut last, &mut code);
        match diff::diff(&last, &code) {
            Ok(plan) if plan.is_empty() => {}
            Ok(plan) => out.push(error(
                Concern::Code,
                last_file.as_deref().unwrap_or_default(),
                format!(
                    "the code differs from the last snapshot ({} change{}, e.g. {} {}):\n{}",
                    plan.changes.len(),
                    if plan.changes.len() == 1 { "" } else { "s" },
                    plan.changes[0].kind(),
                    plan.changes[0].object(),
                    crate::unified::unified("last snapshot", &last, "code", &code, false)
                        .trim_end()
                ),
                Some("run `vitaes-migrate generate` and commit the migration with the code"),
            )),
            Err(_) => out.push(error(
                Concern::Code,
                journal_file,
                "the code differs from the last snapshot (with renames to decide)".into(),
                Some("run `vitaes-migrate generate` and commit the migration with the code"),
            )),
        }
    } else if let (Some(code), None) = (code, &last_schema) {
        if journal.entries.is_empty() && !code.is_empty() {
            out.push(error(
                Concern::Code,
                journal_file,
                "no migrations yet, but the code has tables".into(),
                Some("run `vitaes-migrate generate`"),
            ));
        }
    }
    out
}

/// check's words for the errors of `folder` that concern any of `concerns`,
/// for a command that refuses to work on such a folder (`command` names it);
/// `None` when there are none.
pub fn refusal(folder: &Folder, concerns: &[Concern], command: &str) -> Option<String> {
    let errors: Vec<String> = findings(folder, None, &Default::default())
        .into_iter()
        .filter(|f| f.severity == Severity::Error && concerns.contains(&f.concern))
        .map(|f| f.to_string())
        .collect();
    (!errors.is_empty()).then(|| {
        format!(
            "check finds this folder broken, so {command} does not touch it:\n{}",
            errors.join("\n")
        )
    })
}

fn file_warnings(tag: &str, sql: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(offset) = sql.find('\0') {
        let path = PathBuf::from(LAYOUT.sql_file(tag));
        out.push(Finding {
            severity: Severity::Error,
            concern: Concern::File,
            message: FolderError::NulByte {
                path: path.clone(),
                offset,
            }
            .message(),
            file: path,
            fix: None,
        });
    }
    if runs_outside_transaction(sql) {
        out.push(Finding {
            severity: Severity::Warning,
            concern: Concern::File,
            file: PathBuf::from(LAYOUT.sql_file(tag)),
            message: "runs outside a transaction (`-- vitaes:no-transaction`): drizzle-orm's migrator cannot run it, and a failure keeps its earlier statements".into(),
            fix: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_anything_is_fine() {
        assert!(findings(&Folder::default(), None, &Default::default()).is_empty());
    }
}
