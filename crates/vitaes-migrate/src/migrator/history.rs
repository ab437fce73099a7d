//! Which migrations a database has: the migrations table's rows against the
//! journal. Pure, so every case is a unit test.
//!
//! drizzle's table stores no tag, so a row and a journal entry are the same
//! migration when `created_at = when`. Unlike drizzle-orm's migrator (which
//! runs only entries newer than the newest row), every entry without a row is
//! pending, so a migration merged from a branch is never skipped.

use super::Migration;

/// One row of the migrations table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRow {
    /// The row's `id` (a serial).
    pub id: i32,
    /// The hex SHA-256 of the file when it was applied.
    pub hash: String,
    /// The journal entry's `when` (milliseconds since the epoch); `None` if NULL.
    pub created_at: Option<i64>,
    /// When it was applied (UTC, RFC 3339), if recorded: rows drizzle-orm's
    /// migrator wrote before vitaes-migrate added the column have none.
    pub applied_at: Option<String>,
}

/// Where each migration of the folder stands on a database.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct History {
    /// Indexes into the migrations, in journal order.
    pub applied: Vec<usize>,
    /// Indexes of the migrations with no row, in journal order.
    pub pending: Vec<usize>,
    /// Pending ones older than the newest applied (merged from a branch).
    pub out_of_order: Vec<usize>,
    /// Applied, but the file no longer has the recorded hash.
    pub modified: Vec<usize>,
    /// Rows no journal entry matches (a deleted file, another branch).
    pub missing: Vec<AppliedRow>,
}

pub fn compare(migrations: &[Migration], rows: &[AppliedRow]) -> History {
    let by_when: std::collections::HashMap<i64, &AppliedRow> = rows
        .iter()
        .filter_map(|r| r.created_at.map(|w| (w, r)))
        .collect();
    let newest = rows.iter().filter_map(|r| r.created_at).max();
    let mut h = History::default();
    for (i, m) in migrations.iter().enumerate() {
        match by_when.get(&m.when) {
            Some(row) => {
                h.applied.push(i);
                if !m.matches_hash(&row.hash) {
                    h.modified.push(i);
                }
            }
            None => {
                h.pending.push(i);
                if newest.is_some_and(|n| m.when < n) {
                    h.out_of_order.push(i);
                }
            }
        }
    }
    let known: std::collections::HashSet<i64> = migrations.iter().map(|m| m.when).collect();
    h.missing = rows
        .iter()
        .filter(|r| r.created_at.is_none_or(|w| !known.contains(&w)))
        .cloned()
        .collect();
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(idx: u32, when: i64, sql: &str) -> Migration {
        Migration::new(idx, format!("{idx:04}_m"), when, sql)
    }

    fn row(id: i32, m: &Migration) -> AppliedRow {
        AppliedRow {
            id,
            hash: m.hash.clone(),
            created_at: Some(m.when),
            applied_at: None,
        }
    }

    #[test]
    fn nothing_applied_means_all_pending_in_order() {
        let ms = [m(0, 10, "a"), m(1, 20, "b")];
        let h = compare(&ms, &[]);
        assert_eq!(h.pending, [0, 1]);
        assert!(h.applied.is_empty() && h.out_of_order.is_empty() && h.missing.is_empty());
    }

    #[test]
    fn a_migration_merged_from_a_branch_is_pending_and_out_of_order() {
        let ms = [m(0, 10, "a"), m(1, 15, "branch"), m(2, 20, "c")];
        let h = compare(&ms, &[row(1, &ms[0]), row(2, &ms[2])]);
        assert_eq!(h.applied, [0, 2]);
        assert_eq!(h.pending, [1]);
        assert_eq!(h.out_of_order, [1]);
    }

    #[test]
    fn an_edited_file_is_modified() {
        let ms = [m(0, 10, "a")];
        let mut r = row(1, &ms[0]);
        r.hash = super::super::migration::sha256_hex("something else");
        let h = compare(&ms, &[r]);
        assert_eq!(h.modified, [0]);
        assert!(h.pending.is_empty());
    }

    #[test]
    fn rows_without_an_entry_are_missing() {
        let ms = [m(0, 10, "a")];
        let gone = m(1, 30, "deleted");
        let null = AppliedRow {
            id: 3,
            hash: "x".into(),
            created_at: None,
            applied_at: None,
        };
        let h = compare(&ms, &[row(1, &ms[0]), row(2, &gone), null.clone()]);
        assert_eq!(h.missing, [row(2, &gone), null]);
        assert!(h.pending.is_empty());
    }
}
