//! The `vitaes-migrate` binary: flags, config lookup and exit codes, each run
//! in a temp dir with its own `vitaes.toml` and without `DATABASE_URL`.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

use crate::paths::vitaes_schema_dir;

fn bin(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("vitaes-migrate").expect("binary builds");
    cmd.current_dir(cwd).env_remove("DATABASE_URL");
    cmd
}

/// A project dir with the Vitaes structs under `src/schema` and a config.
fn project(config: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("src/schema");
    std::fs::create_dir_all(&schema).unwrap();
    for file in ["auth.rs", "app.rs"] {
        std::fs::copy(vitaes_schema_dir().join(file), schema.join(file)).unwrap();
    }
    std::fs::write(dir.path().join("vitaes.toml"), config).unwrap();
    dir
}

const CONFIG: &str = "schema = [\"src/schema\"]\nout = \"migrations\"\n";

#[test]
fn generate_writes_then_reports_nothing_to_migrate() {
    let p = project(CONFIG);
    bin(p.path())
        .arg("generate")
        .assert()
        .success()
        .stdout(predicate::str::contains("migrations/0000_init.sql"));
    for file in [
        "migrations/0000_init.sql",
        "migrations/meta/_journal.json",
        "migrations/meta/0000_snapshot.json",
    ] {
        assert!(p.path().join(file).is_file(), "{file} missing");
    }
    bin(p.path())
        .arg("generate")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("nothing to migrate"));
    assert_eq!(
        std::fs::read_dir(p.path().join("migrations"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn config_is_found_in_an_ancestor_and_paths_are_relative_to_it() {
    let p = project(CONFIG);
    let nested = p.path().join("src/deeper");
    std::fs::create_dir_all(&nested).unwrap();
    bin(&nested).arg("generate").assert().success();
    assert!(p.path().join("migrations/0000_init.sql").is_file());
    assert!(!nested.join("migrations").exists());
}

#[test]
fn explicit_config_file_and_flags_win() {
    let p = project("schema = [\"does/not/exist\"]\n");
    std::fs::write(
        p.path().join("other.toml"),
        "schema = \"src/schema\"\nout = \"from-config\"\n",
    )
    .unwrap();
    bin(p.path())
        .args([
            "--config",
            "other.toml",
            "generate",
            "--out",
            "from-flag",
            "--name",
            "first",
        ])
        .assert()
        .success();
    assert!(p.path().join("from-flag/0000_first.sql").is_file());
    assert!(!p.path().join("from-config").exists());
}

#[test]
fn schema_flag_overrides_config() {
    let p = project("schema = [\"does/not/exist\"]\nout = \"m\"\n");
    bin(p.path())
        .args(["generate", "--schema", "src/schema/auth.rs"])
        .assert()
        .success();
    let sql = std::fs::read_to_string(p.path().join("m/0000_init.sql")).unwrap();
    assert!(sql.contains("CREATE TABLE \"user\""));
    assert!(!sql.contains("\"resume\""), "only auth.rs was given");
}

#[test]
fn missing_schema_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--schema"));
}

#[test]
fn nonexistent_schema_path_is_exit_2() {
    let p = project("schema = [\"nope\"]\n");
    bin(p.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope"));
}

#[test]
fn unknown_config_key_is_exit_2_naming_the_file_and_key() {
    let p = project("schema = [\"src/schema\"]\nshema_filter = [\"public\"]\n");
    bin(p.path()).arg("generate").assert().code(2).stderr(
        predicate::str::contains("vitaes.toml").and(predicate::str::contains("shema_filter")),
    );
}

#[test]
fn bad_attribute_is_exit_2_with_file_line_column() {
    let p = project(CONFIG);
    std::fs::write(
        p.path().join("src/schema/broken.rs"),
        "use vitaes_schema::Table;\n\n#[derive(Table)]\npub struct Broken {\n    #[column(primary_key, colour = \"red\")]\n    pub id: String,\n}\n",
    )
    .unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "src/schema/broken.rs:5:27: unknown `column` key `colour`",
        ));
    assert!(
        !p.path().join("migrations").exists(),
        "nothing is written on error"
    );
}

#[test]
fn unknown_reference_is_exit_2_naming_the_struct() {
    let p = project(CONFIG);
    std::fs::write(
        p.path().join("src/schema/extra.rs"),
        "#[derive(Table)]\npub struct Note {\n    #[column(primary_key)]\n    pub id: String,\n    #[column(references(Usr, id))]\n    pub user_id: String,\n}\n",
    )
    .unwrap();
    bin(p.path()).arg("generate").assert().code(2).stderr(
        predicate::str::contains("src/schema/extra.rs:5:").and(predicate::str::contains("`Usr`")),
    );
}

#[test]
fn an_index_named_like_a_table_of_another_file_is_exit_2_with_both_places() {
    let p = project(CONFIG);
    std::fs::write(
        p.path().join("src/schema/extra.rs"),
        "#[derive(Table)]\n#[table(index(name = \"user\", columns(body)))]\npub struct Note {\n    #[column(primary_key)]\n    pub id: String,\n    pub body: String,\n}\n",
    )
    .unwrap();
    bin(p.path()).arg("generate").assert().code(2).stderr(
        predicate::str::contains(
            "src/schema/extra.rs:2:9: index \"user\" of table \"note\" has the same name as table \"user\"",
        )
        .and(predicate::str::contains("note: first defined at src/schema/auth.rs:8:12")),
    );
    assert!(
        !p.path().join("migrations").exists(),
        "nothing is written on error"
    );
}

#[test]
fn rust_syntax_error_is_exit_2_with_location() {
    let p = project(CONFIG);
    std::fs::write(p.path().join("src/schema/bad.rs"), "pub struct {\n").unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("src/schema/bad.rs:1:"));
}

