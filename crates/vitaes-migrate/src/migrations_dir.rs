//! Writing the next migration of a folder: its snapshot gets a new id,
//! chained to the previous one. Where the files go, and reading them, is
//! [`vitaes_schema_core::folder`]'s.

use std::path::{Path, PathBuf};

use vitaes_schema_core::folder::{Folder, Prefix};
use vitaes_schema_core::snapshot::{Snapshot, ZERO_ID};
use vitaes_schema_core::Schema;

use crate::error::Result;

/// A migrations folder opened for `generate`.
pub struct MigrationsDir {
    folder: Folder,
}

impl MigrationsDir {
    /// Opens `root`; a missing folder or journal is an empty history. New
    /// migrations are tagged in `prefix`'s mode (`[migrations] prefix`),
    /// else in the mode the folder's newest tag shows, else `index`.
    pub fn open(root: &Path, prefix: Option<Prefix>) -> Result<MigrationsDir> {
        Ok(MigrationsDir {
            folder: Folder::open(root)?.writing_with(prefix),
        })
    }

    /// The folder as opened.
    pub fn folder(&self) -> &Folder {
        &self.folder
    }

    /// The snapshot of the newest migration, or `None` before the first.
    pub fn last_snapshot(&self) -> Result<Option<Snapshot>> {
        Ok(self.folder.last_snapshot()?)
    }

    /// Writes a new migration named `name`: its SQL, its snapshot (chained to
    /// `prev_id`) and the journal entry. Returns the SQL file's path and the
    /// new snapshot's id.
    pub fn write_migration(
        &mut self,
        name: &str,
        sql: &str,
        schema: &Schema,
        prev_id: Option<&str>,
        now_ms: u64,
    ) -> Result<(PathBuf, String)> {
        let snapshot = Snapshot {
            id: uuid::Uuid::new_v4().to_string(),
            prev_id: prev_id.unwrap_or(ZERO_ID).to_string(),
            schema: schema.clone(),
        };
        let entry = self.folder.append(name, sql, &snapshot, now_ms)?;
        Ok((entry.sql, snapshot.id))
    }

    /// Takes back the newest migration (a baseline whose recording failed).
    pub fn drop_last(&mut self) -> Result<()> {
        self.folder.drop_last()?;
        Ok(())
    }
}
