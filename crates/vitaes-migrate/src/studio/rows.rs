//! The statements behind the table view and its edits, built from a table
//! the catalog described. Nothing from the browser is spliced into them but
//! identifiers it names that the table has, quoted by
//! [`quote_ident`]; values travel as one JSON parameter that
//! `json_populate_record` turns into the table's own row type, so each value
//! is read by its column type's input function, on the server.

use serde::Deserialize;
use serde_json::{Map, Value};
use vitaes_schema_core::{naming::quote_ident, TableDef};

/// A statement and its text parameters, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The statement.
    pub sql: String,
    /// `$1`, `$2`, ... as text.
    pub params: Vec<String>,
}

/// A column value as the page sends it: its text form, or null.
pub type Values = Map<String, Value>;

/// A filter on one column.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Filter {
    /// The column tested.
    pub column: String,
    /// How.
    pub op: Op,
    /// The value compared with (as text), for the tests that take one.
    #[serde(default)]
    pub value: Option<String>,
}

/// A filter's test.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `=`, in the column's type.
    Eq,
    /// The text form contains the value, case-insensitively.
    Contains,
    /// `IS NULL`.
    IsNull,
    /// `IS NOT NULL`.
    NotNull,
    /// `>`.
    Gt,
    /// `>=`.
    Gte,
    /// `<`.
    Lt,
    /// `<=`.
    Lte,
}

/// What the table view asks for: a page after the row it last showed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Browse {
    /// Sort by this column (else by the primary key).
    #[serde(default)]
    pub sort: Option<String>,
    /// Descending.
    #[serde(default)]
    pub desc: bool,
    /// All must hold.
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// The last row shown (its sort and key columns), to page after it; for
    /// a table without a primary key, its `ctid`.
    #[serde(default)]
    pub after: Option<Values>,
    /// The last row's `ctid`, for a table without a key.
    #[serde(default)]
    pub after_ctid: Option<String>,
    /// Rows per page (1 to 1,000).
    #[serde(default = "page_size")]
    pub limit: i64,
}

fn page_size() -> i64 {
    100
}

/// A request names what the table does not have.
#[derive(Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn qualified(t: &TableDef) -> String {
    format!("{}.{}", quote_ident(&t.schema), quote_ident(&t.name))
}

fn column<'a>(t: &'a TableDef, name: &str) -> Result<&'a str, Invalid> {
    t.columns
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.name.as_str())
        .ok_or_else(|| Invalid(format!("{}.{} has no column {name:?}", t.schema, t.name)))
}

/// The primary key's columns, or why the table cannot be edited.
pub fn key(t: &TableDef) -> Result<Vec<&str>, Invalid> {
    match t.key_columns() {
        key if !key.is_empty() => Ok(key),
        _ => Err(Invalid(format!(
            "{}.{} has no primary key: its rows cannot be told apart, so it is read-only",
            t.schema, t.name
        ))),
    }
}

/// Every column as text, in the table's order (`NULL` stays `NULL`).
fn select_list(t: &TableDef) -> String {
    let cols: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("t.{}::text", quote_ident(&c.name)))
        .collect();
    format!("ARRAY[{}]::text[]", cols.join(", "))
}

/// `values` as the JSON of a row of `t`: each key a column of `t`; a
/// `json`/`jsonb` column's text parsed (so the record holds that JSON, not
/// a string of it), every other value its text.
pub fn record(t: &TableDef, values: &Values) -> Result<String, Invalid> {
    let mut out = Map::new();
    for (name, value) in values {
        let c =
            t.columns.iter().find(|c| &c.name == name).ok_or_else(|| {
                Invalid(format!("{}.{} has no column {name:?}", t.schema, t.name))
            })?;
        let v = match value {
            Value::Null => Value::Null,
            Value::String(s) if matches!(c.sql_type.as_str(), "json" | "jsonb") => {
                serde_json::from_str(s)
                    .map_err(|e| Invalid(format!("{name}: not JSON ({e}); nothing was saved")))?
            }
            Value::String(s) => Value::String(s.clone()),
            other => Value::String(other.to_string()),
        };
        out.insert(name.clone(), v);
    }
    Ok(Value::Object(out).to_string())
}

fn row_of(t: &TableDef, alias: &str, param: usize) -> String {
    format!(
        "json_populate_record(NULL::{}, ${param}::text::json) AS {alias}",
        qualified(t)
    )
}

/// Column `col` of the row parameter `$param`, as a scalar subquery: the
/// planner evaluates it once (an InitPlan), so `t.id > (...)` is an index
/// range, where a join to the function would compare every row.
fn typed(t: &TableDef, col: &str, param: usize) -> String {
    format!(
        "(SELECT r.{} FROM json_populate_record(NULL::{}, ${param}::text::json) AS r)",
        quote_ident(col),
        qualified(t)
    )
}

/// `(typed(k1), typed(k2), ...)`: a row of the parameter's columns.
fn typed_tuple(t: &TableDef, cols: &[&str], param: usize) -> String {
    let cols: Vec<String> = cols.iter().map(|c| typed(t, c, param)).collect();
    format!("({})", cols.join(", "))
}

