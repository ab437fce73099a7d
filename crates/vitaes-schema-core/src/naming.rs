//! Every name the tools make up or transform, in one place: default table and
//! constraint names as drizzle-kit makes them, names PostgreSQL picks itself,
//! truncation to PostgreSQL's 63-byte limit, and identifier quoting.
//!
//! Keeping these together is what makes a database created by drizzle-kit,
//! by PostgreSQL's own defaults and by us show no difference.

/// PostgreSQL's `NAMEDATALEN - 1`: the longest identifier it stores, in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// Cuts `name` as PostgreSQL's lexer does: at most 63 bytes, never inside a
/// UTF-8 character.
pub fn truncate_identifier(name: &str) -> String {
    clip_bytes(name, MAX_IDENTIFIER_BYTES).to_string()
}

fn clip_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Quotes an identifier for SQL: `"name"`, doubling embedded quotes. Every
/// identifier in every statement goes through here.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string as an SQL literal: `'it''s'`.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// The default table name for a struct: snake_case of its name
/// (`VerificationToken` → `verification_token`, `HTTPLog` → `http_log`).
pub fn snake_case(ident: &str) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The SQL name of a field: the identifier without a raw prefix (`r#type` → `type`).
pub fn field_name(ident: &str) -> String {
    ident.strip_prefix("r#").unwrap_or(ident).to_string()
}

/// serde's `rename_all` rules, for a table's column names
/// (`#[table(rename_all = "camelCase")]`, or top-level `rename_all` in
/// vitaes.toml). Field names are snake_case, so each rule is a respelling of
/// the `_`-separated words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    /// `user_id` → `user_id` (as serde: field names are lower case already)
    Lower,
    /// `user_id` → `USER_ID`
    Upper,
    /// `user_id` → `UserId`
    Pascal,
    /// `user_id` → `userId`
    Camel,
    /// `user_id` → `user_id`
    Snake,
    /// `user_id` → `USER_ID`
    ScreamingSnake,
    /// `user_id` → `user-id`
    Kebab,
    /// `user_id` → `USER-ID`
    ScreamingKebab,
}

impl RenameRule {
    /// The spellings serde accepts, in serde's order.
    pub const SPELLINGS: [&'static str; 8] = [
        "lowercase",
        "UPPERCASE",
        "PascalCase",
        "camelCase",
        "snake_case",
        "SCREAMING_SNAKE_CASE",
        "kebab-case",
        "SCREAMING-KEBAB-CASE",
    ];

    /// The rule spelled `s` as in serde, or `None`.
    pub fn parse(s: &str) -> Option<RenameRule> {
        use RenameRule::*;
        let rules = [
            Lower,
            Upper,
            Pascal,
            Camel,
            Snake,
            ScreamingSnake,
            Kebab,
            ScreamingKebab,
        ];
        Self::SPELLINGS
            .iter()
            .position(|&x| x == s)
            .map(|i| rules[i])
    }

    /// The column name of a (snake_case) field name.
    pub fn apply(self, field: &str) -> String {
        let capitalized = |w: &str| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_string(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_uppercase(),
            RenameRule::Pascal => field.split('_').map(capitalized).collect(),
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply(field);
                let mut c = pascal.chars();
                c.next()
                    .map(|f| f.to_lowercase().chain(c).collect())
                    .unwrap_or_default()
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.replace('_', "-").to_uppercase(),
        }
    }
}

/// drizzle-kit's default unique constraint name: `<table>_<cols>_unique`.
pub fn unique_name(table: &str, columns: &[String]) -> String {
    truncate_identifier(&format!("{table}_{}_unique", columns.join("_")))
}

/// drizzle-kit's default foreign key name: `<table>_<cols>_<reftable>_<refcols>_fk`.
pub fn foreign_key_name(
    table: &str,
    columns: &[String],
    ref_table: &str,
    ref_columns: &[String],
) -> String {
    truncate_identifier(&format!(
        "{table}_{}_{ref_table}_{}_fk",
        columns.join("_"),
        ref_columns.join("_")
    ))
}

/// drizzle-kit's default table-level primary key name: `<table>_<cols>_pk`.
pub fn primary_key_name(table: &str, columns: &[String]) -> String {
    truncate_identifier(&format!("{table}_{}_pk", columns.join("_")))
}

