//! What a project's vitaes.toml says about parsing: the top-level
//! `rename_all`, read the same way by the derive (from the crate's
//! directory) and by the CLI (from each source file's), so both see one rule.

use std::path::{Path, PathBuf};

use crate::naming::RenameRule;

/// The config file's name.
pub const CONFIG_FILE: &str = "vitaes.toml";

/// The top-level keys this reads; the rest is the CLI's business.
#[derive(serde::Deserialize)]
struct ParseKeys {
    rename_all: Option<String>,
}

/// The nearest vitaes.toml at or above `start`, with its `rename_all`, if
/// it has one. A file that does not parse, or an unknown rule, is an error
/// naming the file.
pub fn project_rename_all(start: &Path) -> Result<Option<(RenameRule, PathBuf)>, String> {
    let Some(path) = start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
    else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let keys: ParseKeys = toml::from_str(&text)
        .map_err(|e| format!("{}:{}", path.display(), describe_toml_error(&text, &e)))?;
    let Some(spelling) = keys.rename_all else {
        return Ok(None);
    };
    match RenameRule::parse(&spelling) {
        Some(rule) => Ok(Some((rule, path))),
        None => Err(format!(
            "{}: `rename_all = \"{spelling}\"` is not a rule; use one of serde's: {}",
            path.display(),
            RenameRule::SPELLINGS.join(", ")
        )),
    }
}

/// A TOML error as `line:column: message`, without the source line that
/// toml's own text quotes: that line may be `url = "postgres://u:secret@..."`.
pub fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim_end();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{line}:{column}: {message}")
        }
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_error_names_the_place_but_never_quotes_the_line() {
        let text = "schema = \"s\"\n[database]\nurl = \"postgres://u:Marker-Pw@h/db\n";
        let e = toml::from_str::<toml::Value>(text).unwrap_err();
        assert!(
            e.to_string().contains("Marker-Pw"),
            "toml's own text quotes the line"
        );
        let said = describe_toml_error(text, &e);
        assert!(!said.contains("Marker-Pw"), "{said}");
        assert!(said.starts_with("3:"), "{said}");
    }
}
