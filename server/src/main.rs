use clap::Parser;
use stadtlab_server::config::{Cli, Command, Config};
use tracing_subscriber::EnvFilter;

fn init_tracing(json: bool) {
    let filter = EnvFilter::try_from_env("STADTLAB_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::RenderSlides) = cli.command {
        // A child of the server, drawing one PDF: no configuration, no log, no network.
        let mut pdf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut pdf)?;
        stadtlab_server::slides::draw_pages(pdf, &mut std::io::stdout().lock())?;
        return Ok(());
    }
    let config = Config::load(&cli.overrides)?;
    if let Some(Command::PrintConfig) = cli.command {
        print!("{}", toml::to_string_pretty(&config)?);
        return Ok(());
    }
    init_tracing(config.log_json);
    if let Some(Command::Admin(admin)) = cli.command {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        return runtime.block_on(stadtlab_server::admin::run(&config, admin));
    }
    // Two workers: HTTP and the browser transports' handlers; the game loop has its own thread.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = stadtlab_server::app::start(config).await?;
        println!(
            "stadtlab is running: open http://localhost:{}",
            server.http_addr.port()
        );
        shutdown_signal().await;
        tracing::info!("shutting down");
        server.shutdown().await;
        Ok(())
    })
}
