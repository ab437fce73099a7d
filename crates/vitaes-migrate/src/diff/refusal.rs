//! What a refusal of ambiguous renames says: each ambiguity and the three
//! ways to decide it (a hint in the code, `--rename`, `--no-rename`). Used
//! by every command that plans without a terminal to ask on.

use super::{Ambiguities, Ambiguity, QualifiedName, TableRef};

/// `schema.name` as a rename flag spells it.
pub(crate) fn qualified(schema: &str, name: &str) -> QualifiedName {
    QualifiedName {
        schema: schema.to_string(),
        name: name.to_string(),
    }
}

/// The table of a column or policy ambiguity, as a rename flag spells it.
pub(crate) fn table_name(t: &TableRef) -> QualifiedName {
    qualified(&t.schema, &t.name)
}

/// An added table is listed as `name`, or `schema.name` when it moved schemas.
pub(crate) fn new_name(schema: &str, listed: &str) -> QualifiedName {
    match listed.split_once('.') {
        Some((s, n)) => qualified(s, n),
        None => qualified(schema, listed),
    }
}

impl Ambiguities {
    /// The refusal without a terminal: what is ambiguous and the three ways to decide.
    pub fn refusal(&self) -> String {
        let mut text =
            String::from("cannot tell a rename from a drop and an add; nothing was written:\n");
        for a in &self.0 {
            text.push_str(&format!("  - {a}\n"));
        }
        text.push_str("  help: say what was meant, in one of three ways:\n");
        if let Some(a) = self.0.first() {
            let (hint, flag, no) = match a {
                Ambiguity::Tables {
                    schema,
                    dropped,
                    added,
                } => {
                    let to = new_name(schema, &added[0]);
                    (
                        format!(
                            "#[table(renamed_from = \"{}\")] on the new struct",
                            dropped[0]
                        ),
                        format!("--rename table:{}={to}", qualified(schema, &dropped[0])),
                        format!("--no-rename table:{to}"),
                    )
                }
                Ambiguity::Columns {
                    table,
                    dropped,
                    added,
                } => (
                    format!(
                        "#[column(renamed_from = \"{}\")] on the new field",
                        dropped[0]
                    ),
                    format!(
                        "--rename column:{}.{}={}",
                        table_name(table),
                        dropped[0],
                        added[0]
                    ),
                    format!("--no-rename column:{}.{}", table_name(table), added[0]),
                ),
                Ambiguity::Enums {
                    schema,
                    dropped,
                    added,
                } => (
                    "(enums have no hint; use a flag)".to_string(),
                    format!(
                        "--rename enum:{}={}",
                        qualified(schema, &dropped[0]),
                        added[0]
                    ),
                    format!("--no-rename enum:{}", qualified(schema, &added[0])),
                ),
                Ambiguity::Policies {
                    table,
                    dropped,
                    added,
                } => (
                    format!(
                        "#[table(policy(name = \"{}\", renamed_from = \"{}\", ...))] on the struct",
                        added[0], dropped[0]
                    ),
                    format!(
                        "--rename policy:{}.{}={}",
                        table_name(table),
                        dropped[0],
                        added[0]
                    ),
                    format!("--no-rename policy:{}.{}", table_name(table), added[0]),
                ),
            };
            text.push_str(&format!("    1. in the code: {hint}\n"));
            text.push_str(&format!("    2. a rename: {flag}\n"));
            text.push_str(&format!("    3. a real drop and add: {no}\n"));
        }
        text.push_str("  (run on a terminal to be asked)");
        text
    }
}
