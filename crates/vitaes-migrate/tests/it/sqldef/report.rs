//! The suite's results: the README's per-file table (one per PostgreSQL
//! major version, between `<!-- sqldef:pgN -->` and `<!-- /sqldef:pgN -->`)
//! and `compat/sqldef/known-failures.txt`, both checked against what the run
//! computed, or rewritten with `VITAES_SQLDEF_WRITE=1`.
//!
//! known-failures.txt has one line per failing case, `file/case: reason`,
//! or `file/case [pg15 pg17]: reason` when it fails on those versions only;
//! `#` starts a comment. The reason is for people; the names are compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use super::{suite_dir, Results};

/// The versions `scripts/test` runs the suite on: an entry of
/// known-failures.txt without `[...]` fails on each of them.
const VERSIONS: [u32; 3] = [15, 17, 18];

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pass,
    /// What the model does not manage or model.
    Unsupported(String),
    /// sqldef expects an error: whether we failed too, and how.
    ExpectedError {
        failed: bool,
        detail: String,
    },
    Fail(String),
    Skipped(String),
}

impl Outcome {
    fn name(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Unsupported(_) => "unsupported",
            Outcome::ExpectedError { .. } => "expected-error",
            Outcome::Fail(_) => "fail",
            Outcome::Skipped(_) => "skipped",
        }
    }

    fn detail(&self) -> &str {
        match self {
            Outcome::Pass => "",
            Outcome::Unsupported(d)
            | Outcome::Fail(d)
            | Outcome::Skipped(d)
            | Outcome::ExpectedError { detail: d, .. } => d,
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub pass: usize,
    pub unsupported: usize,
    pub expected_error: usize,
    pub fail: usize,
    pub skipped: usize,
}

impl Counts {
    pub fn add(&mut self, o: &Outcome) {
        match o {
            Outcome::Pass => self.pass += 1,
            Outcome::Unsupported(_) => self.unsupported += 1,
            Outcome::ExpectedError { .. } => self.expected_error += 1,
            Outcome::Fail(_) => self.fail += 1,
            Outcome::Skipped(_) => self.skipped += 1,
        }
    }

    fn total(&self) -> usize {
        self.pass + self.unsupported + self.expected_error + self.fail + self.skipped
    }

    fn sum(all: &BTreeMap<String, Counts>) -> Counts {
        all.values().fold(Counts::default(), |a, c| Counts {
            pass: a.pass + c.pass,
            unsupported: a.unsupported + c.unsupported,
            expected_error: a.expected_error + c.expected_error,
            fail: a.fail + c.fail,
            skipped: a.skipped + c.skipped,
        })
    }

    fn row(&self, name: &str) -> String {
        format!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            self.total(),
            self.pass,
            self.unsupported,
            self.expected_error,
            self.fail,
            self.skipped
        )
    }
}

