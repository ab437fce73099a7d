//! Whether a literal `default = ...` fits its column's type, decided when the
//! schema is read rather than when PostgreSQL rejects the migration (or,
//! worse, the first insert that uses the default).
//!
//! Only literals are checked: `default_sql` is the user's own SQL. A text
//! literal is checked for the types whose input syntax is simple and fixed
//! (numbers, uuid, json, ISO dates and times, inet); for other types
//! PostgreSQL has the last word.

use crate::model::DefaultValue;
use crate::types::{type_family, TypeFamily};

/// `Err(why)` when the literal `default` cannot be a value of `sql_type`
/// (drizzle-kit's spelling, `varchar(20)` and `numeric(10, 2)` included).
pub fn check_literal_default(default: &DefaultValue, sql_type: &str) -> Result<(), String> {
    let family = type_family(sql_type);
    let kind_fits = match default {
        DefaultValue::Bool(_) => family == TypeFamily::Boolean,
        DefaultValue::Int(_) => matches!(family, TypeFamily::Integer | TypeFamily::Numeric),
        DefaultValue::Float(_) => family == TypeFamily::Numeric,
        DefaultValue::Sql(_) => !matches!(family, TypeFamily::Boolean | TypeFamily::Integer),
    };
    if !kind_fits {
        return Err(format!(
            "this default does not fit a column of type `{sql_type}`"
        ));
    }
    let (base, args) = split_type(sql_type);
    match default {
        DefaultValue::Int(v) => integer_fits(*v as f64, &base, &args)
            .and_then(|()| integer_in_range(*v, base))
            .map_err(|why| format!("{v} does not fit a column of type `{sql_type}`: {why}")),
        DefaultValue::Float(v) => integer_fits(*v, &base, &args)
            .map_err(|why| format!("{v} does not fit a column of type `{sql_type}`: {why}")),
        DefaultValue::Sql(literal) => match unquote(literal) {
            Some(text) => text_fits(&text, &base, &args)
                .map_err(|why| format!("{literal} is not a value of type `{sql_type}`: {why}")),
            None => Ok(()),
        },
        DefaultValue::Bool(_) => Ok(()),
    }
}

/// `varchar(20)` → (`varchar`, [20]); `timestamp (3) with time zone` →
/// (`timestamp with time zone`, [3]); arrays are left whole.
fn split_type(sql_type: &str) -> (String, Vec<i64>) {
    let Some(open) = sql_type.find('(') else {
        return (sql_type.to_string(), Vec::new());
    };
    let close = sql_type[open..]
        .find(')')
        .map_or(sql_type.len(), |c| open + c);
    let args = sql_type[open + 1..close]
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    let rest = sql_type.get(close + 1..).unwrap_or("").trim();
    let base = format!("{} {rest}", sql_type[..open].trim());
    (base.trim().to_string(), args)
}

fn integer_in_range(v: i64, base: String) -> Result<(), String> {
    let (min, max) = match base.as_str() {
        "smallint" => (i16::MIN.into(), i16::MAX.into()),
        "integer" => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN, i64::MAX),
    };
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(format!("{base} holds {min} to {max}"))
    }
}

/// A `numeric(p, s)` holds numbers under 10^(p - s).
fn integer_fits(v: f64, base: &str, args: &[i64]) -> Result<(), String> {
    if base != "numeric" {
        return Ok(());
    }
    let Some(&precision) = args.first() else {
        return Ok(());
    };
    let scale = args.get(1).copied().unwrap_or(0);
    let digits = precision - scale;
    if v.abs() < 10f64.powi(digits as i32) {
        Ok(())
    } else {
        Err(format!(
            "numeric({precision}, {scale}) holds numbers below 10^{digits}"
        ))
    }
}

/// The text of a quoted SQL literal (`'it''s'` → `it's`), `None` for SQL
/// that is not one.
fn unquote(sql: &str) -> Option<String> {
    let inner = sql.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.replace("''", "").contains('\'')).then(|| inner.replace("''", "'"))
}

fn text_fits(text: &str, base: &str, args: &[i64]) -> Result<(), String> {
    match base {
        "uuid" => uuid(text),
        "json" | "jsonb" => serde_json::from_str::<serde_json::Value>(text)
            .map(drop)
            .map_err(|e| format!("not valid JSON ({e})")),
        "date" => special(text).or_else(|_| date(text)),
        "timestamp" | "timestamp with time zone" => special(text).or_else(|_| timestamp(text)),
        "time" | "time with time zone" => time_with_zone(text),
        "varchar" | "char" => match args.first() {
            Some(&n) if text.chars().count() as i64 > n => Err(format!(
                "{} characters, more than {n}",
                text.chars().count()
            )),
            _ => Ok(()),
        },
        "numeric" | "real" | "double precision" => {
            let t = text.trim();
            let named = ["nan", "infinity", "-infinity", "inf", "-inf"];
            if named.contains(&t.to_ascii_lowercase().as_str()) || t.parse::<f64>().is_ok() {
                Ok(())
            } else {
                Err("not a number".to_string())
            }
        }
        "inet" | "cidr" => inet(text),
        _ => Ok(()),
    }
}

