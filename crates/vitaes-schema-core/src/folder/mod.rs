//! The migrations folder: which files hold what, and reading and writing them.
//! Everything that knows a migration's file names goes through here: `generate`
//! (appending), `migrate`/`status` (`Migrator::from_dir`), `check` (scanning),
//! `drop` (removing the last) and `embed_migrations!` (listing at compile
//! time), so they all see one list of migrations in one order.
//!
//! A [`Layout`] says where things are; [`Folder`] does the reading and writing
//! over one, through the layout's names. The layout today is
//! [`DrizzleKit`]: drizzle-kit 0.31's `<tag>.sql`, `meta/_journal.json` and
//! `meta/<prefix>_snapshot.json`, whose [`Prefix`] (`index`, the
//! [`DEFAULT`], `timestamp`, `supabase`, `unix`, `none`) only decides the
//! tags of new migrations: every prefix reads alike.
//!
//! Other layouts go next to `drizzle_kit.rs`, one file and one `impl Layout`
//! each, with no change to the commands: drizzle-kit 1.0's folder per
//! migration (`<YYYYMMDDHHmmss>_<name>/migration.sql` and
//! `.../snapshot.json`, no journal: its [`Layout::read_journal`] lists the
//! folders as entries, `when` taken from the name, and its
//! [`Layout::write_journal`] writes nothing; [`Folder::drop_last`] then also
//! has to remove the emptied folder).

mod drizzle_kit;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::journal::{Journal, JournalEntry};
use crate::snapshot::{self, Snapshot, SnapshotError};

pub use drizzle_kit::{DrizzleKit, Prefix, POSTGRES_DIALECTS};

/// The layout a folder has unless told otherwise: drizzle-kit 0.31, `index`
/// prefix. Reading does not depend on the prefix.
pub static DEFAULT: &dyn Layout = &DrizzleKit {
    prefix: Prefix::Index,
};

/// Where a migrations folder keeps its journal, migrations and snapshots.
/// File names are relative to the folder, `/`-separated (as messages show
/// them); [`Folder`] joins them onto the folder's path.
pub trait Layout: fmt::Debug + Send + Sync {
    /// The file listing the migrations (`meta/_journal.json`).
    fn journal_file(&self) -> &'static str;

    /// The folder's migrations, oldest first. Without a journal: `Ok(None)`,
    /// unless `required`, when failing to read it is the error.
    fn read_journal(&self, root: &Path, required: bool) -> Result<Option<Journal>, FolderError>;

    /// Records `journal` as the folder's list of migrations.
    fn write_journal(&self, root: &Path, journal: &Journal) -> Result<(), FolderError>;

    /// The tag of a new migration: number `idx`, named `name` (already
    /// [sanitised](sanitize_tag)), made at `now_ms` (milliseconds since the
    /// epoch), e.g. `0003_add_user_email`.
    fn tag(&self, idx: u32, name: &str, now_ms: u64) -> String;

    /// The SQL file of the migration tagged `tag` (`0003_add_user_email.sql`).
    fn sql_file(&self, tag: &str) -> String;

    /// The snapshot of `entry`: the schema after it (`meta/0003_snapshot.json`).
    fn snapshot_file(&self, entry: &JournalEntry) -> String;

    /// Every file of the folder that looks like a migration or a snapshot,
    /// whether or not the journal lists it (what `check` compares).
    fn scan(&self, root: &Path) -> Result<Contents, FolderError>;
}

/// A migrations folder's files as text, for checking them against each other.
#[derive(Debug, Default, Clone)]
pub struct Contents {
    /// The journal's text, if there is a journal.
    pub journal: Option<String>,
    /// Migration files by tag.
    pub sql: BTreeMap<String, String>,
    /// Snapshot files by file name relative to the folder
    /// (`meta/0000_snapshot.json`).
    pub snapshots: BTreeMap<String, String>,
}

