//! `edubase user …`: accounts for scripted deployments. Passwords come from standard
//! input, never from the command line.

use anyhow::Context;
use clap::Subcommand;
use edubase::app::AppState;
use edubase::config::Config;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from the first line of standard input.
    Add {
        /// Login name (3–32 of a–z, 0–9, '.', '_', '-').
        #[arg(long)]
        username: String,
        /// admin, curator or teacher.
        #[arg(long)]
        role: String,
        /// A base the curator may edit (repeat for several).
        #[arg(long = "base")]
        bases: Vec<String>,
        /// Name shown in the admin [default: the user name].
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a new password (read from standard input) and end the user's sessions.
    Reset {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Read the password from standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable a user and end their sessions.
    Disable {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled user.
    Enable {
        /// Login name.
        #[arg(long)]
        username: String,
    },
    /// List users.
    List,
}

/// Reads one line (the password) from standard input, without its line ending.
fn password_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("Failed to read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok(password)
}

/// Runs one `user` subcommand.
pub async fn run(config: Config, command: UserCommand) -> anyhow::Result<ExitCode> {
    use edubase::accounts::types::Role;
    use edubase::catalogue::types::Slug;
    let state = AppState::open(config).await?;
    let accounts = &state.accounts;
    let cli = (None, "cli");
    match command {
        UserCommand::Add {
            username,
            role,
            bases,
            display_name,
            ..
        } => {
            let role = Role::parse(&role).map_err(anyhow::Error::msg)?;
            let bases = bases
                .iter()
                .map(|b| Slug::parse(b).map_err(|e| anyhow::anyhow!("--base {b}: {e}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let password = password_from_stdin()?;
            let user = accounts
                .add_user(&username, &display_name, role, bases, &password, cli)
                .await?;
            println!("created {} ({})", user.username, user.role);
        }
        UserCommand::Reset { username, .. } => {
            let password = password_from_stdin()?;
            let user = accounts.reset_password(&username, &password, cli).await?;
            println!(
                "new password set for {}; their sessions have ended",
                user.username
            );
        }
        UserCommand::Disable { username } => {
            let user = accounts.set_disabled(&username, true, cli).await?;
            println!("disabled {}; their sessions have ended", user.username);
        }
        UserCommand::Enable { username } => {
            let user = accounts.set_disabled(&username, false, cli).await?;
            println!("enabled {}", user.username);
        }
        UserCommand::List => {
            for u in accounts.repo().list_users().await? {
                let bases: Vec<_> = u.bases.iter().map(|b| b.as_str()).collect();
                let state = if u.disabled { " (disabled)" } else { "" };
                println!("{}\t{}\t{}{state}", u.username, u.role, bases.join(","));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
