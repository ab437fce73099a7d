//! Column types: Rust type → SQL type mapping (the same for the derive and the
//! CLI, decided on the written type path) and normalisation of `type = "..."`
//! to drizzle-kit's spelling.

/// The SQL type of a built-in Rust type, by the last segment of its path, or
/// `None` when it is not built in (then it is taken to be a `PgEnum`).
pub fn builtin_sql_type(last_segment: &str, generic: Option<&str>) -> Option<&'static str> {
    Some(match last_segment {
        "String" | "str" => "text",
        "i16" => "smallint",
        "i32" => "integer",
        "i64" => "bigint",
        "f32" => "real",
        "f64" => "double precision",
        "bool" => "boolean",
        "NaiveDateTime" | "PrimitiveDateTime" => "timestamp",
        "DateTime" if generic == Some("FixedOffset") => "timestamp with time zone",
        "DateTime" | "OffsetDateTime" => "timestamp with time zone",
        "NaiveDate" | "Date" => "date",
        "NaiveTime" | "Time" => "time",
        "Uuid" => "uuid",
        "Value" | "JsonValue" => "jsonb",
        "Decimal" | "BigDecimal" => "numeric",
        "IpAddr" | "IpNetwork" => "inet",
        _ => return None,
    })
}

/// Normalises a user-written SQL type to the spelling drizzle-kit stores in
/// snapshots, so `type = "timestamptz"` and `type = "timestamp with time zone"`
/// mean the same column. Unknown types are passed through lower-cased only when
/// they are plain words; anything else is kept as written.
pub fn normalize_sql_type(written: &str) -> String {
    let trimmed = collapse_spaces(written.trim());
    let (base, dims) = split_array(&trimmed);
    let lower = base.to_ascii_lowercase();
    let (name, args) = match lower.find('(') {
        Some(open) if lower.ends_with(')') => (
            lower[..open].trim().to_string(),
            Some(
                lower[open + 1..lower.len() - 1]
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .collect::<Vec<_>>(),
            ),
        ),
        _ => (lower.clone(), None),
    };
    let canonical = match name.as_str() {
        "int" | "int4" | "integer" => Some("integer"),
        "int2" | "smallint" => Some("smallint"),
        "int8" | "bigint" => Some("bigint"),
        "float4" | "real" => Some("real"),
        "float8" | "double precision" => Some("double precision"),
        "bool" | "boolean" => Some("boolean"),
        "character varying" | "varchar" => Some("varchar"),
        "character" | "char" => Some("char"),
        "decimal" | "numeric" => Some("numeric"),
        "timestamptz" | "timestamp with time zone" => Some("timestamp with time zone"),
        "timestamp" | "timestamp without time zone" => Some("timestamp"),
        "timetz" | "time with time zone" => Some("time with time zone"),
        "time" | "time without time zone" => Some("time"),
        "serial4" | "serial" => Some("serial"),
        "serial8" | "bigserial" => Some("bigserial"),
        "serial2" | "smallserial" => Some("smallserial"),
        other => KNOWN.iter().copied().find(|k| *k == other),
    };
    // Only rewrite what we recognise; keep the user's spelling (an enum name) otherwise.
    let mut out = match (canonical, args) {
        // drizzle-kit writes time precisions as `timestamp (3) with time zone`.
        (Some(time @ ("timestamp" | "time")), Some(args)) => {
            format!("{time} ({})", args.join(", "))
        }
        (Some(zoned @ ("timestamp with time zone" | "time with time zone")), Some(args)) => {
            let base = zoned.trim_end_matches(" with time zone");
            format!("{base} ({}) with time zone", args.join(", "))
        }
        (Some(canonical), Some(args)) => format!("{canonical}({})", args.join(", ")),
        (Some(canonical), None) => canonical.to_string(),
        (None, _) => base.to_string(),
    };
    for _ in 0..dims {
        out.push_str("[]");
    }
    out
}

