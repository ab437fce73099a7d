//! Whether `ALTER COLUMN ... SET DATA TYPE` needs `USING`, decided offline
//! from PostgreSQL's built-in casts (`pg_cast` rows with context implicit or
//! assignment, PostgreSQL 15), in drizzle-kit's type spellings.

/// `(source, target)` pairs with only an explicit cast (`pg_cast` context
/// `e`): `USING "c"::target` works; through text it would not.
const EXPLICIT_CASTS: &[(&str, &str)] = &[
    ("integer", "boolean"),
    ("boolean", "integer"),
    ("jsonb", "boolean"),
    ("jsonb", "smallint"),
    ("jsonb", "integer"),
    ("jsonb", "bigint"),
    ("jsonb", "numeric"),
    ("jsonb", "real"),
    ("jsonb", "double precision"),
];

/// How a `USING` clause converts a value PostgreSQL cannot assign: directly
/// when a cast exists (or the source is a string, read by the target's input
/// function), else through its text form (`true` → `'true'` → jsonb).
pub fn cast_directly(from: &str, from_enum: bool, to: &str) -> bool {
    let (f, fd) = base_type(from);
    let (t, td) = base_type(to);
    !from_enum
        && fd == td
        && (STRING_TYPES.contains(&f.as_str())
            || EXPLICIT_CASTS.iter().any(|&(a, b)| a == f && b == t))
}

/// `(source, target)` pairs PostgreSQL converts on assignment without `USING`.
const ASSIGNMENT_CASTS: &[(&str, &str)] = &[
    ("bigint", "double precision"),
    ("bigint", "integer"),
    ("bigint", "numeric"),
    ("bigint", "real"),
    ("bigint", "smallint"),
    ("bigint", "money"),
    ("bit", "bit varying"),
    ("bit varying", "bit"),
    ("cidr", "inet"),
    ("inet", "cidr"),
    ("date", "timestamp with time zone"),
    ("date", "timestamp"),
    ("double precision", "bigint"),
    ("double precision", "integer"),
    ("double precision", "numeric"),
    ("double precision", "real"),
    ("double precision", "smallint"),
    ("integer", "bigint"),
    ("integer", "double precision"),
    ("integer", "numeric"),
    ("integer", "real"),
    ("integer", "smallint"),
    ("integer", "money"),
    ("interval", "time"),
    ("json", "jsonb"),
    ("jsonb", "json"),
    ("money", "numeric"),
    ("numeric", "bigint"),
    ("numeric", "double precision"),
    ("numeric", "integer"),
    ("numeric", "real"),
    ("numeric", "smallint"),
    ("numeric", "money"),
    ("real", "bigint"),
    ("real", "double precision"),
    ("real", "integer"),
    ("real", "numeric"),
    ("real", "smallint"),
    ("smallint", "bigint"),
    ("smallint", "double precision"),
    ("smallint", "integer"),
    ("smallint", "numeric"),
    ("smallint", "real"),
    ("time with time zone", "time"),
    ("time", "interval"),
    ("time", "time with time zone"),
    ("timestamp with time zone", "date"),
    ("timestamp with time zone", "time with time zone"),
    ("timestamp with time zone", "time"),
    ("timestamp with time zone", "timestamp"),
    ("timestamp", "date"),
    ("timestamp", "time"),
    ("timestamp", "timestamp with time zone"),
];

/// String types: PostgreSQL converts anything to them on assignment (I/O conversion).
const STRING_TYPES: &[&str] = &["text", "varchar", "char", "character varying", "character"];

/// A type without its modifier and array suffix: `varchar(255)[]` → (`varchar`, 1).
pub fn base_type(sql_type: &str) -> (String, usize) {
    let mut base = sql_type.trim();
    let mut dims = 0;
    while let Some(stripped) = base.strip_suffix("[]") {
        base = stripped.trim_end();
        dims += 1;
    }
    let mut name = match base.find('(') {
        Some(open) => {
            let close = base[open..].find(')').map_or(base.len(), |c| open + c + 1);
            format!("{}{}", base[..open].trim_end(), &base[close..])
        }
        None => base.to_string(),
    };
    if let Some(rest) = name.strip_prefix("timestamp ") {
        if rest.trim() != "with time zone" && rest.trim() != "without time zone" {
            name = "timestamp".to_string();
        }
    }
    let name = match name.trim() {
        "smallserial" => "smallint".to_string(),
        "serial" => "integer".to_string(),
        "bigserial" => "bigint".to_string(),
        other => other.replace("  ", " "),
    };
    (name, dims)
}

/// Whether PostgreSQL can change a column from `from` to `to` without a
/// `USING` clause. Enum types (`is_enum`) convert only to string types.
pub fn assignable(from: &str, from_enum: bool, to: &str, to_enum: bool) -> bool {
    let (f, fd) = base_type(from);
    let (t, td) = base_type(to);
    if fd != td {
        return false;
    }
    if f == t && from_enum == to_enum {
        return true;
    }
    if STRING_TYPES.contains(&t.as_str()) && !to_enum {
        return true;
    }
    if from_enum || to_enum {
        return false;
    }
    if STRING_TYPES.contains(&f.as_str()) && STRING_TYPES.contains(&t.as_str()) {
        return true;
    }
    ASSIGNMENT_CASTS.iter().any(|&(a, b)| a == f && b == t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_postgres_applies_on_its_own() {
        assert!(assignable("varchar(100)", false, "varchar(255)", false));
        assert!(assignable("integer", false, "bigint", false));
        assert!(assignable("integer", false, "text", false));
        assert!(assignable("mood", true, "text", false));
        assert!(assignable(
            "timestamp",
            false,
            "timestamp with time zone",
            false
        ));
        assert!(assignable("timestamp (3)", false, "timestamp", false));
        assert!(assignable("text[]", false, "varchar(10)[]", false));
    }

    #[test]
    fn casts_that_need_using() {
        assert!(!assignable("text", false, "integer", false));
        assert!(!assignable("text", false, "uuid", false));
        assert!(!assignable("varchar(20)", false, "mood", true));
        assert!(!assignable("mood", true, "other_mood", true));
        assert!(!assignable("text", false, "jsonb", false));
        assert!(!assignable("integer", false, "boolean", false));
        assert!(!assignable("text[]", false, "integer[]", false));
        assert!(!assignable("text", false, "text[]", false));
    }
}
