//! Two databases compared by what PostgreSQL stores, independently of our
//! introspection: `pg_dump --schema-only` where a pg_dump as new as the
//! server is installed (Debian's 15 here; the 17 and 18 packages ship no
//! pg_dump), and on every server a catalog read of its own.
//!
//! Both are sets of lines, so that two databases that reached one schema by
//! different paths compare equal: the order of statements, and of the
//! columns and constraints inside a `CREATE TABLE`, is not compared (an added
//! column comes last; the suite's `desired` may have it anywhere).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tokio_postgres::Client;

/// What a difference is about, for the outcome of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `GRANT`/`REVOKE`, ACLs: the model has no privileges.
    Privileges,
    /// `OWNER TO`, owners: the model has no owners.
    Owner,
    /// Anything else: the model's own objects.
    Schema,
}

impl Kind {
    pub fn of(line: &str) -> Kind {
        let upper = line.trim_start_matches(['-', '+', ' ']);
        if upper.starts_with("GRANT ") || upper.starts_with("REVOKE ") || upper.starts_with("acl ")
        {
            Kind::Privileges
        } else if upper.contains(" OWNER TO ") || upper.starts_with("owner ") {
            Kind::Owner
        } else {
            Kind::Schema
        }
    }
}

/// Boolean storage parameters in one spelling: PostgreSQL keeps
/// `deduplicate_items=on` as written, and `true` means the same.
fn booleans(line: &str) -> String {
    let mut out = line.to_string();
    for (from, to) in [
        ("='on'", "='true'"),
        ("='yes'", "='true'"),
        ("='off'", "='false'"),
        ("='no'", "='false'"),
        ("=on,", "=true,"),
        ("=off,", "=false,"),
        ("=on}", "=true}"),
        ("=off}", "=false}"),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// The lines of `a` not in `b` (`- `) and of `b` not in `a` (`+ `).
pub fn difference(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Vec<String> {
    let a: BTreeSet<String> = a.iter().map(|l| booleans(l)).collect();
    let b: BTreeSet<String> = b.iter().map(|l| booleans(l)).collect();
    let (a, b) = (&a, &b);
    let mut out: Vec<String> = a.difference(b).map(|l| format!("- {l}")).collect();
    out.extend(b.difference(a).map(|l| format!("+ {l}")));
    out
}

/// A pg_dump whose major version is at least `server`'s, if one is installed.
pub fn pg_dump_for(server: u32) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = vitaes_migrate::local_pg::find_bindir()
        .ok()
        .into_iter()
        .map(|d| d.join("pg_dump"))
        .collect();
    if let Ok(dirs) = std::fs::read_dir("/usr/lib/postgresql") {
        candidates.extend(dirs.flatten().map(|d| d.path().join("bin/pg_dump")));
    }
    candidates.into_iter().find(|bin| {
        let Ok(out) = std::process::Command::new(bin).arg("--version").output() else {
            return false;
        };
        // "pg_dump (PostgreSQL) 15.18 (Debian ...)"
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .nth(2)
            .and_then(|v| v.split('.').next()?.parse::<u32>().ok())
            .is_some_and(|major| major >= server)
    })
}

/// `pg_dump --schema-only` (owners and privileges kept), as a set of
/// statements: comments, `SET`s and blank lines dropped, the lines inside
/// each `CREATE TABLE (...)` sorted and without their trailing commas.
pub fn pg_dump(bin: &Path, url: &str) -> Result<BTreeSet<String>, String> {
    let out = std::process::Command::new(bin)
        .args(["--schema-only", "-d", url])
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(statements(&String::from_utf8_lossy(&out.stdout)))
}

fn statements(dump: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut current: Vec<&str> = Vec::new();
    for line in dump.lines() {
        if current.is_empty()
            && (line.is_empty()
                || line.starts_with("--")
                || line.starts_with("SET ")
                || line.starts_with("SELECT pg_catalog.set_config")
                || line.starts_with("\\restrict")
                || line.starts_with("\\unrestrict"))
        {
            continue;
        }
        current.push(line);
        // pg_dump ends every statement with `;` at the end of a line; inside
        // a function body, a line ending in `;` is followed by more lines, so
        // only a line that closes what pg_dump opened ends the statement.
        if line.ends_with(';') && closes(&current) {
            out.insert(normalise(&current));
            current.clear();
        }
    }
    if !current.is_empty() {
        out.insert(normalise(&current));
    }
    out
}

/// Whether the statement so far is complete: its dollar quotes are closed.
fn closes(lines: &[&str]) -> bool {
    let text = lines.join("\n");
    let mut open: Option<String> = None;
    let mut rest = text.as_str();
    while let Some(i) = rest.find('$') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('$') else {
            break;
        };
        let tag = &after[..j];
        if tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !tag.starts_with(|c: char| c.is_ascii_digit())
        {
            match &open {
                Some(t) if t == tag => open = None,
                Some(_) => {}
                None => open = Some(tag.to_string()),
            }
            rest = &after[j + 1..];
        } else {
            rest = after;
        }
    }
    open.is_none()
}

fn normalise(lines: &[&str]) -> String {
    let first = lines[0];
    if (first.starts_with("CREATE TABLE ") || first.starts_with("CREATE UNLOGGED TABLE "))
        && first.ends_with('(')
        && lines.len() > 2
    {
        // CREATE TABLE x (
        //     a integer,
        //     CONSTRAINT c CHECK (...)
        // ) [PARTITION BY ...];
        let close = lines
            .iter()
            .rposition(|l| l.starts_with(')'))
            .unwrap_or(lines.len() - 1);
        let mut body: Vec<String> = lines[1..close]
            .iter()
            .map(|l| l.trim().trim_end_matches(',').to_string())
            .collect();
        body.sort();
        let mut out = vec![first.to_string()];
        out.extend(body.into_iter().map(|l| format!("    {l}")));
        out.extend(lines[close..].iter().map(|l| l.to_string()));
        return out.join("\n");
    }
    lines.join("\n")
}

const USER: &str = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'";

/// What the catalog holds in the user schemas, one line per object or
/// property, columns by name (not by position). `acl ` and `owner ` lines
/// are privileges and owners.
pub async fn catalog(client: &Client) -> Result<BTreeSet<String>, tokio_postgres::Error> {
    let queries = [
        // Relations: kind, persistence, options, partitioning, inheritance.
        format!(
            "SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
                    || ' ' || c.relpersistence::text
                    || coalesce(' with ' || array_to_string(c.reloptions, ','), '')
                    || coalesce(' partition by ' || pg_get_partkeydef(c.oid), '')
                    || CASE WHEN c.relispartition THEN ' partition of '
                            || (SELECT string_agg(i.inhparent::regclass::text, ',') FROM pg_inherits i WHERE i.inhrelid = c.oid)
                            || ' ' || pg_get_expr(c.relpartbound, c.oid) ELSE '' END
                    || coalesce(' inherits ' || (SELECT string_agg(i.inhparent::regclass::text, ',' ORDER BY i.inhseqno)
                                                   FROM pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition), '')
                    || CASE WHEN c.relreplident <> 'd' AND c.relkind IN ('r', 'p') THEN ' replica identity ' || c.relreplident::text ELSE '' END
                    || coalesce(' tablespace ' || (SELECT spcname FROM pg_tablespace WHERE oid = c.reltablespace), '')
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')"
        ),
        // Columns of tables, views and composite types, by name.
        format!(
            "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname
                    || ' ' || format_type(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                    || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
                    || CASE a.attgenerated WHEN 's' THEN ' generated stored' WHEN 'v' THEN ' generated virtual' ELSE '' END
                    || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
                    || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                            THEN ' collate ' || a.attcollation::regcollation::text ELSE '' END
                    || CASE WHEN a.attstorage <> t.typstorage THEN ' storage ' || a.attstorage::text ELSE '' END
                    || coalesce(' compression ' || nullif(a.attcompression::text, ''), '')
               FROM pg_attribute a
               JOIN pg_class c ON c.oid = a.attrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_type t ON t.oid = a.atttypid
               LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE {USER} AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c') AND a.attnum > 0 AND NOT a.attisdropped"
        ),
        // Constraints of tables and domains (PostgreSQL 18's NOT NULL
        // constraints by column, their names being the server's).
        format!(
            "SELECT 'constraint ' || n.nspname || '.' || coalesce(c.relname, t.typname) || ' '
                    || CASE WHEN k.contype = 'n' THEN '-' ELSE k.conname END || ' '
                    || k.contype::text || ' ' || pg_get_constraintdef(k.oid)
                    || CASE WHEN k.condeferrable THEN ' deferrable' ELSE '' END
                    || CASE WHEN k.condeferred THEN ' deferred' ELSE '' END
                    || CASE WHEN NOT k.convalidated THEN ' not valid' ELSE '' END
               FROM pg_constraint k
               JOIN pg_namespace n ON n.oid = k.connamespace
               LEFT JOIN pg_class c ON c.oid = k.conrelid
               LEFT JOIN pg_type t ON t.oid = k.contypid
              WHERE {USER} AND (k.conparentid = 0 OR k.conparentid IS NULL)"
        ),
        format!(
            "SELECT 'index ' || pg_get_indexdef(i.indexrelid)
                    || CASE WHEN i.indisclustered THEN ' clustered' ELSE '' END
                    || CASE WHEN NOT i.indisvalid THEN ' invalid' ELSE '' END
               FROM pg_index i
               JOIN pg_class c ON c.oid = i.indexrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER}"
        ),
        format!(
            "SELECT 'sequence ' || n.nspname || '.' || c.relname || ' ' || format_type(s.seqtypid, NULL)
                    || ' ' || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqstart
                    || ' ' || s.seqcache || ' ' || s.seqcycle
                    || coalesce(' owned by ' || (SELECT d.refobjid::regclass::text || '.' || a.attname
                                                 FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                                 WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')
                                                   AND d.refclassid = 'pg_class'::regclass LIMIT 1), '')
               FROM pg_sequence s
               JOIN pg_class c ON c.oid = s.seqrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER}"
        ),
        // Types: enums with their labels, domains, composite and range types.
        format!(
            "SELECT 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text
                    || CASE t.typtype
                         WHEN 'e' THEN ' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
                         WHEN 'd' THEN ' ' || format_type(t.typbasetype, t.typtypmod)
                                      || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
                                      || coalesce(' default ' || t.typdefault, '')
                                      || CASE WHEN t.typcollation <> 0 AND t.typcollation <> (SELECT b.typcollation FROM pg_type b WHERE b.oid = t.typbasetype)
                                              THEN ' collate ' || t.typcollation::regcollation::text ELSE '' END
                         WHEN 'r' THEN ' ' || (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)
                         ELSE '' END
               FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE {USER} AND t.typtype IN ('e', 'd', 'r', 'm')
                 OR ({USER} AND t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))"
        ),
        format!(
            "SELECT 'rls ' || n.nspname || '.' || c.relname || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER} AND c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity)"
        ),
        format!(
            "SELECT 'policy ' || n.nspname || '.' || c.relname || ' ' || p.polname || ' ' || p.polpermissive
                    || ' ' || p.polcmd::text || ' '
                    || coalesce((SELECT string_agg(CASE r WHEN 0 THEN 'public' ELSE pg_get_userbyid(r)::text END, ',' ORDER BY 1)
                                   FROM unnest(p.polroles) r), '')
                    || coalesce(' using ' || pg_get_expr(p.polqual, p.polrelid), '')
                    || coalesce(' check ' || pg_get_expr(p.polwithcheck, p.polrelid), '')
               FROM pg_policy p
               JOIN pg_class c ON c.oid = p.polrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER}"
        ),
        format!(
            "SELECT 'view ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
                    || coalesce(' ' || am.amname::text, '') || ' ' || pg_get_viewdef(c.oid)
               FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               LEFT JOIN pg_am am ON am.oid = c.relam
              WHERE c.relkind IN ('v', 'm') AND {USER}"
        ),
        format!(
            "SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
                    || md5(pg_get_functiondef(p.oid))
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE {USER} AND p.prokind IN ('f', 'p')"
        ),
        format!(
            "SELECT 'trigger ' || pg_get_triggerdef(t.oid)
               FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER} AND NOT t.tgisinternal"
        ),
        "SELECT 'extension ' || e.extname || ' ' || n.nspname || ' ' || e.extversion
           FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            .to_string(),
        format!(
            "SELECT 'schema ' || n.nspname FROM pg_namespace n WHERE {USER}"
        ),
        // Comments on the database's own objects (oid 16384 and up).
        "SELECT 'comment ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ' ' || d.description
           FROM pg_description d WHERE d.objoid >= 16384"
            .to_string(),
        // Privileges and owners.
        format!(
            "SELECT 'acl ' || c.relkind::text || ' ' || n.nspname || '.' || c.relname || ' ' || c.relacl::text
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER} AND c.relacl IS NOT NULL
             UNION ALL
             SELECT 'acl column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || a.attacl::text
               FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER} AND a.attacl IS NOT NULL
             UNION ALL
             SELECT 'acl schema ' || n.nspname || ' ' || n.nspacl::text FROM pg_namespace n
              WHERE {USER} AND n.nspacl IS NOT NULL
             UNION ALL
             SELECT 'acl function ' || n.nspname || '.' || p.proname || ' ' || p.proacl::text
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE {USER} AND p.proacl IS NOT NULL
             UNION ALL
             SELECT 'acl type ' || n.nspname || '.' || t.typname || ' ' || t.typacl::text
               FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE {USER} AND t.typacl IS NOT NULL
             UNION ALL
             SELECT 'owner ' || c.relkind::text || ' ' || n.nspname || '.' || c.relname || ' ' || pg_get_userbyid(c.relowner)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE {USER} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
             UNION ALL
             SELECT 'owner schema ' || n.nspname || ' ' || pg_get_userbyid(n.nspowner) FROM pg_namespace n WHERE {USER}
             UNION ALL
             SELECT 'owner function ' || n.nspname || '.' || p.proname || ' ' || pg_get_userbyid(p.proowner)
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {USER}"
        ),
    ];
    let mut out = BTreeSet::new();
    for sql in &queries {
        for row in client.query(sql.as_str(), &[]).await? {
            if let Some(line) = row.get::<_, Option<String>>(0) {
                out.insert(line);
            }
        }
    }
    Ok(out)
}

#[test]
fn pg_dump_statements_ignore_column_order_and_comments() {
    let a = "--\n-- Name: t\n--\nSET x = 1;\nCREATE TABLE public.t (\n    a integer,\n    b text\n);\n\nALTER TABLE public.t OWNER TO postgres;\n";
    let b = "CREATE TABLE public.t (\n    b text,\n    a integer\n);\nALTER TABLE public.t OWNER TO postgres;\n";
    assert_eq!(statements(a), statements(b));
    let f = "CREATE FUNCTION public.f() RETURNS integer\n    LANGUAGE plpgsql\n    AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$;\nCREATE TABLE public.u (\n    x integer\n);\n";
    assert_eq!(statements(f).len(), 2, "{:#?}", statements(f));
    assert_eq!(
        Kind::of("+ GRANT SELECT ON TABLE public.t TO r;"),
        Kind::Privileges
    );
    assert_eq!(
        Kind::of("- ALTER TABLE public.t OWNER TO app;"),
        Kind::Owner
    );
    assert_eq!(Kind::of("+ CREATE INDEX i ON public.t (a);"), Kind::Schema);
}
