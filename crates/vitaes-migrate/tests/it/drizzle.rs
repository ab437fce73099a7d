//! Running the reference implementation from the integration tests.
//!
//! `compat/drizzle` pins the real drizzle-kit 0.31.11, drizzle-orm and pg (package-lock.json);
//! `scripts/test-setup` installs them into `compat/drizzle/node_modules`. The helpers here run:
//!
//! * [`drizzle_kit_generate`]: `drizzle-kit generate` on a folder of Drizzle TypeScript schema
//!   files, to compare the migration folder it writes with ours;
//! * [`drizzle_orm_migrate`]: drizzle-orm's own migrator (`compat/drizzle/migrate.mjs`) on a
//!   migrations folder, to check that the folders we write are applied like drizzle's.
//!
//! Both return the raw [`Output`]; the caller asserts on it. Beware that drizzle-kit exits 0 even
//! when it fails (e.g. when it would ask an interactive rename question): check the files it
//! was supposed to write, and print its stdout/stderr in the assertion message.
//! Missing node packages are a hard failure ([`require_node_modules`]), never a silent skip.

#![allow(dead_code)] // not every test binary uses every helper

use std::ffi::OsStr;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `compat/drizzle` of this repository: package.json, drizzle.config.ts, migrate.mjs, schemas/,
/// fixtures/ and (after `scripts/test-setup`) node_modules/.
pub fn compat_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../compat/drizzle")
}

/// Panics, with instructions, unless the pinned node packages are installed.
pub fn require_node_modules() {
    let modules = compat_dir().join("node_modules");
    let needed = [
        ".bin/drizzle-kit",
        "drizzle-orm/package.json",
        "pg/package.json",
    ];
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|p| !modules.join(p).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "{} lacks {:?}: run scripts/test-setup (or use scripts/test, which runs it) to install \
         the pinned drizzle-kit before running these tests",
        modules.display(),
        missing,
    );
}

/// Runs the pinned `drizzle-kit generate [--name NAME]` on the `*.ts` files of `schema_dir`,
/// writing into `out_dir` (created if missing; it may already hold earlier migrations, which
/// drizzle-kit diffs against).
///
/// drizzle-kit reads `./drizzle.config.ts` and resolves `drizzle-orm` from `./node_modules`, so
/// this stages a temporary work dir holding the config, a `schema/` copy of the schema files and
/// a `node_modules` symlink. `out` is passed relative to that work dir because drizzle-kit
/// 0.31.11 fails silently with an absolute `out` on a non-empty folder. Stdin is null, so
/// interactive prompts fail instead of hanging.
pub fn drizzle_kit_generate(schema_dir: &Path, out_dir: &Path, name: Option<&str>) -> Output {
    drizzle_kit_generate_with_prefix(schema_dir, out_dir, name, "index")
}

/// [`drizzle_kit_generate`] with drizzle-kit's `migrations.prefix` set to
/// `prefix` (`index`, `timestamp`, `supabase`, `unix`, `none`).
pub fn drizzle_kit_generate_with_prefix(
    schema_dir: &Path,
    out_dir: &Path,
    name: Option<&str>,
    prefix: &str,
) -> Output {
    let work = stage(schema_dir);
    fs::create_dir_all(out_dir).unwrap_or_else(|e| panic!("create {}: {e}", out_dir.display()));
    let out_rel = relative_path(work.path(), out_dir);

    let mut cmd = Command::new(work.path().join("node_modules/.bin/drizzle-kit"));
    cmd.arg("generate");
    if let Some(name) = name {
        cmd.args(["--name", name]);
    }
    cmd.current_dir(work.path())
        .env("DRIZZLE_SCHEMA", "./schema/*.ts")
        .env("DRIZZLE_OUT", &out_rel)
        .env("DRIZZLE_PREFIX", prefix)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run drizzle-kit generate (is `node` on PATH?): {e}"))
}

/// Runs the pinned `drizzle-kit push --verbose --force` of the `*.ts` files in `schema_dir`
/// against the database at `url` (it applies what it plans; it prints "No changes detected"
/// when it plans nothing).
pub fn drizzle_kit_push(schema_dir: &Path, url: &str) -> Output {
    let work = stage(schema_dir);
    Command::new(work.path().join("node_modules/.bin/drizzle-kit"))
        .args(["push", "--verbose", "--force"])
        .current_dir(work.path())
        .env("DRIZZLE_SCHEMA", "./schema/*.ts")
        .env("DATABASE_URL", url)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run drizzle-kit push (is `node` on PATH?): {e}"))
}

/// A temporary work dir for drizzle-kit: its config, a `schema/` copy of the
/// `*.ts` files and a `node_modules` link.
fn stage(schema_dir: &Path) -> tempfile::TempDir {
    require_node_modules();
    let compat = compat_dir();
    let work = tempfile::Builder::new()
        .prefix("drizzle-kit.")
        .tempdir()
        .expect("create drizzle-kit work dir");

    fs::copy(
        compat.join("drizzle.config.ts"),
        work.path().join("drizzle.config.ts"),
    )
    .expect("copy drizzle.config.ts");
    fs::copy(
        compat.join("package.json"),
        work.path().join("package.json"),
    )
    .expect("copy package.json");
    let schema_copy = work.path().join("schema");
    fs::create_dir(&schema_copy).expect("create schema dir");
    let mut copied = 0;
    for entry in
        fs::read_dir(schema_dir).unwrap_or_else(|e| panic!("read {}: {e}", schema_dir.display()))
    {
        let path = entry.expect("read schema dir entry").path();
        if path.is_file() && path.extension() == Some(OsStr::new("ts")) {
            fs::copy(&path, schema_copy.join(path.file_name().unwrap())).expect("copy schema file");
            copied += 1;
        }
    }
    assert!(
        copied > 0,
        "no *.ts schema files in {}",
        schema_dir.display()
    );
    symlink_dir(
        &compat.join("node_modules").canonicalize().unwrap(),
        &work.path().join("node_modules"),
    );
    work
}

/// Applies the migrations folder `folder` to the database at `url` with drizzle-orm's migrator
/// (`node compat/drizzle/migrate.mjs FOLDER URL`). Unlike `drizzle-kit migrate`, the status is
/// non-zero when a migration fails; the error is on stderr (the URL's password never is).
pub fn drizzle_orm_migrate(folder: &Path, url: &str) -> Output {
    require_node_modules();
    Command::new("node")
        .arg(compat_dir().join("migrate.mjs"))
        .arg(folder)
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run node compat/drizzle/migrate.mjs (is `node` on PATH?): {e}"))
}

/// `to` relative to `from` (both existing directories), e.g. `../../work/main/fixtures`.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from = from.canonicalize().expect("canonicalize work dir");
    let to = to.canonicalize().expect("canonicalize out dir");
    let (from, to): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to[common..] {
        rel.push(c);
    }
    if rel.as_os_str().is_empty() {
        rel.push(".");
    }
    rel
}

#[cfg(unix)]
fn symlink_dir(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink node_modules");
}

#[cfg(windows)]
fn symlink_dir(target: &Path, link: &Path) {
    std::os::windows::fs::symlink_dir(target, link).expect("symlink node_modules");
}
