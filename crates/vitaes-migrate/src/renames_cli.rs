//! Deciding ambiguities for `generate` (and later `push`): ask on a
//! terminal, with drizzle-kit's questions; without one, refuse with a message
//! that shows every way to say what was meant.

use std::io::IsTerminal;

use crate::diff::{
    Ambiguities, Ambiguity, NoRename, QualifiedName, Rename, RenameDecisions, TableRef,
};
use crate::error::Error;

/// `--rename` and `--no-rename`: renames decided up front, on the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq, clap::Args)]
pub struct RenameFlags {
    /// A rename: column:[schema.]table.old=new, table:[schema.]old=[schema.]new, enum:[schema.]old=new.
    #[arg(long, value_name = "KIND:OLD=NEW")]
    pub rename: Vec<Rename>,
    /// A real drop and add: column:[schema.]table.new, table:[schema.]new, enum:[schema.]new.
    #[arg(long, value_name = "KIND:NEW")]
    pub no_rename: Vec<NoRename>,
}

impl RenameFlags {
    /// The flags as the diff takes them.
    pub fn decisions(&self) -> RenameDecisions {
        RenameDecisions {
            renames: self.rename.clone(),
            no_renames: self.no_rename.clone(),
        }
    }
}

impl From<RenameDecisions> for RenameFlags {
    fn from(d: RenameDecisions) -> Self {
        RenameFlags {
            rename: d.renames,
            no_rename: d.no_renames,
        }
    }
}

/// Answers "created or renamed?" questions.
pub trait Prompter {
    /// The index of the chosen option.
    fn choose(&mut self, question: &str, options: &[String]) -> std::io::Result<usize>;
}

/// dialoguer's select list on the terminal.
pub struct TerminalPrompter;

impl Prompter for TerminalPrompter {
    fn choose(&mut self, question: &str, options: &[String]) -> std::io::Result<usize> {
        dialoguer::Select::new()
            .with_prompt(question)
            .items(options)
            .default(0)
            .interact()
            .map_err(|e| match e {
                dialoguer::Error::IO(io) => io,
            })
    }
}

/// A prompter when both stdin and stderr are terminals, else `None`.
pub fn terminal_prompter() -> Option<TerminalPrompter> {
    (std::io::stdin().is_terminal() && std::io::stderr().is_terminal()).then_some(TerminalPrompter)
}

fn qualified(schema: &str, name: &str) -> QualifiedName {
    QualifiedName {
        schema: schema.to_string(),
        name: name.to_string(),
    }
}

fn table_name(t: &TableRef) -> QualifiedName {
    qualified(&t.schema, &t.name)
}

/// Asks about every ambiguity, adding the answers to `decisions`.
pub fn ask(
    ambiguities: &Ambiguities,
    prompter: &mut dyn Prompter,
    decisions: &mut RenameDecisions,
) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::Refused(format!("could not ask about renames: {e}"));
    for a in &ambiguities.0 {
        let (kind, place, dropped, added) = match a {
            Ambiguity::Tables {
                schema,
                dropped,
                added,
            } => ("table", format!("schema {schema}"), dropped, added),
            Ambiguity::Columns {
                table,
                dropped,
                added,
            } => ("column", format!("{} table", table.name), dropped, added),
            Ambiguity::Enums {
                schema,
                dropped,
                added,
            } => ("enum", format!("schema {schema}"), dropped, added),
        };
        let mut remaining: Vec<&String> = dropped.iter().collect();
        for new in added {
            let question =
                format!("Is {new} {kind} in {place} created or renamed from another {kind}?");
            let mut options = vec![format!("+ {new}  create {kind}")];
            options.extend(
                remaining
                    .iter()
                    .map(|old| format!("~ {old} › {new}  rename {kind}")),
            );
            let choice = if remaining.is_empty() {
                0
            } else {
                prompter.choose(&question, &options).map_err(io)?
            };
            if choice == 0 {
                decisions.no_renames.push(match a {
                    Ambiguity::Tables { schema, .. } => NoRename::Table(new_name(schema, new)),
                    Ambiguity::Columns { table, .. } => NoRename::Column {
                        table: table_name(table),
                        name: new.clone(),
                    },
                    Ambiguity::Enums { schema, .. } => NoRename::Enum(qualified(schema, new)),
                });
            } else {
                let old = remaining.remove(choice - 1).clone();
                decisions.renames.push(match a {
                    Ambiguity::Tables { schema, .. } => Rename::Table {
                        from: qualified(schema, &old),
                        to: new_name(schema, new),
                    },
                    Ambiguity::Columns { table, .. } => Rename::Column {
                        table: table_name(table),
                        from: old,
                        to: new.clone(),
                    },
                    Ambiguity::Enums { schema, .. } => Rename::Enum {
                        from: qualified(schema, &old),
                        to: qualified(schema, new),
                    },
                });
            }
        }
    }
    Ok(())
}

/// An added table is listed as `name`, or `schema.name` when it moved schemas.
fn new_name(schema: &str, listed: &str) -> QualifiedName {
    match listed.split_once('.') {
        Some((s, n)) => qualified(s, n),
        None => qualified(schema, listed),
    }
}

/// The refusal without a terminal: what is ambiguous and the three ways to decide.
pub fn refusal(ambiguities: &Ambiguities) -> Error {
    let mut text =
        String::from("cannot tell a rename from a drop and an add; nothing was written:\n");
    for a in &ambiguities.0 {
        text.push_str(&format!("  - {a}\n"));
    }
    text.push_str("  help: say what was meant, in one of three ways:\n");
    if let Some(a) = ambiguities.0.first() {
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
        };
        text.push_str(&format!("    1. in the code: {hint}\n"));
        text.push_str(&format!("    2. a rename: {flag}\n"));
        text.push_str(&format!("    3. a real drop and add: {no}\n"));
    }
    text.push_str("  (run on a terminal to be asked)");
    Error::Refused(text)
}
