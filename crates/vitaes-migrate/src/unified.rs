//! Two schemas as a unified diff of their canonical DDL
//! ([`crate::sql::blocks`]): what `diff --format unified` prints, and what
//! `check` and `status` show when the code and the folder or the database
//! differ. Coloured on a terminal unless `NO_COLOR` is set.

use std::io::IsTerminal;

use similar::{ChangeTag, TextDiff};
use vitaes_schema_core::Schema;

use crate::sql::blocks::object_blocks;

/// Colour for a stream that is a terminal, unless `NO_COLOR` says otherwise
/// (<https://no-color.org>: any non-empty value).
pub fn colour_for(stream: &impl IsTerminal, no_color: Option<String>) -> bool {
    stream.is_terminal() && no_color.is_none_or(|v| v.is_empty())
}

/// The unified diff of `from` and `to` (empty when their DDL is the same).
pub fn unified(
    from_label: &str,
    from: &Schema,
    to_label: &str,
    to: &Schema,
    colour: bool,
) -> String {
    let (a, b) = (object_blocks(from).join("\n"), object_blocks(to).join("\n"));
    if a == b {
        return String::new();
    }
    let diff = TextDiff::from_lines(&a, &b);
    let mut out = format!("--- {from_label}\n+++ {to_label}\n");
    for group in diff.grouped_ops(3) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let (old, new) = (
            first.old_range().start..last.old_range().end,
            first.new_range().start..last.new_range().end,
        );
        let hunk = format!(
            "@@ -{},{} +{},{} @@\n",
            old.start + 1,
            old.len(),
            new.start + 1,
            new.len()
        );
        out.push_str(&paint(&hunk, "36", colour));
        for op in &group {
            for change in diff.iter_changes(op) {
                let (sign, code) = match change.tag() {
                    ChangeTag::Delete => ("-", "31"),
                    ChangeTag::Insert => ("+", "32"),
                    ChangeTag::Equal => (" ", ""),
                };
                let mut line = format!("{sign}{}", change.value());
                if !line.ends_with('\n') {
                    line.push('\n');
                }
                out.push_str(&if code.is_empty() {
                    line
                } else {
                    paint(&line, code, colour)
                });
            }
        }
    }
    out
}

fn paint(text: &str, code: &str, colour: bool) -> String {
    if colour {
        let body = text.trim_end_matches('\n');
        format!("\x1b[{code}m{body}\x1b[0m\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitaes_schema_core::{ColumnDef, TableDef};

    fn users(columns: &[&str]) -> Schema {
        let mut t = TableDef::empty("public", "users");
        for c in columns {
            t.columns.push(ColumnDef::new(*c, "text"));
        }
        Schema {
            tables: vec![t],
            ..Schema::default()
        }
    }

    #[test]
    fn a_column_added_is_one_line_of_the_tables_block() {
        let text = unified(
            "db",
            &users(&["id"]),
            "code",
            &users(&["id", "email"]),
            false,
        );
        assert!(text.starts_with("--- db\n+++ code\n@@ "), "{text}");
        let added: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .collect();
        let removed: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("---"))
            .collect();
        // The comma moves to the line before, as it would in the SQL.
        assert_eq!(added, ["+\t\"id\" text,", "+\t\"email\" text"], "{text}");
        assert_eq!(removed, ["-\t\"id\" text"], "{text}");
        assert!(text.contains(" -- table public.users\n"), "{text}");
        assert_eq!(
            unified("a", &users(&["id"]), "b", &users(&["id"]), false),
            ""
        );
        let coloured = unified(
            "db",
            &users(&["id"]),
            "code",
            &users(&["id", "email"]),
            true,
        );
        assert!(
            coloured.contains("\x1b[32m+\t\"email\" text\x1b[0m"),
            "{coloured}"
        );
    }
}
