//! Where the repository's inputs are, from the crate's manifest dir.

use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root exists")
}

/// The Vitaes example's annotated structs.
pub fn vitaes_schema_dir() -> PathBuf {
    repo_root().join("examples/vitaes-db/src/schema")
}

/// drizzle-kit's own output for the Vitaes schema (see compat/drizzle/regen-fixtures.sh).
pub fn vitaes_fixture_dir() -> PathBuf {
    repo_root().join("compat/drizzle/fixtures/vitaes")
}

/// The Vitaes schema as TypeScript, for drizzle-kit.
pub fn vitaes_ts_schema_dir() -> PathBuf {
    repo_root().join("compat/drizzle/schemas/vitaes")
}

/// Generates the Vitaes migrations into a fresh temp dir with the library
/// (the same code path as the CLI) and returns the dir.
pub fn generate_vitaes() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let args = vitaes_migrate::commands::generate::GenerateArgs {
        schema: vec![vitaes_schema_dir()].into(),
        out: Some(out.path().to_path_buf()).into(),
        name: None,
        ..Default::default()
    };
    let config = vitaes_migrate::config::Config::default();
    let mut sink = Vec::new();
    vitaes_migrate::commands::generate::run(&args, &config, out.path(), &mut sink)
        .expect("generate succeeds on the Vitaes schema");
    out
}

/// The single `.sql` file of a one-migration folder.
pub fn only_sql_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read migrations dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    assert_eq!(
        files.len(),
        1,
        "expected one .sql file in {}: {files:?}",
        dir.display()
    );
    files.into_iter().next().unwrap()
}

/// The text of every `.sql` file of a migrations folder, in order.
pub fn sql_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// The `.rs` files directly in `dir`, sorted.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}
