//! What an application links: `examples/lean-app` depends on vitaes-migrate
//! without default features and migrates at start-up. Its dependency graph
//! holds none of the command line's crates, and built on its own (not
//! unified with the workspace's features) it migrates a real database.

use std::path::PathBuf;
use std::process::Command;

use vitaes_test_support::test_database;

use crate::paths::repo_root;

/// The command line's dependencies, none of which an application links.
const CLI_ONLY: [&str; 6] = ["clap", "dialoguer", "indicatif", "syn", "sqlparser", "toml"];

/// The package names in `cargo tree -p vitaes-lean-app` with these edges.
fn graph(edges: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(repo_root())
        .args([
            "tree",
            "--locked",
            "-p",
            "vitaes-lean-app",
            "--prefix",
            "none",
            "-e",
            edges,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo tree: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn the_application_graph_has_none_of_the_command_line() {
    // What is compiled into the application: proc macros (serde_derive's and
    // embed_migrations!'s syn) run only at build time.
    let linked = graph("normal,no-proc-macro");
    for needed in [
        "vitaes-migrate",
        "vitaes-schema-core",
        "tokio-postgres",
        "rustls",
    ] {
        assert!(
            linked.iter().any(|n| n == needed),
            "{needed} missing: {linked:?}"
        );
    }
    for cli in CLI_ONLY {
        assert!(
            !linked.iter().any(|n| n == cli),
            "{cli} is linked: {linked:?}"
        );
    }
    // Not even to build it: no proc macro needs the command line's crates
    // (the derive reads vitaes.toml's `rename_all`, so toml is built for it,
    // not linked).
    let built = graph("normal");
    for cli in ["clap", "dialoguer", "indicatif"] {
        assert!(!built.iter().any(|n| n == cli), "{cli} is built: {built:?}");
    }
}

#[tokio::test]
async fn the_application_migrates_a_database() {
    let target: PathBuf = repo_root().join("target/lean-app");
    let build = Command::new(env!("CARGO"))
        .current_dir(repo_root())
        .args(["build", "--locked", "-p", "vitaes-lean-app", "--target-dir"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "cargo build: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let db = test_database().await;
    let run = || {
        Command::new(target.join("debug/vitaes-lean-app"))
            .arg(db.url())
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let files = std::fs::read_dir(repo_root().join("migrations"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count();
    assert!(files > 0);
    assert!(
        stdout.contains(&format!(
            "applied {files} migrations (0 were applied before)"
        )),
        "{stdout}"
    );
    let client = db.connect().await;
    let resume: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'resume'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(resume, 1);
    let again = run();
    assert!(
        String::from_utf8_lossy(&again.stdout).contains(&format!(
            "applied 0 migrations ({files} were applied before)"
        )),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}
