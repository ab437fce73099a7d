//! `vitaes-migrate diagram` on the Vitaes schema: five tables and its two
//! foreign keys (session → user, account → user) in both formats, the SVG
//! well-formed XML whose tables and keys a page can find, and the migrated
//! database drawing exactly what the code draws.

use std::path::Path;

use vitaes_test_support::test_database;

use crate::cmd::{run_async, text};
use crate::paths::{vitaes_fixture_dir, vitaes_schema_dir};

const TABLES: [&str; 5] = [
    "public.account",
    "public.resume",
    "public.session",
    "public.user",
    "public.verification",
];

/// `diagram` with `args` on the Vitaes structs, its stdout.
async fn of_code(cwd: &Path, args: &[&str]) -> String {
    let schema = vitaes_schema_dir().display().to_string();
    let mut all = vec!["diagram", "--schema", &schema];
    all.extend_from_slice(args);
    let out = run_async(cwd, &all).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(out.stderr.is_empty(), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// Entities (`name {`) and relationship lines of a mermaid diagram.
fn mermaid_parts(m: &str) -> (Vec<&str>, Vec<&str>) {
    let entities = m
        .lines()
        .filter_map(|l| l.strip_prefix("    ")?.strip_suffix(" {"))
        .collect();
    let relationships = m.lines().filter(|l| l.contains(" : \"")).collect();
    (entities, relationships)
}

#[tokio::test]
async fn mermaid_of_the_vitaes_code() {
    let cwd = tempfile::tempdir().unwrap();
    let m = of_code(cwd.path(), &["--format", "mermaid"]).await;
    assert!(m.starts_with("erDiagram\n"), "{m}");
    let (entities, relationships) = mermaid_parts(&m);
    assert_eq!(
        entities,
        ["account", "resume", "session", "user", "verification"]
    );
    assert_eq!(
        relationships,
        [
            r#"    user ||..o{ account : "account_user_id_user_id_fk""#,
            r#"    user ||..o{ session : "session_user_id_user_id_fk""#,
        ]
    );
    insta::assert_snapshot!("diagram_vitaes_mermaid", m);
    // The README shows this very diagram.
    let readme = std::fs::read_to_string(crate::paths::repo_root().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```mermaid\n{m}```\n")),
        "README.md's ```mermaid block is not `diagram --format mermaid`'s output:\n{m}"
    );
}

#[tokio::test]
async fn svg_of_the_vitaes_code_is_well_formed_and_addressable() {
    let cwd = tempfile::tempdir().unwrap();
    let svg = of_code(cwd.path(), &[]).await;
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let with = |attr: &str| -> Vec<String> {
        doc.descendants()
            .filter_map(|n| n.attribute(attr))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(with("data-table"), TABLES);
    assert_eq!(
        with("data-fk"),
        ["account_user_id_user_id_fk", "session_user_id_user_id_fk"]
    );
    assert_eq!(with("data-from"), ["public.account", "public.session"]);
    assert_eq!(with("data-to"), ["public.user", "public.user"]);
    assert_eq!(with("data-schema"), ["public"]);
    // Every column of every table is a row.
    let user = doc
        .descendants()
        .find(|n| n.attribute("data-table") == Some("public.user"))
        .unwrap();
    let columns: Vec<&str> = user
        .descendants()
        .filter_map(|n| n.attribute("data-column"))
        .collect();
    assert_eq!(
        columns,
        [
            "id",
            "name",
            "email",
            "email_verified",
            "image",
            "created_at",
            "updated_at"
        ]
    );
    // Self-contained: no stylesheet, script, or reference to anything else.
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name();
        assert!(!["style", "script", "image", "use", "a", "foreignObject"].contains(&name));
        assert!(n.attributes().all(|a| a.name() != "href"), "{name}");
    }
    // Every box lies inside the picture.
    let size = |a: &str| root.attribute(a).unwrap().parse::<f64>().unwrap();
    let (width, height) = (size("width"), size("height"));
    for g in doc.descendants().filter(|n| n.has_attribute("data-table")) {
        let rect = g.children().find(|n| n.has_tag_name("rect")).unwrap();
        let v = |a: &str| rect.attribute(a).unwrap().parse::<f64>().unwrap();
        assert!(v("x") > 0.0 && v("x") + v("width") < width);
        assert!(v("y") > 0.0 && v("y") + v("height") < height);
    }
}

#[tokio::test]
async fn output_writes_the_file_and_says_so() {
    let cwd = tempfile::tempdir().unwrap();
    let printed = of_code(cwd.path(), &["--format", "mermaid"]).await;
    let said = of_code(cwd.path(), &["--format", "mermaid", "--output", "docs.mmd"]).await;
    let file = cwd.path().join("docs.mmd");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), printed);
    assert_eq!(
        said,
        format!("wrote {} (5 tables, 2 foreign keys)\n", file.display())
    );
    // The same schema, the same bytes.
    assert_eq!(
        of_code(cwd.path(), &[]).await,
        of_code(cwd.path(), &[]).await
    );
}