/// 32 hex digits, hyphens between groups of four, optionally in braces, as
/// PostgreSQL's `uuid_in` reads them.
fn uuid(text: &str) -> Result<(), String> {
    let t = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(text);
    let hex: String = t.chars().filter(|&c| c != '-').collect();
    let hyphens_ok = !t.starts_with('-') && !t.ends_with('-') && !t.contains("--");
    if hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && hyphens_ok {
        Ok(())
    } else {
        Err("a uuid is 32 hex digits, as in 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'".to_string())
    }
}

/// The date and time words PostgreSQL reads for any date or timestamp.
fn special(text: &str) -> Result<(), String> {
    let words = [
        "infinity",
        "-infinity",
        "epoch",
        "now",
        "today",
        "tomorrow",
        "yesterday",
    ];
    if words.contains(&text.trim().to_ascii_lowercase().as_str()) {
        Ok(())
    } else {
        Err(String::new())
    }
}

const DATE_FORM: &str = "write the date as YYYY-MM-DD (other spellings depend on the server's DateStyle; default_sql takes any)";

/// `YYYY-MM-DD` (optionally ` BC`), a real day of the Gregorian calendar.
fn date(text: &str) -> Result<(), String> {
    let t = text.trim();
    let t = t.strip_suffix(" BC").unwrap_or(t);
    let parts: Vec<&str> = t.split('-').collect();
    let numbers: Option<Vec<u32>> = match parts.as_slice() {
        [y, m, d] if y.len() >= 4 && m.len() == 2 && d.len() == 2 => {
            parts.iter().map(|p| digits(p)).collect()
        }
        _ => None,
    };
    let Some([year, month, day]) = numbers.as_deref().map(|n| [n[0], n[1], n[2]]) else {
        return Err(DATE_FORM.to_string());
    };
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month}"));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if (1..=days).contains(&day) {
        Ok(())
    } else {
        Err(format!("month {month} of {year} has no day {day}"))
    }
}

/// `YYYY-MM-DD`, then optionally `T` or a space and a time with an optional zone.
fn timestamp(text: &str) -> Result<(), String> {
    let t = text.trim();
    match t.find(['T', ' ']) {
        Some(at) if !t[at..].trim_start().starts_with("BC") => {
            date(&t[..at])?;
            time_with_zone(&t[at + 1..])
        }
        _ => date(t),
    }
}

const TIME_FORM: &str =
    "write the time as HH:MM[:SS[.ffffff]], optionally with a zone (Z, +02, +05:30, UTC)";

/// `HH:MM[:SS[.f]]` then an optional zone: `Z`, `+HH[:MM]`, `-HHMM` or a name.
fn time_with_zone(text: &str) -> Result<(), String> {
    let t = text.trim();
    let end = t.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'));
    let (clock, zone) = t.split_at(end.unwrap_or(t.len()));
    time(clock)?;
    let zone = zone.trim();
    let offset = zone.strip_prefix(['+', '-']).map(|o| o.replace(':', ""));
    let fine = match offset {
        Some(o) => matches!(o.len(), 1 | 2 | 4) && o.chars().all(|c| c.is_ascii_digit()),
        None => zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '+' | '-')),
    };
    if fine {
        Ok(())
    } else {
        Err(TIME_FORM.to_string())
    }
}

