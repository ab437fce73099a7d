//! `vitaes-migrate studio` over HTTP: the guard (token, Host, Origin), the
//! table view's keyset pages and filters, edits that are one transaction
//! each and leave the row as it was when the database refuses them, and
//! `--read-only`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use serde_json::{json, Value};
use vitaes_test_support::{test_database, TestDatabase};

use crate::cmd::{command, run_async, text};
use crate::paths::vitaes_fixture_dir;

/// A running studio, stopped when dropped.
struct Running {
    child: Child,
    port: u16,
    token: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the studio on any free port, reading the URL it prints.
fn start(db: &TestDatabase, cwd: &std::path::Path, extra: &[&str]) -> Running {
    let mut child = command(cwd)
        .args(["studio", "--url", db.url(), "--port", "0", "--no-open"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("Studio: http://127.0.0.1:")
        .unwrap_or_else(|| panic!("no URL printed: {line:?}"));
    let (port, token) = url.split_once("/?token=").unwrap();
    Running {
        child,
        port: port.parse().unwrap(),
        token: token.to_string(),
    }
}

/// A response: status, headers (lower-cased names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a connection of its own.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(&body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, rest) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        let mut out = String::new();
        let mut rest = rest;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            out.push_str(&after[..n]);
            rest = &after[n + 2..];
        }
        out
    } else {
        rest.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

impl Running {
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
    fn cookie(&self) -> String {
        format!("vitaes_studio={}", self.token)
    }
    /// An API call as the page makes it (cookie, same origin).
    fn call(&self, path: &str, body: Option<Value>) -> Reply {
        let (host, cookie) = (self.host(), self.cookie());
        let origin = format!("http://{host}");
        let headers = [
            ("Host", host.as_str()),
            ("Cookie", cookie.as_str()),
            ("Origin", origin.as_str()),
        ];
        match body {
            Some(b) => http(self.port, "POST", path, &headers, Some(&b)),
            None => http(self.port, "GET", path, &headers[..2], None),
        }
    }
}

async fn vitaes(db: &TestDatabase, cwd: &std::path::Path) {
    let fixture = vitaes_fixture_dir().display().to_string();
    let out = run_async(cwd, &["migrate", "--url", db.url(), "--out", &fixture]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    db.connect()
        .await
        .batch_execute(
            r#"INSERT INTO "user" (id, name, email, email_verified, created_at, updated_at)
               SELECT 'u' || lpad(i::text, 3, '0'), 'User ' || i, 'u' || i || '@example.com', i % 2 = 0, now(), now()
                 FROM generate_series(1, 120) i;
               UPDATE "user" SET image = '' WHERE id = 'u001';
               INSERT INTO session (id, expires_at, token, created_at, updated_at, user_id)
               VALUES ('s1', now(), 'tok', now(), now(), 'u002');"#,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_guard_wants_the_token_this_host_and_this_site() {
    let db = test_database().await;
    let cwd = tempfile::tempdir().unwrap();
    let studio = start(&db, cwd.path(), &[]);
    let host = studio.host();
    // No token: 403, for the page and the API alike.
    for path in ["/", "/api/schema"] {
        let r = http(studio.port, "GET", path, &[("Host", &host)], None);
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert!(r.body.contains("no studio token"), "{}", r.body);
    }
    let wrong = http(studio.port, "GET", "/?token=nope", &[("Host", &host)], None);
    assert_eq!(wrong.status, 403);
    // The token in the URL: the cookie is set, and the page loads from it.
    let first = http(
        studio.port,
        "GET",
        &format!("/?token={}", studio.token),
        &[("Host", &host)],
        None,
    );
    assert_eq!(first.status, 303, "{}", first.body);
    let cookie = first.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with(&studio.cookie())
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let page = studio.call("/", None);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<title>vitaes-migrate studio</title>"));
    assert!(
        page.header("content-security-policy")
            .is_some_and(|c| c.contains("default-src 'self'")),
        "{:?}",
        page.headers
    );
    // The right token, but another Host (DNS rebinding) or another site's Origin.
    let cookie = studio.cookie();
    let rebound = http(
        studio.port,
        "GET",
        "/api/schema",
        &[("Host", "evil.example"), ("Cookie", &cookie)],
        None,
    );
    assert_eq!(rebound.status, 403, "{}", rebound.body);
    assert!(rebound.body.contains("Host"), "{}", rebound.body);
    let cross = http(
        studio.port,
        "POST",
        "/api/query",
        &[
            ("Host", &host),
            ("Cookie", &cookie),
            ("Origin", "http://evil.example"),
        ],
        Some(&json!({"sql": "SELECT 1"})),
    );
    assert_eq!(cross.status, 403, "{}", cross.body);
    assert!(cross.body.contains("another site"), "{}", cross.body);
}

#[tokio::test]
async fn pages_filters_and_edits_of_the_vitaes_database() {
    let db = test_database().await;
    let cwd = tempfile::tempdir().unwrap();
    vitaes(&db, cwd.path()).await;
    let studio = start(&db, cwd.path(), &[]);
    let schema = studio.call("/api/schema", None).json();
    let user = schema["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "user")
        .unwrap()
        .clone();
    assert_eq!(user["rows"], 120.0);
    assert_eq!(user["estimated"], false);
    assert_eq!(user["primary_key"], json!(["id"]));
    let refs: Vec<&str> = user["referenced_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["table"].as_str().unwrap())
        .collect();
    assert_eq!(refs.len(), 2, "{refs:?}");
    let columns: Vec<&str> = user["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let at = |name: &str| columns.iter().position(|c| *c == name).unwrap();
    let rows = |body: Value| {
        let r = studio.call("/api/rows", Some(body));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["rows"].as_array().unwrap().clone()
    };
    let ids = |rows: &[Value]| -> Vec<String> {
        rows.iter()
            .map(|r| r["cells"][at("id")].as_str().unwrap().to_string())
            .collect()
    };

    // Keyset pages by the key: 50, then the 50 after the last one shown.
    let first = rows(json!({"schema": "public", "table": "user", "limit": 50}));
    assert_eq!(ids(&first)[0], "u001");
    assert_eq!(ids(&first).len(), 50);
    let second = rows(json!({"schema": "public", "table": "user", "limit": 50,
                             "after": {"id": "u050"}}));
    assert_eq!(ids(&second)[0], "u051");
    // NULL apart from the empty string.
    assert_eq!(first[0]["cells"][at("image")], json!(""));
    assert_eq!(first[1]["cells"][at("image")], Value::Null);
    // Sorted by another column, descending, and paged on it.
    let by_name = rows(
        json!({"schema": "public", "table": "user", "limit": 3, "sort": "name", "desc": true}),
    );
    assert_eq!(ids(&by_name), ["u099", "u098", "u097"]);
    let next = rows(
        json!({"schema": "public", "table": "user", "limit": 2, "sort": "name", "desc": true,
                           "after": {"id": "u097", "name": "User 97"}}),
    );
    assert_eq!(ids(&next), ["u096", "u095"]);
    // Filters: =, contains (a % taken literally), is null, a range.
    let eq = rows(json!({"schema": "public", "table": "user",
                         "filters": [{"column": "email_verified", "op": "eq", "value": "true"}]}));
    assert_eq!(eq.len(), 60);
    let contains = rows(json!({"schema": "public", "table": "user",
                               "filters": [{"column": "email", "op": "contains", "value": "U11"}]}));
    assert_eq!(
        ids(&contains),
        ["u011", "u110", "u111", "u112", "u113", "u114", "u115", "u116", "u117", "u118", "u119"]
    );
    let none = rows(json!({"schema": "public", "table": "user",
                           "filters": [{"column": "email", "op": "contains", "value": "%"}]}));
    assert!(none.is_empty());
    let null = rows(json!({"schema": "public", "table": "user",
                           "filters": [{"column": "image", "op": "is_null"}]}));
    assert_eq!(null.len(), 100, "the first page of the 119");
    let range = rows(json!({"schema": "public", "table": "user", "filters": [
        {"column": "id", "op": "gte", "value": "u010"}, {"column": "id", "op": "lt", "value": "u013"}]}));
    assert_eq!(ids(&range), ["u010", "u011", "u012"]);
    // The rows pointing at a user: the session of u002, by its foreign key.
    let sessions = rows(json!({"schema": "public", "table": "session",
                               "filters": [{"column": "user_id", "op": "eq", "value": "u002"}]}));
    assert_eq!(sessions.len(), 1);

    // An edit with quotes and SQL in it is stored as that text.
    let evil = "O'Brien\"); DROP TABLE \"user\"; --";
    let saved = studio.call(
        "/api/update",
        Some(json!({"schema": "public", "table": "user",
        "key": {"id": "u003"}, "set": {"name": evil}})),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let client = db.connect().await;
    let name: String = client
        .query_one(r#"SELECT name FROM "user" WHERE id = 'u003'"#, &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(name, evil);
    // A save the database refuses: its error as it came, the row as it was.
    let refused = studio.call(
        "/api/update",
        Some(json!({"schema": "public", "table": "user",
        "key": {"id": "u004"}, "set": {"email": "u5@example.com", "name": "changed"}})),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    let e = refused.json();
    assert_eq!(e["code"], "23505");
    assert_eq!(e["constraint"], "user_email_unique");
    let row = client
        .query_one(r#"SELECT name, email FROM "user" WHERE id = 'u004'"#, &[])
        .await
        .unwrap();
    assert_eq!(
        (row.get::<_, String>(0), row.get::<_, String>(1)),
        ("User 4".into(), "u4@example.com".into())
    );
    // Typed input: a boolean and a timestamp as text, checked by the server.
    let typed = studio.call("/api/update", Some(json!({"schema": "public", "table": "user",
        "key": {"id": "u004"}, "set": {"email_verified": "true", "created_at": "2024-01-31 12:00:00"}})));
    assert_eq!(typed.status, 200, "{}", typed.body);
    let bad = studio.call(
        "/api/update",
        Some(json!({"schema": "public", "table": "user",
        "key": {"id": "u004"}, "set": {"created_at": "not a time"}})),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert_eq!(bad.json()["code"], "22007");

    // Insert and delete, by key, one transaction each.
    let inserted = studio.call(
        "/api/insert",
        Some(json!({"schema": "public", "table": "user", "values": {
        "id": "new", "name": "New", "email": "new@example.com", "email_verified": "false",
        "created_at": "2024-01-01 00:00:00", "updated_at": "2024-01-01 00:00:00"}})),
    );
    assert_eq!(inserted.status, 200, "{}", inserted.body);
    assert_eq!(inserted.json()["row"][at("id")], "new");
    let deleted = studio.call(
        "/api/delete",
        Some(json!({"schema": "public", "table": "user",
        "keys": [{"id": "new"}, {"id": "u120"}]})),
    );
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert_eq!(deleted.json()["deleted"], 2);
    // A key that is not there: nothing deleted at all.
    let partly = studio.call(
        "/api/delete",
        Some(json!({"schema": "public", "table": "user",
        "keys": [{"id": "u119"}, {"id": "gone"}]})),
    );
    assert_eq!(partly.status, 409, "{}", partly.body);
    let left: i64 = client
        .query_one(r#"SELECT count(*) FROM "user""#, &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 119);
    // A name the table does not have is refused before any SQL.
    let unknown = studio.call(
        "/api/rows",
        Some(json!({"schema": "public", "table": "user", "sort": "nope"})),
    );
    assert_eq!(unknown.status, 400, "{}", unknown.body);

    // The console: rows as text, errors with their position.
    let q = studio
        .call(
            "/api/query",
            Some(json!({"sql": "SELECT id, image FROM \"user\" ORDER BY id LIMIT 2"})),
        )
        .json();
    assert_eq!(q["columns"], json!(["id", "image"]));
    assert_eq!(q["rows"], json!([["u001", ""], ["u002", null]]));
    let err = studio.call(
        "/api/query",
        Some(json!({"sql": "SELECT nope FROM \"user\""})),
    );
    assert_eq!(err.status, 422);
    assert_eq!(err.json()["position"], 8);
    let two = studio.call("/api/query", Some(json!({"sql": "SELECT 1; SELECT 2"})));
    assert_eq!(two.status, 422, "one statement at a time: {}", two.body);

    // The migrations page: the fixture's one migration, applied, and no
    // drift from the code; then a column the code does not have.
    std::fs::write(
        cwd.path().join("vitaes.toml"),
        format!(
            "schema = [{:?}]\nout = {:?}\n",
            crate::paths::vitaes_schema_dir().display().to_string(),
            vitaes_fixture_dir().display().to_string()
        ),
    )
    .unwrap();
    drop(studio);
    let studio = start(&db, cwd.path(), &[]);
    let m = studio.call("/api/migrations", None).json();
    assert_eq!(m["migrations"][0]["tag"], "0000_init", "{m}");
    assert_eq!(m["migrations"][0]["state"], "applied", "{m}");
    assert_eq!(
        m["drift"],
        json!({"checked": true, "drifted": false}),
        "{m}"
    );
    client
        .batch_execute(r#"ALTER TABLE "user" ADD COLUMN nickname text"#)
        .await
        .unwrap();
    let m = studio.call("/api/migrations", None).json();
    assert_eq!(m["drift"]["drifted"], true, "{m}");
    assert_eq!(
        m["drift"]["statements"],
        json!([r#"ALTER TABLE "user" DROP COLUMN "nickname";"#]),
        "{m}"
    );
    assert!(
        m["drift"]["unified"]
            .as_str()
            .unwrap()
            .contains("-\t\"nickname\" text"),
        "{m}"
    );
}

#[tokio::test]
async fn read_only_refuses_every_write() {
    let db = test_database().await;
    let cwd = tempfile::tempdir().unwrap();
    vitaes(&db, cwd.path()).await;
    let studio = start(&db, cwd.path(), &["--read-only"]);
    let update = studio.call(
        "/api/update",
        Some(json!({"schema": "public", "table": "user",
        "key": {"id": "u001"}, "set": {"name": "x"}})),
    );
    assert_eq!(update.status, 403, "{}", update.body);
    assert!(update.body.contains("--read-only"), "{}", update.body);
    for sql in [
        r#"UPDATE "user" SET name = 'x'"#,
        r#"WITH gone AS (DELETE FROM "user" RETURNING id) SELECT count(*) FROM gone"#,
        r#"CREATE TABLE sneaky (id int)"#,
    ] {
        let r = studio.call("/api/query", Some(json!({ "sql": sql })));
        assert_eq!(r.status, 422, "{sql}: {}", r.body);
        assert_eq!(r.json()["code"], "25006", "{sql}: {}", r.body);
    }
    // The console's one statement cannot end the read-only transaction
    // and write after it.
    let two = studio.call(
        "/api/query",
        Some(json!({"sql": "COMMIT; DELETE FROM \"user\""})),
    );
    assert_eq!(two.status, 422, "{}", two.body);
    let reads = studio
        .call(
            "/api/query",
            Some(json!({"sql": "SELECT count(*) FROM \"user\""})),
        )
        .json();
    assert_eq!(reads["rows"], json!([["120"]]));
    let client = db.connect().await;
    let changed: i64 = client
        .query_one(r#"SELECT count(*) FROM "user" WHERE name = 'x'"#, &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(changed, 0);
    let sneaky: bool = client
        .query_one("SELECT to_regclass('sneaky') IS NOT NULL", &[])
        .await
        .unwrap()
        .get(0);
    assert!(!sneaky);
}

/// A user in a real browser (Debian's chromium, driven by playwright-core:
/// `compat/browser/studio.mjs`): pages, filters, an edit, a refused save,
/// an insert and a delete, a foreign key followed both ways, the diagram, a
/// query and the migrations page; then the database holds what was done.
/// `VITAES_STUDIO_SCREENSHOTS=docs/studio` writes the README's screenshots.
#[tokio::test]
async fn a_user_in_chromium_browses_edits_and_follows_keys() {
    let root = crate::paths::repo_root();
    let driver = root.join("compat/browser/node_modules/playwright-core");
    assert!(
        driver.exists() && std::path::Path::new("/usr/bin/chromium").exists(),
        "the browser tests need chromium and compat/browser's packages: run scripts/test-setup"
    );
    let db = test_database().await;
    let cwd = tempfile::tempdir().unwrap();
    vitaes(&db, cwd.path()).await;
    std::fs::write(
        cwd.path().join("vitaes.toml"),
        format!("out = {:?}\n", vitaes_fixture_dir().display().to_string()),
    )
    .unwrap();
    let studio = start(&db, cwd.path(), &[]);
    let shots = match std::env::var("VITAES_STUDIO_SCREENSHOTS") {
        Ok(dir) => root.join(dir),
        Err(_) => cwd.path().join("screenshots"),
    };
    std::fs::create_dir_all(&shots).unwrap();
    let url = format!("http://127.0.0.1:{}/?token={}", studio.port, studio.token);
    let script = root.join("compat/browser/studio.mjs");
    let shots_arg = shots.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .arg(url)
            .arg(shots_arg)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let client = db.connect().await;
    let name = |id: &'static str| {
        let client = &client;
        async move {
            client
                .query_opt(r#"SELECT name, email FROM "user" WHERE id = $1"#, &[&id])
                .await
                .unwrap()
                .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
        }
    };
    assert_eq!(name("u003").await.unwrap().0, "Edited in the browser");
    assert_eq!(
        name("u004").await.unwrap().1,
        "u4@example.com",
        "the refused save left it"
    );
    assert_eq!(name("browser-new").await.unwrap().0, "Made in the browser");
    assert_eq!(name("u120").await, None);
    for page in [
        "tables",
        "edit",
        "relationships",
        "diagram",
        "console",
        "migrations",
    ] {
        assert!(shots.join(format!("{page}.png")).exists(), "{page}.png");
    }
}