#[tokio::test]
async fn the_migrated_database_draws_what_the_code_draws() {
    let db = test_database().await;
    let cwd = tempfile::tempdir().unwrap();
    let fixture = vitaes_fixture_dir().display().to_string();
    let migrated = run_async(
        cwd.path(),
        &["migrate", "--out", &fixture, "--url", db.url()],
    )
    .await;
    assert_eq!(migrated.status.code(), Some(0), "{}", text(&migrated));

    for format in ["mermaid", "svg"] {
        let code = of_code(cwd.path(), &["--format", format]).await;
        let live = run_async(
            cwd.path(),
            &["diagram", "--url", db.url(), "--format", format],
        )
        .await;
        assert_eq!(live.status.code(), Some(0), "{}", text(&live));
        // The migrations table's schema (drizzle) is not drawn.
        assert_eq!(String::from_utf8(live.stdout).unwrap(), code, "{format}");
    }

    let verbose = run_async(cwd.path(), &["diagram", "--url", db.url(), "--verbose"]).await;
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(stderr.contains("schemas: public"), "{}", text(&verbose));
    assert!(!stderr.contains("drizzle"), "{}", text(&verbose));
}

#[tokio::test]
async fn exit_codes_are_the_other_commands() {
    let cwd = tempfile::tempdir().unwrap();
    let schema = vitaes_schema_dir().display().to_string();
    let cases: [(&[&str], i32, &str); 4] = [
        // Two sources.
        (
            &[
                "diagram",
                "--url",
                "postgresql://localhost/x",
                "--schema",
                &schema,
            ],
            2,
            "not both",
        ),
        // No such format.
        (&["diagram", "--format", "png"], 2, "png"),
        // No code configured and none given.
        (&["diagram"], 2, "schema"),
        // Nothing listens there; the password is not shown.
        (
            &["diagram", "--url", "postgresql://me:s3cret@127.0.0.1:1/x"],
            3,
            "",
        ),
    ];
    for (args, code, says) in cases {
        let out = run_async(cwd.path(), args).await;
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", text(&out));
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out)
        );
        assert!(!text(&out).contains("s3cret"), "{}", text(&out));
    }
    assert!(!cwd.path().join("docs.mmd").exists());
}

/// `--format` is one declaration (flags.rs) that diff and diagram each
/// read with their own formats and defaults.
#[test]
fn each_command_has_its_own_formats_and_default() {
    use clap::Parser;
    use vitaes_migrate::cli::{Cli, Command};
    use vitaes_migrate::commands::diagram::DiagramFormat;
    use vitaes_migrate::commands::diff::DiffFormat;

    let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.command);
    let Ok(Command::Diagram(d)) = parse(&["vitaes-migrate", "diagram"]) else {
        panic!("diagram")
    };
    assert_eq!((d.format.get(), d.output), (DiagramFormat::Svg, None));
    let Ok(Command::Diagram(d)) = parse(&[
        "vitaes-migrate",
        "diagram",
        "--format",
        "mermaid",
        "--output",
        "x.mmd",
    ]) else {
        panic!("diagram --format mermaid")
    };
    assert_eq!(d.format.get(), DiagramFormat::Mermaid);
    assert_eq!(d.output, Some("x.mmd".into()));
    let Ok(Command::Diff(d)) =
        parse(&["vitaes-migrate", "diff", "--from", "empty", "--to", "code"])
    else {
        panic!("diff")
    };
    assert_eq!(d.format.get(), DiffFormat::Sql);
    assert!(parse(&[
        "vitaes-migrate",
        "diff",
        "--from",
        "empty",
        "--to",
        "code",
        "--format",
        "svg"
    ])
    .is_err());
    assert!(parse(&["vitaes-migrate", "diagram", "--format", "unified"]).is_err());
}