fn tuple(alias: &str, cols: &[&str]) -> String {
    let cols: Vec<String> = cols
        .iter()
        .map(|c| format!("{alias}.{}", quote_ident(c)))
        .collect();
    format!("({})", cols.join(", "))
}

/// `%`, `_` and `\` taken literally in a `LIKE` pattern.
fn like_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// One page of `t`: keyset paging on the sort column and the key (or on
/// `ctid` without a key), never `OFFSET`.
pub fn page(t: &TableDef, b: &Browse) -> Result<Query, Invalid> {
    let mut params = Vec::new();
    let from = format!("{} AS t", qualified(t));
    let mut wher = Vec::new();
    for f in &b.filters {
        let col = quote_ident(column(t, &f.column)?);
        let value = || {
            f.value
                .clone()
                .ok_or_else(|| Invalid(format!("the filter on {} needs a value", f.column)))
        };
        let typed_value = |params: &mut Vec<String>, v: String| {
            let mut one = Values::new();
            one.insert(f.column.clone(), Value::String(v));
            params.push(record(t, &one)?);
            Ok::<String, Invalid>(typed(t, &f.column, params.len()))
        };
        let test = match f.op {
            Op::IsNull => format!("t.{col} IS NULL"),
            Op::NotNull => format!("t.{col} IS NOT NULL"),
            Op::Contains => {
                params.push(like_escaped(&value()?));
                format!("t.{col}::text ILIKE '%' || ${} || '%'", params.len())
            }
            op => {
                let other = typed_value(&mut params, value()?)?;
                let sign = match op {
                    Op::Eq => "=",
                    Op::Gt => ">",
                    Op::Gte => ">=",
                    Op::Lt => "<",
                    _ => "<=",
                };
                format!("t.{col} {sign} {other}")
            }
        };
        wher.push(test);
    }
    let dir = if b.desc { "DESC" } else { "ASC" };
    let cmp = if b.desc { "<" } else { ">" };
    let order = match key(t) {
        Ok(key) => {
            let sort = b.sort.as_deref().map(|s| column(t, s)).transpose()?;
            let sort = sort.filter(|s| !(key.len() == 1 && key[0] == *s));
            if let Some(after) = &b.after {
                params.push(record(t, after)?);
                let n = params.len();
                let k = (tuple("t", &key), typed_tuple(t, &key, n));
                wher.push(match sort {
                    None => format!("{} {cmp} {}", k.0, k.1),
                    Some(s) => {
                        let c = typed(t, s, n);
                        let after_null = after.get(s).is_none_or(Value::is_null);
                        let s = quote_ident(s);
                        if after_null {
                            format!("t.{s} IS NULL AND {} {cmp} {}", k.0, k.1)
                        } else {
                            format!(
                                "(t.{s} {cmp} {c} OR (t.{s} = {c} AND {} {cmp} {}) OR t.{s} IS NULL)",
                                k.0, k.1
                            )
                        }
                    }
                });
            }
            let key_order: Vec<String> = key
                .iter()
                .map(|c| format!("t.{} {dir}", quote_ident(c)))
                .collect();
            match sort {
                None => key_order.join(", "),
                Some(s) => format!(
                    "t.{} {dir} NULLS LAST, {}",
                    quote_ident(s),
                    key_order.join(", ")
                ),
            }
        }
        Err(_) => {
            if let Some(ctid) = &b.after_ctid {
                params.push(ctid.clone());
                wher.push(format!("t.ctid > ${}::text::tid", params.len()));
            }
            "t.ctid".to_string()
        }
    };
    params.push(b.limit.clamp(1, 1000).to_string());
    let wher = if wher.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", wher.join(" AND "))
    };
    Ok(Query {
        sql: format!(
            "SELECT {}, t.ctid::text FROM {}{wher} ORDER BY {order} LIMIT ${}::text::bigint",
            select_list(t),
            from,
            params.len()
        ),
        params,
    })
}

/// `UPDATE` of one row, found by its key, to `set`.
pub fn update(t: &TableDef, row_key: &Values, set: &Values) -> Result<Query, Invalid> {
    let key = key(t)?;
    if set.is_empty() {
        return Err(Invalid("nothing to save".into()));
    }
    let assignments: Result<Vec<String>, Invalid> = set
        .keys()
        .map(|c| column(t, c).map(|c| format!("{0} = c.{0}", quote_ident(c))))
        .collect();
    Ok(Query {
        sql: format!(
            "UPDATE {} AS t SET {} FROM {}, {} WHERE {} = {} RETURNING {}",
            qualified(t),
            assignments?.join(", "),
            row_of(t, "c", 1),
            row_of(t, "k", 2),
            tuple("t", &key),
            tuple("k", &key),
            select_list(t)
        ),
        params: vec![record(t, set)?, whole_key(t, &key, row_key)?],
    })
}

/// The key's columns of `row_key`, every one of them given.
fn whole_key(t: &TableDef, key: &[&str], row_key: &Values) -> Result<String, Invalid> {
    for k in key {
        if row_key.get(*k).is_none_or(Value::is_null) {
            return Err(Invalid(format!("the row's key has no {k}")));
        }
    }
    record(t, row_key)
}

