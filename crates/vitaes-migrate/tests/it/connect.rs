//! Connecting: which URL is used, every sslmode against real TLS servers,
//! one error kind per failure, and never a password in a message.
//!
//! TLS servers are throwaway clusters (one per certificate set, started
//! once per test process) switched to `ssl = on` with certificates made by
//! rcgen: a test CA and a server certificate it signed, a certificate for
//! another host name, and a self-signed `CA:TRUE` certificate like the one
//! PostgreSQL's docs make with `openssl req -x509`. Files live in the
//! cluster's own directory (owned by the server's user, deleted with it).
//! The plain-text server is the harness's shared cluster (`ssl` off).

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
};
use vitaes_migrate::config::Config;
use vitaes_migrate::connect::{
    connect, mask_url, resolve_url, CertCheck, ConnectError, ServerInfo, UrlSource,
};
use vitaes_migrate::exit_code::exit_code;
use vitaes_migrate::local_pg::{Cluster, ClusterOptions};
use vitaes_migrate::Error;
use vitaes_test_support::shared_cluster;

/// Put in every URL of a failing connection; must never come back out.
const MARKER: &str = "Marker-Pw-8731";
/// `pw_user`'s real password on the TLS server.
const RIGHT_PW: &str = "Right-Pw-2468";

// ---------------------------------------------------------------- URL resolution

/// A project dir with `vitaes.toml` (given body) and optional extra files.
fn project(toml: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("vitaes.toml"), toml).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let config = Config::load(None, dir.path()).expect("config loads");
    (dir, config)
}

/// An environment with exactly these variables; records what was looked up,
/// so tests can show the real process environment is never consulted.
struct FakeEnv {
    vars: Vec<(&'static str, &'static str)>,
    asked: Mutex<Vec<String>>,
}

impl FakeEnv {
    fn new(vars: &[(&'static str, &'static str)]) -> Self {
        Self {
            vars: vars.to_vec(),
            asked: Mutex::new(Vec::new()),
        }
    }
    fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |key| {
            self.asked.lock().unwrap().push(key.to_owned());
            self.vars
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        }
    }
}

const ALL_THREE: &str = "[database]\nurl = \"postgres://u@from-config/db\"\n";
const DOTENV: &str = "DATABASE_URL=postgres://u@from-env-file/db\n";

#[test]
fn resolve_flag_wins_over_everything() {
    let (dir, config) = project(ALL_THREE, &[(".env", DOTENV)]);
    let env = FakeEnv::new(&[("DATABASE_URL", "postgres://u@from-env/db")]);
    let got = resolve_url(
        Some("postgres://u@from-flag/db"),
        &config,
        dir.path(),
        env.lookup(),
    )
    .unwrap();
    assert_eq!(got.url, "postgres://u@from-flag/db");
    assert_eq!(got.source, UrlSource::Flag);
    assert!(env.asked.lock().unwrap().is_empty());
}

#[test]
fn resolve_environment_wins_over_env_file_and_config() {
    let (dir, config) = project(ALL_THREE, &[(".env", DOTENV)]);
    let env = FakeEnv::new(&[("DATABASE_URL", "postgres://u@from-env/db")]);
    let got = resolve_url(None, &config, dir.path(), env.lookup()).unwrap();
    assert_eq!(got.url, "postgres://u@from-env/db");
    assert_eq!(got.source.to_string(), "$DATABASE_URL");
    assert_eq!(*env.asked.lock().unwrap(), ["DATABASE_URL"]);
}

#[test]
fn resolve_env_file_wins_over_config() {
    let (dir, config) = project(ALL_THREE, &[(".env", DOTENV)]);
    let env = FakeEnv::new(&[("OTHER", "x"), ("DATABASE_URL", "")]); // empty counts as unset
    let got = resolve_url(None, &config, dir.path(), env.lookup()).unwrap();
    assert_eq!(got.url, "postgres://u@from-env-file/db");
    let env_file = config.path.as_ref().unwrap().parent().unwrap().join(".env");
    assert_eq!(
        got.source,
        UrlSource::EnvFile {
            path: env_file,
            var: "DATABASE_URL".into()
        }
    );
}

#[test]
fn resolve_config_url_is_the_last_resort() {
    let (dir, config) = project(ALL_THREE, &[]);
    let got = resolve_url(None, &config, dir.path(), FakeEnv::new(&[]).lookup()).unwrap();
    assert_eq!(got.url, "postgres://u@from-config/db");
    assert!(matches!(got.source, UrlSource::ConfigFile { .. }));
    assert!(
        got.source.to_string().contains("vitaes.toml"),
        "{}",
        got.source
    );
}

