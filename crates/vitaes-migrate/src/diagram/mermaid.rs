//! The diagram as a mermaid `erDiagram`: an entity per table with a line per
//! column (`type name PK, FK, UK`), then one relationship per foreign key,
//! `referenced ||..o{ referencing : "constraint"`, its ends the
//! cardinalities [`super`] reads and `--` for an identifying key (`..`
//! otherwise). Schemas are comment lines (`%% schema auth`) above their
//! tables; a table outside `public` is named `"schema.table"`.
//!
//! Written for the mermaid grammar GitHub and older renderers read, which
//! is narrower than PostgreSQL's names:
//!
//! - an entity name that is not a plain identifier (letters, digits, `_`),
//!   or is one of the grammar's words (`one`, `to`, `end`, ...), is quoted;
//!   the characters a quoted name cannot hold (`"`, `%`, `\`, line breaks)
//!   become `_`;
//! - a column's type and name are one word each, of letters, digits and `_`
//!   (and parentheses and square brackets in a type: `varchar(255)`,
//!   `text[]`): spaces become `_` (`timestamp_with_time_zone`), as does
//!   anything else, a leading digit gets a `_`, and a word the grammar
//!   reads as a key (`pk`, `fk`, `uk`) gets a trailing `_`. Where a name
//!   changed, or a type beyond its spaces, the attribute's comment gives the
//!   original (`numeric(10_2) price "type: numeric(10, 2)"`).

use std::fmt::Write;

use vitaes_schema_core::Schema;

use super::{Child, Column, Diagram, Parent, Table, TableKind};

/// Words of the `erDiagram` grammar that an unquoted entity name must not be.
const KEYWORDS: &[&str] = &[
    "erdiagram",
    "one",
    "many",
    "only",
    "zero",
    "to",
    "optionally",
    "u",
    "style",
    "classdef",
    "class",
    "subgraph",
    "end",
    "direction",
    "title",
    "acctitle",
    "accdescr",
];

/// `schema` as a mermaid `erDiagram` (see the module's text), ending in a
/// newline.
pub fn mermaid(schema: &Schema) -> String {
    let diagram = Diagram::of(schema);
    let names: Vec<String> = diagram.tables.iter().map(entity).collect();
    let mut out = String::from("erDiagram\n");
    for group in &diagram.groups {
        let _ = writeln!(out, "    %% schema {}", one_line(&group.schema));
        for &t in &group.tables {
            let table = &diagram.tables[t];
            match table.kind {
                TableKind::Absent => {
                    let _ = writeln!(
                        out,
                        "    %% {} is referenced, not read",
                        one_line(&table.qualified())
                    );
                    let _ = writeln!(out, "    {}", names[t]);
                    continue;
                }
                TableKind::External => {
                    let _ = writeln!(
                        out,
                        "    %% {} is external: declared, not managed",
                        one_line(&table.qualified())
                    );
                }
                TableKind::Table => {}
            }
            if table.columns.is_empty() {
                let _ = writeln!(out, "    {}", names[t]);
                continue;
            }
            let _ = writeln!(out, "    {} {{", names[t]);
            for c in &table.columns {
                let _ = writeln!(out, "        {}", attribute(c));
            }
            let _ = writeln!(out, "    }}");
        }
    }
    for e in &diagram.edges {
        let parent = match e.parent {
            Parent::ExactlyOne => "||",
            Parent::ZeroOrOne => "|o",
        };
        let child = match e.child {
            Child::ZeroOrOne => "o|",
            Child::ZeroOrMore => "o{",
        };
        let line = if e.identifying { "--" } else { ".." };
        let _ = writeln!(
            out,
            "    {} {parent}{line}{child} {} : \"{}\"",
            names[e.to],
            names[e.from],
            quoted_text(&e.name)
        );
    }
    out
}

/// A table's entity name: `name` in `public`, else `schema.name`, quoted
/// unless a plain identifier.
fn entity(t: &Table) -> String {
    let label = if t.schema == "public" {
        t.name.clone()
    } else {
        t.qualified()
    };
    let plain = label.starts_with(|c: char| c.is_ascii_alphabetic())
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&label.to_ascii_lowercase().as_str());
    if plain {
        return label;
    }
    let inner: String = label
        .chars()
        .map(|c| match c {
            '"' | '%' | '\\' | '\r' | '\n' | '\u{b}' | '\u{8}' => '_',
            c => c,
        })
        .collect();
    format!("\"{inner}\"")
}

