//! The `vitaes-migrate` binary: parse flags, run one command, map its error
//! to an exit code.

use std::process::ExitCode;

use clap::Parser;
use vitaes_migrate::cli::{Cli, Command};
use vitaes_migrate::commands::check::{self, CheckArgs};
use vitaes_migrate::commands::drop::{self, DropArgs};
use vitaes_migrate::commands::generate::{self, GenerateArgs};
use vitaes_migrate::commands::introspect::{self, IntrospectArgs};
use vitaes_migrate::commands::migrate::{self, MigrateArgs};
use vitaes_migrate::commands::push::{self, PushArgs};
use vitaes_migrate::commands::status::{self, StatusArgs};
use vitaes_migrate::config::Config;
use vitaes_migrate::diff::RenameDecisions;
use vitaes_migrate::renames_cli::{terminal_prompter, Prompter};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: Cli) -> vitaes_migrate::Result<()> {
    let cwd = std::env::current_dir().map_err(vitaes_migrate::Error::io("."))?;
    let config = Config::load(cli.config.as_deref(), &cwd)?;
    let mut stdout = std::io::stdout();
    match cli.command {
        Command::Push {
            schema,
            url,
            dry_run,
            force,
            strict,
            json,
            verbose,
            lock_timeout,
            rename,
            no_rename,
        } => {
            let args = PushArgs {
                url,
                schema,
                dry_run,
                force,
                strict,
                json,
                verbose,
                lock_timeout,
                renames: RenameDecisions {
                    renames: rename,
                    no_renames: no_rename,
                },
            };
            let runtime = runtime()?;
            let mut terminal = terminal_prompter();
            let prompter = terminal.as_mut().map(|p| p as &mut dyn Prompter);
            runtime.block_on(push::run(
                &args,
                &config,
                &cwd,
                |name| std::env::var(name).ok(),
                &mut stdout,
                &mut std::io::stderr(),
                prompter,
            ))?;
        }
        Command::Introspect {
            url,
            schema,
            json,
            verbose,
        } => {
            let args = IntrospectArgs {
                url,
                schema,
                json,
                verbose,
            };
            runtime()?.block_on(introspect::run(
                &args,
                &config,
                &cwd,
                |name| std::env::var(name).ok(),
                &mut stdout,
                &mut std::io::stderr(),
            ))?;
        }
        Command::Generate {
            schema,
            out,
            name,
            rename,
            no_rename,
            custom,
            json,
        } => {
            let args = GenerateArgs {
                schema,
                out,
                name,
                custom,
                json,
                renames: RenameDecisions {
                    renames: rename,
                    no_renames: no_rename,
                },
            };
            let mut terminal = terminal_prompter();
            let prompter = terminal.as_mut().map(|p| p as &mut dyn Prompter);
            generate::run_with(&args, &config, &cwd, &mut stdout, prompter)?;
        }
        Command::Status {
            schema,
            out,
            url,
            json,
            exit_code,
            verbose,
        } => {
            let args = StatusArgs {
                schema,
                out,
                url,
                json,
                exit_code,
                verbose,
            };
            runtime()?.block_on(status::run(
                &args,
                &config,
                &cwd,
                |name| std::env::var(name).ok(),
                &mut stdout,
                &mut std::io::stderr(),
            ))?;
        }
        Command::Drop { out, url, force } => {
            let mut terminal = terminal_prompter();
            let prompter = terminal.as_mut().map(|p| p as &mut dyn Prompter);
            runtime()?.block_on(drop::run(
                &DropArgs { out, url, force },
                &config,
                &cwd,
                |name| std::env::var(name).ok(),
                &mut stdout,
                prompter,
            ))?;
        }
        Command::Check { schema, out, json } => {
            check::run(&CheckArgs { schema, out, json }, &config, &cwd, &mut stdout)?;
        }
        Command::Migrate {
            out,
            url,
            dry_run,
            baseline,
            lock_wait,
            verbose,
        } => {
            let args = MigrateArgs {
                out,
                url,
                dry_run,
                baseline,
                lock_wait,
                verbose,
            };
            runtime()?.block_on(migrate::run(
                &args,
                &config,
                &cwd,
                |name| std::env::var(name).ok(),
                &mut stdout,
                &mut std::io::stderr(),
            ))?;
        }
    }
    Ok(())
}

fn runtime() -> vitaes_migrate::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(vitaes_migrate::Error::io("tokio runtime"))
}