const KNOWN: &[&str] = &[
    "text", "json", "jsonb", "uuid", "bytea", "date", "inet", "cidr", "macaddr", "macaddr8",
    "interval", "point", "line", "money", "xml", "tsvector", "tsquery", "citext",
];

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn split_array(s: &str) -> (&str, usize) {
    let mut base = s;
    let mut dims = 0;
    while let Some(stripped) = base.strip_suffix("[]") {
        base = stripped.trim_end();
        dims += 1;
    }
    (base, dims)
}

/// Words that continue a type name after its first word: PostgreSQL's
/// multi-word types (`double precision`, `character varying`,
/// `timestamp with time zone`, `interval day to second`) and `array`.
const CONTINUATIONS: &[&str] = &[
    "precision",
    "varying",
    "character",
    "char",
    "with",
    "without",
    "time",
    "zone",
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "to",
    "array",
];

/// One lexical piece of a written type.
#[derive(Debug, PartialEq)]
enum TypeToken {
    Word(String),
    Quoted,
    Dot,
    /// `(...)`: modifiers, each a signed integer or a word (`geometry(Point, 4326)`).
    Modifiers,
    /// `[]` or `[3]`.
    Array,
}

/// `Ok` when `written` (a `type = "..."`) is one type name: a possibly
/// qualified and quoted name, the words of a multi-word type, modifiers in
/// parentheses and array brackets. The text goes into DDL as written, so
/// anything else (`integer); DROP TABLE a; --`) is refused here.
pub fn check_type_name(written: &str) -> Result<(), String> {
    let tokens = type_tokens(written)?;
    let mut previous: Option<&TypeToken> = None;
    for token in &tokens {
        let fine = match (previous, token) {
            (None, TypeToken::Word(_) | TypeToken::Quoted) => true,
            (Some(TypeToken::Dot), TypeToken::Word(_) | TypeToken::Quoted) => true,
            (Some(TypeToken::Word(_) | TypeToken::Quoted), TypeToken::Dot) => true,
            (Some(TypeToken::Word(_) | TypeToken::Quoted), TypeToken::Modifiers) => true,
            (Some(TypeToken::Dot) | None, _) => false,
            (Some(_), TypeToken::Word(w)) => CONTINUATIONS.contains(&w.as_str()),
            (Some(_), TypeToken::Array) => true,
            _ => false,
        };
        if !fine {
            return Err(format!("`{written}` is not one SQL type name"));
        }
        previous = Some(token);
    }
    match previous {
        None => Err("the type is empty".to_string()),
        Some(TypeToken::Dot) => Err(format!("`{written}` ends in a `.`")),
        Some(_) => Ok(()),
    }
}

fn type_tokens(written: &str) -> Result<Vec<TypeToken>, String> {
    let unexpected = |c: char| format!("`{written}` is not one SQL type name: unexpected `{c}`");
    let mut tokens = Vec::new();
    let mut chars = written.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut word = String::new();
                while let Some(&c) = chars
                    .peek()
                    .filter(|c| c.is_alphanumeric() || **c == '_' || **c == '$')
                {
                    word.push(c.to_ascii_lowercase());
                    chars.next();
                }
                tokens.push(TypeToken::Word(word));
            }
            '"' => {
                chars.next();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                        }
                        Some('"') => break,
                        Some(_) => {}
                        None => return Err(format!("`{written}` has an unclosed `\"`")),
                    }
                }
                tokens.push(TypeToken::Quoted);
            }
            '.' => {
                chars.next();
                tokens.push(TypeToken::Dot);
            }
            '(' => {
                chars.next();
                let inner: String = chars.by_ref().take_while(|&c| c != ')').collect();
                let modifier = |m: &str| {
                    let m = m.trim();
                    let number = m.strip_prefix(['-', '+']).unwrap_or(m);
                    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
                        || (m.starts_with(char::is_alphabetic)
                            && m.chars().all(|c| c.is_alphanumeric() || c == '_'))
                };
                if !inner.split(',').all(modifier) {
                    return Err(format!(
                        "`{written}` is not one SQL type name: `({inner})` is not a list of type modifiers"
                    ));
                }
                tokens.push(TypeToken::Modifiers);
            }
            '[' => {
                chars.next();
                let inner: String = chars.by_ref().take_while(|&c| c != ']').collect();
                if !inner.trim().chars().all(|c| c.is_ascii_digit()) {
                    return Err(unexpected('['));
                }
                tokens.push(TypeToken::Array);
            }
            other => return Err(unexpected(other)),
        }
    }
    Ok(tokens)
}

