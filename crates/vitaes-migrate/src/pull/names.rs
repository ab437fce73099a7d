//! Rust names for SQL names: structs in UpperCamelCase, fields and enum
//! variants checked against Rust's keywords, collisions numbered in order.

use std::collections::HashSet;

/// `resume_template` → `ResumeTemplate`; a name that does not start with a
/// letter gets a `T` in front.
pub fn upper_camel(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut upper = true;
    for c in sql.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => format!("T{out}"),
    }
}

/// A field (or variant) identifier from an SQL name: snake_case as written
/// when it is one, else a cleaned snake_case; Rust keywords raw (`r#type`),
/// or with `_` where raw is not allowed (`self_`).
pub fn field(sql: &str) -> String {
    let snake = vitaes_schema_core::naming::snake_case(sql);
    let mut cleaned: String = snake
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() || cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        cleaned = format!("_{cleaned}");
    }
    match cleaned.as_str() {
        "self" | "Self" | "super" | "crate" | "_" => format!("{cleaned}_"),
        word if syn::parse_str::<syn::Ident>(word).is_err() => format!("r#{word}"),
        _ => cleaned,
    }
}

/// Hands out names, numbering one already taken (`name`, `name_2`, ...).
#[derive(Default)]
pub struct Taken(HashSet<String>);

impl Taken {
    /// Whether `name` is handed out.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// `wanted`, or the first free `wantedN` (N from 2): the numbering of a
    /// type name, which stays UpperCamelCase.
    pub fn claim_numbered(&mut self, wanted: String) -> String {
        if self.0.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|n| format!("{wanted}{n}"))
            .find(|c| self.0.insert(c.clone()))
            .expect("some number is free")
    }

    /// `wanted`, or the first free `wanted_N`.
    pub fn claim(&mut self, wanted: String) -> String {
        if self.0.insert(wanted.clone()) {
            return wanted;
        }
        (2..)
            .map(|n| format!("{wanted}_{n}"))
            .find(|c| self.0.insert(c.clone()))
            .expect("some number is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_rust_names() {
        assert_eq!(upper_camel("resume_template"), "ResumeTemplate");
        assert_eq!(upper_camel("2fa codes"), "T2faCodes");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "self_");
        assert_eq!(field("createdAt"), "created_at");
        assert_eq!(field("Full Name"), "full_name");
        let mut taken = Taken::default();
        assert_eq!(taken.claim("id".into()), "id");
        assert_eq!(taken.claim("id".into()), "id_2");
        assert_eq!(taken.claim_numbered("Users".into()), "Users");
        assert_eq!(taken.claim_numbered("Users".into()), "Users2");
    }
}
