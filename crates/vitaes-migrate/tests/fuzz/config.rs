//! `vitaes.toml`: [`Config::load`] and the derive's
//! [`project_rename_all`] fail only with an error naming the file and, for
//! TOML's own errors, the line and column; never quoting the database URL's
//! password.

use std::path::Path;

use proptest::prelude::*;
use vitaes_migrate::config::{Config, ConfigFile};
use vitaes_migrate::Error;
use vitaes_schema_core::parse::{describe_toml_error, project_rename_all};

use crate::mutate::input;
use crate::{fuzz, pool, repo, seeds};

/// The password in the seeds' URLs.
const MARKER: &str = "Marker-Pw-7";

const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "=",
    " = ",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "\\",
    "\\u",
    "\\U0011FFFF",
    "\t",
    "\u{0}",
    "\u{feff}",
    "é",
    "1979-05-27",
    "true",
    "1e1000",
    "-0",
    "0x",
    "inf",
    "nan",
    "[database]",
    "[migrations]",
    "schema",
    "out",
    "url",
    "url_env",
    "env_file",
    "rename_all",
    "prefix",
    "table",
    "schema_filter",
    "tables_filter",
    "\"postgres://u:Marker-Pw-7@h/db\"",
    "\"none\"",
    "\"camelCase\"",
    "\"\"",
    " ",
    "[]",
];

/// Whether every line holding the marker has it after `url` and `=` (in a
/// URL value, as the seeds have it); mutations also splice it into other
/// values (`rename_all = "...Marker-Pw-7..."`), which messages may quote.
fn only_in_urls(text: &str) -> bool {
    text.lines()
        .filter_map(|l| l.find(MARKER).map(|at| &l[..at]))
        .all(|before| before.contains("url") && before.contains('='))
}

/// The line and column `message` starts with (`3:14: ...`).
fn position(message: &str) -> Option<(usize, usize)> {
    let mut parts = message.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column))
}

/// `said` is `line:column: message` with the place inside `text`.
fn located(said: &str, text: &str) -> Result<(), TestCaseError> {
    let Some((line, column)) = position(said) else {
        return Err(TestCaseError::fail(format!("no line:column in {said:?}")));
    };
    let lines = text.split('\n').count();
    prop_assert!(
        (1..=lines).contains(&line),
        "line {} of {}: {}",
        line,
        lines,
        said
    );
    let width = text
        .split('\n')
        .nth(line - 1)
        .map_or(0, |l| l.chars().count());
    prop_assert!(
        (1..=width + 1).contains(&column),
        "column {} of {}: {}",
        column,
        width,
        said
    );
    Ok(())
}

#[test]
fn config() {
    let mut files = seeds("toml");
    files.push(std::fs::read(repo().join("vitaes.toml")).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vitaes.toml");
    fuzz("config", input(pool(files, TOKENS)), |input| {
        std::fs::write(&file, &input.0).unwrap();
        let text = std::str::from_utf8(&input.0).ok();
        let toml_error = text.and_then(|t| toml::from_str::<ConfigFile>(t).err());
        let secret = text.is_some_and(only_in_urls);
        match Config::load(Some(Path::new("vitaes.toml")), dir.path()) {
            Ok(_) => prop_assert!(toml_error.is_none()),
            Err(e) => {
                let shown = e.to_string();
                prop_assert!(!(secret && shown.contains(MARKER)), "{}", shown);
                prop_assert!(shown.starts_with(&file.display().to_string()), "{}", shown);
                match (e, text, &toml_error) {
                    (Error::Config { path, message }, Some(text), Some(_)) => {
                        prop_assert_eq!(&path, &file);
                        located(&message, text)?;
                    }
                    (Error::Config { path, .. }, _, None) => prop_assert_eq!(&path, &file),
                    (Error::Io { path, .. }, None, _) => prop_assert_eq!(&path, &file),
                    (other, _, _) => prop_assert!(false, "unexpected error: {:?}", other),
                }
            }
        }
        if let Some(text) = text {
            if let Err(e) = toml::from_str::<toml::Value>(text) {
                let said = describe_toml_error(text, &e);
                prop_assert!(!(secret && said.contains(MARKER)), "{}", said);
                located(&said, text)?;
            }
        }
        if let Err(said) = project_rename_all(dir.path()) {
            prop_assert!(said.starts_with(&file.display().to_string()), "{}", said);
            prop_assert!(!(secret && said.contains(MARKER)), "{}", said);
        }
        Ok(())
    });
}
