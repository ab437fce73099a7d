//! `vitaes-migrate studio`: the database in the browser (see
//! [`crate::studio`]), on loopback unless `--host` says otherwise.

use std::io::Write;
use std::path::Path;

use super::flags::Database;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::studio::guard::{bracketed, is_loopback, new_token, Guard};
use crate::studio::{serve, Studio};

/// `studio`'s flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate studio
  vitaes-migrate studio --url postgresql://localhost:5432/vitaes --read-only --no-open
  vitaes-migrate studio --port 0   # any free port")]
pub struct StudioArgs {
    /// `--url` and `--verbose`.
    #[command(flatten)]
    pub database: Database,
    /// The port to listen on (0: any free one).
    #[arg(long, default_value_t = 4983)]
    pub port: u16,
    /// The address to listen on; anything but loopback lets other machines
    /// reach it (they still need the token).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Every statement in a read-only transaction; edits are refused.
    #[arg(long)]
    pub read_only: bool,
    /// Do not open a browser.
    #[arg(long)]
    pub no_open: bool,
}

impl Default for StudioArgs {
    fn default() -> Self {
        super::flags::defaults()
    }
}

/// Connects, binds, prints the URL with its token and serves until stopped.
pub async fn run(
    args: &StudioArgs,
    config: &Config,
    cwd: &Path,
    env: impl Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    let (client, _) = super::connect_configured(&args.database, config, cwd, env, err).await?;
    let filter = super::shown_schemas(config, &client).await?;
    let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| {
            Error::Usage(format!(
                "cannot listen on {}:{}: {e}\n  help: pick another --port (0 takes any free one)",
                args.host, args.port
            ))
        })?;
    let port = listener
        .local_addr()
        .map_err(Error::io(Path::new("the socket")))?
        .port();
    if !is_loopback(&args.host) {
        let _ = writeln!(
            err,
            "warning: listening on {}: other machines can reach the studio (the token still guards it)",
            args.host
        );
    }
    let guard = Guard::new(new_token(), &args.host, port);
    let url = format!(
        "http://{}:{port}/?token={}",
        bracketed(&args.host),
        guard.token()
    );
    let _ = writeln!(out, "Studio: {url}");
    if args.read_only {
        let _ = writeln!(
            out,
            "read-only: every statement runs in a read-only transaction"
        );
    }
    let _ = out.flush();
    if !args.no_open {
        open_browser(&url);
    }
    let studio = Studio {
        guard,
        client,
        filter,
        read_only: args.read_only,
        migrations: config.out_dir(None, cwd),
        migrations_table: config.migrations_table(),
        config: config.clone(),
        cwd: cwd.to_path_buf(),
    };
    serve(studio, listener)
        .await
        .map_err(Error::io(Path::new("the studio's socket")))
}

/// Opens `url` in the desktop's browser, if there is one; the URL is
/// printed either way.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