/// Reading or writing the folder failed; every error names its file.
#[derive(Debug)]
pub enum FolderError {
    /// A file or folder could not be read, written or removed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why the operation failed.
        source: io::Error,
    },
    /// The journal is not JSON of drizzle-kit's journal.
    Journal {
        /// The journal file.
        path: PathBuf,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The journal is for another database.
    Dialect {
        /// The journal file.
        path: PathBuf,
        /// The dialect it names.
        dialect: String,
    },
    /// A journal entry's SQL file cannot be read.
    SqlFile {
        /// The SQL file expected.
        path: PathBuf,
        /// The entry's `idx`.
        idx: u32,
        /// The entry's tag.
        tag: String,
        /// Why reading failed.
        source: io::Error,
    },
    /// A migration file holds a NUL byte, which PostgreSQL cannot take in
    /// a statement (the connection fails instead).
    NulByte {
        /// The SQL file.
        path: PathBuf,
        /// Where the first NUL is, in bytes from the start.
        offset: usize,
    },
    /// A migration's snapshot cannot be read.
    SnapshotFile {
        /// The snapshot file expected.
        path: PathBuf,
        /// The migration's tag.
        tag: String,
        /// Why reading failed.
        source: io::Error,
    },
    /// A snapshot was read but is not one this crate reads.
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// What is wrong with it.
        source: SnapshotError,
    },
}

impl FolderError {
    /// The file (or folder) the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FolderError::Io { path, .. }
            | FolderError::Journal { path, .. }
            | FolderError::Dialect { path, .. }
            | FolderError::SqlFile { path, .. }
            | FolderError::NulByte { path, .. }
            | FolderError::SnapshotFile { path, .. }
            | FolderError::Snapshot { path, .. } => path,
        }
    }

    /// What is wrong with [`FolderError::path`], without the path.
    pub fn message(&self) -> String {
        match self {
            FolderError::Io { source, .. } => source.to_string(),
            FolderError::Journal { source, .. } => {
                format!("not a drizzle-kit journal: {source}")
            }
            FolderError::Dialect { dialect, .. } => {
                format!("journal is for dialect `{dialect}`, not postgresql")
            }
            FolderError::SqlFile {
                idx, tag, source, ..
            } => format!("journal entry {idx} (`{tag}`) has no readable file: {source}"),
            FolderError::NulByte { offset, .. } => format!(
                "byte {offset} is a NUL (0x00), which PostgreSQL cannot take in a statement: remove it (a bad copy or an editor put it there)"
            ),
            FolderError::SnapshotFile { tag, source, .. } => {
                format!("snapshot of migration `{tag}` cannot be read: {source}")
            }
            FolderError::Snapshot { source, .. } => source.to_string(),
        }
    }

    /// The I/O error underneath, for callers that report `io::Error`s.
    pub fn into_io(self) -> io::Error {
        match self {
            FolderError::Io { source, .. }
            | FolderError::SqlFile { source, .. }
            | FolderError::SnapshotFile { source, .. } => source,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> FolderError {
        let path = path.into();
        move |source| FolderError::Io { path, source }
    }
}

impl fmt::Display for FolderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path().display(), self.message())
    }
}

impl std::error::Error for FolderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FolderError::Io { source, .. }
            | FolderError::SqlFile { source, .. }
            | FolderError::SnapshotFile { source, .. } => Some(source),
            FolderError::Journal { source, .. } => Some(source),
            FolderError::Snapshot { source, .. } => Some(source),
            FolderError::Dialect { .. } | FolderError::NulByte { .. } => None,
        }
    }
}

/// One migration of a folder: its journal entry and where its files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The journal's record of the migration.
    pub journal: JournalEntry,
    /// The migration's SQL file.
    pub sql: PathBuf,
    /// The snapshot of the schema after the migration.
    pub snapshot: PathBuf,
}

impl Entry {
    /// The migration's tag (`0003_add_user_email`).
    pub fn tag(&self) -> &str {
        &self.journal.tag
    }

    /// The SQL file's text, exactly as stored.
    pub fn read_sql(&self) -> Result<String, FolderError> {
        let text = std::fs::read_to_string(&self.sql).map_err(|source| FolderError::SqlFile {
            path: self.sql.clone(),
            idx: self.journal.idx,
            tag: self.journal.tag.clone(),
            source,
        })?;
        match text.find('\0') {
            Some(offset) => Err(FolderError::NulByte {
                path: self.sql.clone(),
                offset,
            }),
            None => Ok(text),
        }
    }

