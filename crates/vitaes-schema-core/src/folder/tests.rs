use super::*;
use crate::snapshot::ZERO_ID;
use crate::Schema;

/// A fresh, empty directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("vitaes-folder-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl TempDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn snapshot(id: &str, prev: &str) -> Snapshot {
    Snapshot {
        id: id.into(),
        prev_id: prev.into(),
        schema: Schema {
            schemas: vec!["app".into()],
            ..Schema::default()
        },
    }
}

fn journal_with(tags: &[&str]) -> String {
    let journal = Journal {
        entries: tags
            .iter()
            .enumerate()
            .map(|(i, tag)| JournalEntry {
                idx: i as u32,
                version: "7".into(),
                when: 1000 + i as u64,
                tag: tag.to_string(),
                breakpoints: true,
            })
            .collect(),
        ..Journal::default()
    };
    journal.to_json()
}

#[test]
fn tags_are_a_four_digit_index_and_the_name() {
    assert_eq!(DEFAULT.tag(0, "init", 0), "0000_init");
    assert_eq!(DEFAULT.tag(12, "add_user_email", 0), "0012_add_user_email");
    assert_eq!(DEFAULT.tag(12345, "x", 0), "12345_x");
    let entry = JournalEntry {
        idx: 3,
        version: "7".into(),
        when: 1,
        tag: "0003_x".into(),
        breakpoints: true,
    };
    assert_eq!(DEFAULT.sql_file(&entry.tag), "0003_x.sql");
    assert_eq!(DEFAULT.snapshot_file(&entry), "meta/0003_snapshot.json");
    assert_eq!(DEFAULT.journal_file(), "meta/_journal.json");
}

#[test]
fn names_are_sanitised_for_tags() {
    assert_eq!(sanitize_tag("Add User-Email!"), "add_user_email");
    assert_eq!(sanitize_tag("  __x__ "), "x");
    assert_eq!(sanitize_tag("-- ++"), "");
    assert_eq!(sanitize_tag("héllo"), "h_llo");
    assert_eq!(
        sanitize_tag("add_a_very_long_table_name_with_many_words_and_more"),
        "add_a_very_long_table_name_with_many"
    );
    // No boundary late enough: cut at 40.
    assert_eq!(sanitize_tag(&"a".repeat(50)), "a".repeat(40));
}

#[test]
fn a_missing_folder_is_an_empty_history_unless_required() {
    let tmp = TempDir::new("missing");
    let root = tmp.0.join("nothing here");
    let folder = Folder::open(&root).unwrap();
    assert!(!folder.has_journal());
    assert!(folder.entries().is_empty());
    assert_eq!(folder.last_snapshot().unwrap(), None);
    assert_eq!(folder.next_tag("init", 0), "0000_init");

    let err = Folder::open_existing(&root).unwrap_err();
    assert!(matches!(err, FolderError::Io { .. }), "{err:?}");
    assert_eq!(err.path(), root.join("meta").join("_journal.json"));
}

#[test]
fn appended_migrations_are_listed_in_order_with_their_files() {
    let tmp = TempDir::new("append");
    let root = tmp.0.join("migrations");
    let mut folder = Folder::open(&root).unwrap();
    let a = folder
        .append("init", "CREATE SCHEMA app;", &snapshot("a", ZERO_ID), 5000)
        .unwrap();
    // A clock behind the last entry still gives a later `when`.
    let b = folder
        .append("more", "SELECT 1;", &snapshot("b", "a"), 10)
        .unwrap();
    assert_eq!(a.sql, root.join("0000_init.sql"));
    assert_eq!(a.snapshot, root.join("meta").join("0000_snapshot.json"));
    assert_eq!(
        (b.tag(), b.journal.idx, b.journal.when),
        ("0001_more", 1, 5001)
    );
    assert_eq!(folder.next_tag("next", 0), "0002_next");

    let reopened = Folder::open(&root).unwrap();
    assert!(reopened.has_journal());
    assert_eq!(reopened.entries(), vec![a.clone(), b.clone()]);
    assert_eq!(reopened.journal(), folder.journal());
    assert_eq!(
        reopened.entries()[0].read_sql().unwrap(),
        "CREATE SCHEMA app;"
    );
    assert_eq!(reopened.last_snapshot().unwrap(), Some(snapshot("b", "a")));
    assert_eq!(
        std::fs::read_to_string(root.join("meta/_journal.json")).unwrap(),
        folder.journal().to_json()
    );

    let contents = DEFAULT.scan(&root).unwrap();
    assert_eq!(contents.journal, Some(folder.journal().to_json()));
    assert_eq!(
        contents.sql.keys().collect::<Vec<_>>(),
        ["0000_init", "0001_more"]
    );
    assert_eq!(
        contents.snapshots.keys().collect::<Vec<_>>(),
        ["meta/0000_snapshot.json", "meta/0001_snapshot.json"]
    );

    let mut folder = reopened;
    let dropped = folder.drop_last().unwrap().unwrap();
    assert_eq!(dropped, b);
    assert!(!b.sql.exists() && !b.snapshot.exists() && a.sql.exists());
    assert_eq!(Folder::open(&root).unwrap().entries(), vec![a]);
}

