//! The derive's compile-fail cases (`crates/vitaes-schema/tests/ui`) through
//! the CLI: exit code 2 and the mistake at the same `file:line:column` rustc
//! reports (recorded in each case's `.stderr`).

use assert_cmd::Command;

use crate::paths::repo_root;

/// `(line, column, first message line)` from a trybuild `.stderr`.
fn rustc_report(stderr: &str) -> (usize, usize, String) {
    let message = stderr.lines().next().expect("stderr has a message");
    let message = message
        .split_once(": ")
        .map(|(_, m)| m)
        .unwrap_or(message)
        .to_string();
    let arrow = stderr
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .expect("stderr has a location");
    let mut parts = arrow.rsplitn(3, ':');
    let column = parts.next().unwrap().parse().unwrap();
    let line = parts.next().unwrap().parse().unwrap();
    (line, column, message)
}

#[test]
fn every_compile_fail_case_fails_the_cli_at_the_same_place() {
    let dir = repo_root().join("crates/vitaes-schema/tests/ui");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "{cases:?}");
    for case in cases {
        let expected = std::fs::read_to_string(case.with_extension("stderr")).unwrap();
        let (line, column, message) = rustc_report(&expected);
        let out = tempfile::tempdir().unwrap();
        let output = Command::cargo_bin("vitaes-migrate")
            .unwrap()
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .args(["generate", "--schema"])
            .arg(case.file_name().unwrap())
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let name = case.file_name().unwrap().to_string_lossy();
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        let location = format!("{name}:{line}:{column}: ");
        assert!(
            stderr.contains(&location),
            "{name}: expected {location} in\n{stderr}"
        );
        // Our own messages read the same in both front ends; rustc's (a missing
        // field, a missing PgEnum) are reworded by the CLI but name the same thing.
        if expected.starts_with("error[E") {
            let thing = message.split('`').nth(1).unwrap();
            assert!(
                stderr.contains(thing),
                "{name}: expected `{thing}` in\n{stderr}"
            );
        } else {
            assert!(
                stderr.contains(&message),
                "{name}: expected {message:?} in\n{stderr}"
            );
        }
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{name}: nothing written"
        );
    }
}
