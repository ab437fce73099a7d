//! `vitaes-migrate completions <shell>`: the shell's completion script for
//! every command and flag, from the same parser the binary runs.

use std::io::Write;

use crate::error::{Error, Result};

/// `completions`' arguments.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  vitaes-migrate completions bash > ~/.local/share/bash-completion/completions/vitaes-migrate
  vitaes-migrate completions zsh > ~/.zfunc/_vitaes-migrate
  vitaes-migrate completions fish > ~/.config/fish/completions/vitaes-migrate.fish")]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the script for `command` (the binary's parser, passed in so this
/// module does not depend on the one that lists it) to `out`.
pub fn run(args: &CompletionsArgs, mut command: clap::Command, out: &mut dyn Write) -> Result<()> {
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    out.write_all(&script).map_err(Error::io("stdout"))
}
