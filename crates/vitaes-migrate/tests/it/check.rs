//! `check`: every finding from a crafted folder (made with our own
//! `generate`, then broken the way teams break them — including a real
//! two-branch merge with git), each with its exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;
use vitaes_migrate::commands::generate::{self, GenerateArgs};
use vitaes_migrate::config::Config;
use vitaes_schema_core::journal::Journal;

use crate::cmd::{command, text};

const NOTE: &str = r#"
#[derive(Table)]
#[table(name = "note")]
pub struct Note {
    #[column(primary_key)]
    pub id: i32,
    pub body: String,
}
"#;

/// A project: `schema.rs` with `body`, migrations in `migrations/`.
struct Project {
    dir: TempDir,
}

impl Project {
    fn new(body: &str) -> Project {
        let p = Project {
            dir: tempfile::tempdir().unwrap(),
        };
        p.set_schema(body);
        p
    }

    fn schema(&self) -> PathBuf {
        self.dir.path().join("schema.rs")
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }

    fn set_schema(&self, body: &str) {
        std::fs::write(
            self.schema(),
            format!("use vitaes_schema::{{PgEnum, Table}};\n{body}"),
        )
        .unwrap();
    }

    fn generate(&self) {
        let args = GenerateArgs {
            schema: vec![self.schema()].into(),
            out: Some(self.out()).into(),
            ..Default::default()
        };
        generate::run(&args, &Config::default(), self.dir.path(), &mut Vec::new()).unwrap();
    }

    fn check(&self) -> Output {
        check_cmd(self.dir.path(), &self.out(), Some(&self.schema()))
    }

    fn journal(&self) -> Journal {
        Journal::from_json(&std::fs::read_to_string(self.out().join("meta/_journal.json")).unwrap())
            .unwrap()
    }

    fn write_journal(&self, j: &Journal) {
        std::fs::write(self.out().join("meta/_journal.json"), j.to_json()).unwrap();
    }
}

fn check_cmd(cwd: &Path, out: &Path, schema: Option<&Path>) -> Output {
    let mut cmd = command(cwd);
    cmd.arg("check").arg("--out").arg(out);
    if let Some(s) = schema {
        cmd.arg("--schema").arg(s);
    }
    cmd.output().unwrap()
}

/// Exit code and combined output.
fn run(o: Output) -> (Option<i32>, String) {
    (o.status.code(), text(&o))
}

/// Two migrations: the note table, then a column.
fn two_migrations() -> Project {
    let p = Project::new(NOTE);
    p.generate();
    p.set_schema(&NOTE.replace(
        "pub body: String,",
        "pub body: String,\n    pub title: Option<String>,",
    ));
    p.generate();
    p
}

#[test]
fn a_healthy_folder_passes_and_code_ahead_of_it_does_not() {
    let p = two_migrations();
    let (code, out) = run(p.check());
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("is consistent and matches the code"), "{out}");

    p.set_schema(&NOTE.replace(
        "pub body: String,",
        "pub body: String,\n    pub title: Option<String>,\n    pub pinned: bool,",
    ));
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("the code differs from the last snapshot (1 change, e.g. add_column public.note.pinned)")
            && out.contains("--- last snapshot\n+++ code\n")
            && out.contains("+\t\"pinned\" boolean NOT NULL")
            && out.contains("run `vitaes-migrate generate`"),
        "{out}"
    );
}

#[test]
fn journal_files_and_snapshots_must_agree() {
    let tag1 = |p: &Project| p.journal().entries[1].tag.clone();

    let p = two_migrations();
    std::fs::remove_file(p.out().join(format!("{}.sql", tag1(&p)))).unwrap();
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "error: {}.sql: journal entry 1 has no migration file",
            tag1(&p)
        )),
        "{out}"
    );

    let p = two_migrations();
    std::fs::write(p.out().join("0002_stray.sql"), "SELECT 1;").unwrap();
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error: 0002_stray.sql: no journal entry"),
        "{out}"
    );

    let p = two_migrations();
    std::fs::remove_file(p.out().join("meta/0001_snapshot.json")).unwrap();
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error: meta/0001_snapshot.json: journal entry"),
        "{out}"
    );

    let p = two_migrations();
    let snap = p.out().join("meta/0000_snapshot.json");
    let text = std::fs::read_to_string(&snap).unwrap();
    std::fs::write(
        &snap,
        text.replacen("\"version\": \"7\"", "\"version\": \"5\"", 1),
    )
    .unwrap();
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error: meta/0000_snapshot.json: cannot be read")
            && out.contains("drizzle-kit up"),
        "{out}"
    );

    let p = two_migrations();
    let mut j = p.journal();
    j.entries[1].when = j.entries[0].when;
    p.write_journal(&j);
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("have the same `when`"), "{out}");

    let p = two_migrations();
    let mut j = p.journal();
    j.entries[1].when = j.entries[0].when - 1;
    p.write_journal(&j);
    let (_, out) = run(p.check());
    assert!(out.contains("drizzle-orm's migrator skips it"), "{out}");
}

