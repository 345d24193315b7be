//! Entry point: flags, logging, configuration, then the server. No logic lives here.

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use orgbox::app::Application;
use orgbox::cli::{Args, Command};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args = Args::parse();
    let config = match args.config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!(
                "orgbox: {e}\n(the repository's config.toml documents every key with its default; \
                 flags: orgbox --help)"
            );
            std::process::exit(2);
        }
    };
    match args.command {
        None | Some(Command::Serve(_)) => {}
        Some(command) => match orgbox::cli::ops::run(command, &config) {
            Ok(out) => {
                println!("{out}");
                return Ok(());
            }
            Err(e) => {
                eprintln!("orgbox: {e}");
                std::process::exit(1);
            }
        },
    }
    // Every startup error names the address or path that failed and what to do.
    let app = match Application::build(config).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("orgbox: {e}");
            std::process::exit(1);
        }
    };
    app.print_banner();
    app.run_until_stopped().await
}
