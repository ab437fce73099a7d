//! drizzle-kit's migration journal (`meta/_journal.json`, version 7).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub version: String,
    pub dialect: String,
    pub entries: Vec<JournalEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub idx: u32,
    pub version: String,
    /// Milliseconds since the epoch; drizzle-orm's migrator records it as
    /// `created_at` and applies only entries newer than the newest recorded.
    pub when: u64,
    pub tag: String,
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
    pub fn from_json(text: &str) -> Result<Journal, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// As drizzle-kit writes it: two-space indentation, no final newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a journal always serialises")
    }

    /// The `when` of a new entry: now, but always after the previous entry, so
    /// drizzle-orm's newest-first migrator never skips it.
    pub fn next_when(&self, now_ms: u64) -> u64 {
        let after_last = self.entries.last().map_or(0, |e| e.when + 1);
        now_ms.max(after_last)
    }
}