/// Branch B's migration renumbered after branch A's, the usual hand fix of a
/// merge: both snapshots have the same parent, so B's does not know A's column.
#[test]
fn two_snapshots_with_one_parent_are_a_fork() {
    let a = Project::new(NOTE);
    a.generate();
    let b = Project::new(NOTE);
    copy_dir(&a.out(), &b.out());
    a.set_schema(&NOTE.replace(
        "pub body: String,",
        "pub body: String,\n    pub title: Option<String>,",
    ));
    a.generate();
    b.set_schema(&NOTE.replace(
        "pub body: String,",
        "pub body: String,\n    pub pinned: bool,",
    ));
    b.generate();

    let b_entry = b.journal().entries[1].clone();
    let new_tag = b_entry.tag.replacen("0001", "0002", 1);
    std::fs::copy(
        b.out().join(format!("{}.sql", b_entry.tag)),
        a.out().join(format!("{new_tag}.sql")),
    )
    .unwrap();
    std::fs::copy(
        b.out().join("meta/0001_snapshot.json"),
        a.out().join("meta/0002_snapshot.json"),
    )
    .unwrap();
    let mut j = a.journal();
    let mut e = b_entry;
    e.idx = 2;
    e.tag = new_tag;
    e.when = j.entries[1].when + 1;
    j.entries.push(e);
    a.write_journal(&j);

    // --json: the same finding as data.
    let json = command(a.dir.path())
        .args(["check", "--json", "--out"])
        .arg(a.out())
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1), "{}", text(&json));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let fork = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("were both generated from")
        })
        .expect("the fork as a finding");
    assert_eq!(fork["severity"], "error");
    assert_eq!(fork["file"], "meta/0002_snapshot.json");

    let (code, out) = run(a.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("meta/0001_snapshot.json and meta/0002_snapshot.json were both generated from meta/0000_snapshot.json")
            && out.contains("`vitaes-migrate drop` the later migration"),
        "{out}"
    );
}

#[test]
fn a_real_git_merge_of_two_branches_that_both_generated() {
    let p = Project::new(NOTE);
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(p.dir.path())
            .output()
            .expect("git on PATH");
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).to_string(),
        )
    };
    assert!(git(&["init", "-q", "-b", "main"]).0);
    p.generate();
    assert!(git(&["add", "-A"]).0 && git(&["commit", "-qm", "init"]).0);
    assert!(git(&["checkout", "-qb", "a"]).0);
    p.set_schema(&NOTE.replace(
        "pub body: String,",
        "pub body: String,\n    pub title: Option<String>,",
    ));
    p.generate();
    assert!(git(&["add", "-A"]).0 && git(&["commit", "-qm", "title"]).0);
    assert!(git(&["checkout", "-q", "main"]).0 && git(&["checkout", "-qb", "b"]).0);
    p.set_schema(&NOTE.replace(
        "pub body: String,",
        "pub body: String,\n    pub pinned: bool,",
    ));
    p.generate();
    assert!(git(&["add", "-A"]).0 && git(&["commit", "-qm", "pinned"]).0);
    assert!(git(&["checkout", "-q", "a"]).0);
    let (merged, _) = git(&["merge", "-q", "b"]);
    assert!(
        !merged,
        "both branches changed the journal and 0001's snapshot: a conflict"
    );

    // As git left it: conflict markers in the journal.
    let (code, out) = run(check_cmd(p.dir.path(), &p.out(), None));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("a merge left conflict markers"), "{out}");

    // As a developer resolves it: both entries kept, one 0001 snapshot, the
    // code with both columns.
    let side = |stage: &str| {
        Journal::from_json(&git(&["show", &format!(":{stage}:migrations/meta/_journal.json")]).1)
            .unwrap()
    };
    let (ours, theirs) = (side("2"), side("3"));
    let mut journal = ours.clone();
    journal.entries.push(theirs.entries[1].clone());
    p.write_journal(&journal);
    assert!(git(&["checkout", "--ours", "migrations/meta/0001_snapshot.json"]).0);
    p.set_schema(&NOTE.replace(
        "pub body: String,",
        "pub body: String,\n    pub title: Option<String>,\n    pub pinned: bool,",
    ));
    assert!(git(&["add", "-A"]).0 && git(&["commit", "-qm", "merge"]).0);
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "`{}` and `{}` both have idx 1",
            ours.entries[1].tag, theirs.entries[1].tag
        )) && out.contains("`vitaes-migrate drop` the later migration"),
        "{out}"
    );
    assert!(
        out.contains("the code differs from the last snapshot"),
        "{out}"
    );
}

