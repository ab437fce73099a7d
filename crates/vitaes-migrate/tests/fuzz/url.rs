//! Database URLs: [`ConnectUrl::parse`] never panics, and no error (nor the
//! masked URL, nor `Debug`) ever shows the password, wherever it is written
//! and whatever delimiters it holds unencoded.

use proptest::prelude::*;
use vitaes_migrate::connect::{mask_url, ConnectUrl};

use crate::mutate::{input, token_soup};
use crate::{fuzz, pool, seeds};

const MARKER: &str = "Marker-Pw-7";

const TOKENS: &[&str] = &[
    "postgres://",
    "postgresql://",
    "mysql://",
    "://",
    "@",
    ":",
    "/",
    "?",
    "&",
    "=",
    "#",
    "%",
    "%2F",
    "%40",
    "%zz",
    "%C3%28",
    "%00",
    "[",
    "]",
    "[::1]",
    ",",
    " ",
    "'",
    "\\",
    "+",
    "u",
    "h",
    "db",
    "5432",
    "0",
    "65536",
    "-1",
    "user=",
    "password=",
    "sslpassword=",
    "host=",
    "port=",
    "dbname=",
    "sslmode=",
    "require",
    "verify-full",
    "allow",
    "sslrootcert=",
    "connect_timeout=",
    "application_name=",
    "options=",
    "keepalives=",
    "frobnicate=",
    MARKER,
    "é",
    "\u{0}",
];

/// Pieces a password is made of: the marker, delimiters, words and digits
/// that make the rest of the URL read as ports, parameters and paths.
const PASSWORD_PIECES: &[&str] = &[
    MARKER,
    MARKER,
    "@",
    ":",
    "/",
    "?",
    "#",
    "&",
    "=",
    "%",
    "%zz",
    " ",
    "'",
    "5432",
    "x",
    "sslmode=",
    "user=u&",
    "dbname=",
    "application_name=",
    "port=",
    "host=",
    "frobnicate=",
    "password=",
    ",",
];

fn pieces(from: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(from), 0..max).prop_map(|v| v.concat())
}

/// `postgres://user:PASSWORD@rest` and `...?password=PASSWORD&...`, the
/// password holding the marker somewhere.
fn with_password() -> impl Strategy<Value = String> {
    let password = || {
        (pieces(PASSWORD_PIECES, 6), pieces(PASSWORD_PIECES, 6))
            .prop_map(|(a, b)| format!("{a}{MARKER}{b}"))
    };
    let rest = || pieces(TOKENS, 8).prop_map(|r| r.replace(MARKER, "x").replace('@', "%40"));
    let param_password = password().prop_map(|p| p.replace('&', "%26"));
    prop_oneof![
        (
            prop::sample::select(&["postgres", "postgresql"][..]),
            "[a-z]{0,3}",
            password(),
            rest()
        )
            .prop_map(|(scheme, user, pw, rest)| format!("{scheme}://{user}:{pw}@{rest}")),
        (rest(), param_password, rest())
            .prop_map(|(a, pw, b)| format!("postgres://u@h/db?{a}&password={pw}&{b}")),
    ]
}

#[test]
fn url() {
    // `true`: the marker is only ever in the password.
    let strategy = prop_oneof![
        2 => input(pool(seeds("url"), TOKENS)).prop_map(|b| (b.text(), false)),
        1 => token_soup(TOKENS).prop_map(|b| (b.text(), false)),
        3 => with_password().prop_map(|url| (url, true)),
    ];
    fuzz("url", strategy, |(url, secret)| {
        let masked = mask_url(&url);
        if secret {
            prop_assert!(!masked.contains(MARKER), "{}", masked);
        }
        match ConnectUrl::parse(&url) {
            Ok(parsed) => {
                prop_assert_eq!(parsed.masked(), masked.as_str());
                prop_assert_eq!(parsed.hosts.len(), parsed.ports.len());
                prop_assert!(!parsed.hosts.is_empty());
            }
            Err(e) => {
                prop_assert_eq!(&e.url, &masked);
                let shown = e.to_string();
                prop_assert!(shown.starts_with("invalid database URL "), "{}", shown);
                prop_assert!(!e.reason.is_empty());
                if secret {
                    prop_assert!(!shown.contains(MARKER), "{}", shown);
                    let debug = format!("{e:?}");
                    prop_assert!(!debug.contains(MARKER), "{}", debug);
                }
            }
        }
        Ok(())
    });
}
