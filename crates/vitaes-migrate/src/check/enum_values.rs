//! Enum values added by one migration and used later, read from the files'
//! statements: which type each value is added to, which statements use a
//! value *of that type*, and where transactions begin and end.
//!
//! PostgreSQL refuses a value added in the same transaction that uses it,
//! unless the type itself was created in that transaction. vitaes-migrate
//! commits each migration apart, so only a use in the same file fails for it
//! (an error). drizzle-orm's migrator runs every pending migration in one
//! transaction, so a use in a later file fails there on a database where the
//! type was committed in an earlier run (a warning naming that file). A
//! `COMMIT` in between ends the transaction, and nothing is reported.
//!
//! A statement uses a value of type `T` when it holds the value as a string
//! literal and names `T` (a cast, a column type) or a table that has a column
//! of `T` in the folder's last snapshot; `CREATE TYPE` and `ALTER TYPE` are
//! never uses. Without a snapshot the literal alone decides.

use std::path::PathBuf;

use sqlparser::ast::{AlterTypeOperation, ObjectName, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};
use vitaes_schema_core::Schema;

use super::{Concern, Finding, Severity};
use crate::migrator::{runs_outside_transaction, BREAKPOINT};

/// A statement of a migration file, as far as enum values go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    /// `CREATE TYPE t AS ENUM (...)`.
    CreateType(String),
    /// `ALTER TYPE t ADD VALUE 'v'`.
    AddValue { type_name: String, value: String },
    /// `COMMIT`, `BEGIN`, `ROLLBACK`: the transaction ends here.
    Boundary,
    /// Anything else: its string literals and the words it names.
    Other {
        literals: Vec<String>,
        words: Vec<String>,
    },
}

/// The events of a file, in order. A piece sqlparser cannot read is judged
/// by its tokens alone.
fn events(sql: &str) -> Vec<Event> {
    let mut out = Vec::new();
    for piece in sql.split(BREAKPOINT) {
        match Parser::parse_sql(&PostgreSqlDialect {}, piece) {
            Ok(statements) => out.extend(statements.iter().map(event)),
            Err(_) => out.push(other(piece)),
        }
    }
    out
}

fn event(statement: &Statement) -> Event {
    match statement {
        Statement::CreateType { name, .. } => Event::CreateType(last(name)),
        Statement::AlterType(a) => match &a.operation {
            AlterTypeOperation::AddValue(v) => Event::AddValue {
                type_name: last(&a.name),
                value: v.value.value.clone(),
            },
            _ => Event::Other {
                literals: Vec::new(),
                words: Vec::new(),
            },
        },
        Statement::Commit { .. }
        | Statement::Rollback { .. }
        | Statement::StartTransaction { .. } => Event::Boundary,
        other => self::other(&other.to_string()),
    }
}

/// The unqualified name of `name` as PostgreSQL stores it (quoted names
/// as written, unquoted folded to lower case).
fn last(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|part| part.as_ident())
        .map(|i| {
            if i.quote_style.is_some() {
                i.value.clone()
            } else {
                i.value.to_lowercase()
            }
        })
        .unwrap_or_default()
}

fn other(sql: &str) -> Event {
    let (mut literals, mut words) = (Vec::new(), Vec::new());
    if let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize() {
        for t in tokens {
            match t {
                Token::SingleQuotedString(s)
                | Token::EscapedStringLiteral(s)
                | Token::NationalStringLiteral(s) => literals.push(s),
                Token::Word(w) => words.push(if w.quote_style.is_some() {
                    w.value
                } else {
                    w.value.to_lowercase()
                }),
                _ => {}
            }
        }
    } else {
        // Unterminated quotes and the like: every word could be a literal.
        literals = sql.split_whitespace().map(str::to_string).collect();
    }
    Event::Other { literals, words }
}