/// The README's table for one version, with the lines about the run
/// (expected errors: whether we failed too).
fn table(major: u32, results: &Results) -> String {
    let counts = Counts::of(results);
    let mut out = vec![
        format!("PostgreSQL {major}:"),
        String::new(),
        "| file | cases | pass | unsupported | expected-error | fail | skipped |".to_string(),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |".to_string(),
    ];
    for (file, c) in &counts {
        out.push(c.row(&format!("`{file}`")));
    }
    out.push(Counts::sum(&counts).row("**all**"));
    // What the unsupported cases hold, by kind (a case may count twice).
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, o, _) in results {
        if let Outcome::Unsupported(d) = o {
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            if let Some(list) = d.strip_prefix("not managed: ") {
                for item in list.split(", ") {
                    // `function public.f`, `DEFERRABLE of constraint public.t.k`:
                    // the kind is all but the object's name.
                    seen.insert(item.rsplit_once(' ').map_or(item, |(k, _)| k));
                }
            } else {
                if d.contains("privileges") {
                    seen.insert("privileges");
                }
                if d.contains("owners") {
                    seen.insert("owners");
                }
            }
            for k in seen {
                *kinds.entry(k).or_default() += 1;
            }
        }
    }
    if !kinds.is_empty() {
        out.push(String::new());
        out.push(format!(
            "Unsupported cases hold: {}.",
            kinds
                .iter()
                .map(|(k, n)| format!("{k} ({n})"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let expected: Vec<String> = results
        .iter()
        .filter_map(|(f, n, o, _)| match o {
            Outcome::ExpectedError { failed, .. } => Some(format!(
                "`{f}/{n}` ({})",
                if *failed {
                    "we fail too"
                } else {
                    "we do not fail"
                }
            )),
            _ => None,
        })
        .collect();
    if !expected.is_empty() {
        out.push(String::new());
        out.push(format!("Expected errors: {}.", expected.join(", ")));
    }
    out.join("\n")
}

fn markers(major: u32) -> (String, String) {
    (
        format!("<!-- sqldef:pg{major} -->"),
        format!("<!-- /sqldef:pg{major} -->"),
    )
}

/// The README's table for `major`, if it has one.
fn readme_table(readme: &str, major: u32) -> Option<&str> {
    let (open, close) = markers(major);
    let start = readme.find(&open)? + open.len();
    let end = readme[start..].find(&close)? + start;
    Some(readme[start..end].trim())
}

fn write_readme_table(readme: &str, major: u32, table: &str) -> String {
    let (open, close) = markers(major);
    let block = format!("{open}\n{table}\n{close}");
    if readme_table(readme, major).is_some() {
        let start = readme.find(&open).unwrap();
        let end = readme[start..].find(&close).unwrap() + start + close.len();
        format!("{}{block}{}", &readme[..start], &readme[end..])
    } else {
        // After the table of the version before it, else at the end of the
        // section.
        let heading = "## Conformance: sqldef's psqldef suite";
        let at = readme
            .find(heading)
            .expect("README.md has no section \"## Conformance: sqldef's psqldef suite\"");
        let section_end = readme[at + heading.len()..]
            .find("\n## ")
            .map_or(readme.len(), |i| at + heading.len() + i + 1);
        for v in (0..major).rev() {
            let (_, c) = markers(v);
            if let Some(i) = readme[at..section_end].find(&c) {
                let after = at + i + c.len();
                return format!("{}\n\n{block}{}", &readme[..after], &readme[after..]);
            }
        }
        format!(
            "{}{block}\n\n{}",
            &readme[..section_end],
            &readme[section_end..]
        )
    }
}

#[derive(Debug, Clone)]
struct Known {
    /// `file/case`.
    key: String,
    /// None: every version.
    versions: Option<BTreeSet<u32>>,
    reason: String,
}

impl Known {
    fn applies(&self, major: u32) -> bool {
        self.versions.as_ref().is_none_or(|v| v.contains(&major))
    }

    fn line(&self) -> String {
        match &self.versions {
            None => format!("{}: {}", self.key, self.reason),
            Some(v) => format!(
                "{} [{}]: {}",
                self.key,
                v.iter()
                    .map(|m| format!("pg{m}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                self.reason
            ),
        }
    }
}

fn parse_known(text: &str) -> (Vec<String>, Vec<Known>) {
    let mut header = Vec::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if out.is_empty() {
                header.push(line.to_string());
            }
            continue;
        }
        // The case name has no ": " (YAML keys are identifiers).
        let (head, reason) = trimmed.split_once(": ").unwrap_or_else(|| {
            panic!("known-failures.txt: `{trimmed}` is not `file/case: reason`")
        });
        let (key, versions) = match head.split_once(" [") {
            Some((key, tags)) => {
                let tags = tags.trim_end_matches(']');
                let versions = tags
                    .split_whitespace()
                    .map(|t| {
                        t.trim_start_matches("pg")
                            .parse::<u32>()
                            .unwrap_or_else(|_| panic!("known-failures.txt: bad version `{t}`"))
                    })
                    .collect();
                (key.to_string(), Some(versions))
            }
            None => (head.to_string(), None),
        };
        out.push(Known {
            key,
            versions,
            reason: reason.to_string(),
        });
    }
    (header, out)
}

/// A short reason for a new failure, from its detail.
fn reason_of(detail: &str) -> String {
    let first = detail.split("; plan:").next().unwrap_or(detail);
    let first = first.split("; first plan:").next().unwrap_or(first);
    let mut s: String = first.chars().take(240).collect();
    if s.len() < first.len() {
        s.push('…');
    }
    s
}

fn rewrite_known(text: &str, major: u32, failing: &BTreeMap<String, String>) -> String {
    let (header, known) = parse_known(text);
    let all: BTreeSet<u32> = VERSIONS.into_iter().collect();
    let mut by_key: BTreeMap<String, Known> = BTreeMap::new();
    for k in known {
        by_key.insert(k.key.clone(), k);
    }
    for (key, detail) in failing {
        by_key
            .entry(key.clone())
            .and_modify(|k| {
                if let Some(v) = &mut k.versions {
                    v.insert(major);
                }
            })
            .or_insert_with(|| Known {
                key: key.clone(),
                versions: Some([major].into_iter().collect()),
                reason: reason_of(detail),
            });
    }
    let mut lines = header;
    for (key, mut k) in by_key {
        if !failing.contains_key(&key) && k.applies(major) {
            let mut v = k.versions.take().unwrap_or_else(|| all.clone());
            v.remove(&major);
            k.versions = Some(v);
        }
        if let Some(v) = &k.versions {
            if v.is_empty() {
                continue;
            }
            if *v == all {
                k.versions = None;
            }
        }
        lines.push(k.line());
    }
    lines.join("\n") + "\n"
}

/// Writes every case's outcome and detail to the target directory, prints
/// the summary, and checks (or rewrites) the README and the known failures.
pub fn check(label: &str, results: &Results, total: usize, elapsed: Duration) {
    let major: u32 = label
        .trim_start_matches("PostgreSQL ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let counts = Counts::sum(&Counts::of(results));
    let mut log = format!(
        "sqldef psqldef suite on {label}: {} cases in {elapsed:.1?}\n",
        results.len()
    );
    for (f, n, o, t) in results {
        log.push_str(&format!(
            "{f}/{n}: {} ({} ms) {}\n",
            o.name(),
            t.as_millis(),
            o.detail()
        ));
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sqldef-pg{major}.txt"));
    std::fs::write(&out, &log).unwrap();
    eprintln!(
        "sqldef psqldef suite on {label}: {} cases in {:.1} s: {} pass, {} unsupported, {} expected-error, {} fail, {} skipped (every case: {})",
        results.len(),
        elapsed.as_secs_f64(),
        counts.pass,
        counts.unsupported,
        counts.expected_error,
        counts.fail,
        counts.skipped,
        out.display()
    );

    assert_eq!(results.len(), total, "every case selected ran");
    assert!(counts.total() > 0, "the suite ran no case");
    let only = std::env::var("VITAES_SQLDEF_ONLY")
        .ok()
        .filter(|v| !v.is_empty());
    if only.is_none() {
        assert!(counts.pass > 0, "no case passed: {log}");
    } else {
        eprint!("{log}");
    }

    let failing: BTreeMap<String, String> = results
        .iter()
        .filter_map(|(f, n, o, _)| match o {
            Outcome::Fail(d) => Some((format!("{f}/{n}"), d.clone())),
            _ => None,
        })
        .collect();
    let readme_path = suite_dir().join("../../README.md");
    let known_path = suite_dir().join("known-failures.txt");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let known_text = std::fs::read_to_string(&known_path).unwrap_or_default();
    let ours = table(major, results);

    if only.is_none() && std::env::var_os("VITAES_SQLDEF_WRITE").is_some_and(|v| v == "1") {
        std::fs::write(&readme_path, write_readme_table(&readme, major, &ours)).unwrap();
        std::fs::write(&known_path, rewrite_known(&known_text, major, &failing)).unwrap();
        eprintln!("sqldef: rewrote README.md's PostgreSQL {major} table and compat/sqldef/known-failures.txt");
        return;
    }

    let (_, known) = parse_known(&known_text);
    // With a selection, only its cases are held to the list.
    let ran: BTreeSet<String> = results
        .iter()
        .map(|(f, n, _, _)| format!("{f}/{n}"))
        .collect();
    let expected: BTreeSet<&str> = known
        .iter()
        .filter(|k| k.applies(major) && ran.contains(&k.key))
        .map(|k| k.key.as_str())
        .collect();
    let got: BTreeSet<&str> = failing.keys().map(String::as_str).collect();
    let new: Vec<String> = got
        .difference(&expected)
        .map(|k| format!("  {k}: {}", failing[*k]))
        .collect();
    let fixed: Vec<&&str> = expected.difference(&got).collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "the failing cases are not compat/sqldef/known-failures.txt's on PostgreSQL {major}\n\
         new failures:\n{}\nlisted but not failing (remove them):\n{}\n\
         (VITAES_SQLDEF_WRITE=1 rewrites the list; every case: {})",
        new.join("\n"),
        fixed
            .iter()
            .map(|k| format!("  {k}"))
            .collect::<Vec<_>>()
            .join("\n"),
        out.display()
    );
    if only.is_some() {
        return;
    }
    match readme_table(&readme, major) {
        Some(t) => assert_eq!(
            t, ours,
            "README.md's PostgreSQL {major} table of the sqldef suite is not this run's \
             (VITAES_SQLDEF_WRITE=1 rewrites it)"
        ),
        None => panic!(
            "README.md has no table of the sqldef suite for PostgreSQL {major} \
             (VITAES_SQLDEF_WRITE=1 writes it)"
        ),
    }
}

#[test]
fn known_failures_follow_the_versions_they_fail_on() {
    let text = "# header\ntests_a.yml/X: bad\ntests_a.yml/Y [pg15]: worse\n";
    let failing: BTreeMap<String, String> = [
        ("tests_a.yml/Y".to_string(), "d".to_string()),
        ("tests_a.yml/Z".to_string(), "new; plan: x".to_string()),
    ]
    .into_iter()
    .collect();
    let got = rewrite_known(text, 17, &failing);
    assert_eq!(
        got,
        "# header\ntests_a.yml/X [pg15 pg18]: bad\ntests_a.yml/Y [pg15 pg17]: worse\ntests_a.yml/Z [pg17]: new\n"
    );
    let (_, k) = parse_known(&got);
    assert!(k[0].applies(15) && !k[0].applies(17));
}

#[test]
fn readme_tables_are_found_and_replaced() {
    let readme = "# x\n## Conformance: sqldef's psqldef suite\n\ntext\n\n## Next\n";
    let with15 = write_readme_table(readme, 15, "T15");
    assert_eq!(readme_table(&with15, 15), Some("T15"));
    let with17 = write_readme_table(&with15, 17, "T17");
    assert!(with17.find("T15").unwrap() < with17.find("T17").unwrap());
    assert!(with17.find("T17").unwrap() < with17.find("## Next").unwrap());
    let again = write_readme_table(&with17, 15, "U15");
    assert_eq!(readme_table(&again, 15), Some("U15"));
    assert_eq!(readme_table(&again, 17), Some("T17"));
}