#[test]
fn unknown_flag_is_exit_2() {
    let p = project(CONFIG);
    bin(p.path())
        .args(["generate", "--frobnicate"])
        .assert()
        .code(2);
}

#[test]
fn a_new_table_becomes_the_next_migration_chained_to_the_first() {
    let p = project(CONFIG);
    bin(p.path()).arg("generate").assert().success();
    std::fs::write(
        p.path().join("src/schema/zz_notes.rs"),
        "#[derive(Table)]\npub struct Note {\n    #[column(primary_key)]\n    pub id: i32,\n    #[column(references(User, id), on_delete = \"cascade\")]\n    pub user_id: String,\n}\n",
    )
    .unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .success()
        .stdout(predicate::str::contains("0001_create_note.sql"));
    let sql = std::fs::read_to_string(p.path().join("migrations/0001_create_note.sql")).unwrap();
    assert_eq!(
        sql,
        "CREATE TABLE \"note\" (\n\t\"id\" integer PRIMARY KEY NOT NULL,\n\t\"user_id\" text NOT NULL\n);\n\
         --> statement-breakpoint\n\
         ALTER TABLE \"note\" ADD CONSTRAINT \"note_user_id_user_id_fk\" FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"user\"(\"id\") ON DELETE cascade ON UPDATE no action;"
    );
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(p.path().join("migrations/meta").join(f)).unwrap(),
        )
        .unwrap()
    };
    let (first, second, journal) = (
        read("0000_snapshot.json"),
        read("0001_snapshot.json"),
        read("_journal.json"),
    );
    assert_eq!(second["prevId"], first["id"]);
    let entries = journal["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries[1]["when"].as_u64() > entries[0]["when"].as_u64());
    assert_eq!(entries[1]["idx"], 1);
}