fn time(clock: &str) -> Result<(), String> {
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let parts: Option<Vec<u32>> = hms.split(':').map(digits).collect();
    let parts = match parts {
        Some(p) if (2..=3).contains(&p.len()) && digits(fraction).is_some() => p,
        _ => return Err(TIME_FORM.to_string()),
    };
    let (h, m, s) = (parts[0], parts[1], parts.get(2).copied().unwrap_or(0));
    // PostgreSQL reads 24:00:00 and a leap second :60.
    if h > 24 || m > 59 || s > 60 || (h == 24 && (m, s) != (0, 0)) {
        return Err(format!("{clock} is not a time of day"));
    }
    Ok(())
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// An IPv4 or IPv6 address, optionally with a `/prefix` that fits it.
fn inet(text: &str) -> Result<(), String> {
    let (addr, prefix) = text.trim().split_once('/').unwrap_or((text.trim(), ""));
    let bits = match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => 32,
        Ok(std::net::IpAddr::V6(_)) => 128,
        Err(_) => return Err("not an IPv4 or IPv6 address".to_string()),
    };
    match prefix {
        "" => Ok(()),
        p => match digits(p) {
            Some(n) if n <= bits => Ok(()),
            _ => Err(format!(
                "/{p} is not a prefix length of {bits} bits or fewer"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> DefaultValue {
        DefaultValue::Sql(crate::naming::quote_literal(s))
    }

    fn fits(d: DefaultValue, ty: &str) -> bool {
        check_literal_default(&d, ty).is_ok()
    }

    #[test]
    fn integers_fit_their_width() {
        assert!(fits(DefaultValue::Int(32767), "smallint"));
        let err = check_literal_default(&DefaultValue::Int(99999999999), "smallint").unwrap_err();
        assert_eq!(
            err,
            "99999999999 does not fit a column of type `smallint`: smallint holds -32768 to 32767"
        );
        assert!(!fits(DefaultValue::Int(2147483648), "integer"));
        assert!(fits(DefaultValue::Int(2147483648), "bigint"));
        assert!(fits(DefaultValue::Int(999), "numeric(5, 2)"));
        assert!(!fits(DefaultValue::Int(1000), "numeric(5, 2)"));
        assert!(!fits(DefaultValue::Float(1234.5), "numeric(5, 2)"));
        assert!(fits(DefaultValue::Int(10), "numeric"));
    }

    #[test]
    fn kinds_that_do_not_mix() {
        assert!(!fits(DefaultValue::Bool(true), "integer"));
        assert!(!fits(DefaultValue::Int(1), "boolean"));
        assert!(!fits(DefaultValue::Float(1.5), "integer"));
        assert!(!fits(text("1"), "integer"));
        assert!(!fits(DefaultValue::Int(1), "uuid"));
        assert!(fits(DefaultValue::Bool(false), "boolean"));
    }

    #[test]
    fn uuid_json_and_numbers_in_text() {
        assert!(fits(text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "uuid"));
        assert!(fits(text("{A0EEBC999C0B4EF8BB6D6BB9BD380A11}"), "uuid"));
        let err = check_literal_default(&text("x"), "uuid").unwrap_err();
        assert!(
            err.starts_with("'x' is not a value of type `uuid`: a uuid is 32 hex digits"),
            "{err}"
        );
        assert!(fits(text("{\"a\": [1, 2]}"), "jsonb"));
        assert!(fits(text("\"abc\""), "json"));
        let err = check_literal_default(&text("abc"), "jsonb").unwrap_err();
        assert!(
            err.starts_with("'abc' is not a value of type `jsonb`: not valid JSON"),
            "{err}"
        );
        assert!(fits(text("1.50"), "numeric(10, 2)"));
        assert!(!fits(text("abc"), "numeric"));
        assert!(fits(text("10.0.0.0/8"), "cidr"));
        assert!(fits(text("::1"), "inet"));
        assert!(!fits(text("10.0.0.0/33"), "inet"));
        assert!(!fits(text("abcd"), "varchar(3)"));
        assert!(fits(text("abc"), "varchar(3)"));
        assert!(fits(text("anything"), "text"));
    }

    #[test]
    fn dates_and_times_in_iso_form() {
        assert!(fits(text("2020-02-29"), "date"));
        assert!(fits(text("infinity"), "date"));
        let err = check_literal_default(&text("2020-13-45"), "date").unwrap_err();
        assert_eq!(
            err,
            "'2020-13-45' is not a value of type `date`: there is no month 13"
        );
        assert!(!fits(text("2021-02-29"), "date"));
        assert!(!fits(text("01/02/2020"), "date"));
        assert!(fits(text("2020-01-31 23:59:59.5"), "timestamp"));
        assert!(fits(
            text("2020-01-31T10:00:00Z"),
            "timestamp with time zone"
        ));
        assert!(fits(
            text("2020-01-31 10:00:00+05:30"),
            "timestamp (3) with time zone"
        ));
        assert!(fits(text("2020-01-31"), "timestamp"));
        assert!(!fits(text("2020-01-31 25:00"), "timestamp"));
        assert!(fits(text("24:00:00"), "time"));
        assert!(fits(text("10:30 UTC"), "time with time zone"));
        assert!(!fits(text("10:61"), "time"));
        assert!(!fits(text("noon"), "time"));
    }
}