/// `INSERT` of one row of the given columns (the rest take their defaults).
pub fn insert(t: &TableDef, values: &Values) -> Result<Query, Invalid> {
    key(t)?;
    let cols: Result<Vec<String>, Invalid> = values
        .keys()
        .map(|c| column(t, c).map(quote_ident))
        .collect();
    let cols = cols?;
    let sql = if cols.is_empty() {
        format!(
            "INSERT INTO {} AS t DEFAULT VALUES RETURNING {}",
            qualified(t),
            select_list(t)
        )
    } else {
        let picked: Vec<String> = cols.iter().map(|c| format!("c.{c}")).collect();
        format!(
            "INSERT INTO {} AS t ({}) SELECT {} FROM {} RETURNING {}",
            qualified(t),
            cols.join(", "),
            picked.join(", "),
            row_of(t, "c", 1),
            select_list(t)
        )
    };
    Ok(Query {
        params: if cols.is_empty() {
            Vec::new()
        } else {
            vec![record(t, values)?]
        },
        sql,
    })
}

/// `DELETE` of the rows with these keys.
pub fn delete(t: &TableDef, keys: &[Values]) -> Result<Query, Invalid> {
    let key = key(t)?;
    let mut rows = Vec::with_capacity(keys.len());
    for k in keys {
        rows.push(serde_json::from_str::<Value>(&whole_key(t, &key, k)?).expect("JSON we wrote"));
    }
    Ok(Query {
        sql: format!(
            "DELETE FROM {} AS t USING json_populate_recordset(NULL::{}, $1::text::json) AS k WHERE {} = {}",
            qualified(t),
            qualified(t),
            tuple("t", &key),
            tuple("k", &key)
        ),
        params: vec![Value::Array(rows).to_string()],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitaes_schema_core::{ColumnDef, PrimaryKey};

    fn users() -> TableDef {
        let mut t = TableDef::empty("public", "users");
        t.columns = vec![
            ColumnDef::new("id", "integer"),
            ColumnDef::new("name", "text"),
            ColumnDef::new("data", "jsonb"),
        ];
        t.primary_key = Some(PrimaryKey {
            name: "users_pkey".into(),
            columns: vec!["id".into()],
        });
        t
    }

    fn values(pairs: &[(&str, Value)]) -> Values {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn a_page_after_a_row_is_a_keyset_on_the_key() {
        let b = Browse {
            after: Some(values(&[("id", "41".into())])),
            limit: 50,
            ..Browse::default()
        };
        let q = page(&users(), &b).unwrap();
        assert!(
            q.sql
                .contains(r#"WHERE (t."id") > ((SELECT r."id" FROM json_populate_record("#),
            "{}",
            q.sql
        );
        assert!(
            q.sql.contains(r#"ORDER BY t."id" ASC LIMIT $2"#),
            "{}",
            q.sql
        );
        assert!(!q.sql.contains("OFFSET"));
        assert_eq!(q.params, [r#"{"id":"41"}"#, "50"]);
    }

    #[test]
    fn values_are_parameters_and_names_must_exist() {
        let evil = "x'); DROP TABLE users; --";
        let b = Browse {
            filters: vec![Filter {
                column: "name".into(),
                op: Op::Contains,
                value: Some(format!("50%_{evil}")),
            }],
            ..Browse::default()
        };
        let q = page(&users(), &b).unwrap();
        assert!(!q.sql.contains("DROP"), "{}", q.sql);
        assert_eq!(q.params[0], format!("50\\%\\_{evil}"));
        let b = Browse {
            sort: Some("nope\"".into()),
            ..Browse::default()
        };
        assert!(page(&users(), &b).is_err());
        let set = values(&[("name", evil.into())]);
        let q = update(&users(), &values(&[("id", "1".into())]), &set).unwrap();
        assert!(!q.sql.contains("DROP"), "{}", q.sql);
        assert!(
            update(&users(), &values(&[]), &set).is_err(),
            "a key is needed"
        );
    }

    #[test]
    fn json_columns_take_json_and_others_text() {
        let r = record(
            &users(),
            &values(&[("data", r#"{"a": 1}"#.into()), ("id", "7".into())]),
        )
        .unwrap();
        assert_eq!(r, r#"{"data":{"a":1},"id":"7"}"#);
        assert!(record(&users(), &values(&[("data", "{oops".into())])).is_err());
    }

    #[test]
    fn a_table_without_a_key_pages_by_ctid_and_is_not_edited() {
        let mut t = users();
        t.primary_key = None;
        let q = page(
            &t,
            &Browse {
                after_ctid: Some("(0,5)".into()),
                ..Browse::default()
            },
        )
        .unwrap();
        assert!(
            q.sql.contains("t.ctid > $1::text::tid ORDER BY t.ctid"),
            "{}",
            q.sql
        );
        let why = insert(&t, &Values::new()).unwrap_err();
        assert!(why.0.contains("no primary key"), "{why}");
    }
}
