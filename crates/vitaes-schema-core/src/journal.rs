//! drizzle-kit's migration journal (`meta/_journal.json`, version 7).

use serde::{Deserialize, Serialize};

/// drizzle-kit's journal: the list of a folder's migrations, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The journal format's version (`"7"`).
    pub version: String,
    /// The database dialect; always `postgresql` here.
    pub dialect: String,
    /// The migrations, oldest first.
    pub entries: Vec<JournalEntry>,
}

/// One migration in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The migration's number, from 0.
    pub idx: u32,
    /// The snapshot format's version of the migration (`"7"`).
    pub version: String,
    /// Milliseconds since the epoch; drizzle-orm's migrator records it as
    /// `created_at` and applies only entries newer than the newest recorded.
    pub when: u64,
    /// The migration's name: its files' stem (`0003_add_user_email`).
    pub tag: String,
    /// Whether the SQL file separates statements with `--> statement-breakpoint`.
    pub breakpoints: bool,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            version: "7".to_string(),
            dialect: "postgresql".to_string(),
            entries: Vec::new(),
        }
    }
}

impl Journal {
    /// Reads `meta/_journal.json`'s text.
    pub fn from_json(text: &str) -> Result<Journal, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// As drizzle-kit writes it: two-space indentation, no final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a journal always serialises")
    }

    /// The `when` of a new entry: now, but always after the previous entry, so
    /// drizzle-orm's newest-first migrator never skips it (after a last
    /// `when` of `u64::MAX` nothing is; the migrator refuses such a `when`).
    pub fn next_when(&self, now_ms: u64) -> u64 {
        let after_last = self.entries.last().map_or(0, |e| e.when.saturating_add(1));
        now_ms.max(after_last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_when_after_the_largest_when_does_not_overflow() {
        let journal = Journal::from_json(
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":18446744073709551615,"tag":"0000_init","breakpoints":true}]}"#,
        )
        .unwrap();
        assert_eq!(journal.next_when(0), u64::MAX);
        assert_eq!(Journal::default().next_when(5), 5);
    }
}
