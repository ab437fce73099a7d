//! One migration as drizzle-orm's migrator reads it: the file's text, its
//! SHA-256 and the journal's `when`; statements split on the breakpoint.

use sha2::{Digest, Sha256};

/// drizzle-kit's statement separator.
pub const BREAKPOINT: &str = "--> statement-breakpoint";

/// First line of a file that must run outside a transaction
/// (`CREATE INDEX CONCURRENTLY`, `ALTER TYPE ... ADD VALUE` on old servers).
pub const NO_TRANSACTION: &str = "-- vitaes:no-transaction";

/// One migration of the folder, read for applying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The journal's `idx`.
    pub idx: u32,
    /// The file name without `.sql`, as in the journal.
    pub tag: String,
    /// The journal's `when`: what the migrations table stores as `created_at`.
    pub when: i64,
    /// The file's text, exactly as read.
    pub sql: String,
    /// Hex SHA-256 of `sql`, as drizzle-orm records it.
    pub hash: String,
}

/// A piece of a file between breakpoints, sent to the server in one simple
/// query (so several statements in it are fine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement<'a> {
    /// 1-based position in the file.
    pub number: usize,
    /// 1-based line of the file where the piece starts.
    pub line: usize,
    /// The piece's SQL, trimmed.
    pub text: &'a str,
}

impl Migration {
    /// A migration of `sql`, its hash computed.
    pub fn new(idx: u32, tag: impl Into<String>, when: i64, sql: impl Into<String>) -> Migration {
        let sql = sql.into();
        Migration {
            idx,
            tag: tag.into(),
            when,
            hash: sha256_hex(&sql),
            sql,
        }
    }

    /// The pieces between breakpoints that hold anything but whitespace.
    pub fn statements(&self) -> Vec<Statement<'_>> {
        let mut out = Vec::new();
        let mut line = 1;
        // A byte-order mark is not SQL.
        let sql = self.sql.strip_prefix('\u{feff}').unwrap_or(&self.sql);
        for (i, piece) in sql.split(BREAKPOINT).enumerate() {
            let leading = piece.len() - piece.trim_start().len();
            if !piece.trim().is_empty() {
                out.push(Statement {
                    number: i + 1,
                    line: line + piece[..leading].matches('\n').count(),
                    text: piece.trim(),
                });
            }
            line += piece.matches('\n').count();
        }
        out
    }

    /// Whether the file asks to run outside a transaction.
    pub fn no_transaction(&self) -> bool {
        runs_outside_transaction(&self.sql)
    }

    /// Whether `recorded` is this file's hash, allowing for line endings a
    /// checkout changed (CRLF ↔ LF), so a Windows clone is not "modified".
    pub fn matches_hash(&self, recorded: &str) -> bool {
        if recorded == self.hash {
            return true;
        }
        let lf = self.sql.replace("\r\n", "\n");
        recorded == sha256_hex(&lf) || recorded == sha256_hex(&lf.replace('\n', "\r\n"))
    }
}

/// Whether a migration file's first line is [`NO_TRANSACTION`].
pub fn runs_outside_transaction(sql: &str) -> bool {
    sql.trim_start_matches('\u{feff}')
        .lines()
        .next()
        .is_some_and(|l| l.trim() == NO_TRANSACTION)
}

/// The lowercase hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_drizzle_orms() {
        // sha256 of the bytes, lower-case hex, as node's crypto digest('hex').
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn statements_are_numbered_and_located() {
        let m = Migration::new(
            0,
            "0000_x",
            1,
            "CREATE TABLE a (id int);\n--> statement-breakpoint\n\nCREATE TABLE b (id int);\n--> statement-breakpoint\n  \n",
        );
        let s = m.statements();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].number, s[0].line), (1, 1));
        assert_eq!(
            (s[1].number, s[1].line, s[1].text),
            (2, 4, "CREATE TABLE b (id int);")
        );
    }

    #[test]
    fn no_transaction_only_on_the_first_line() {
        let yes = Migration::new(
            0,
            "t",
            1,
            "-- vitaes:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);",
        );
        let no = Migration::new(0, "t", 1, "SELECT 1;\n-- vitaes:no-transaction\n");
        assert!(yes.no_transaction());
        assert!(!no.no_transaction());
    }

    #[test]
    fn line_endings_do_not_make_a_file_modified() {
        let lf = Migration::new(0, "t", 1, "SELECT 1;\nSELECT 2;\n");
        let crlf = Migration::new(0, "t", 1, "SELECT 1;\r\nSELECT 2;\r\n");
        assert!(crlf.matches_hash(&lf.hash));
        assert!(lf.matches_hash(&crlf.hash));
        assert!(!lf.matches_hash(&sha256_hex("SELECT 1;\nSELECT 3;\n")));
    }
}