/// drizzle-kit's default index name: `<table>_<cols>_index`.
pub fn index_name(table: &str, columns: &[String]) -> String {
    truncate_identifier(&format!("{table}_{}_index", columns.join("_")))
}

/// The name PostgreSQL gives a column-level primary key: `<table>_pkey`.
pub fn pkey_name(table: &str) -> String {
    make_object_name(table, None, "pkey")
}

/// The name PostgreSQL gives a serial or identity column's sequence: `<table>_<col>_seq`.
pub fn sequence_name(table: &str, column: &str) -> String {
    make_object_name(table, Some(column), "seq")
}

/// PostgreSQL's `makeObjectName`: joins `name1`, `name2` and `label` with `_`,
/// cutting the longer of the two names first so that the label always fits.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = label.len() + 1;
    if name2.is_some() {
        overhead += 1;
    }
    let avail = MAX_IDENTIFIER_BYTES - overhead;
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip_bytes(name1, n1).to_string();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip_bytes(name2, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// Whether a user-given name fits PostgreSQL's limit.
pub fn fits(name: &str) -> bool {
    name.len() <= MAX_IDENTIFIER_BYTES
}

/// A short, stable suffix for a name that would collide once cut to 63 bytes:
/// the first bytes of `full` that fit, `_`, and 8 hex digits of its FNV-1a hash.
pub fn hashed_name(full: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in full.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{}_{hash:08x}", clip_bytes(full, MAX_IDENTIFIER_BYTES - 9))
}

/// Gives every default-named object a name PostgreSQL can store without a
/// clash. Default names are cut to 63 bytes as PostgreSQL cuts them (so a
/// database drizzle-kit created shows no difference); only when a cut name
/// collides in its namespace — per schema: tables, indexes (and the indexes
/// behind unique and primary keys) and sequences; per table: constraints —
/// does the later one get [`hashed_name`] instead.
pub fn resolve_name_collisions(schema: &mut crate::Schema) {
    use std::collections::{HashMap, HashSet};

    let mut relations: HashMap<String, HashSet<String>> = HashMap::new();
    // Names that are given or fixed go in first: tables, user-named objects.
    for t in &schema.tables {
        let ns = relations.entry(t.schema.clone()).or_default();
        ns.insert(t.name.clone());
        if t.columns.iter().any(|c| c.primary_key) {
            ns.insert(pkey_name(&t.name));
        }
        for u in &t.uniques {
            if u.name != unique_name(&t.name, &u.columns) {
                ns.insert(u.name.clone());
            }
        }
        for ix in &t.indexes {
            let exprs: Vec<String> = ix.columns.iter().map(|c| c.expression.clone()).collect();
            if ix.name != index_name(&t.name, &exprs) {
                ns.insert(ix.name.clone());
            }
        }
        if let Some(pk) = &t.primary_key {
            if pk.name != primary_key_name(&t.name, &pk.columns) {
                ns.insert(pk.name.clone());
            }
        }
    }
    for t in &mut schema.tables {
        let ns = relations.entry(t.schema.clone()).or_default();
        let mut claim = |name: &mut String, full: String| {
            if was_cut(name, &full) && ns.contains(name.as_str()) {
                *name = hashed_name(&full);
            }
            ns.insert(name.clone());
        };
        let table = t.name.clone();
        if let Some(pk) = &mut t.primary_key {
            let full = format!("{table}_{}_pk", pk.columns.join("_"));
            claim(&mut pk.name, full);
        }
        for u in &mut t.uniques {
            let full = format!("{table}_{}_unique", u.columns.join("_"));
            claim(&mut u.name, full);
        }
        for ix in &mut t.indexes {
            let exprs: Vec<String> = ix.columns.iter().map(|c| c.expression.clone()).collect();
            claim(&mut ix.name, format!("{table}_{}_index", exprs.join("_")));
        }
        for c in &mut t.columns {
            if let Some(identity) = &mut c.identity {
                let full = format!("{table}_{}_seq", c.name);
                claim(&mut identity.name, full);
            }
        }
        // Constraints: unique and key names are claimed above; foreign keys
        // and checks share the table's constraint namespace with them.
        let mut constraints: HashSet<String> = t.uniques.iter().map(|u| u.name.clone()).collect();
        constraints.extend(t.primary_key.iter().map(|p| p.name.clone()));
        constraints.extend(t.checks.iter().map(|c| c.name.clone()));
        for fk in &mut t.foreign_keys {
            let full = format!(
                "{table}_{}_{}_{}_fk",
                fk.columns.join("_"),
                fk.ref_table,
                fk.ref_columns.join("_")
            );
            if was_cut(&fk.name, &full) && constraints.contains(&fk.name) {
                fk.name = hashed_name(&full);
            }
            constraints.insert(fk.name.clone());
        }
    }
}

/// Whether `name` is the default `full` as PostgreSQL cuts it, and was cut.
/// Only such names get a hash suffix on a clash: a default that fits is the
/// name drizzle-kit and PostgreSQL use, and a clash of those is an error the
/// resolver reports, since no tool could create both objects under it.
fn was_cut(name: &str, full: &str) -> bool {
    full.len() > MAX_IDENTIFIER_BYTES && name == truncate_identifier(full)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rename_rules_spell_fields_as_serde_does() {
        let cases = [
            ("lowercase", "user_id"),
            ("UPPERCASE", "USER_ID"),
            ("PascalCase", "UserId"),
            ("camelCase", "userId"),
            ("snake_case", "user_id"),
            ("SCREAMING_SNAKE_CASE", "USER_ID"),
            ("kebab-case", "user-id"),
            ("SCREAMING-KEBAB-CASE", "USER-ID"),
        ];
        for (rule, want) in cases {
            assert_eq!(
                RenameRule::parse(rule).unwrap().apply("user_id"),
                want,
                "{rule}"
            );
        }
        assert_eq!(RenameRule::Camel.apply("created_at_2"), "createdAt2");
        assert_eq!(RenameRule::Camel.apply("id"), "id");
        assert_eq!(RenameRule::parse("camelcase"), None);
    }

    use super::*;

    #[test]
    fn snake_case_of_struct_names() {
        assert_eq!(snake_case("User"), "user");
        assert_eq!(snake_case("VerificationToken"), "verification_token");
        assert_eq!(snake_case("HTTPLog"), "http_log");
        assert_eq!(snake_case("Table2Name"), "table2_name");
        assert_eq!(snake_case("r#Type"), "type");
    }

    #[test]
    fn default_constraint_names_match_drizzle_kit() {
        let cols = vec!["user_id".to_string()];
        let refcols = vec!["id".to_string()];
        assert_eq!(
            foreign_key_name("session", &cols, "user", &refcols),
            "session_user_id_user_id_fk"
        );
        assert_eq!(
            unique_name("user", &["email".to_string()]),
            "user_email_unique"
        );
        assert_eq!(
            primary_key_name("t", &["a".to_string(), "b".to_string()]),
            "t_a_b_pk"
        );
        assert_eq!(index_name("t", &["a".to_string()]), "t_a_index");
    }

    #[test]
    fn long_names_are_cut_at_63_bytes_on_a_char_boundary() {
        let long = "a".repeat(70);
        assert_eq!(truncate_identifier(&long).len(), 63);
        // 62 ASCII bytes then a 2-byte character: cutting at 63 would split it.
        let s = format!("{}é", "b".repeat(62));
        assert_eq!(truncate_identifier(&s), "b".repeat(62));
    }

    #[test]
    fn postgres_object_names_cut_the_longer_part_first() {
        assert_eq!(pkey_name("user"), "user_pkey");
        let table = "t".repeat(70);
        let pkey = pkey_name(&table);
        assert_eq!(pkey.len(), 63);
        assert!(pkey.ends_with("_pkey"));
        let seq = sequence_name(&"x".repeat(40), &"y".repeat(40));
        assert_eq!(seq, format!("{}_{}_seq", "x".repeat(29), "y".repeat(29)));
    }

    #[test]
    fn colliding_cut_names_get_a_hash_suffix() {
        let long = format!("{}_unique", "x".repeat(70));
        let hashed = hashed_name(&long);
        assert_eq!(hashed.len(), 63);
        assert_eq!(&hashed[..54], &long[..54]);
        assert_ne!(hashed_name("a"), hashed_name("b"));
        assert_eq!(hashed_name(&long), hashed, "stable");
    }

    #[test]
    fn quoting_doubles_quotes() {
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