/// `type name [keys] ["comment"]`.
fn attribute(c: &Column) -> String {
    let (ty, ty_changed) = word(&c.sql_type, true);
    let (name, name_changed) = word(&c.name, false);
    let mut line = format!("{ty} {name}");
    let mut keys = Vec::new();
    if c.primary_key {
        keys.push("PK");
    }
    if c.foreign_key {
        keys.push("FK");
    }
    if c.unique {
        keys.push("UK");
    }
    if !keys.is_empty() {
        line.push(' ');
        line.push_str(&keys.join(", "));
    }
    let mut originals = Vec::new();
    if name_changed {
        originals.push(format!("name: {}", c.name));
    }
    if ty_changed {
        originals.push(format!("type: {}", c.sql_type));
    }
    if !originals.is_empty() {
        let _ = write!(line, " \"{}\"", quoted_text(&originals.join(", ")));
    }
    line
}

/// `text` as one attribute word (see the module's text), and whether it
/// changed beyond a type's spaces.
fn word(text: &str, is_type: bool) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for c in text.chars() {
        let keep = c.is_ascii_alphanumeric()
            || c == '_'
            || (is_type && matches!(c, '(' | ')' | '[' | ']'));
        if keep {
            out.push(c);
            continue;
        }
        // A type's spaces are its spelling (`double precision`); a name's
        // are part of the name.
        changed |= c != ' ' || !is_type;
        // One `_` for a run of replaced characters (`numeric(10, 2)`).
        if !out.ends_with('_') {
            out.push('_');
        }
    }
    if out.is_empty() {
        return ("_".into(), true);
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
        changed = true;
    }
    if matches!(out.to_ascii_lowercase().as_str(), "pk" | "fk" | "uk") {
        out.push('_');
        changed = true;
    }
    (out, changed)
}

/// Text inside double quotes (a comment, a relationship's label), which
/// cannot hold a double quote or a line break.
fn quoted_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\'',
            '\r' | '\n' => ' ',
            c => c,
        })
        .collect()
}

/// A comment line's text.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::tests::small_schema;
    use vitaes_schema_core::{ColumnDef, TableDef};

    #[test]
    fn the_small_schema() {
        assert_eq!(
            mermaid(&small_schema()),
            r#"erDiagram
    %% schema public
    posts {
        integer id PK
        uuid author_id FK
        uuid editor_id FK
        text title
        timestamp_with_time_zone published_at
        numeric(10_2) price "type: numeric(10, 2)"
        text[] tags
    }
    profiles {
        uuid user_id PK, FK
        text bio
        integer billing_account FK
    }
    tags {
        text name PK
    }
    %% schema auth
    "auth.users" {
        uuid id PK
        varchar(320) email UK
        auth_role role "type: auth.role"
    }
    %% schema billing
    %% billing.accounts is referenced, not read
    "billing.accounts"
    "auth.users" ||..o{ posts : "posts_author_id_users_id_fk"
    "auth.users" |o..o{ posts : "posts_editor_id_users_id_fk"
    "billing.accounts" |o..o{ profiles : "profiles_billing_account_accounts_id_fk"
    "auth.users" ||--o| profiles : "profiles_user_id_users_id_fk"
"#
        );
    }

    #[test]
    fn names_mermaid_cannot_read_are_quoted_or_rewritten() {
        let mut t = TableDef::empty("public", "end");
        t.columns = vec![
            ColumnDef::new("pk", "text"),
            ColumnDef::new("2fa secret", "text"),
            ColumnDef::new("prénom", "\"char\""),
            ColumnDef::new("has space", "double precision"),
        ];
        let mut odd = TableDef::empty("public", "100% \"real\"");
        odd.columns = vec![ColumnDef::new("id", "integer")];
        let mut fine = TableDef::empty("public", "Users_2");
        fine.columns = vec![ColumnDef::new("_id", "integer")];
        let s = Schema {
            tables: vec![t, odd, fine],
            ..Schema::default()
        };
        let out = mermaid(&s);
        assert!(out.contains("\n    \"100_ _real_\" {\n"), "{out}");
        assert!(out.contains("\n    \"end\" {\n"), "{out}");
        assert!(
            out.contains("\n    Users_2 {\n        integer _id\n"),
            "{out}"
        );
        assert!(out.contains("        text pk_ \"name: pk\"\n"), "{out}");
        assert!(
            out.contains("        text _2fa_secret \"name: 2fa secret\"\n"),
            "{out}"
        );
        assert!(
            out.contains("        _char_ pr_nom \"name: prénom, type: 'char'\"\n"),
            "{out}"
        );
        assert!(
            out.contains("        double_precision has_space \"name: has space\"\n"),
            "{out}"
        );
    }

    #[test]
    fn words_keep_what_mermaid_reads() {
        assert_eq!(word("varchar(255)", true), ("varchar(255)".into(), false));
        assert_eq!(word("integer[]", true), ("integer[]".into(), false));
        assert_eq!(
            word("timestamp(3) with time zone", true),
            ("timestamp(3)_with_time_zone".into(), false)
        );
        assert_eq!(word("a(b)", false), ("a_b_".into(), true));
        assert_eq!(word("FK", true), ("FK_".into(), true));
        assert_eq!(word("", true), ("_".into(), true));
    }
}