#[test]
fn a_journal_entry_without_its_file_is_reported_naming_the_file() {
    let tmp = TempDir::new("no-file");
    std::fs::create_dir_all(tmp.0.join("meta")).unwrap();
    std::fs::write(
        tmp.0.join("meta/_journal.json"),
        journal_with(&["0000_a", "0001_b"]),
    )
    .unwrap();
    std::fs::write(tmp.0.join("0000_a.sql"), "SELECT 1;").unwrap();
    let folder = Folder::open_existing(&tmp.0).unwrap();
    let entries = folder.entries();
    assert_eq!(entries[0].read_sql().unwrap(), "SELECT 1;");
    let err = entries[1].read_sql().unwrap_err();
    let file = tmp.0.join("0001_b.sql");
    assert_eq!(err.path(), file);
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "{}: journal entry 1 (`0001_b`) has no readable file: ",
            file.display()
        )),
        "{text}"
    );
    // And its snapshot, naming the migration.
    let err = folder.last_snapshot().unwrap_err();
    assert_eq!(err.path(), tmp.0.join("meta/0001_snapshot.json"));
    assert!(
        err.message()
            .starts_with("snapshot of migration `0001_b` cannot be read: "),
        "{err}"
    );
}

#[test]
fn a_bad_journal_is_reported_naming_it() {
    let tmp = TempDir::new("bad-journal");
    let journal = tmp.0.join("meta").join("_journal.json");
    std::fs::create_dir_all(tmp.0.join("meta")).unwrap();
    std::fs::write(&journal, "<<<<<<< HEAD").unwrap();
    let err = Folder::open(&tmp.0).unwrap_err();
    assert_eq!(err.path(), journal);
    assert!(
        err.to_string().starts_with(&format!(
            "{}: not a drizzle-kit journal: ",
            journal.display()
        )),
        "{err}"
    );

    std::fs::write(&journal, journal_with(&[]).replace("postgresql", "sqlite")).unwrap();
    let err = Folder::open(&tmp.0).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: journal is for dialect `sqlite`, not postgresql",
            journal.display()
        )
    );
}

#[test]
fn scanning_finds_files_the_journal_does_not_list() {
    let tmp = TempDir::new("scan");
    std::fs::create_dir_all(tmp.0.join("meta")).unwrap();
    std::fs::write(tmp.0.join("0000_stray.sql"), "SELECT 1;").unwrap();
    std::fs::write(tmp.0.join("notes.txt"), "not a migration").unwrap();
    std::fs::write(tmp.0.join("meta/0004_snapshot.json"), "{}").unwrap();
    std::fs::write(tmp.0.join("meta/other.json"), "{}").unwrap();
    let contents = DEFAULT.scan(&tmp.0).unwrap();
    assert_eq!(contents.journal, None);
    assert_eq!(contents.sql.get("0000_stray").unwrap(), "SELECT 1;");
    assert_eq!(contents.sql.len(), 1);
    assert_eq!(
        contents.snapshots.keys().collect::<Vec<_>>(),
        ["meta/0004_snapshot.json"]
    );
    // A folder that is not there has nothing.
    let none = DEFAULT.scan(&tmp.0.join("absent")).unwrap();
    assert!(none.journal.is_none() && none.sql.is_empty() && none.snapshots.is_empty());
}

