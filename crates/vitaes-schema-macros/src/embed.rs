//! `embed_migrations!("migrations")`: a migrations folder compiled into the
//! binary. The folder is read at expansion (so a missing file or bad journal
//! is a compile error) and every file goes in with `include_str!`, which makes
//! cargo rebuild when the journal or a file changes.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;
use vitaes_schema_core::journal::Journal;

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
        Ok((journal_path, files)) => {
            let journal_path = journal_path.display().to_string();
            let entries = files.iter().map(|(tag, path)| {
                let path = path.display().to_string();
                quote! { (#tag, ::core::include_str!(#path)) }
            });
            quote! {
                ::vitaes_migrate::migrator::Migrator::embedded(
                    ::core::include_str!(#journal_path),
                    &[#(#entries),*],
                )
            }
        }
        Err(message) => syn::Error::new(lit.span(), message).to_compile_error(),
    }
}

/// The journal's path and every entry's `(tag, file)`.
fn read(dir: &Path) -> Result<(PathBuf, Vec<(String, PathBuf)>), String> {
    let journal_path = dir.join("meta").join("_journal.json");
    let text = std::fs::read_to_string(&journal_path)
        .map_err(|e| format!("cannot read {}: {e}", journal_path.display()))?;
    let journal = Journal::from_json(&text)
        .map_err(|e| format!("{}: not a drizzle-kit journal: {e}", journal_path.display()))?;
    // What `Migrator` relies on, so the binary never fails on it at start-up.
    let mut seen = std::collections::HashMap::new();
    for e in &journal.entries {
        if i64::try_from(e.when).is_err() {
            return Err(format!(
                "{}: `when` of `{}` does not fit a bigint",
                journal_path.display(),
                e.tag
            ));
        }
        if let Some(other) = seen.insert(e.when, &e.tag) {
            return Err(format!(
                "{}: `{other}` and `{}` have the same `when`; give one of them a new value",
                journal_path.display(),
                e.tag
            ));
        }
    }
    let mut files = Vec::new();
    for e in &journal.entries {
        let path = dir.join(format!("{}.sql", e.tag));
        if !path.is_file() {
            return Err(format!(
                "journal entry {} (`{}`) has no file {}",
                e.idx,
                e.tag,
                path.display()
            ));
        }
        files.push((e.tag.clone(), path));
    }
    Ok((journal_path, files))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let dir = tempfile_dir();
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

    /// A fresh directory under the system temp dir.
    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vitaes-embed-{}", std::process::id()));
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
