//! The migrations folder in drizzle-kit's layout:
//! `NNNN_<tag>.sql`, `meta/_journal.json`, `meta/NNNN_snapshot.json`.

use std::path::{Path, PathBuf};

use vitaes_schema_core::journal::{Journal, JournalEntry};
use vitaes_schema_core::snapshot::{self, Snapshot, ZERO_ID};
use vitaes_schema_core::Schema;

use crate::error::{Error, Result};

/// A migrations folder and its journal as read from disk.
pub struct MigrationsDir {
    pub root: PathBuf,
    pub journal: Journal,
}

impl MigrationsDir {
    /// Opens `root`; a missing folder or journal is an empty history.
    pub fn open(root: &Path) -> Result<MigrationsDir> {
        let journal_path = journal_path(root);
        let journal = if journal_path.is_file() {
            let text = std::fs::read_to_string(&journal_path).map_err(Error::io(&journal_path))?;
            Journal::from_json(&text).map_err(|e| Error::MigrationsFolder {
                path: journal_path.clone(),
                message: format!("not a drizzle-kit journal: {e}"),
            })?
        } else {
            Journal::default()
        };
        if journal.dialect != "postgresql" {
            return Err(Error::MigrationsFolder {
                path: journal_path,
                message: format!(
                    "journal is for dialect `{}`, not postgresql",
                    journal.dialect
                ),
            });
        }
        Ok(MigrationsDir {
            root: root.to_path_buf(),
            journal,
        })
    }

    /// The snapshot of the newest migration, or `None` before the first.
    pub fn last_snapshot(&self) -> Result<Option<Snapshot>> {
        let Some(last) = self.journal.entries.last() else {
            return Ok(None);
        };
        let path = self.snapshot_path(last.idx);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::MigrationsFolder {
            path: path.clone(),
            message: format!("snapshot of migration `{}` cannot be read: {e}", last.tag),
        })?;
        snapshot::from_json(&text)
            .map(Some)
            .map_err(|e| Error::MigrationsFolder {
                path,
                message: e.to_string(),
            })
    }

    pub fn snapshot_path(&self, idx: u32) -> PathBuf {
        self.root
            .join("meta")
            .join(format!("{idx:04}_snapshot.json"))
    }

    pub fn sql_path(&self, tag: &str) -> PathBuf {
        self.root.join(format!("{tag}.sql"))
    }

    /// Writes a new migration: its SQL, its snapshot (chained to the previous
    /// one) and the journal entry. Returns the SQL file's path and the new
    /// snapshot's id.
    pub fn write_migration(
        &mut self,
        name: &str,
        sql: &str,
        schema: &Schema,
        prev_id: Option<&str>,
        now_ms: u64,
    ) -> Result<(PathBuf, String)> {
        let idx = self.journal.entries.last().map_or(0, |e| e.idx + 1);
        let tag = format!("{idx:04}_{name}");
        let meta = self.root.join("meta");
        std::fs::create_dir_all(&meta).map_err(Error::io(&meta))?;

        let snapshot = Snapshot {
            id: uuid::Uuid::new_v4().to_string(),
            prev_id: prev_id.unwrap_or(ZERO_ID).to_string(),
            schema: schema.clone(),
        };
        let sql_path = self.sql_path(&tag);
        write(&sql_path, sql)?;
        write(&self.snapshot_path(idx), &snapshot::to_json(&snapshot))?;
        let when = self.journal.next_when(now_ms);
        self.journal.entries.push(JournalEntry {
            idx,
            version: "7".to_string(),
            when,
            tag,
            breakpoints: true,
        });
        write(&journal_path(&self.root), &self.journal.to_json())?;
        Ok((sql_path, snapshot.id))
    }
}

impl MigrationsDir {
    /// Removes the newest migration: its journal entry first (so an
    /// interruption leaves stray files, which `check` reports, never an entry
    /// without its file), then its SQL file and snapshot.
    pub fn drop_last(&mut self) -> Result<Option<JournalEntry>> {
        let Some(last) = self.journal.entries.pop() else {
            return Ok(None);
        };
        write(&journal_path(&self.root), &self.journal.to_json())?;
        for path in [self.sql_path(&last.tag), self.snapshot_path(last.idx)] {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path)(e)),
            }
        }
        Ok(Some(last))
    }
}

fn journal_path(root: &Path) -> PathBuf {
    root.join("meta").join("_journal.json")
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(Error::io(path))
}
