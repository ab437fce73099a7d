//! drizzle-kit 0.31's layout, with each of its `migrations.prefix` modes:
//!
//! ```text
//! migrations/                       index (default)   timestamp, supabase      unix
//!   <tag>.sql                       0000_init.sql     20250508083758_init.sql  1746693478_init.sql
//!   meta/_journal.json
//!   meta/<prefix>_snapshot.json     0000_snapshot.json  20250508083758_snapshot.json ...
//! ```
//!
//! A tag is `<prefix>_<name>`; its snapshot is named by the tag's text
//! before the first `_`, as drizzle-kit's `drop` finds it. With `none` the
//! prefix is empty: tags start with `_` and every migration shares
//! `meta/_snapshot.json` (so only the last one's schema is kept, which is
//! what drizzle-kit 0.31 itself does with that mode).
//!
//! Reading is the same for every mode, so a folder reads whatever its prefix
//! is; the mode only decides the tags of new migrations.

use std::path::Path;

use super::{under, write_atomically, Contents, FolderError, Layout};
use crate::journal::{Journal, JournalEntry};

/// drizzle-kit 0.31's `migrations.prefix`: how new migrations are tagged.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Prefix {
    /// `0003_name`: the journal index, four digits (drizzle-kit's default).
    #[default]
    Index,
    /// `20250508083758_name`: UTC time of generation, to the second.
    Timestamp,
    /// The same as `timestamp` (Supabase CLI's file names).
    Supabase,
    /// `1746693478_name`: seconds since the epoch.
    Unix,
    /// `_name`: no prefix.
    None,
}

impl Prefix {
    /// Every mode, in drizzle-kit's order.
    pub const ALL: [Prefix; 5] = [
        Prefix::Index,
        Prefix::Timestamp,
        Prefix::Supabase,
        Prefix::Unix,
        Prefix::None,
    ];

    /// The mode an existing tag was written in, judged by its prefix's
    /// length (`supabase` reads as `timestamp`, which writes the same).
    pub fn of_tag(tag: &str) -> Option<Prefix> {
        let prefix = tag_prefix(tag);
        if !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match prefix.len() {
            0 => Some(Prefix::None),
            4 => Some(Prefix::Index),
            10 => Some(Prefix::Unix),
            14 => Some(Prefix::Timestamp),
            _ => None,
        }
    }

    /// The layout that writes this mode's tags.
    pub fn layout(self) -> &'static dyn Layout {
        static LAYOUTS: [DrizzleKit; 5] = [
            DrizzleKit {
                prefix: Prefix::Index,
            },
            DrizzleKit {
                prefix: Prefix::Timestamp,
            },
            DrizzleKit {
                prefix: Prefix::Supabase,
            },
            DrizzleKit {
                prefix: Prefix::Unix,
            },
            DrizzleKit {
                prefix: Prefix::None,
            },
        ];
        &LAYOUTS[Prefix::ALL.iter().position(|p| *p == self).unwrap_or(0)]
    }

    /// The prefix of a migration numbered `idx` made at `now_ms`.
    fn render(self, idx: u32, now_ms: u64) -> String {
        match self {
            Prefix::Index => format!("{idx:04}"),
            Prefix::Timestamp | Prefix::Supabase => utc_timestamp(now_ms / 1000),
            Prefix::Unix => (now_ms / 1000).to_string(),
            Prefix::None => String::new(),
        }
    }
}

/// drizzle-kit 0.31's folder, tagging new migrations with `prefix`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrizzleKit {
    /// How new migrations are tagged.
    pub prefix: Prefix,
}

/// The text of `tag` before its first `_` (all of it when there is none).
fn tag_prefix(tag: &str) -> &str {
    tag.split('_').next().unwrap_or(tag)
}

/// `YYYYMMDDHHmmss` in UTC for `secs` since the epoch, as drizzle-kit's
/// `new Date().toISOString()` with the separators removed.
pub(super) fn utc_timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

const JOURNAL_FILE: &str = "meta/_journal.json";
const SNAPSHOT_SUFFIX: &str = "_snapshot.json";

/// The journal `dialect`s of PostgreSQL folders: drizzle-kit 0.31's and the
/// one written before drizzle-kit 0.21.
pub const POSTGRES_DIALECTS: [&str; 2] = ["postgresql", "pg"];

impl Layout for DrizzleKit {
    fn journal_file(&self) -> &'static str {
        JOURNAL_FILE
    }

    fn read_journal(&self, root: &Path, required: bool) -> Result<Option<Journal>, FolderError> {
        read_journal(&under(root, JOURNAL_FILE), required)
    }

    fn write_journal(&self, root: &Path, journal: &Journal) -> Result<(), FolderError> {
        write_atomically(&under(root, JOURNAL_FILE), &journal.to_json())
    }

    fn tag(&self, idx: u32, name: &str, now_ms: u64) -> String {
        format!("{}_{name}", self.prefix.render(idx, now_ms))
    }

    fn sql_file(&self, tag: &str) -> String {
        format!("{tag}.sql")
    }

    fn snapshot_file(&self, entry: &JournalEntry) -> String {
        format!("meta/{}{SNAPSHOT_SUFFIX}", tag_prefix(&entry.tag))
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
    // drizzle-kit 0.31 and drizzle-orm's migrator read any header; journals
    // begun before drizzle-kit 0.21 still say `"dialect": "pg"` (version 5)
    // and 0.31 keeps appending to them unchanged.
    if !POSTGRES_DIALECTS.contains(&journal.dialect.as_str()) {
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
