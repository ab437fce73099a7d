//! Reading schema sources: the `.rs` files under `--schema` paths, parsed with
//! syn and the same parser the derive uses, resolved into a [`Schema`].
//!
//! Order follows drizzle-kit's (files by sorted path, then struct name within
//! a file), so generated migrations list tables as drizzle-kit would.

use std::path::{Path, PathBuf};

use syn::Item;
use vitaes_schema_core::naming::RenameRule;
use vitaes_schema_core::parse::{
    has_derive, parse_enum, parse_extension, parse_role, parse_schema, parse_sequence,
    parse_table_with, parse_view, project_rename_all,
};
use vitaes_schema_core::resolve::{ItemRef, Standalone};
use vitaes_schema_core::unresolved::Loc;
use vitaes_schema_core::{
    resolve_with_schemas, Schema, UnresolvedEnum, UnresolvedExtension, UnresolvedRole,
    UnresolvedSchema, UnresolvedSequence, UnresolvedTable, UnresolvedView,
};

use crate::error::{Error, Result, SourceMessage};

/// Loads and resolves every `#[derive(Table)]` / `PgEnum` / `PgSchema` / `PgRole` /
/// `PgExtension` / `PgSequence` / `PgView` item under `paths`. All mistakes in all files are reported together.
pub fn load_schema(paths: &[PathBuf]) -> Result<Schema> {
    let files = collect_files(paths)?;
    schema_of(&files, &|_, file| {
        std::fs::read_to_string(file).map_err(Error::io(file))
    })
}

/// [`load_schema`] of sources not on disk (yet): each text read as if the
/// file at its path held it (that folder's vitaes.toml `rename_all` applies,
/// messages name that path). One text is in memory at a time in
/// [`load_schema`]; here the caller holds them all.
pub fn load_texts(files: &[(PathBuf, String)]) -> Result<Schema> {
    let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    schema_of(&paths, &|i, _| Ok(files[i].1.clone()))
}

