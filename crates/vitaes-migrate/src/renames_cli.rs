//! Deciding ambiguities for `generate` (and later `push`): ask on a
//! terminal, with drizzle-kit's questions; without one, refuse with a message
//! that shows every way to say what was meant.

#[cfg(feature = "cli")]
use std::io::IsTerminal;

use crate::diff::refusal::{new_name, qualified, table_name};
use crate::diff::{Ambiguities, Ambiguity, NoRename, Rename, RenameDecisions};
use crate::error::Error;

/// Answers "created or renamed?" questions.
pub trait Prompter {
    /// The index of the chosen option.
    fn choose(&mut self, question: &str, options: &[String]) -> std::io::Result<usize>;
}

/// dialoguer's select list on the terminal.
#[cfg(feature = "cli")]
pub struct TerminalPrompter;

#[cfg(feature = "cli")]
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
#[cfg(feature = "cli")]
pub fn terminal_prompter() -> Option<TerminalPrompter> {
    (std::io::stdin().is_terminal() && std::io::stderr().is_terminal()).then_some(TerminalPrompter)
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
            Ambiguity::Policies {
                table,
                dropped,
                added,
            } => ("policy", format!("{} table", table.name), dropped, added),
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
            if choice >= options.len() {
                return Err(Error::Refused(format!(
                    "could not ask about renames: answer {choice} is not one of the {} options",
                    options.len()
                )));
            }
            if choice == 0 {
                decisions.no_renames.push(match a {
                    Ambiguity::Tables { schema, .. } => NoRename::Table(new_name(schema, new)),
                    Ambiguity::Columns { table, .. } => NoRename::Column {
                        table: table_name(table),
                        name: new.clone(),
                    },
                    Ambiguity::Enums { schema, .. } => NoRename::Enum(qualified(schema, new)),
                    Ambiguity::Policies { table, .. } => NoRename::Policy {
                        table: table_name(table),
                        name: new.clone(),
                    },
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
                    Ambiguity::Policies { table, .. } => Rename::Policy {
                        table: table_name(table),
                        from: old,
                        to: new.clone(),
                    },
                });
            }
        }
    }
    Ok(())
}

/// The refusal without a terminal: what is ambiguous and the three ways to decide.
pub fn refusal(ambiguities: &Ambiguities) -> Error {
    Error::Refused(ambiguities.refusal())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers every question with the same option index.
    struct Answers(usize);

    impl Prompter for Answers {
        fn choose(&mut self, _question: &str, _options: &[String]) -> std::io::Result<usize> {
            Ok(self.0)
        }
    }

    #[test]
    fn an_answer_past_the_options_is_an_error_not_a_panic() {
        let ambiguities = Ambiguities(vec![Ambiguity::Tables {
            schema: "public".into(),
            dropped: vec!["a".into()],
            added: vec!["b".into()],
        }]);
        let mut decisions = RenameDecisions::default();
        let err = ask(&ambiguities, &mut Answers(2), &mut decisions).unwrap_err();
        assert!(
            err.to_string()
                .contains("answer 2 is not one of the 2 options"),
            "{err}"
        );
        assert_eq!(decisions, RenameDecisions::default());
        ask(&ambiguities, &mut Answers(1), &mut decisions).unwrap();
        assert_eq!(decisions.renames.len(), 1);
    }

    /// Records the questions and answers "rename" (option 1).
    struct Recorded(Vec<String>);

    impl Prompter for Recorded {
        fn choose(&mut self, question: &str, _options: &[String]) -> std::io::Result<usize> {
            self.0.push(question.to_string());
            Ok(1)
        }
    }

    #[test]
    fn a_policy_is_asked_about_in_drizzle_kits_words() {
        let ambiguities = Ambiguities(vec![Ambiguity::Policies {
            table: crate::diff::TableRef {
                schema: "app".into(),
                name: "notes".into(),
            },
            dropped: vec!["read".into()],
            added: vec!["owners_read".into()],
        }]);
        let mut decisions = RenameDecisions::default();
        let mut prompter = Recorded(Vec::new());
        ask(&ambiguities, &mut prompter, &mut decisions).unwrap();
        assert_eq!(
            prompter.0,
            ["Is owners_read policy in notes table created or renamed from another policy?"]
        );
        assert_eq!(
            decisions.renames,
            ["policy:app.notes.read=owners_read"
                .parse::<Rename>()
                .unwrap()]
        );
    }
}
