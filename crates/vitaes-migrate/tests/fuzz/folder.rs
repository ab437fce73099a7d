//! A migrations folder with files deleted, mutated (bytes, JSON fields, a
//! NUL, invalid UTF-8) or copied: reading it for `migrate`
//! ([`Migrator::from_dir`]), entry by entry ([`Folder`]) or for `check`
//! ([`Layout::scan`]) fails only with an error naming a file of the folder.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::Index;
use vitaes_migrate::migrator::{MigrateError, Migrator};
use vitaes_schema_core::folder::{Folder, FolderError, DEFAULT};

use crate::mutate::{apply, apply_json, json_op_strategy, op_strategy, JsonOp, Op, Pool};
use crate::{fuzz, pool, repo};

const TOKENS: &[&str] = &[
    "\"tag\":",
    "\"when\":",
    "\"idx\":",
    "\"../",
    "\"/",
    "\\u0000",
    "--> statement-breakpoint",
    "\u{feff}",
    "\r\n",
    "\"dialect\":\"mysql\"",
    "\"version\":\"6\"",
    "null",
    "{",
    "}",
    "[",
    "]",
];

type Tree = BTreeMap<String, Vec<u8>>;

/// Every file under `dir`, by `/`-separated path relative to it.
fn tree(dir: &Path) -> Tree {
    fn walk(root: &Path, dir: &Path, out: &mut Tree) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = Tree::new();
    walk(dir, dir, &mut out);
    out
}

/// The seed folders, `migrations/`, drizzle-kit's fixtures and the
/// two-migration folders of its change cases.
fn folders() -> Vec<Tree> {
    let root = repo();
    let mut dirs = vec![
        root.join("fuzz/corpus/folder/two"),
        root.join("migrations"),
        root.join("compat/drizzle/fixtures/every"),
        root.join("compat/drizzle/fixtures/vitaes"),
    ];
    let changes = root.join("compat/drizzle/changes");
    let mut cases: Vec<_> = std::fs::read_dir(&changes)
        .unwrap()
        .map(|e| e.unwrap().path().join("drizzle"))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    dirs.extend(cases);
    dirs.iter().map(|d| tree(d)).collect()
}

/// One change to a folder's files; the file is picked by position.
#[derive(Debug, Clone)]
enum FileOp {
    Delete(Index),
    Bytes(Index, Vec<Op>),
    Json(Index, Vec<JsonOp>),
    Nul(Index, Index),
    NotUtf8(Index, Index),
    CopyOver(Index, Index),
}

fn file_op() -> impl Strategy<Value = FileOp> {
    prop_oneof![
        1 => any::<Index>().prop_map(FileOp::Delete),
        2 => (any::<Index>(), prop::collection::vec(op_strategy(), 1..4))
            .prop_map(|(f, ops)| FileOp::Bytes(f, ops)),
        4 => (any::<Index>(), prop::collection::vec(json_op_strategy(), 1..4))
            .prop_map(|(f, ops)| FileOp::Json(f, ops)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(f, i)| FileOp::Nul(f, i)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(f, i)| FileOp::NotUtf8(f, i)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(f, g)| FileOp::CopyOver(f, g)),
    ]
}

fn edit(files: &mut Tree, op: &FileOp, pool: &Pool, docs: &[serde_json::Value]) {
    let names: Vec<String> = files.keys().cloned().collect();
    if names.is_empty() {
        return;
    }
    let name = |i: &Index| names[i.index(names.len())].clone();
    match op {
        FileOp::Delete(f) => {
            files.remove(&name(f));
        }
        FileOp::Bytes(f, ops) => {
            let n = name(f);
            let edited = apply(pool, &files[&n], ops);
            files.insert(n, edited);
        }
        FileOp::Json(f, ops) => {
            let n = name(f);
            if let Ok(mut doc) = serde_json::from_slice::<serde_json::Value>(&files[&n]) {
                apply_json(pool, &mut doc, docs, ops);
                files.insert(n, serde_json::to_vec_pretty(&doc).unwrap());
            }
        }
        FileOp::Nul(f, i) | FileOp::NotUtf8(f, i) => {
            let byte = if matches!(op, FileOp::Nul(..)) {
                0
            } else {
                0xff
            };
            let file = files.get_mut(&name(f)).unwrap();
            let at = i.index(file.len() + 1);
            file.insert(at, byte);
        }
        FileOp::CopyOver(from, to) => {
            let text = files[&name(from)].clone();
            files.insert(name(to), text);
        }
    }
}

fn write(root: &Path, files: &Tree) {
    for (rel, bytes) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// A folder error names a file at or under `root`, and says something.
fn names_a_file(e: &FolderError, root: &Path) -> Result<(), TestCaseError> {
    prop_assert!(e.path().starts_with(root), "{}", e);
    prop_assert!(e.to_string().starts_with(&e.path().display().to_string()));
    prop_assert!(!e.message().is_empty());
    Ok(())
}

#[test]
fn folder() {
    let bases = Arc::new(folders());
    let all_files: Vec<Vec<u8>> = bases.iter().flat_map(|t| t.values().cloned()).collect();
    let docs: Vec<serde_json::Value> = all_files
        .iter()
        .filter_map(|f| serde_json::from_slice(f).ok())
        .collect();
    let pool = pool(all_files, TOKENS);
    let n = bases.len();
    let strategy = (0..n, prop::collection::vec(file_op(), 0..5));
    fuzz("folder", strategy, |(base, ops)| {
        let mut files = bases[base].clone();
        for op in &ops {
            edit(&mut files, op, &pool, &docs);
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, &files);

        match Migrator::from_dir(root) {
            Ok(m) => {
                for migration in m.migrations() {
                    prop_assert!(!migration.sql.contains('\0'));
                }
            }
            Err(MigrateError::Folder { path, message }) => {
                prop_assert!(path.starts_with(root), "{}: {}", path.display(), message);
                prop_assert!(!message.is_empty());
            }
            Err(other) => prop_assert!(false, "not a folder error: {}", other),
        }

        match Folder::open_existing(root) {
            Ok(folder) => {
                for entry in folder.entries() {
                    if let Err(e) = entry.read_sql() {
                        names_a_file(&e, root)?;
                        prop_assert_eq!(e.path(), entry.sql.as_path());
                        if let FolderError::NulByte { offset, .. } = e {
                            let bytes = std::fs::read(&entry.sql).unwrap();
                            prop_assert_eq!(bytes.get(offset), Some(&0u8));
                        }
                    }
                    if let Err(e) = entry.read_snapshot() {
                        names_a_file(&e, root)?;
                        prop_assert_eq!(e.path(), entry.snapshot.as_path());
                    }
                }
            }
            Err(e) => names_a_file(&e, root)?,
        }

        if let Err(e) = DEFAULT.scan(root) {
            names_a_file(&e, root)?;
        }
        Ok(())
    });
}
