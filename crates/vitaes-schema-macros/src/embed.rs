//! `embed_migrations!("migrations")`: a migrations folder compiled into the
//! binary. The folder is read at expansion by `vitaes_schema_core::folder`,
//! as `Migrator::from_dir` reads it at run time (so a missing file or bad
//! journal is a compile error), and the journal and every file go in with
//! `include_str!`, which makes cargo rebuild when one of them changes.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use vitaes_schema_core::folder::{Entry, Folder, FolderError};

/// The expansion for a folder path relative to `manifest_dir`.
pub fn embed_migrations_inner(input: TokenStream, manifest_dir: &Path) -> TokenStream {
    let lit: LitStr = match syn::parse2(input) {
        Ok(l) => l,
        Err(_) => {
            return syn::Error::new(
                proc_macro2::Span::call_site(),
                "embed_migrations! takes the migrations folder as a string literal, relative to Cargo.toml: embed_migrations!(\"migrations\")",
            )
            .to_compile_error()
        }
    };
    match read(&manifest_dir.join(lit.value())) {
        Ok((journal_path, migrations)) => {
            let journal_path = journal_path.display().to_string();
            let entries = migrations.iter().map(|(e, when)| {
                let (idx, tag) = (e.journal.idx, &e.journal.tag);
                let path = e.sql.display().to_string();
                quote! { (#idx, #tag, #when, ::core::include_str!(#path)) }
            });
            // The journal goes in too, unused, so that cargo rebuilds when
            // it changes (a new migration).
            quote! {
                {
                    const _: &str = ::core::include_str!(#journal_path);
                    ::vitaes_migrate::migrator::Migrator::embedded(&[#(#entries),*])
                }
            }
        }
        Err(message) => syn::Error::new(lit.span(), message).to_compile_error(),
    }
}

/// The journal's path and every entry with its `when` as the migrations
/// table stores it, listed as `Migrator::from_dir` lists them.
fn read(dir: &Path) -> Result<(PathBuf, Vec<(Entry, i64)>), String> {
    let folder = Folder::open_existing(dir).map_err(|e| match e {
        FolderError::Io { path, source } => format!("cannot read {}: {source}", path.display()),
        other => other.to_string(),
    })?;
    let journal_path = folder.journal_path();
    // What `Migrator` relies on, so the binary never fails on it at start-up.
    let mut seen = std::collections::HashMap::new();
    let mut listed = Vec::new();
    for e in folder.entries() {
        let j = &e.journal;
        let Ok(when) = i64::try_from(j.when) else {
            return Err(format!(
                "{}: `when` of `{}` does not fit a bigint",
                journal_path.display(),
                j.tag
            ));
        };
        if let Some(other) = seen.insert(j.when, j.tag.clone()) {
            return Err(format!(
                "{}: `{other}` and `{}` have the same `when`; give one of them a new value",
                journal_path.display(),
                j.tag
            ));
        }
        listed.push((e, when));
    }
    for (e, _) in &listed {
        if !e.sql.is_file() {
            return Err(format!(
                "journal entry {} (`{}`) has no file {}",
                e.journal.idx,
                e.journal.tag,
                e.sql.display()
            ));
        }
        // Read as the migrator reads it: a NUL byte fails here, at compile time.
        e.read_sql().map_err(|err| err.to_string())?;
    }
    Ok((journal_path, listed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitaes_schema_core::journal::Journal;

    #[test]
    fn embeds_the_journal_and_every_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let out = embed_migrations_inner(quote! { "migrations" }, &root).to_string();
        assert!(out.contains("Migrator :: embedded"), "{out}");
        assert!(out.contains("_journal.json"), "{out}");
        let journal = Journal::from_json(
            &std::fs::read_to_string(root.join("migrations/meta/_journal.json")).unwrap(),
        )
        .unwrap();
        assert!(!journal.entries.is_empty());
        for e in &journal.entries {
            assert!(out.contains(&format!("{}.sql", e.tag)), "{} missing", e.tag);
        }
    }

    #[test]
    fn a_journal_with_one_when_twice_is_a_compile_error() {
        let dir = tempfile_dir("when");
        std::fs::create_dir_all(dir.join("meta")).unwrap();
        let entry = |idx: u32, tag: &str| {
            format!(r#"{{"idx":{idx},"version":"7","when":5,"tag":"{tag}","breakpoints":true}}"#)
        };
        std::fs::write(
            dir.join("meta/_journal.json"),
            format!(
                r#"{{"version":"7","dialect":"postgresql","entries":[{},{}]}}"#,
                entry(0, "0000_a"),
                entry(1, "0001_b")
            ),
        )
        .unwrap();
        let out = embed_migrations_inner(quote! { "." }, &dir).to_string();
        assert!(
            out.contains("compile_error") && out.contains("the same `when`"),
            "{out}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_journal_entry_without_its_file_is_a_compile_error_naming_it() {
        let dir = tempfile_dir("no-file");
        std::fs::create_dir_all(dir.join("meta")).unwrap();
        std::fs::write(
            dir.join("meta/_journal.json"),
            r#"{"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":5,"tag":"0000_a","breakpoints":true}]}"#,
        )
        .unwrap();
        let out = embed_migrations_inner(quote! { "." }, &dir).to_string();
        assert!(
            out.contains("compile_error")
                && out.contains("journal entry 0 (`0000_a`) has no file")
                && out.contains("0000_a.sql"),
            "{out}"
        );
        // With the file, the entry goes in with its idx, tag and `when`.
        std::fs::write(dir.join("0000_a.sql"), "SELECT 1;").unwrap();
        let out = embed_migrations_inner(quote! { "." }, &dir).to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert!(
            out.contains(r#"(0u32 , "0000_a" , 5i64 , :: core :: include_str !"#),
            "{out}"
        );
        // A NUL byte in it: a compile error naming the byte.
        std::fs::write(dir.join("0000_a.sql"), "SELECT 1;\0").unwrap();
        let out = embed_migrations_inner(quote! { "." }, &dir).to_string();
        assert!(
            out.contains("compile_error") && out.contains("byte 9 is a NUL"),
            "{out}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A fresh directory under the system temp dir.
    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vitaes-embed-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_missing_folder_is_a_compile_error_naming_it() {
        let out =
            embed_migrations_inner(quote! { "no_such_folder" }, Path::new("/tmp")).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(
            out.contains("no_such_folder") && out.contains("_journal.json"),
            "{out}"
        );
    }
}