#[test]
fn resolve_uses_url_env_and_env_file_from_the_config_dir() {
    let toml = "[database]\nurl_env = \"APP_DB\"\nenv_file = \"conf/app.env\"\n";
    let (dir, config) = project(
        toml,
        &[(
            "conf/app.env",
            "DATABASE_URL=postgres://u@wrong/db\nAPP_DB=postgres://u@right/db\n",
        )],
    );
    // DATABASE_URL is not the configured variable, so it is not even looked at.
    let env = FakeEnv::new(&[("DATABASE_URL", "postgres://u@wrong/db")]);
    // The env file is found from the config's dir, not from the cwd given.
    let elsewhere = tempfile::tempdir().unwrap();
    let got = resolve_url(None, &config, elsewhere.path(), env.lookup()).unwrap();
    assert_eq!(got.url, "postgres://u@right/db");
    assert_eq!(*env.asked.lock().unwrap(), ["APP_DB"]);
    drop(dir);
}

#[test]
fn resolve_without_a_config_uses_dot_env_in_the_cwd() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".env"), DOTENV).unwrap();
    let got = resolve_url(
        None,
        &Config::default(),
        dir.path(),
        FakeEnv::new(&[]).lookup(),
    )
    .unwrap();
    assert_eq!(got.url, "postgres://u@from-env-file/db");
}

#[test]
fn resolve_with_no_url_names_all_three_places() {
    let (dir, config) = project("[database]\nurl_env = \"APP_DB\"\n", &[]);
    let err = resolve_url(None, &config, dir.path(), FakeEnv::new(&[]).lookup()).unwrap_err();
    assert_eq!(exit_code(&err), 2);
    let text = err.to_string();
    let config_path = config.path.as_ref().unwrap();
    for needle in [
        "--url".to_owned(),
        "APP_DB".to_owned(),
        "environment".to_owned(),
        config_path
            .parent()
            .unwrap()
            .join(".env")
            .display()
            .to_string(),
        "[database]".to_owned(),
        config_path.display().to_string(),
    ] {
        assert!(text.contains(&needle), "`{needle}` missing from: {text}");
    }
    assert!(!text.contains('\n'), "{text}");

    let err = resolve_url(
        None,
        &Config::default(),
        dir.path(),
        FakeEnv::new(&[]).lookup(),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("vitaes.toml (none was found)"),
        "{err}"
    );
}

#[test]
fn env_file_parsing_follows_dotenv() {
    let text = "\u{feff}# comment\n\
                export OTHER=1\n\
                DATABASE_URL=\"postgres://u:p%20w@h/db\"  # trailing comment\n\
                DATABASE_URL=postgres://u@second/db\n";
    let (dir, config) = project("", &[(".env", text)]);
    let got = resolve_url(None, &config, dir.path(), FakeEnv::new(&[]).lookup()).unwrap();
    // Quotes removed, the first definition wins (as dotenvy's `load`).
    assert_eq!(got.url, "postgres://u:p%20w@h/db");
    assert!(!format!("{got:?}").contains("p%20w"), "{got:?}");

    let (dir, config) = project(
        "",
        &[(
            ".env",
            "A=1\nDATABASE_URL='postgres://u:Marker-Pw-8731@h/db\n",
        )],
    );
    let err = resolve_url(None, &config, dir.path(), FakeEnv::new(&[]).lookup()).unwrap_err();
    assert_eq!(exit_code(&err), 2);
    let text = err.to_string();
    assert!(text.contains(".env:2"), "{text}");
    assert!(
        !text.contains(MARKER) && !format!("{err:?}").contains(MARKER),
        "{text}"
    );

    // An empty value falls through to the next source.
    let (dir, config) = project(ALL_THREE, &[(".env", "DATABASE_URL=\n")]);
    let got = resolve_url(None, &config, dir.path(), FakeEnv::new(&[]).lookup()).unwrap();
    assert_eq!(got.url, "postgres://u@from-config/db");
}

// ---------------------------------------------------------------- test servers

/// A TLS-enabled cluster and the client-side files for it.
struct TlsServer {
    cluster: Cluster,
    /// The test CA that signed the server certificate (absent for self-signed).
    ca: PathBuf,
    /// A CA that signed nothing here.
    other_ca: PathBuf,
    /// The server's own certificate (the self-signed root for `SelfSigned`).
    server_crt: PathBuf,
    /// A client certificate for `cert_user` and its key (signed by the CA).
    client_crt: PathBuf,
    client_key: PathBuf,
}

