//! The suite runs on the PostgreSQL major version it was asked for.
//!
//! `scripts/test` runs every test once per supported major version, pointing
//! the harness at each server with `PG_BINDIR` and naming the version in
//! `VITAES_TEST_PG_MAJOR`; this test proves each run really got that server.
//! Under CI the variable must be set, so CI cannot quietly test one version
//! twice, or the wrong one. A developer's plain `cargo test` sets neither
//! and only needs a supported server (15 or newer).

use vitaes_test_support::test_database;

/// The major version a run asks for, e.g. `15` or `17`.
const MAJOR_ENV: &str = "VITAES_TEST_PG_MAJOR";

/// The oldest major version vitaes-migrate supports.
const OLDEST_SUPPORTED: u32 = 15;

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[tokio::test]
async fn server_is_the_major_version_asked_for() {
    let wanted = std::env::var(MAJOR_ENV).ok().filter(|v| !v.is_empty());
    assert!(
        wanted.is_some() || !in_ci(),
        "CI is set but {MAJOR_ENV} is not: run the suite through scripts/test, \
         which sets it (with PG_BINDIR) for each PostgreSQL version"
    );

    let db = test_database().await;
    let client = db.connect().await;
    let row = client
        .query_one(
            "SELECT current_setting('server_version_num'), current_setting('server_version')",
            &[],
        )
        .await
        .expect("reading the server version");
    let (num, text): (String, String) = (row.get(0), row.get(1));
    let major = num.parse::<u32>().expect("server_version_num is a number") / 10000;

    match wanted {
        Some(wanted) => {
            let wanted: u32 = wanted
                .parse()
                .unwrap_or_else(|_| panic!("{MAJOR_ENV}={wanted:?} is not a major version number"));
            assert_eq!(
                major,
                wanted,
                "{MAJOR_ENV}={wanted}, but the server is PostgreSQL {text} \
                 (server_version_num {num}); PG_BINDIR={:?}",
                std::env::var("PG_BINDIR").unwrap_or_default()
            );
        }
        None => assert!(
            major >= OLDEST_SUPPORTED,
            "PostgreSQL {text} (server_version_num {num}) is older than {OLDEST_SUPPORTED}"
        ),
    }
}
