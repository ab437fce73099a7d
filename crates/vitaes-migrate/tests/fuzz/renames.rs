//! `--rename` / `--no-rename`: the values parse or fail with a message
//! quoting them (also through the command line's parser), a parsed value
//! names non-empty objects, and the prompt's answers, whatever they are,
//! never make `renames_cli::ask` panic.

use clap::Parser;
use proptest::prelude::*;
use vitaes_migrate::cli::Cli;
use vitaes_migrate::diff::{
    Ambiguities, Ambiguity, NoRename, QualifiedName, Rename, RenameDecisions, TableRef,
};
use vitaes_migrate::renames_cli::{ask, Prompter};

use crate::mutate::input;
use crate::{fuzz, pool, seeds};

const TOKENS: &[&str] = &[
    "column:", "table:", "enum:", "policy:", "view:", ":", ".", "=", "..", "public.", "app.", "a",
    "b", "users", " ", "\"", "é", "\u{0}", "-", "--", "=.", ".=",
];

fn qualified(q: &QualifiedName) -> Result<(), TestCaseError> {
    prop_assert!(!q.schema.is_empty() && !q.name.is_empty(), "{:?}", q);
    prop_assert!(!q.schema.contains('.') && !q.name.contains('.'), "{:?}", q);
    Ok(())
}

fn flags() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => input(pool(seeds("renames"), TOKENS)).prop_map(|b| b.text()),
        1 => "\\PC{0,24}",
    ]
}

#[test]
fn rename_flags() {
    fuzz("rename-flags", flags(), |s| {
        match s.parse::<Rename>() {
            Ok(Rename::Table { from, to } | Rename::Enum { from, to }) => {
                qualified(&from)?;
                qualified(&to)?;
            }
            Ok(Rename::Column { table, from, to } | Rename::Policy { table, from, to }) => {
                qualified(&table)?;
                prop_assert!(!from.is_empty() && !to.is_empty());
            }
            Err(e) => prop_assert!(e.to_string().contains(&format!("`{s}`")), "{}", e),
        }
        match s.parse::<NoRename>() {
            Ok(NoRename::Table(q) | NoRename::Enum(q)) => qualified(&q)?,
            Ok(NoRename::Column { table, name } | NoRename::Policy { table, name }) => {
                qualified(&table)?;
                prop_assert!(
                    !name.is_empty(),
                    "`{}` read as a column or policy without a name",
                    s
                );
            }
            Err(e) => prop_assert!(e.to_string().contains(&format!("`{s}`")), "{}", e),
        }
        for flag in ["--rename", "--no-rename"] {
            let arg = format!("{flag}={s}");
            if let Err(e) = Cli::try_parse_from(["vitaes-migrate", "generate", arg.as_str()]) {
                // clap's rendering strips terminal escapes, so only
                // printable values are looked for in it.
                let printable = !s.chars().any(char::is_control);
                if printable && e.kind() == clap::error::ErrorKind::ValueValidation {
                    let shown = e.to_string();
                    prop_assert!(shown.contains(&s), "{}", shown);
                }
            }
        }
        Ok(())
    });
}

/// Answers in turn from a list: an index (any, in range or not) or an I/O error.
struct Scripted(Vec<Option<usize>>, usize);

impl Prompter for Scripted {
    fn choose(&mut self, _question: &str, options: &[String]) -> std::io::Result<usize> {
        assert!(options.len() >= 2, "asked with nothing to choose");
        let answer = self.0.get(self.1).copied().unwrap_or(Some(0));
        self.1 += 1;
        answer.ok_or_else(|| std::io::Error::other("the terminal went away"))
    }
}

fn names() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-c]{1,2}", 0..4)
}

fn ambiguity() -> impl Strategy<Value = Ambiguity> {
    prop_oneof![
        (names(), names()).prop_map(|(dropped, added)| Ambiguity::Tables {
            schema: "public".into(),
            dropped,
            added
        }),
        (names(), names()).prop_map(|(dropped, added)| Ambiguity::Columns {
            table: TableRef {
                schema: "app".into(),
                name: "t".into()
            },
            dropped,
            added
        }),
        (names(), names()).prop_map(|(dropped, added)| Ambiguity::Enums {
            schema: "public".into(),
            dropped,
            added
        }),
        (names(), names()).prop_map(|(dropped, added)| Ambiguity::Policies {
            table: TableRef {
                schema: "public".into(),
                name: "notes".into()
            },
            dropped,
            added
        }),
    ]
}

#[test]
fn rename_prompts() {
    let answers = prop::collection::vec(
        prop_oneof![
            4 => (0usize..4).prop_map(Some),
            1 => any::<usize>().prop_map(Some),
            1 => Just(None),
        ],
        0..8,
    );
    let strategy = (prop::collection::vec(ambiguity(), 0..4), answers);
    fuzz("rename-prompts", strategy, |(ambiguities, answers)| {
        let added: usize = ambiguities
            .iter()
            .map(|a| match a {
                Ambiguity::Tables { added, .. }
                | Ambiguity::Columns { added, .. }
                | Ambiguity::Enums { added, .. }
                | Ambiguity::Policies { added, .. } => added.len(),
            })
            .sum();
        let mut decisions = RenameDecisions::default();
        let mut prompter = Scripted(answers, 0);
        match ask(&Ambiguities(ambiguities), &mut prompter, &mut decisions) {
            Ok(()) => prop_assert_eq!(decisions.renames.len() + decisions.no_renames.len(), added),
            Err(e) => prop_assert!(e.to_string().contains("renames"), "{}", e),
        }
        Ok(())
    });
}