/// Broad families of SQL types, for checking that a `default = <literal>` fits its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeFamily {
    /// `boolean`.
    Boolean,
    /// `smallint`, `integer`, `bigint` and the serials.
    Integer,
    /// `real`, `double precision`, `numeric`.
    Numeric,
    /// `text`, `varchar`, `char`, `citext`.
    Text,
    /// Anything else, arrays included.
    Other,
}

/// The family of `sql_type` (drizzle-kit's spelling, `varchar(255)` included).
pub fn type_family(sql_type: &str) -> TypeFamily {
    if sql_type.ends_with("[]") {
        return TypeFamily::Other;
    }
    let base = sql_type.split('(').next().unwrap_or(sql_type).trim();
    match base {
        "boolean" => TypeFamily::Boolean,
        "smallint" | "integer" | "bigint" | "serial" | "bigserial" | "smallserial" => {
            TypeFamily::Integer
        }
        "real" | "double precision" | "numeric" => TypeFamily::Numeric,
        "text" | "varchar" | "char" | "citext" => TypeFamily::Text,
        _ => TypeFamily::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_become_drizzle_spellings() {
        assert_eq!(normalize_sql_type("int4"), "integer");
        assert_eq!(normalize_sql_type("VARCHAR(255)"), "varchar(255)");
        assert_eq!(normalize_sql_type("numeric(12,2)"), "numeric(12, 2)");
        assert_eq!(
            normalize_sql_type("timestamptz"),
            "timestamp with time zone"
        );
        assert_eq!(normalize_sql_type("text[]"), "text[]");
        assert_eq!(
            normalize_sql_type("timestamptz(3)"),
            "timestamp (3) with time zone"
        );
        assert_eq!(normalize_sql_type("timestamp(6)"), "timestamp (6)");
        assert_eq!(normalize_sql_type("json"), "json");
        assert_eq!(normalize_sql_type("MyEnum"), "MyEnum");
    }

    #[test]
    fn a_type_is_one_type_name() {
        for ok in [
            "varchar(20)",
            "numeric(10,2)",
            "numeric(10, -2)",
            "timestamp with time zone",
            "timestamp(3) with time zone",
            "\"my schema\".\"t\"[]",
            "double precision",
            "character varying(255)[][]",
            "integer[3]",
            "interval day to second",
            "geometry(Point, 4326)",
            "public.citext",
            "int4 array",
        ] {
            assert_eq!(check_type_name(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check_type_name("integer); DROP TABLE a; --"),
            Err(
                "`integer); DROP TABLE a; --` is not one SQL type name: unexpected `)`".to_string()
            )
        );
        for bad in [
            "",
            "integer drop",
            "text default 'x'",
            "numeric(10; 2)",
            "a.",
            ".a",
            "a..b",
            "\"open",
            "integer[x]",
            "(3)",
        ] {
            assert!(check_type_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn builtin_types() {
        assert_eq!(builtin_sql_type("String", None), Some("text"));
        assert_eq!(
            builtin_sql_type("DateTime", Some("Utc")),
            Some("timestamp with time zone")
        );
        assert_eq!(builtin_sql_type("Mood", None), None);
    }
}