#[derive(Clone, Copy)]
enum CertKind {
    /// Signed by the test CA, SANs `localhost` and `127.0.0.1`; pg_hba with
    /// TLS-only, password and certificate users.
    CaSigned,
    /// Signed by the test CA, SAN `db.example.test` only.
    OtherHost,
    /// Self-signed, `CA:TRUE`, CN=localhost and no SAN: PostgreSQL's docs' set-up.
    SelfSigned,
}

fn tls_server(kind: CertKind) -> &'static TlsServer {
    static SERVERS: [OnceLock<TlsServer>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    SERVERS[kind as usize].get_or_init(|| {
        std::thread::spawn(move || start_tls_server(kind))
            .join()
            .unwrap_or_else(|_| panic!("starting a TLS test cluster panicked"))
    })
}

const HBA: &str = "\
local   all all                     trust
hostssl all tls_only  127.0.0.1/32  trust
hostssl all cert_user 127.0.0.1/32  cert
host    all pw_user   127.0.0.1/32  scram-sha-256
host    all postgres  127.0.0.1/32  trust
";

fn start_tls_server(kind: CertKind) -> TlsServer {
    let cluster = Cluster::start(ClusterOptions::default())
        .unwrap_or_else(|e| panic!("could not start a local PostgreSQL cluster: {e}"));
    let dir = cluster.root_dir().join("tls");
    fs::create_dir_all(&dir).unwrap();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name = dn("vitaes test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let ca = Issuer::new(ca_params, ca_key);
    let other_key = KeyPair::generate().unwrap();
    let mut other_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    other_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    other_params.distinguished_name = dn("some other CA");
    let other_ca = other_params.self_signed(&other_key).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let server_cert = match kind {
        CertKind::CaSigned | CertKind::OtherHost => {
            let sans = match kind {
                CertKind::CaSigned => vec!["localhost".to_owned(), "127.0.0.1".to_owned()],
                _ => vec!["db.example.test".to_owned()],
            };
            let mut params = CertificateParams::new(sans).unwrap();
            params.distinguished_name = dn("vitaes test server");
            params.signed_by(&server_key, &ca).unwrap()
        }
        CertKind::SelfSigned => {
            // What `openssl req -new -x509 -subj "/CN=localhost"` makes.
            let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
            params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            params.distinguished_name = dn("localhost");
            params.self_signed(&server_key).unwrap()
        }
    };
    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    client_params.distinguished_name = dn("cert_user");
    let client_cert = client_params.signed_by(&client_key, &ca).unwrap();

    let files = [
        ("ca.crt", ca_cert.pem()),
        ("other-ca.crt", other_ca.pem()),
        ("server.crt", server_cert.pem()),
        ("server.key", server_key.serialize_pem()),
        ("client.crt", client_cert.pem()),
        ("client.key", client_key.serialize_pem()),
    ];
    for (name, pem) in &files {
        write_for_server(&cluster, &dir.join(name), pem);
    }
    write_for_server(&cluster, &cluster.data_dir().join("pg_hba.conf"), HBA);

    let statements = [
        "ALTER SYSTEM SET ssl = on".to_owned(),
        format!(
            "ALTER SYSTEM SET ssl_cert_file = '{}'",
            dir.join("server.crt").display()
        ),
        format!(
            "ALTER SYSTEM SET ssl_key_file = '{}'",
            dir.join("server.key").display()
        ),
        format!(
            "ALTER SYSTEM SET ssl_ca_file = '{}'",
            dir.join("ca.crt").display()
        ),
        "CREATE ROLE tls_only LOGIN".to_owned(),
        "CREATE ROLE cert_user LOGIN".to_owned(),
        format!("CREATE ROLE pw_user LOGIN PASSWORD '{RIGHT_PW}'"),
        "SELECT pg_reload_conf()".to_owned(),
    ];
    let port = cluster.port();
    runtime().block_on(async move {
        let admin = format!("postgresql://postgres@127.0.0.1:{port}/postgres?sslmode=disable");
        let (client, _) = connect(&admin).await.unwrap_or_else(|e| panic!("{e}"));
        for sql in &statements {
            client
                .batch_execute(sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        }
        // The reload is asynchronous: wait until new sessions get TLS.
        let require = format!("postgresql://postgres@127.0.0.1:{port}/postgres?sslmode=require");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match connect(&require).await {
                Ok((_, info)) if info.tls => break,
                other if Instant::now() > deadline => {
                    panic!("TLS never came up: {:?}", other.map(|(_, i)| i))
                }
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });
    let path = |name: &str| dir.join(name);
    TlsServer {
        ca: path("ca.crt"),
        other_ca: path("other-ca.crt"),
        server_crt: path("server.crt"),
        client_crt: path("client.crt"),
        client_key: path("client.key"),
        cluster,
    }
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    dn
}

/// Writes a file the server can read: owned by the data directory's owner
/// (the `postgres` user when tests run as root), mode 0600 (PostgreSQL
/// refuses a key file others can read).
fn write_for_server(cluster: &Cluster, path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    let owner = fs::metadata(cluster.data_dir()).unwrap();
    std::os::unix::fs::chown(path, Some(owner.uid()), Some(owner.gid())).unwrap();
    std::os::unix::fs::chown(path.parent().unwrap(), Some(owner.uid()), Some(owner.gid())).unwrap();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The harness's shared cluster: plain text only (`ssl` is off).
async fn plain_port() -> u16 {
    tokio::task::spawn_blocking(|| shared_cluster().unwrap_or_else(|e| panic!("{e}")).port())
        .await
        .unwrap()
}

async fn tls(kind: CertKind) -> &'static TlsServer {
    tokio::task::spawn_blocking(move || tls_server(kind))
        .await
        .unwrap()
}

/// `postgresql://USER:MARKER@HOST:PORT/DB?QUERY`: the marker password is in
/// every URL (trust auth ignores it), so every error path is checked for it.
fn url(user: &str, host: &str, port: u16, db: &str, query: &str) -> String {
    format!("postgresql://{user}:{MARKER}@{host}:{port}/{db}?{query}")
}

fn rootcert(path: &Path) -> String {
    format!("sslrootcert={}", path.display())
}

async fn ok(url: &str) -> ServerInfo {
    let (client, info) = connect(url)
        .await
        .unwrap_or_else(|e| panic!("connecting with {}: {e}", mask_url(url)));
    let one: i32 = client.query_one("SELECT 1", &[]).await.unwrap().get(0);
    assert_eq!(one, 1);
    info
}

/// Connects expecting failure; checks the error is one line, carries the
/// masked URL, never the password (Display or Debug, also as the crate's
/// `Error`), and has the given exit code.
async fn fails(url: &str, code: u8) -> ConnectError {
    let err = match connect(url).await {
        Ok((_, info)) => panic!("connecting with {} succeeded: {info:?}", mask_url(url)),
        Err(e) => e,
    };
    assert_secret_free(&err);
    assert_eq!(exit_code(&Error::from(err.clone())), code, "{err}");
    assert_eq!(err.url(), mask_url(url));
    let as_crate = Error::from(err.clone());
    assert_eq!(exit_code(&as_crate), code);
    assert_eq!(as_crate.to_string(), err.to_string());
    err
}

fn assert_secret_free(err: &ConnectError) {
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    assert!(!shown.contains(MARKER), "password in Display: {shown}");
    assert!(!debug.contains(MARKER), "password in Debug: {debug}");
    assert!(!shown.contains('\n'), "not one line: {shown}");
}

// ---------------------------------------------------------------- sslmodes

#[tokio::test]
async fn every_sslmode_against_a_ca_signed_server() {
    let s = tls(CertKind::CaSigned).await;
    let port = s.cluster.port();
    let ca = rootcert(&s.ca);
    let cases = [
        ("127.0.0.1", "sslmode=disable".to_owned(), false),
        ("127.0.0.1", String::new(), true), // prefer is the default
        ("127.0.0.1", "sslmode=prefer".to_owned(), true),
        ("127.0.0.1", "sslmode=require".to_owned(), true),
        ("127.0.0.1", format!("sslmode=require&{ca}"), true),
        ("127.0.0.1", format!("sslmode=verify-ca&{ca}"), true),
        ("localhost", format!("sslmode=verify-full&{ca}"), true),
        ("127.0.0.1", format!("sslmode=verify-full&{ca}"), true),
    ];
    for (host, query, want_tls) in cases {
        let info = ok(&url("postgres", host, port, "postgres", &query)).await;
        assert_eq!(info.tls, want_tls, "{host} {query}");
        assert_eq!(
            (info.user.as_str(), info.database.as_str()),
            ("postgres", "postgres")
        );
        assert!(info.version_num >= 90500, "{info:?}");
        assert_eq!(
            info.version_num / 10000,
            s.cluster.server_major_version().parse::<i32>().unwrap()
        );
    }
}

#[tokio::test]
async fn verify_ca_with_the_wrong_ca_fails_the_chain_check() {
    let s = tls(CertKind::CaSigned).await;
    let port = s.cluster.port();
    let other = rootcert(&s.other_ca);
    // `require` with a root certificate verifies the chain too, as libpq.
    for mode in ["verify-ca", "verify-full", "require", "prefer"] {
        let err = fails(
            &url(
                "postgres",
                "localhost",
                port,
                "postgres",
                &format!("sslmode={mode}&{other}"),
            ),
            3,
        )
        .await;
        let ConnectError::Certificate {
            check, ref detail, ..
        } = err
        else {
            panic!("{mode}: {err:?}")
        };
        assert_eq!(check, CertCheck::Chain, "{err}");
        assert!(
            detail.contains("vitaes test CA") && detail.contains("other-ca.crt"),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("certificate verification failed (chain check"),
            "{err}"
        );
    }
}

#[tokio::test]
async fn verify_full_checks_the_host_name() {
    let s = tls(CertKind::OtherHost).await;
    let port = s.cluster.port();
    let ca = rootcert(&s.ca);
    // The chain is fine, so verify-ca connects.
    assert!(
        ok(&url(
            "postgres",
            "localhost",
            port,
            "postgres",
            &format!("sslmode=verify-ca&{ca}")
        ))
        .await
        .tls
    );
    for host in ["localhost", "127.0.0.1"] {
        let err = fails(
            &url(
                "postgres",
                host,
                port,
                "postgres",
                &format!("sslmode=verify-full&{ca}"),
            ),
            3,
        )
        .await;
        let ConnectError::Certificate { check, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(check, CertCheck::HostName);
        let text = err.to_string();
        assert!(
            text.contains("host name check")
                && text.contains("`db.example.test`")
                && text.contains(&format!("`{host}`")),
            "{text}"
        );
    }
}

#[tokio::test]
async fn self_signed_server_certificate_as_its_own_root() {
    let s = tls(CertKind::SelfSigned).await;
    let port = s.cluster.port();
    let own = rootcert(&s.server_crt);
    assert!(
        ok(&url(
            "postgres",
            "127.0.0.1",
            port,
            "postgres",
            &format!("sslmode=verify-ca&{own}")
        ))
        .await
        .tls
    );
    // No subjectAltName: the CN is the name, as libpq.
    assert!(
        ok(&url(
            "postgres",
            "localhost",
            port,
            "postgres",
            &format!("sslmode=verify-full&{own}")
        ))
        .await
        .tls
    );
    let err = fails(
        &url(
            "postgres",
            "127.0.0.1",
            port,
            "postgres",
            &format!("sslmode=verify-full&{own}"),
        ),
        3,
    )
    .await;
    assert!(
        matches!(
            err,
            ConnectError::Certificate {
                check: CertCheck::HostName,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("CN `localhost`"), "{err}");
    // Another root: the message says the server's certificate is self-signed.
    let err = fails(
        &url(
            "postgres",
            "localhost",
            port,
            "postgres",
            &format!("sslmode=verify-ca&{}", rootcert(&s.ca)),
        ),
        3,
    )
    .await;
    assert!(
        matches!(
            err,
            ConnectError::Certificate {
                check: CertCheck::Chain,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("self-signed"), "{err}");
    // Without a root nothing is verified.
    assert!(
        ok(&url(
            "postgres",
            "localhost",
            port,
            "postgres",
            "sslmode=require"
        ))
        .await
        .tls
    );
}

#[tokio::test]
async fn prefer_falls_back_to_plain_text() {
    let port = plain_port().await;
    assert!(
        !ok(&url(
            "postgres",
            "127.0.0.1",
            port,
            "postgres",
            "sslmode=prefer"
        ))
        .await
        .tls
    );
    assert!(
        !ok(&url("postgres", "127.0.0.1", port, "postgres", ""))
            .await
            .tls
    );
}

#[tokio::test]
async fn unix_sockets_never_use_tls() {
    let (dir, port) = tokio::task::spawn_blocking(|| {
        let c = shared_cluster().unwrap_or_else(|e| panic!("{e}"));
        (c.socket_dir(), c.port())
    })
    .await
    .unwrap();
    let socket = dir.display().to_string().replace('/', "%2F");
    let info = ok(&format!(
        "postgresql://postgres@{socket}:{port}/postgres?sslmode=require"
    ))
    .await;
    assert!(!info.tls);
}

#[tokio::test]
async fn client_certificate_authentication() {
    let s = tls(CertKind::CaSigned).await;
    let query = format!(
        "sslmode=verify-full&{}&sslcert={}&sslkey={}",
        rootcert(&s.ca),
        s.client_crt.display(),
        s.client_key.display()
    );
    let info = ok(&format!(
        "postgresql://cert_user@localhost:{}/postgres?{query}",
        s.cluster.port()
    ))
    .await;
    assert_eq!(info.user, "cert_user");
    assert!(info.tls);
    // Without the certificate the server says no.
    let err = fails(
        &url(
            "cert_user",
            "localhost",
            s.cluster.port(),
            "postgres",
            &format!("sslmode=verify-full&{}", rootcert(&s.ca)),
        ),
        3,
    )
    .await;
    assert!(matches!(err, ConnectError::AuthFailed { .. }), "{err:?}");
}

// ---------------------------------------------------------------- error kinds

#[tokio::test]
async fn tls_required_by_the_server() {
    let s = tls(CertKind::CaSigned).await;
    let port = s.cluster.port();
    let err = fails(
        &url("tls_only", "127.0.0.1", port, "postgres", "sslmode=disable"),
        3,
    )
    .await;
    assert!(matches!(err, ConnectError::TlsRequired { .. }), "{err:?}");
    assert!(
        err.to_string().contains("requires TLS") && err.to_string().contains("sslmode=require"),
        "{err}"
    );
    // prefer gets TLS and is let in.
    assert!(
        ok(&url(
            "tls_only",
            "127.0.0.1",
            port,
            "postgres",
            "sslmode=prefer"
        ))
        .await
        .tls
    );
}

#[tokio::test]
async fn tls_not_supported_by_the_server() {
    let s = tls(CertKind::CaSigned).await;
    let port = plain_port().await;
    for query in [
        "sslmode=require".to_owned(),
        format!("sslmode=verify-full&{}", rootcert(&s.ca)),
    ] {
        let err = fails(&url("postgres", "localhost", port, "postgres", &query), 3).await;
        assert!(
            matches!(err, ConnectError::TlsUnsupported { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("does not support TLS"), "{err}");
    }
}

#[tokio::test]
async fn password_authentication() {
    let s = tls(CertKind::CaSigned).await;
    let port = s.cluster.port();
    for mode in ["disable", "require"] {
        let right =
            format!("postgresql://pw_user:{RIGHT_PW}@127.0.0.1:{port}/postgres?sslmode={mode}");
        assert_eq!(ok(&right).await.user, "pw_user");
        let err = fails(
            &url(
                "pw_user",
                "127.0.0.1",
                port,
                "postgres",
                &format!("sslmode={mode}"),
            ),
            3,
        )
        .await;
        assert!(matches!(err, ConnectError::AuthFailed { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("authentication failed for user \"pw_user\"") && text.contains("28P01"),
            "{text}"
        );
        assert!(!text.contains(RIGHT_PW));
    }
    let err = fails(
        &format!("postgresql://pw_user@127.0.0.1:{port}/postgres"),
        3,
    )
    .await;
    assert!(matches!(err, ConnectError::AuthFailed { .. }), "{err:?}");
    assert!(err.to_string().contains("URL has none"), "{err}");
}

#[tokio::test]
async fn missing_database_and_role() {
    let port = plain_port().await;
    let err = fails(
        &url("postgres", "127.0.0.1", port, "no_such_db_4711", ""),
        3,
    )
    .await;
    assert!(
        matches!(err, ConnectError::NoDatabase { ref database, .. } if database == "no_such_db_4711"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("database \"no_such_db_4711\" does not exist"),
        "{err}"
    );
    let err = fails(&url("nobody_4711", "127.0.0.1", port, "postgres", ""), 3).await;
    assert!(matches!(err, ConnectError::AuthFailed { .. }), "{err:?}");
    assert!(
        err.to_string().contains("\"nobody_4711\" does not exist"),
        "{err}"
    );
}

#[tokio::test]
async fn refused_port() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }; // closed again: nothing listens there now
    let err = fails(&url("postgres", "127.0.0.1", port, "postgres", ""), 3).await;
    assert!(matches!(err, ConnectError::Unreachable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("127.0.0.1:{port} is unreachable"))
            && text.contains("connection refused"),
        "{text}"
    );
}

#[tokio::test]
async fn silent_server_times_out() {
    // Accepts TCP (the kernel's backlog) but never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let started = Instant::now();
    let err = fails(
        &url(
            "postgres",
            "127.0.0.1",
            port,
            "postgres",
            "connect_timeout=2",
        ),
        3,
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(matches!(err, ConnectError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().contains("no answer within 2s"), "{err}");
    drop(listener);
}

#[tokio::test]
async fn unknown_host() {
    let err = fails(
        &url(
            "postgres",
            "no-such-host.invalid",
            5432,
            "postgres",
            "connect_timeout=5",
        ),
        3,
    )
    .await;
    assert!(matches!(err, ConnectError::Unreachable { .. }), "{err:?}");
    assert!(
        err.to_string().contains("no-such-host.invalid:5432"),
        "{err}"
    );
}

#[tokio::test]
async fn bad_urls_and_tls_files_exit_2() {
    let s = tls(CertKind::CaSigned).await;
    let port = s.cluster.port();
    let cases = [
        (format!("mysql://u:{MARKER}@h/db"), "postgres://"),
        (
            format!("postgres://u:{MARKER}@h/db?sslmode=allow"),
            "verify-full",
        ),
        (
            format!("postgres://u:{MARKER}@h/db?frobnicate=1"),
            "frobnicate",
        ),
        (format!("postgres://u:{MARKER}/x@h/db"), "percent-encoded"),
        (
            format!("postgres://u:{MARKER}?x@h:1/db?sslmode=disable"),
            "percent-encode",
        ),
        (format!("postgres://u:{MARKER}%zz@h/db"), "percent-encoding"),
        (format!("postgres://u@h:99999/db?password={MARKER}"), "port"),
        (
            url(
                "postgres",
                "127.0.0.1",
                port,
                "postgres",
                "sslmode=verify-full",
            ),
            "needs sslrootcert",
        ),
        (
            url(
                "postgres",
                "127.0.0.1",
                port,
                "postgres",
                "sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem",
            ),
            "/nonexistent/ca.pem",
        ),
        (
            url(
                "postgres",
                "127.0.0.1",
                port,
                "postgres",
                &format!("sslmode=require&sslcert={}", s.client_crt.display()),
            ),
            "sslkey",
        ),
    ];
    for (bad, needle) in cases {
        let err = fails(&bad, 2).await;
        assert!(
            matches!(
                err,
                ConnectError::InvalidUrl { .. } | ConnectError::TlsFiles { .. }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains(needle), "`{needle}` not in: {err}");
    }
}

#[test]
fn masking_keeps_everything_but_the_password() {
    assert_eq!(
        mask_url(&format!(
            "postgresql://u:{MARKER}@h:5432/db?sslmode=require"
        )),
        "postgresql://u:***@h:5432/db?sslmode=require"
    );
    assert_eq!(
        mask_url(&format!(
            "postgres://h/db?password={MARKER}&sslmode=require"
        )),
        "postgres://h/db?password=***&sslmode=require"
    );
    assert_eq!(
        vitaes_test_support::mask_password(&format!("postgres://u:{MARKER}@h/db")),
        mask_url(&format!("postgres://u:{MARKER}@h/db"))
    );
}

/// Every failure path above, once more, with the marker both in the user
/// part and as a `password=` parameter.
#[tokio::test]
async fn no_error_shows_the_password() {
    let s = tls(CertKind::CaSigned).await;
    let other = tls(CertKind::OtherHost).await;
    let (tls_port, plain) = (s.cluster.port(), plain_port().await);
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let ca = rootcert(&s.ca);
    let failing = [
        format!("127.0.0.1:{closed}/postgres?"),
        format!("127.0.0.1:{plain}/no_such_db?"),
        format!("127.0.0.1:{plain}/postgres?sslmode=require&"),
        format!(
            "127.0.0.1:{tls_port}/postgres?sslmode=verify-ca&{}&",
            rootcert(&s.other_ca)
        ),
        format!(
            "localhost:{}/postgres?sslmode=verify-full&{ca}&",
            other.cluster.port()
        ),
        format!("127.0.0.1:{tls_port}/postgres?sslmode=verify-full&"),
        format!("127.0.0.1:{tls_port}/postgres?sslmode=bogus&"),
    ];
    for rest in &failing {
        for user in ["pw_user", "tls_only"] {
            let in_userinfo = format!("postgresql://{user}:{MARKER}@{rest}");
            let as_param = format!("postgresql://{user}@{rest}password={MARKER}");
            for u in [in_userinfo, as_param] {
                let err = connect(&u)
                    .await
                    .err()
                    .unwrap_or_else(|| panic!("{} connected", mask_url(&u)));
                assert_secret_free(&err);
            }
        }
    }
    // Wrong password and TLS-only, on the TLS server.
    for u in [
        format!("postgresql://pw_user:{MARKER}@127.0.0.1:{tls_port}/postgres"),
        format!(
            "postgresql://tls_only@127.0.0.1:{tls_port}/postgres?sslmode=disable&password={MARKER}"
        ),
    ] {
        let Err(err) = connect(&u).await else {
            panic!("{} connected", mask_url(&u))
        };
        assert_secret_free(&err);
    }
}

// ---------------------------------------------------------------- the command line

/// Runs `vitaes-migrate introspect --url URL --verbose [--json]` in an empty
/// directory; returns the exit code and everything printed.
fn cli_introspect(url: &str, json: bool) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("vitaes-migrate").unwrap();
    cmd.current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(["introspect", "--verbose", "--url", url]);
    if json {
        cmd.arg("--json");
    }
    let out = cmd.output().unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), printed)
}

#[tokio::test]
async fn the_cli_never_prints_the_password_on_any_path() {
    let s = tls(CertKind::CaSigned).await;
    let (tls_port, plain) = (s.cluster.port(), plain_port().await);
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let failures = [
        (
            url(
                "postgres",
                "127.0.0.1",
                refused,
                "postgres",
                "sslmode=disable",
            ),
            3,
            "refused",
        ),
        (
            url(
                "pw_user",
                "127.0.0.1",
                tls_port,
                "postgres",
                "sslmode=disable",
            ),
            3,
            "password",
        ),
        (
            url(
                "postgres",
                "127.0.0.1",
                plain,
                "no_such_db",
                "sslmode=disable",
            ),
            3,
            "no_such_db",
        ),
        (
            url(
                "tls_only",
                "127.0.0.1",
                tls_port,
                "postgres",
                "sslmode=disable",
            ),
            3,
            "requires TLS",
        ),
        (
            url(
                "postgres",
                "localhost",
                plain,
                "postgres",
                "sslmode=require",
            ),
            3,
            "does not support TLS",
        ),
        (
            url(
                "postgres",
                "localhost",
                tls_port,
                "postgres",
                &format!("sslmode=verify-full&{}", rootcert(&s.other_ca)),
            ),
            3,
            "certificate",
        ),
        (
            url(
                "postgres",
                "localhost",
                tls_port,
                "postgres",
                "sslmode=verify-full&sslrootcert=/no/such/file.pem",
            ),
            2,
            "/no/such/file.pem",
        ),
    ];
    for (u, code, says) in &failures {
        for json in [false, true] {
            let (exit, printed) = tokio::task::spawn_blocking({
                let u = u.clone();
                move || cli_introspect(&u, json)
            })
            .await
            .unwrap();
            assert_eq!(exit, Some(*code), "{}: {printed}", mask_url(u));
            assert!(
                printed.contains(says),
                "{}: expected {says:?} in {printed}",
                mask_url(u)
            );
            assert!(!printed.contains(MARKER), "password printed: {printed}");
            assert!(
                printed.contains("***") || !printed.contains("postgresql://"),
                "{printed}"
            );
        }
    }
    // The success path, verbose and as JSON, is as quiet about it.
    let db = vitaes_test_support::test_database().await;
    db.connect()
        .await
        .batch_execute("CREATE TABLE t (id integer PRIMARY KEY, name text UNIQUE)")
        .await
        .unwrap();
    let good = url("postgres", "127.0.0.1", plain, db.name(), "sslmode=disable");
    for json in [false, true] {
        let (exit, printed) = tokio::task::spawn_blocking({
            let good = good.clone();
            move || cli_introspect(&good, json)
        })
        .await
        .unwrap();
        assert_eq!(exit, Some(0), "{printed}");
        assert!(!printed.contains(MARKER), "password printed: {printed}");
        assert!(printed.contains("connected: PostgreSQL"), "{printed}");
        if json {
            let start = printed.find('{').unwrap();
            let end = printed.rfind('}').unwrap();
            let snap = vitaes_schema_core::snapshot::from_json(&printed[start..=end])
                .expect("a drizzle-kit snapshot");
            assert_eq!(snap.schema.tables.len(), 1);
            assert_eq!(snap.schema.tables[0].uniques[0].name, "t_name_key");
        } else {
            assert!(printed.contains("public.t: 2 columns"), "{printed}");
        }
    }
}
