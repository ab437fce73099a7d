//! Which schemas and tables are managed: `schema_filter` (default: `public`
//! plus every schema the code declares) and `tables_filter` globs, where a
//! leading `!` excludes.

/// What introspection reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The schemas read, in order.
    pub schemas: Vec<String>,
    /// Globs over table names (`*`, `?`); `!glob` excludes. Empty: every table.
    pub tables: Vec<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            schemas: vec!["public".to_string()],
            tables: Vec::new(),
        }
    }
}

impl Filter {
    /// `public` plus the schemas a code schema declares.
    pub fn for_schema(schema: &vitaes_schema_core::Schema) -> Filter {
        let mut schemas = vec!["public".to_string()];
        for s in &schema.schemas {
            if !schemas.contains(s) {
                schemas.push(s.clone());
            }
        }
        Filter {
            schemas,
            tables: Vec::new(),
        }
    }

    /// The filter vitaes.toml sets: `schema_filter`, else `public` plus the
    /// schemas `code` declares (without code, `public`); `tables_filter` globs.
    #[cfg(feature = "cli")]
    pub fn configured(
        config: &crate::config::Config,
        code: Option<&vitaes_schema_core::Schema>,
    ) -> Filter {
        let mut filter = match (&config.file.schema_filter, code) {
            (Some(schemas), _) => Filter {
                schemas: schemas.clone(),
                tables: Vec::new(),
            },
            (None, Some(code)) => Filter::for_schema(code),
            (None, None) => Filter::default(),
        };
        if let Some(tables) = &config.file.tables_filter {
            filter.tables = tables.clone();
        }
        filter
    }

    /// The code's tables in a schema this filter leaves out: push would
    /// neither see nor manage them. (Tables declared `external` are not
    /// the code's to manage and are never listed.)
    pub fn unmanaged(&self, code: &vitaes_schema_core::Schema) -> Vec<String> {
        code.tables
            .iter()
            .filter(|t| !self.schemas.contains(&t.schema))
            .map(|t| format!("{}.{}", t.schema, t.name))
            .collect()
    }

    /// Keeps of `schema` (read with a wider filter) only what this one selects.
    pub fn restrict(&self, schema: &mut vitaes_schema_core::Schema) {
        schema.schemas.retain(|s| self.schemas.contains(s));
        schema.enums.retain(|e| self.schemas.contains(&e.schema));
        schema.tables.retain(|t| {
            self.schemas.contains(&t.schema) && self.includes_table(&t.schema, &t.name)
        });
    }

    /// Whether `schema.name` is managed: it matches an including glob (or there
    /// is none) and no excluding one. Globs match the table name, as
    /// drizzle-kit's `tablesFilter` does; schemas are chosen by `schemas`.
    pub fn includes_table(&self, _schema: &str, name: &str) -> bool {
        let (exclude, include): (Vec<&String>, Vec<&String>) =
            self.tables.iter().partition(|g| g.starts_with('!'));
        let included = include.is_empty() || include.iter().any(|g| glob(g, name));
        included && !exclude.iter().any(|g| glob(&g[1..], name))
    }
}

/// `*` matches any run of characters, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_include_and_exclude() {
        let f = Filter {
            schemas: vec![],
            tables: vec!["*".into(), "!legacy_*".into()],
        };
        assert!(f.includes_table("public", "users"));
        assert!(!f.includes_table("public", "legacy_users"));
        let f = Filter {
            schemas: vec![],
            tables: vec!["app_?".into()],
        };
        assert!(f.includes_table("public", "app_1"));
        assert!(!f.includes_table("public", "app_10"));
        assert!(Filter::default().includes_table("public", "anything"));
    }
}