    /// The schema after this migration.
    pub fn read_snapshot(&self) -> Result<Snapshot, FolderError> {
        let text = std::fs::read_to_string(&self.snapshot).map_err(|source| {
            FolderError::SnapshotFile {
                path: self.snapshot.clone(),
                tag: self.journal.tag.clone(),
                source,
            }
        })?;
        snapshot::from_json(&text).map_err(|source| FolderError::Snapshot {
            path: self.snapshot.clone(),
            source,
        })
    }
}

/// A migrations folder and its journal as read from disk.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
    layout: &'static dyn Layout,
    journal: Journal,
    has_journal: bool,
}

impl Folder {
    /// Opens `root` in the [`DEFAULT`] layout; a missing folder or journal is
    /// an empty history (what `generate` starts from).
    pub fn open(root: &Path) -> Result<Folder, FolderError> {
        Folder::open_in(DEFAULT, root, false)
    }

    /// Opens `root` in the [`DEFAULT`] layout; the journal must be there.
    pub fn open_existing(root: &Path) -> Result<Folder, FolderError> {
        Folder::open_in(DEFAULT, root, true)
    }

    /// Opens `root` in `layout`; with `required`, a journal that cannot be
    /// read is an error, else it is an empty history.
    pub fn open_in(
        layout: &'static dyn Layout,
        root: &Path,
        required: bool,
    ) -> Result<Folder, FolderError> {
        let (journal, has_journal) = match layout.read_journal(root, required)? {
            Some(journal) => (journal, true),
            None => (Journal::default(), false),
        };
        Ok(Folder {
            root: root.to_path_buf(),
            layout,
            journal,
            has_journal,
        })
    }

    /// The same folder, naming new migrations in `prefix`'s mode; without
    /// one, in the mode of the newest migration's tag (a `timestamp` folder
    /// stays one), else drizzle-kit's default `index`.
    pub fn writing_with(mut self, prefix: Option<Prefix>) -> Folder {
        let inferred = self
            .journal
            .entries
            .last()
            .and_then(|e| Prefix::of_tag(&e.tag));
        self.layout = prefix.or(inferred).unwrap_or_default().layout();
        self
    }