#[test]
fn a_possible_rename_is_refused_with_exit_1_and_writes_nothing() {
    let p = project(CONFIG);
    bin(p.path()).arg("generate").assert().success();
    let app = p.path().join("src/schema/app.rs");
    let text = std::fs::read_to_string(&app)
        .unwrap()
        .replace("pub thumbnail_url:", "pub thumbnail:");
    std::fs::write(&app, text).unwrap();
    bin(p.path())
        .arg("generate")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "thumbnail_url removed and thumbnail added",
        ));
    assert_eq!(
        std::fs::read_dir(p.path().join("migrations"))
            .unwrap()
            .count(),
        2
    );
    assert_eq!(
        std::fs::read_dir(p.path().join("migrations/meta"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn completions_bash_prints_a_script_with_the_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    // No configuration is read: a broken vitaes.toml does not matter.
    std::fs::write(dir.path().join("vitaes.toml"), "not toml at all = = =\n").unwrap();
    let out = bin(dir.path())
        .args(["completions", "bash"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let script = String::from_utf8(out).unwrap();
    assert!(script.contains("complete -F"), "{script}");
    for word in [
        "generate",
        "push",
        "migrate",
        "status",
        "--schema",
        "--no-rename",
    ] {
        assert!(script.contains(word), "the script lacks {word}");
    }
}

#[test]
fn completions_for_an_unknown_shell_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("tcsh"));
}

/// Every subcommand's `--help` ends with examples, and each example parses.
#[test]
fn every_command_help_shows_examples_that_parse() {
    use clap::{CommandFactory, Parser};
    use vitaes_migrate::cli::Cli;

    let dir = tempfile::tempdir().unwrap();
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let out = bin(dir.path())
            .args([name.as_str(), "--help"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let help = String::from_utf8(out).unwrap();
        let (_, examples) = help
            .split_once("\nExamples:\n")
            .unwrap_or_else(|| panic!("`{name} --help` has no examples:\n{help}"));
        let prefix = format!("vitaes-migrate {name}");
        let lines: Vec<&str> = examples
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert!(!lines.is_empty(), "`{name} --help` has no examples");
        for line in lines {
            assert!(line.starts_with(&prefix), "`{name}` example: {line}");
            let command = line.split(['#', '>']).next().unwrap();
            if let Err(e) = Cli::try_parse_from(command.split_whitespace()) {
                panic!("`{name}` example `{line}` does not parse: {e}");
            }
        }
    }
}

#[test]
fn generate_help_shows_the_name_example() {
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path())
        .args(["generate", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Examples:\n  vitaes-migrate generate\n  vitaes-migrate generate --name add_users\n",
        ));
}

/// Every flag and command the README's usage blocks name exists, with the
/// command it is written under (`--config` is global).
#[test]
fn readme_usage_flags_exist() {
    use clap::CommandFactory;
    use vitaes_migrate::cli::Cli;

    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let root = Cli::command();
    let longs = |c: &clap::Command| -> Vec<String> {
        c.get_arguments()
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect()
    };
    let global = longs(&root);
    let mut current: Option<String> = None;
    let mut checked = 0;
    for line in readme.lines() {
        let t = line.trim_start();
        let tokens: Vec<&str> = if let Some(rest) = t.strip_prefix("vitaes-migrate ") {
            let mut tokens = rest.split_whitespace().peekable();
            // `[--config FILE]` before the command.
            let mut skipped = Vec::new();
            while let Some(tok) = tokens.peek() {
                if tok.starts_with('[') || tok.starts_with('-') || tok.ends_with(']') {
                    skipped.push(tokens.next().unwrap());
                } else {
                    break;
                }
            }
            current = tokens
                .peek()
                .filter(|t| !t.starts_with('<'))
                .map(|t| t.to_string());
            skipped.into_iter().chain(tokens).collect()
        } else if t.starts_with('[') && current.is_some() {
            t.split_whitespace().collect()
        } else {
            current = None;
            continue;
        };
        let sub = current
            .as_deref()
            .map(|name| {
                root.find_subcommand(name)
                    .unwrap_or_else(|| panic!("README names `{name}`, no such command"))
            })
            // A command's flags and those of its own subcommands (`db start`).
            .map(|c| {
                let mut all = longs(c);
                for s in c.get_subcommands() {
                    all.extend(longs(s));
                }
                all
            })
            .unwrap_or_default();
        for tok in tokens {
            let Some(flag) = tok.trim_start_matches('[').strip_prefix("--") else {
                continue;
            };
            let flag = flag.trim_end_matches([']', '.']);
            if flag.is_empty() {
                continue;
            }
            assert!(
                sub.iter().chain(&global).any(|l| l == flag),
                "README: `--{flag}` under {current:?} is no flag"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} README flags found");
    assert!(
        readme.contains("vitaes-migrate completions <"),
        "the README documents completions"
    );
}

#[test]
fn flags_parse_into_the_command_args() {
    use clap::Parser;
    use std::time::Duration;
    use vitaes_migrate::cli::{Cli, Command};
    use vitaes_migrate::commands::migrate::MigrateArgs;
    use vitaes_migrate::commands::push::PushArgs;
    use vitaes_migrate::diff::RenameDecisions;

    let cli = Cli::try_parse_from([
        "vitaes-migrate",
        "push",
        "--schema",
        "a.rs",
        "--schema",
        "b",
        "--url",
        "postgresql://x/y",
        "--verbose",
        "--dry-run",
        "--json",
        "--lock-timeout",
        "500ms",
        "--rename",
        "column:public.t.a=b",
        "--no-rename",
        "table:n",
    ])
    .unwrap();
    let Command::Push(args) = cli.command else {
        panic!("push")
    };
    assert_eq!(
        args.schema.schema,
        vec![std::path::PathBuf::from("a.rs"), "b".into()]
    );
    assert_eq!(args.database.url.as_deref(), Some("postgresql://x/y"));
    assert!(args.database.verbose && *args.dry_run && *args.json && !*args.force);
    assert_eq!(*args.lock_timeout, Duration::from_millis(500));
    assert_eq!(
        args.renames.decisions(),
        RenameDecisions {
            renames: vec!["column:public.t.a=b".parse().unwrap()],
            no_renames: vec!["table:n".parse().unwrap()],
        }
    );

    // The defaults are the `default_value`s, for the library as for the binary.
    assert_eq!(*PushArgs::default().lock_timeout, Duration::from_secs(5));
    assert_eq!(*MigrateArgs::default().lock_wait, Duration::from_secs(60));
    assert_eq!(*MigrateArgs::default().lock_timeout, Duration::from_secs(5));
    let Command::Migrate(parsed) = Cli::try_parse_from(["vitaes-migrate", "migrate"])
        .unwrap()
        .command
    else {
        panic!("migrate")
    };
    assert_eq!(
        format!("{parsed:?}"),
        format!("{:?}", MigrateArgs::default())
    );
}

/// One declaration per flag. Convention (src/commands/flags.rs): a flag's
/// help is the `///` doc comment directly above its `#[arg(...)]`
/// (`help = "..."` inside it would count too). Read from the crate's
/// `src/**/*.rs`: no help text twice, no long name (`long = "x"`, or the
/// field's name for a bare `long`) in two places, no flag without help.
#[test]
fn every_flag_and_help_text_is_declared_once() {
    struct Declared {
        place: String,
        help: String,
        long: Option<String>,
    }
    fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    fn quoted_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
        let at = text.find(key)?;
        let rest = text[at + key.len()..].trim_start().strip_prefix('=')?;
        let rest = rest.trim_start().strip_prefix('"')?;
        rest.split('"').next()
    }

    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut declared = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut struct_name = String::new();
        let mut i = 0;
        while i < lines.len() {
            let t = lines[i].trim();
            if let Some(rest) = t.strip_prefix("pub struct ").or(t.strip_prefix("struct ")) {
                struct_name = rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap()
                    .to_string();
            }
            if !t.starts_with("#[arg(") {
                i += 1;
                continue;
            }
            let start = i;
            let mut attr = t.to_string();
            while !lines[i].trim_end().ends_with(")]") {
                i += 1;
                attr.push(' ');
                attr.push_str(lines[i].trim());
            }
            let doc: Vec<&str> = lines[..start]
                .iter()
                .rev()
                .map(|l| l.trim())
                .take_while(|l| l.starts_with("///"))
                .map(|l| l.trim_start_matches('/').trim())
                .collect();
            let help = quoted_after(&attr, "help")
                .map(str::to_string)
                .unwrap_or_else(|| doc.into_iter().rev().collect::<Vec<_>>().join(" "));
            let field = lines[i + 1..]
                .iter()
                .map(|l| l.trim())
                .find(|l| !l.starts_with("#[") && !l.starts_with("//"))
                .unwrap_or("")
                .trim_start_matches("pub ")
                .split(':')
                .next()
                .unwrap()
                .trim()
                .replace('_', "-");
            let inner = attr.trim_start_matches("#[arg(").trim_end_matches(")]");
            let long = quoted_after(inner, "long").map(str::to_string).or_else(|| {
                inner
                    .split(',')
                    .any(|part| part.trim() == "long")
                    .then(|| field.clone())
            });
            declared.push(Declared {
                place: format!(
                    "{}:{} ({struct_name}.{field})",
                    file.strip_prefix(&src).unwrap().display(),
                    start + 1
                ),
                help,
                long,
            });
            i += 1;
        }
    }

    let longs: Vec<&str> = declared.iter().filter_map(|d| d.long.as_deref()).collect();
    for flag in [
        "config",
        "schema",
        "out",
        "url",
        "verbose",
        "json",
        "dry-run",
        "force",
        "rename",
        "no-rename",
        "name",
        "lock-timeout",
        "lock-wait",
        "baseline",
        "exit-code",
    ] {
        assert!(longs.contains(&flag), "--{flag} not found; the scan is off");
    }
    let mut problems = Vec::new();
    for (n, d) in declared.iter().enumerate() {
        if d.help.is_empty() {
            problems.push(format!("{}: a flag without help", d.place));
        }
        for other in &declared[n + 1..] {
            if !d.help.is_empty() && d.help == other.help {
                problems.push(format!(
                    "help {:?} twice: {} and {}",
                    d.help, d.place, other.place
                ));
            }
            // `pull --baseline` and `migrate --baseline TAG` both record a
            // baseline as applied: migrate names a migration of the folder,
            // pull writes the one it records (drizzle-kit 1.0's `pull --init`).
            let both_baselines = d.long.as_deref() == Some("baseline")
                && [d, other]
                    .iter()
                    .all(|x| x.place.contains("MigrateArgs") || x.place.contains("PullArgs"));
            if d.long.is_some() && d.long == other.long && !both_baselines {
                problems.push(format!(
                    "--{} declared twice: {} and {}",
                    d.long.as_deref().unwrap(),
                    d.place,
                    other.place
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
