//! The `vitaes-migrate` binary: parse flags, run one command, map its error
//! to an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use vitaes_migrate::cli::{Cli, Command};
use vitaes_migrate::commands::{
    check, completions, db, diagram, diff, drop, generate, introspect, migrate, pull, push, status,
    studio,
};
use vitaes_migrate::config::Config;
use vitaes_migrate::exit_code::exit_code;
use vitaes_migrate::renames_cli::{terminal_prompter, Prompter};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit_code(&e))
        }
    }
}

fn run(cli: Cli) -> vitaes_migrate::Result<()> {
    let mut stdout = std::io::stdout();
    // The one command that reads no configuration.
    if let Command::Completions(args) = &cli.command {
        return completions::run(args, Cli::command(), &mut stdout);
    }
    let cwd = std::env::current_dir().map_err(vitaes_migrate::Error::io("."))?;
    let config = Config::load(cli.config.as_deref(), &cwd)?;
    let env = |name: &str| std::env::var(name).ok();
    let mut terminal = terminal_prompter();
    let prompter = terminal.as_mut().map(|p| p as &mut dyn Prompter);
    match cli.command {
        Command::Push(args) => runtime()?.block_on(push::run(
            &args,
            &config,
            &cwd,
            env,
            &mut stdout,
            &mut std::io::stderr(),
            prompter,
        )),
        Command::Introspect(args) => runtime()?.block_on(introspect::run(
            &args,
            &config,
            &cwd,
            env,
            &mut stdout,
            &mut std::io::stderr(),
        )),
        Command::Generate(args) => {
            generate::run_with(&args, &config, &cwd, &mut stdout, prompter).map(|_| ())
        }
        Command::Status(args) => runtime()?.block_on(status::run(
            &args,
            &config,
            &cwd,
            env,
            &mut stdout,
            &mut std::io::stderr(),
        )),
        Command::Drop(args) => {
            runtime()?.block_on(drop::run(&args, &config, &cwd, env, &mut stdout, prompter))
        }
        Command::Check(args) => check::run(&args, &config, &cwd, &mut stdout),
        Command::Diagram(args) => diagram::run(
            &args,
            &config,
            &cwd,
            env,
            &mut stdout,
            &mut std::io::stderr(),
        ),
        Command::Pull(args) => runtime()?.block_on(pull::run(
            &args,
            &config,
            &cwd,
            env,
            &mut stdout,
            &mut std::io::stderr(),
        )),
        Command::Diff(args) => runtime()?.block_on(diff::run(
            &args,
            &config,
            &cwd,
            &mut stdout,
            &mut std::io::stderr(),
        )),
        Command::Migrate(args) => runtime()?.block_on(migrate::run(
            &args,
            &config,
            &cwd,
            env,
            &mut stdout,
            &mut std::io::stderr(),
        )),
        Command::Studio(args) => runtime()?.block_on(studio::run(
            &args,
            &config,
            &cwd,
            env,
            &mut stdout,
            &mut std::io::stderr(),
        )),
        Command::Db(args) => {
            runtime()?.block_on(db::run(&args, &config, &cwd, env, &mut stdout, prompter))
        }
        Command::Completions(_) => unreachable!("answered above"),
    }
}

fn runtime() -> vitaes_migrate::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(vitaes_migrate::Error::io("tokio runtime"))
}