/// The findings for the files of a folder, in journal order (`(tag, sql)`),
/// with the last snapshot's schema for which tables have columns of a type.
pub(super) fn findings(files: &[(&str, &str)], last: Option<&Schema>) -> Vec<Finding> {
    let parsed: Vec<Vec<Event>> = files.iter().map(|(_, sql)| events(sql)).collect();
    let mut out = Vec::new();
    for (i, (tag, sql)) in files.iter().enumerate() {
        for (p, e) in parsed[i].iter().enumerate() {
            let Event::AddValue { type_name, value } = e else {
                continue;
            };
            let tables = tables_with_type(last, type_name);
            let uses = |e: &Event| match e {
                Event::Other { literals, words } => {
                    literals.iter().any(|l| l == value)
                        && (last.is_none()
                            || words.iter().any(|w| w == type_name || tables.contains(w)))
                }
                _ => false,
            };
            let literal = format!("'{}'", value.replace('\'', "''"));
            // Created in this file's transaction before the value was added:
            // PostgreSQL allows the new value in that same transaction.
            let created_here = parsed[i][..p]
                .iter()
                .rev()
                .take_while(|e| **e != Event::Boundary)
                .any(|e| *e == Event::CreateType(type_name.clone()));

            // The rest of this file, then the later files, until a use or a
            // transaction boundary.
            let mut crossed = false;
            let mut found = None;
            'files: for (j, events) in parsed.iter().enumerate().skip(i) {
                let start = if j == i { p + 1 } else { 0 };
                for e in &events[start..] {
                    if *e == Event::Boundary {
                        crossed = true;
                        break 'files;
                    }
                    if uses(e) {
                        found = Some(j);
                        break 'files;
                    }
                }
            }
            let Some(j) = found else { continue };
            if crossed || created_here {
                continue;
            }
            let file = PathBuf::from(format!("{tag}.sql"));
            if j == i {
                if runs_outside_transaction(sql) {
                    out.push(Finding {
                        severity: Severity::Warning,
                        concern: Concern::File,
                        file,
                        message: format!("adds enum value {literal} to {type_name} and uses it: fine outside a transaction, but drizzle-orm's migrator runs every file in one, where PostgreSQL refuses it"),
                        fix: None,
                    });
                } else {
                    out.push(Finding {
                        severity: Severity::Error,
                        concern: Concern::File,
                        file,
                        message: format!("adds enum value {literal} and uses it in the same transaction, which PostgreSQL refuses (unsafe use of new value, type {type_name})"),
                        fix: Some("move the statements that use it into the next migration (`vitaes-migrate generate` writes them that way)".into()),
                    });
                }
                continue;
            }
            // drizzle-orm's one transaction holds files i..=j; it fails where
            // the type was committed before them.
            let creator = files[..=i]
                .iter()
                .zip(&parsed)
                .rev()
                .find(|(_, events)| events.contains(&Event::CreateType(type_name.clone())))
                .map(|((t, _), _)| *t);
            let fails_where = match creator {
                Some(c) if c == *tag => continue,
                Some(c) => format!("on a database where {c}.sql was applied in an earlier run"),
                None => format!("on any database that already has type {type_name}"),
            };
            out.push(Finding {
                severity: Severity::Warning,
                concern: Concern::File,
                file,
                message: format!(
                    "adds enum value {literal} and {}.sql uses it: drizzle-orm's migrator runs pending migrations in one transaction, where PostgreSQL refuses a value added in it unless the type was created there too, so it fails {fails_where} (vitaes-migrate commits each migration apart)",
                    files[j].0
                ),
                fix: None,
            });
        }
    }
    out
}