    /// The folder's path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The layout the folder is read and written in.
    pub fn layout(&self) -> &'static dyn Layout {
        self.layout
    }

    /// The journal as read (empty if there was none).
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Whether the journal was there when the folder was opened.
    pub fn has_journal(&self) -> bool {
        self.has_journal
    }

    /// Where the journal file is (or would be).
    pub fn journal_path(&self) -> PathBuf {
        under(&self.root, self.layout.journal_file())
    }

    /// `entry` with its files' paths.
    pub fn entry(&self, entry: &JournalEntry) -> Entry {
        Entry {
            sql: under(&self.root, &self.layout.sql_file(&entry.tag)),
            snapshot: under(&self.root, &self.layout.snapshot_file(entry)),
            journal: entry.clone(),
        }
    }

    /// Every migration, in the journal's order (the order they apply in).
    pub fn entries(&self) -> Vec<Entry> {
        self.journal.entries.iter().map(|e| self.entry(e)).collect()
    }

    /// The newest migration.
    pub fn last(&self) -> Option<Entry> {
        self.journal.entries.last().map(|e| self.entry(e))
    }

    /// The snapshot of the newest migration, or `None` before the first.
    pub fn last_snapshot(&self) -> Result<Option<Snapshot>, FolderError> {
        self.last().map(|e| e.read_snapshot()).transpose()
    }

    /// The tag the next migration named `name` (already
    /// [sanitised](sanitize_tag)) gets.
    pub fn next_tag(&self, name: &str, now_ms: u64) -> String {
        self.layout.tag(self.next_idx(), name, now_ms)
    }

    fn next_idx(&self) -> u32 {
        self.journal.entries.last().map_or(0, |e| e.idx + 1)
    }

    /// Writes a new migration named `name` (already
    /// [sanitised](sanitize_tag)): its SQL, its snapshot, then its journal
    /// entry, whose `when` is `now_ms` or just after the previous entry's.
    pub fn append(
        &mut self,
        name: &str,
        sql: &str,
        snapshot: &Snapshot,
        now_ms: u64,
    ) -> Result<Entry, FolderError> {
        let idx = self.next_idx();
        let mut journal_entry = JournalEntry {
            idx,
            version: "7".to_string(),
            when: self.journal.next_when(now_ms),
            tag: self.layout.tag(idx, name, now_ms),
            breakpoints: true,
        };
        // A time prefix repeats within its second (drizzle-kit then
        // overwrites the earlier snapshot); step on until this migration's
        // snapshot is its own. (`none` shares one snapshot by design.)
        let mut at = now_ms;
        while journal_entry.tag != self.layout.tag(idx, name, at.saturating_add(1000))
            && self
                .journal
                .entries
                .iter()
                .any(|e| self.layout.snapshot_file(e) == self.layout.snapshot_file(&journal_entry))
        {
            at = at.saturating_add(1000);
            journal_entry.tag = self.layout.tag(idx, name, at);
        }
        let entry = self.entry(&journal_entry);
        // Folders this call creates, outermost first, to remove on failure.
        let mut made: Vec<PathBuf> = Vec::new();
        for file in [&entry.sql, &entry.snapshot] {
            if let Some(dir) = file.parent() {
                let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.exists()).collect();
                made.extend(missing.iter().rev().map(|d| d.to_path_buf()));
                std::fs::create_dir_all(dir).map_err(FolderError::io(dir))?;
            }
        }
        // Each file whole or not at all, the journal last; a failure removes
        // what this call placed, so the folder is as it was.
        let mut placed: Vec<&Path> = Vec::new();
        let snapshot_json = snapshot::to_json(snapshot);
        let mut outcome = Ok(());
        for (path, text) in [(&entry.sql, sql), (&entry.snapshot, snapshot_json.as_str())] {
            let existed = path.exists();
            outcome = write_atomically(path, text);
            if outcome.is_err() {
                break;
            }
            if !existed {
                placed.push(path);
            }
        }
        if outcome.is_ok() {
            self.journal.entries.push(journal_entry);
            outcome = self.layout.write_journal(&self.root, &self.journal);
            if outcome.is_err() {
                self.journal.entries.pop();
            }
        }
        if let Err(e) = outcome {
            for path in placed {
                let _ = std::fs::remove_file(path);
            }
            for dir in made.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
            return Err(e);
        }
        Ok(entry)
    }

    /// Removes the newest migration: its journal entry first (so an
    /// interruption leaves stray files, which `check` reports, never an entry
    /// without its file), then its SQL file and snapshot.
    pub fn drop_last(&mut self) -> Result<Option<Entry>, FolderError> {
        let Some(last) = self.journal.entries.pop() else {
            return Ok(None);
        };
        self.layout.write_journal(&self.root, &self.journal)?;
        let entry = self.entry(&last);
        for path in [&entry.sql, &entry.snapshot] {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(FolderError::io(path)(e)),
            }
        }
        Ok(Some(entry))
    }
}

/// A user's migration name as a tag's name: lower-case ASCII letters, digits
/// and `_`, at most 40 characters, cut at a word boundary when a word would be
/// split. Empty when `raw` has no letter or digit.
pub fn sanitize_tag(raw: &str) -> String {
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let mut out = clean.trim_matches('_').to_string();
    if out.len() > 40 {
        let cut = out[..=40].rfind('_').filter(|&i| i >= 20).unwrap_or(40);
        out.truncate(cut);
    }
    out.trim_matches('_').to_string()
}

/// `rel` (`/`-separated) under `root`.
pub(crate) fn under(root: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(root.to_path_buf(), |p, part| p.join(part))
}

/// Writes `text` to `path` so that `path` is either as it was or the whole
/// new text, never a part: a temporary file in the same folder, flushed to
/// disk, then renamed over `path`. On failure the temporary file is removed.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<(), FolderError> {
    use std::io::Write as _;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()
    })();
    let placed = written.and_then(|()| std::fs::rename(&tmp, path));
    placed.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        FolderError::io(path)(e)
    })
}

#[cfg(test)]
mod tests;