/// The schema of `files`, the `i`th one's text given by `read(i, path)`.
fn schema_of(files: &[PathBuf], read: &dyn Fn(usize, &Path) -> Result<String>) -> Result<Schema> {
    let mut tables: Vec<(UnresolvedTable, usize)> = Vec::new();
    let mut enums: Vec<(UnresolvedEnum, usize)> = Vec::new();
    let mut schemas: Vec<UnresolvedSchema> = Vec::new();
    let mut roles: Vec<(UnresolvedRole, usize)> = Vec::new();
    let mut extensions: Vec<(UnresolvedExtension, usize)> = Vec::new();
    let mut sequences: Vec<(UnresolvedSequence, usize)> = Vec::new();
    let mut views: Vec<(UnresolvedView, usize)> = Vec::new();
    let mut messages = Vec::new();
    // The top-level `rename_all` of the vitaes.toml nearest each folder, as
    // the derive reads it from the crate's.
    let mut renames: std::collections::HashMap<PathBuf, Option<RenameRule>> = Default::default();

    for (file_idx, file) in files.iter().enumerate() {
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let rename = match renames.get(&dir) {
            Some(r) => *r,
            None => {
                let r = project_rename_all(&dir)
                    .map_err(Error::Usage)?
                    .map(|(rule, _)| rule);
                renames.insert(dir, r);
                r
            }
        };
        let text = read(file_idx, file)?;
        let parsed = match syn::parse_file(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                let loc = Loc::of(e.span());
                messages.push(message(file, loc, &format!("cannot parse Rust: {e}")));
                continue;
            }
        };
        let mut file_tables = Vec::new();
        let mut file_enums = Vec::new();
        let mut file_schemas = Vec::new();
        let mut file_roles = Vec::new();
        let mut file_extensions = Vec::new();
        let mut file_sequences = Vec::new();
        let mut file_views = Vec::new();
        collect_items(&parsed.items, &mut |item| {
            // Only items that derive one of ours are converted and parsed.
            let attrs = match item {
                Item::Struct(s) => &s.attrs,
                Item::Enum(e) => &e.attrs,
                _ => return,
            };
            let kind = [
                "Table",
                "PgEnum",
                "PgSchema",
                "PgRole",
                "PgExtension",
                "PgSequence",
                "PgView",
            ]
            .into_iter()
            .find(|d| has_derive(attrs, d));
            let Some(kind) = kind else { return };
            let input = match item {
                Item::Struct(s) => syn::DeriveInput::from(s.clone()),
                Item::Enum(e) => syn::DeriveInput::from(e.clone()),
                _ => return,
            };
            let result = match kind {
                "Table" => parse_table_with(&input, rename).map(|p| file_tables.push(p.table)),
                "PgEnum" => parse_enum(&input).map(|e| file_enums.push(e)),
                "PgSchema" => parse_schema(&input).map(|s| file_schemas.push(s)),
                "PgRole" => parse_role(&input).map(|r| file_roles.push(r)),
                "PgExtension" => parse_extension(&input).map(|e| file_extensions.push(e)),
                "PgSequence" => parse_sequence(&input).map(|q| file_sequences.push(q)),
                _ => parse_view(&input, rename).map(|v| file_views.push(v)),
            };
            if let Err(errors) = result {
                for (loc, text) in errors.located() {
                    messages.push(message(file, loc, &text));
                }
            }
        });
        file_tables.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        file_enums.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        file_schemas.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        file_roles.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        file_extensions.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        file_sequences.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        file_views.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        sequences.extend(file_sequences.into_iter().map(|q| (q, file_idx)));
        views.extend(file_views.into_iter().map(|v| (v, file_idx)));
        schemas.extend(file_schemas);
        roles.extend(file_roles.into_iter().map(|r| (r, file_idx)));
        extensions.extend(file_extensions.into_iter().map(|e| (e, file_idx)));
        tables.extend(file_tables.into_iter().map(|t| (t, file_idx)));
        enums.extend(file_enums.into_iter().map(|e| (e, file_idx)));
    }
    if !messages.is_empty() {
        return Err(Error::Source(messages));
    }

    let table_list: Vec<UnresolvedTable> = tables.iter().map(|(t, _)| t.clone()).collect();
    let enum_list: Vec<UnresolvedEnum> = enums.iter().map(|(e, _)| e.clone()).collect();
    let role_list: Vec<UnresolvedRole> = roles.iter().map(|(r, _)| r.clone()).collect();
    let extension_list: Vec<UnresolvedExtension> =
        extensions.iter().map(|(e, _)| e.clone()).collect();
    let sequence_list: Vec<UnresolvedSequence> = sequences.iter().map(|(q, _)| q.clone()).collect();
    let view_list: Vec<UnresolvedView> = views.iter().map(|(v, _)| v.clone()).collect();
    let standalone = Standalone {
        roles: &role_list,
        extensions: &extension_list,
        sequences: &sequence_list,
        views: &view_list,
    };
    resolve_with_schemas(&table_list, &enum_list, &schemas)
        .and_then(|mut schema| {
            vitaes_schema_core::resolve::add_standalone(&mut schema, standalone, &enum_list)?;
            Ok(schema)
        })
        .map_err(|errors| {
            let file_of = |item: ItemRef| match item {
                ItemRef::Table(i) => &files[tables[i].1],
                ItemRef::Enum(i) => &files[enums[i].1],
                ItemRef::Role(i) => &files[roles[i].1],
                ItemRef::Extension(i) => &files[extensions[i].1],
                ItemRef::Sequence(i) => &files[sequences[i].1],
                ItemRef::View(i) => &files[views[i].1],
            };
            Error::Source(
                errors
                    .0
                    .into_iter()
                    .map(|e| {
                        let mut text = e.message.clone();
                        if let Some((other, loc)) = e.other {
                            text.push_str(&format!(
                                "\n  note: first defined at {}:{}:{}",
                                display_path(file_of(other)).display(),
                                loc.line,
                                loc.column
                            ));
                        }
                        message(file_of(e.item), e.loc, &text)
                    })
                    .collect(),
            )
        })
}

fn message(file: &Path, loc: Loc, text: &str) -> SourceMessage {
    SourceMessage {
        file: display_path(file),
        line: loc.line,
        column: loc.column,
        message: text.to_string(),
    }
}

/// A path relative to the current directory when it lies below it.
fn display_path(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Visits items, descending into inline modules (`mod x { ... }`).
fn collect_items(items: &[Item], visit: &mut dyn FnMut(&Item)) {
    for item in items {
        if let Item::Mod(m) = item {
            if let Some((_, inner)) = &m.content {
                collect_items(inner, visit);
            }
        } else {
            visit(item);
        }
    }
}

/// Every `.rs` file named or below a named folder, sorted by path.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| {
            Error::Usage(format!(
                "schema path {} cannot be read: {e}\n  help: check `schema` in vitaes.toml or the --schema flag",
                path.display()
            ))
        })?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(Error::io(dir))? {
        let path = entry.map_err(Error::io(dir))?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}