/// The tables of `schema` with a column of enum `type_name` (or an array of it).
fn tables_with_type(schema: Option<&Schema>, type_name: &str) -> Vec<String> {
    schema
        .map(|s| {
            s.tables
                .iter()
                .filter(|t| {
                    t.columns
                        .iter()
                        .any(|c| c.sql_type.trim_end_matches("[]") == type_name)
                })
                .map(|t| t.name.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitaes_schema_core::{ColumnDef, TableDef};

    fn schema() -> Schema {
        let mut diary = TableDef::empty("public", "diary");
        diary.columns.push(ColumnDef::new("mood", "mood"));
        let mut note = TableDef::empty("public", "note");
        note.columns.push(ColumnDef::new("body", "text"));
        Schema {
            tables: vec![diary, note],
            ..Schema::default()
        }
    }

    const ADD: &str = "ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh';";

    fn messages(files: &[(&str, &str)]) -> Vec<String> {
        findings(files, Some(&schema()))
            .iter()
            .map(|f| format!("{:?} {}: {}", f.severity, f.file.display(), f.message))
            .collect()
    }

    #[test]
    fn a_use_in_the_same_transaction_is_an_error() {
        let sql = format!(
            "{ADD}\n{BREAKPOINT}\nALTER TABLE \"diary\" ALTER COLUMN \"mood\" SET DEFAULT 'meh';"
        );
        let m = messages(&[
            (
                "0000_init",
                "CREATE TYPE \"public\".\"mood\" AS ENUM('ok');",
            ),
            ("0001_meh", &sql),
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "Error 0001_meh.sql: adds enum value 'meh' and uses it in the same transaction"
            ),
            "{m:?}"
        );
    }

    #[test]
    fn a_literal_that_is_not_of_the_type_is_no_use() {
        // Another type's label, ADD VALUE ... BEFORE, and a text column.
        let sql = format!(
            "{ADD}\n{BREAKPOINT}\nCREATE TYPE \"public\".\"other\" AS ENUM('meh');\n{BREAKPOINT}\nALTER TYPE \"public\".\"mood\" ADD VALUE 'zzz' BEFORE 'meh';\n{BREAKPOINT}\nUPDATE \"note\" SET \"body\" = 'meh';"
        );
        assert_eq!(messages(&[("0001_meh", &sql)]), Vec::<String>::new());
    }

    #[test]
    fn a_commit_in_between_ends_the_transaction() {
        let sql = format!("{ADD}\nCOMMIT;\nUPDATE \"diary\" SET \"mood\" = 'meh';");
        assert_eq!(messages(&[("0001_meh", &sql)]), Vec::<String>::new());
        // Also between files, for drizzle-orm's one transaction.
        let later = "COMMIT;\nUPDATE \"diary\" SET \"mood\" = 'meh';";
        assert_eq!(
            messages(&[("0001_meh", ADD), ("0002_use", later)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_type_created_in_the_same_transaction_takes_new_values() {
        let sql = format!("CREATE TYPE \"public\".\"mood\" AS ENUM('ok');\n{BREAKPOINT}\n{ADD}\n{BREAKPOINT}\nSELECT 'meh'::\"mood\";");
        assert_eq!(messages(&[("0000_init", &sql)]), Vec::<String>::new());
        // Created by the same file in drizzle-orm's one run: always together.
        let create_and_add =
            format!("CREATE TYPE \"public\".\"mood\" AS ENUM('ok');\n{BREAKPOINT}\n{ADD}");
        let later = "UPDATE \"diary\" SET \"mood\" = 'meh';";
        assert_eq!(
            messages(&[("0000_init", &create_and_add), ("0001_use", later)]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_later_use_warns_naming_where_drizzle_orm_fails() {
        let later = "UPDATE \"diary\" SET \"mood\" = 'meh';";
        let m = messages(&[
            (
                "0000_init",
                "CREATE TYPE \"public\".\"mood\" AS ENUM('ok');",
            ),
            ("0001_meh", ADD),
            ("0002_use", later),
        ]);
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with(
                "Warning 0001_meh.sql: adds enum value 'meh' and 0002_use.sql uses it"
            ),
            "{m:?}"
        );
        assert!(
            m[0].contains("on a database where 0000_init.sql was applied in an earlier run"),
            "{m:?}"
        );
        // A type from outside the folder: wherever it exists already.
        let m = messages(&[("0001_meh", ADD), ("0002_use", later)]);
        assert!(
            m[0].contains("on any database that already has type mood"),
            "{m:?}"
        );
    }
}