#[test]
fn no_transaction_files_and_enum_values_used_after_being_added_are_warnings() {
    let mood = |values: &str, default: &str| {
        format!(
            "#[derive(PgEnum)]\n#[pg_enum(name = \"mood\")]\npub enum Mood {{ {values} }}\n\
             #[derive(Table)]\n#[table(name = \"diary\")]\npub struct Diary {{\n    #[column(primary_key)]\n    pub id: i32,\n    #[column(default = \"{default}\")]\n    pub mood: Mood,\n}}\n"
        )
    };
    let p = Project::new(&mood("Sad, Ok", "ok"));
    p.generate();
    // A new value and a default using it: generate writes two migrations.
    p.set_schema(&mood("Sad, Ok, Meh", "meh"));
    p.generate();
    assert_eq!(p.journal().entries.len(), 3);
    let (code, out) = run(p.check());
    assert_eq!(code, Some(0), "warnings alone pass: {out}");
    let (add, usage) = (&p.journal().entries[1].tag, &p.journal().entries[2].tag);
    assert!(
        out.contains(&format!(
            "warning: {add}.sql: adds enum value 'meh' and {usage}.sql uses it"
        )),
        "{out}"
    );

    let mut j = p.journal();
    let tag = j.entries[2].tag.clone();
    let path = p.out().join(format!("{tag}.sql"));
    let sql = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("-- vitaes:no-transaction\n{sql}")).unwrap();
    j.entries[2].breakpoints = true;
    p.write_journal(&j);
    let (code, out) = run(p.check());
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!("warning: {tag}.sql: runs outside a transaction")),
        "{out}"
    );
}

/// A value added and used in one transactional file fails under any
/// migrator: an error. A folder that is not there is exit 2.
#[test]
fn an_enum_value_used_in_the_file_that_adds_it_is_an_error() {
    let p = two_migrations();
    let mut j = p.journal();
    let mut e = j.entries[1].clone();
    e.idx = 2;
    e.tag = "0002_mood".into();
    e.when += 1;
    j.entries.push(e);
    p.write_journal(&j);
    std::fs::copy(
        p.out().join("meta/0001_snapshot.json"),
        p.out().join("meta/0002_snapshot.json"),
    )
    .unwrap();
    let snap = std::fs::read_to_string(p.out().join("meta/0002_snapshot.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&snap).unwrap();
    let prev = v["id"].clone();
    v["prevId"] = prev;
    v["id"] = serde_json::json!("11111111-2222-3333-4444-555555555555");
    std::fs::write(p.out().join("meta/0002_snapshot.json"), v.to_string()).unwrap();
    std::fs::write(
        p.out().join("0002_mood.sql"),
        "ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh';--> statement-breakpoint\nUPDATE \"note\" SET \"body\" = 'meh';",
    )
    .unwrap();
    // 'meh' into a text column is no use of the enum's value.
    let (code, out) = run(p.check());
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("enum value"), "{out}");
    std::fs::write(
        p.out().join("0002_mood.sql"),
        "ALTER TYPE \"public\".\"mood\" ADD VALUE 'meh';--> statement-breakpoint\nUPDATE \"note\" SET \"body\" = 'meh'::\"mood\"::text;",
    )
    .unwrap();
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "error: 0002_mood.sql: adds enum value 'meh' and uses it in the same transaction"
        ),
        "{out}"
    );

    let (code, out) = run(check_cmd(p.dir.path(), &p.dir.path().join("nope"), None));
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("no migrations folder here"), "{out}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A chain whose ids repeat, run backwards or form a cycle is broken, each
/// said once.
#[test]
fn a_chain_out_of_journal_order_or_with_a_repeated_id_is_broken() {
    let edit = |p: &Project, file: &str, id: Option<&str>, prev: &str| {
        let path = p.out().join(file);
        let mut v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if let Some(id) = id {
            v["id"] = serde_json::json!(id);
        }
        v["prevId"] = serde_json::json!(prev);
        std::fs::write(&path, v.to_string()).unwrap();
    };
    let id_of = |p: &Project, file: &str| -> String {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p.out().join(file)).unwrap()).unwrap();
        v["id"].as_str().unwrap().to_string()
    };
    let zero = "00000000-0000-0000-0000-000000000000";
    let (s0, s1) = ("meta/0000_snapshot.json", "meta/0001_snapshot.json");

    // Backwards: 0000 follows 0001.
    let p = two_migrations();
    let b = id_of(&p, s1);
    edit(&p, s0, None, &b);
    edit(&p, s1, None, zero);
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("error: meta/0000_snapshot.json: was generated from meta/0001_snapshot.json, the newest migration's snapshot"), "{out}");
    assert_eq!(out.matches("error: meta/").count(), 1, "{out}");

    // A cycle: each the other's parent.
    let p = two_migrations();
    let (a, b) = (id_of(&p, s0), id_of(&p, s1));
    edit(&p, s0, Some(&a), &b);
    edit(&p, s1, Some(&b), &a);
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "the prevIds form a cycle (meta/0000_snapshot.json → meta/0001_snapshot.json and back)"
        ),
        "{out}"
    );
    assert_eq!(out.matches("error: meta/").count(), 1, "{out}");

    // A repeated id: once, naming both files.
    let p = two_migrations();
    let a = id_of(&p, s0);
    edit(&p, s1, Some(&a), &a);
    let (code, out) = run(p.check());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("error: meta/0001_snapshot.json: has the id of meta/0000_snapshot.json"),
        "{out}"
    );
}
