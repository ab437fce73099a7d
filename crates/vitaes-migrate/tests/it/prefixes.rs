//! A folder of each drizzle-kit `migrations.prefix`, written by the real
//! drizzle-kit with an enum built from a TypeScript enum object (so its
//! snapshots have no `typeSchema`): our check reads it and finds the Rust
//! code in it, our generate continues it in the same mode, drizzle-kit then
//! finds nothing to do, and drizzle-orm's migrator applies the whole folder.

use std::path::Path;

use vitaes_test_support::test_database;

use crate::cmd::{command, text};
use crate::drizzle::{drizzle_kit_generate_with_prefix, drizzle_orm_migrate};

const TS_V1: &str = r#"import { integer, pgEnum, pgTable } from 'drizzle-orm/pg-core';

export enum Color {
  Red = 'red',
  Green = 'green',
}
export const color = pgEnum('color', Color);

export const paint = pgTable('paint', {
  id: integer('id').primaryKey(),
  color: color('color').notNull(),
});
"#;

const TS_V2: &str = r#"import { integer, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';

export enum Color {
  Red = 'red',
  Green = 'green',
}
export const color = pgEnum('color', Color);

export const paint = pgTable('paint', {
  id: integer('id').primaryKey(),
  color: color('color').notNull(),
  name: text('name'),
});
"#;

const RUST_V1: &str = r#"use vitaes_schema::{PgEnum, Table};

#[derive(PgEnum)]
pub enum Color {
    Red,
    Green,
}

#[derive(Table)]
pub struct Paint {
    #[column(primary_key)]
    pub id: i32,
    pub color: Color,
}
"#;

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(file), text).unwrap();
}

/// `(tag, snapshot file)` of every journal entry.
fn entries(folder: &Path) -> Vec<String> {
    let journal: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("meta/_journal.json")).unwrap())
            .unwrap();
    journal["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tag"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn every_drizzle_kit_prefix_is_read_continued_and_applied() {
    for prefix in ["index", "timestamp", "supabase", "unix", "none"] {
        let project = tempfile::tempdir().unwrap();
        let (p, folder) = (project.path(), project.path().join("drizzle"));
        write(&p.join("ts1"), "schema.ts", TS_V1);
        write(&p.join("ts2"), "schema.ts", TS_V2);
        write(&p.join("rs"), "schema.rs", RUST_V1);
        write(
            p,
            "vitaes.toml",
            &format!("schema = \"rs\"\nout = \"drizzle\"\n\n[migrations]\nprefix = \"{prefix}\"\n"),
        );
        let first = drizzle_kit_generate_with_prefix(&p.join("ts1"), &folder, None, prefix);
        let tags = entries(&folder);
        assert_eq!(tags.len(), 1, "{prefix}: {}", text(&first));
        let snapshot = std::fs::read_to_string(folder.join(format!(
            "meta/{}_snapshot.json",
            tags[0].split('_').next().unwrap()
        )))
        .unwrap_or_else(|e| panic!("{prefix}: {e}"));
        assert!(snapshot.contains("\"color\""), "{prefix}");
        assert!(
            !snapshot.contains("typeSchema"),
            "{prefix}: an enum object has none"
        );

        // The code is what drizzle-kit's snapshot says.
        let check = command(p).arg("check").output().unwrap();
        assert_eq!(check.status.code(), Some(0), "{prefix}: {}", text(&check));
        assert!(
            text(&check).contains("matches the code"),
            "{prefix}: {}",
            text(&check)
        );

        // Our generate continues the folder in its mode.
        std::fs::write(
            p.join("rs/schema.rs"),
            RUST_V1.replace(
                "pub color: Color,",
                "pub color: Color,\n    pub name: Option<String>,",
            ),
        )
        .unwrap();
        let ours = command(p)
            .args(["generate", "--name", "add_name"])
            .output()
            .unwrap();
        assert_eq!(ours.status.code(), Some(0), "{prefix}: {}", text(&ours));
        let tags = entries(&folder);
        assert_eq!(tags.len(), 2, "{prefix}");
        let (a, b) = (
            tags[0].split('_').next().unwrap(),
            tags[1].split('_').next().unwrap(),
        );
        assert_eq!(a.len(), b.len(), "{prefix}: same mode: {tags:?}");
        assert!(tags[1].ends_with("_add_name"), "{prefix}: {tags:?}");
        if prefix != "none" {
            assert_ne!(a, b, "{prefix}: a snapshot of its own: {tags:?}");
        }
        let sql = std::fs::read_to_string(folder.join(format!("{}.sql", tags[1]))).unwrap();
        assert_eq!(
            sql.trim(),
            "ALTER TABLE \"paint\" ADD COLUMN \"name\" text;",
            "{prefix}"
        );

        // drizzle-kit reads our snapshot and has nothing to add (with `none`
        // drizzle-kit skips its own `_snapshot.json`, so it cannot continue
        // such a folder at all).
        if prefix != "none" {
            let again = drizzle_kit_generate_with_prefix(&p.join("ts2"), &folder, None, prefix);
            assert_eq!(entries(&folder).len(), 2, "{prefix}: {}", text(&again));
            assert!(
                text(&again).contains("No schema changes"),
                "{prefix}: {}",
                text(&again)
            );
        }

        // drizzle-orm's migrator applies both.
        let db = test_database().await;
        let (url, f) = (db.url().to_string(), folder.clone());
        let applied = tokio::task::spawn_blocking(move || drizzle_orm_migrate(&f, &url))
            .await
            .unwrap();
        assert!(applied.status.success(), "{prefix}: {}", text(&applied));
        let columns: i64 = db
            .connect()
            .await
            .query_one(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'paint'",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(columns, 3, "{prefix}");
    }
}
