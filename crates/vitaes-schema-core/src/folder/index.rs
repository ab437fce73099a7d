//! drizzle-kit 0.31's layout with its default `index` prefix:
//!
//! ```text
//! migrations/
//!   0000_init.sql
//!   0001_add_user_email.sql
//!   meta/_journal.json
//!   meta/0000_snapshot.json
//!   meta/0001_snapshot.json
//! ```
//!
//! The journal functions here are the same for drizzle-kit 0.31's other
//! prefixes, which can call them.

use std::path::Path;

use super::{under, Contents, FolderError, Layout};
use crate::journal::{Journal, JournalEntry};

/// drizzle-kit 0.31, `migrations.prefix = "index"` (its default).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrizzleKitIndex;

const JOURNAL_FILE: &str = "meta/_journal.json";
const SNAPSHOT_SUFFIX: &str = "_snapshot.json";

impl Layout for DrizzleKitIndex {
    fn journal_file(&self) -> &'static str {
        JOURNAL_FILE
    }

    fn read_journal(&self, root: &Path, required: bool) -> Result<Option<Journal>, FolderError> {
        read_journal(&under(root, JOURNAL_FILE), required)
    }

    fn write_journal(&self, root: &Path, journal: &Journal) -> Result<(), FolderError> {
        let path = under(root, JOURNAL_FILE);
        std::fs::write(&path, journal.to_json()).map_err(FolderError::io(path))
    }

    fn tag(&self, idx: u32, name: &str, _now_ms: u64) -> String {
        format!("{idx:04}_{name}")
    }

    fn sql_file(&self, tag: &str) -> String {
        format!("{tag}.sql")
    }

    fn snapshot_file(&self, entry: &JournalEntry) -> String {
        format!("meta/{:04}{SNAPSHOT_SUFFIX}", entry.idx)
    }

    fn snapshot_idx(&self, file: &str) -> Option<u32> {
        let name = file.strip_prefix("meta/").unwrap_or(file);
        name.split('_').next().and_then(|n| n.parse::<u32>().ok())
    }

    fn scan(&self, root: &Path) -> Result<Contents, FolderError> {
        let mut contents = Contents::default();
        let journal = under(root, JOURNAL_FILE);
        if journal.is_file() {
            contents.journal = Some(read(&journal)?);
        }
        for (name, path) in files(root)? {
            if let Some(tag) = name.strip_suffix(".sql") {
                contents.sql.insert(tag.to_string(), read(&path)?);
            }
        }
        for (name, path) in files(&root.join("meta"))? {
            if name.ends_with(SNAPSHOT_SUFFIX) {
                contents
                    .snapshots
                    .insert(format!("meta/{name}"), read(&path)?);
            }
        }
        Ok(contents)
    }
}

/// Reads drizzle-kit 0.31's journal at `path`; without `required`, a path
/// that is not a file is no journal.
pub(super) fn read_journal(path: &Path, required: bool) -> Result<Option<Journal>, FolderError> {
    if !required && !path.is_file() {
        return Ok(None);
    }
    let text = read(path)?;
    let journal = Journal::from_json(&text).map_err(|source| FolderError::Journal {
        path: path.to_path_buf(),
        source,
    })?;
    if journal.dialect != "postgresql" {
        return Err(FolderError::Dialect {
            path: path.to_path_buf(),
            dialect: journal.dialect,
        });
    }
    Ok(Some(journal))
}

fn read(path: &Path) -> Result<String, FolderError> {
    std::fs::read_to_string(path).map_err(FolderError::io(path))
}

/// The names and paths in `dir` (nothing when it is not a folder).
fn files(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>, FolderError> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in std::fs::read_dir(dir).map_err(FolderError::io(dir))? {
        let path = entry.map_err(FolderError::io(dir))?.path();
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            out.push((name.to_string(), path.clone()));
        }
    }
    Ok(out)
}
