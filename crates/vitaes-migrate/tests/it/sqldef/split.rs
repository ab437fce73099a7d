//! Splits a case's SQL into statements, as psql would send them: at each `;`
//! outside quotes ('...', E'...', "..."), dollar quotes ($$...$$,
//! $tag$...$tag$) and comments (`--`, nested `/* */`).

/// The statements of `sql`, each trimmed, without empty ones (a statement
/// that is only comments is dropped too).
pub fn statements(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Whether the current statement has anything but comments and spaces.
    let mut code = false;
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'\'' => {
                code = true;
                let escapes =
                    i > 0 && matches!(b[i - 1], b'e' | b'E') && (i < 2 || !is_ident(b[i - 2]));
                i += 1;
                while i < b.len() {
                    if escapes && b[i] == b'\\' {
                        i += 2;
                    } else if b[i] == b'\'' {
                        if b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                        } else {
                            i += 1;
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                code = true;
                i += 1;
                while i < b.len() {
                    if b[i] == b'"' {
                        if b.get(i + 1) == Some(&b'"') {
                            i += 2;
                        } else {
                            i += 1;
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'$' if i == 0 || !is_ident(b[i - 1]) => {
                code = true;
                match dollar_tag(&b[i..]) {
                    Some(tag) => {
                        let body = i + tag.len();
                        match find(&b[body..], tag) {
                            Some(end) => i = body + end + tag.len(),
                            None => i = b.len(),
                        }
                    }
                    None => i += 1,
                }
            }
            b';' => {
                if code {
                    out.push(sql[start..i].trim().to_string());
                }
                i += 1;
                start = i;
                code = false;
            }
            c => {
                if !c.is_ascii_whitespace() {
                    code = true;
                }
                i += 1;
            }
        }
    }
    if code && !sql[start..].trim().is_empty() {
        out.push(sql[start..].trim().to_string());
    }
    out
}

/// The statement's first word, upper-cased, past leading comments.
pub fn keyword(statement: &str) -> String {
    let mut s = statement.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix("--") {
            s = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    s.split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// `$$` or `$tag$` at the start of `b` (a tag does not start with a digit:
/// `$1` is a parameter).
fn dollar_tag(b: &[u8]) -> Option<&[u8]> {
    let mut j = 1;
    while j < b.len() && is_ident(b[j]) {
        if j == 1 && b[j].is_ascii_digit() {
            return None;
        }
        j += 1;
    }
    (b.get(j) == Some(&b'$')).then(|| &b[..=j])
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn splits_outside_quotes_and_comments() {
    let sql = "CREATE TABLE a (x text DEFAULT 'a;b', \"c;d\" int); -- x; y\n\
               /* c; /* nested; */ */ CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;\n\
               COMMENT ON TABLE a IS E'it\\'s; ok';\n\
               SELECT $1::int; CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql\n\
               -- only a comment;\n";
    let got = statements(sql);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert_eq!(got[0], "CREATE TABLE a (x text DEFAULT 'a;b', \"c;d\" int)");
    assert!(got[1].ends_with("LANGUAGE plpgsql"), "{}", got[1]);
    assert_eq!(got[2], "COMMENT ON TABLE a IS E'it\\'s; ok'");
    assert_eq!(got[3], "SELECT $1::int");
    assert!(got[4].starts_with("CREATE FUNCTION g()") && got[4].ends_with("-- only a comment;"));
}