#[test]
fn each_prefix_tags_as_drizzle_kit_and_names_the_snapshot_by_it() {
    // kan's first migration: when 1746693478656, tag 20250508083758_SetupTables.
    let now = 1_746_693_478_656;
    let cases = [
        (Prefix::Index, "0007_setup", "meta/0007_snapshot.json"),
        (
            Prefix::Timestamp,
            "20250508083758_setup",
            "meta/20250508083758_snapshot.json",
        ),
        (
            Prefix::Supabase,
            "20250508083758_setup",
            "meta/20250508083758_snapshot.json",
        ),
        (
            Prefix::Unix,
            "1746693478_setup",
            "meta/1746693478_snapshot.json",
        ),
        (Prefix::None, "_setup", "meta/_snapshot.json"),
    ];
    for (prefix, tag, snapshot) in cases {
        let layout = prefix.layout();
        assert_eq!(layout.tag(7, "setup", now), tag, "{prefix:?}");
        let entry = JournalEntry {
            idx: 7,
            version: "7".into(),
            when: now,
            tag: tag.into(),
            breakpoints: true,
        };
        // Reading does not depend on the prefix a folder was written with.
        assert_eq!(DEFAULT.snapshot_file(&entry), snapshot, "{prefix:?}");
        assert_eq!(DEFAULT.sql_file(tag), format!("{tag}.sql"));
        let read_as = Prefix::of_tag(tag).unwrap();
        assert_eq!(read_as.layout().tag(7, "setup", now), tag, "{prefix:?}");
    }
    assert_eq!(Prefix::of_tag("add_users"), None);
    assert_eq!(Prefix::of_tag("012_x"), None);
}

#[test]
fn utc_timestamps_match_javascripts_iso_strings() {
    use super::drizzle_kit::utc_timestamp;
    assert_eq!(utc_timestamp(0), "19700101000000");
    // new Date(951782400000).toISOString() = 2000-02-29T00:00:00.000Z
    assert_eq!(utc_timestamp(951_782_400), "20000229000000");
    // 2024-12-31T23:59:59Z, a leap year's last second
    assert_eq!(utc_timestamp(1_735_689_599), "20241231235959");
    // 2100-03-01T12:34:56Z (2100 is no leap year)
    assert_eq!(utc_timestamp(4_107_587_696), "21000301123456");
}

#[test]
fn a_version_5_pg_journal_is_read_and_kept_as_it_is() {
    let dir = TempDir::new("pg-journal");
    std::fs::create_dir_all(dir.path().join("meta")).unwrap();
    std::fs::write(
        dir.path().join("meta/_journal.json"),
        r#"{"version":"5","dialect":"pg","entries":[{"idx":0,"version":"5","when":1,"tag":"0000_a","breakpoints":true}]}"#,
    )
    .unwrap();
    let folder = Folder::open_existing(dir.path()).unwrap();
    assert_eq!(folder.journal().dialect, "pg");
    assert_eq!(folder.entries()[0].sql, dir.path().join("0000_a.sql"));
    std::fs::write(
        dir.path().join("meta/_journal.json"),
        r#"{"version":"5","dialect":"mysql","entries":[]}"#,
    )
    .unwrap();
    let err = Folder::open_existing(dir.path()).unwrap_err();
    assert!(err.to_string().contains("mysql"), "{err}");
}

#[test]
fn a_time_prefix_taken_in_the_same_second_steps_to_the_next() {
    let dir = TempDir::new("same-second");
    let mut folder = Folder::open(dir.path())
        .unwrap()
        .writing_with(Some(Prefix::Unix));
    let now = 1_746_693_478_656;
    let a = folder
        .append("a", "SELECT 1;", &snapshot("a", ZERO_ID), now)
        .unwrap();
    let b = folder
        .append("b", "SELECT 2;", &snapshot("b", "a"), now + 10)
        .unwrap();
    assert_eq!(a.tag(), "1746693478_a");
    assert_eq!(b.tag(), "1746693479_b");
    assert_ne!(a.snapshot, b.snapshot);
    assert!(a.snapshot.is_file() && b.snapshot.is_file());
    // An index prefix never repeats; `none` shares its one snapshot.
    let dir = TempDir::new("none-prefix");
    let mut folder = Folder::open(dir.path())
        .unwrap()
        .writing_with(Some(Prefix::None));
    folder
        .append("a", "SELECT 1;", &snapshot("a", ZERO_ID), now)
        .unwrap();
    let b = folder
        .append("b", "SELECT 2;", &snapshot("b", "a"), now)
        .unwrap();
    assert_eq!(b.tag(), "_b");
}
