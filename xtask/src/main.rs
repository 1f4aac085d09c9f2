//! Portico's build and test driver, run as `cargo xtask <command>`.
//!
//! It sets up what the project needs on a fresh machine (the wasm target, Node packages,
//! Chromium), builds the two WebAssembly bundles (the widget, and the portal's hydration code)
//! with wasm-bindgen linked in as a library, so its version always equals the crate's, and runs
//! the demo or the tests. Every step is idempotent.

mod bundle;
mod first_load;
mod minify;
mod setup;
mod site;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

const USAGE: &str = "usage: cargo xtask <command>

  demo    set up, build, and run Portico with demo data on the embedded database
  test    set up, build, and run every test (unit, integration on SQLite and PostgreSQL, browser)
  setup   install what the project needs: wasm target, Node packages, Chromium, and moto and
          schemathesis for the tests
  build   build the front-end bundles into target/site and print their sizes
  lint    rustfmt and clippy, warnings denied
  bench   benchmarks that print figures: signup throughput against raw argon2, request latency
          under hashing load, widget ready time";

fn main() -> Result<()> {
    let command = std::env::args().nth(1).unwrap_or_default();
    let root = workspace_root()?;
    std::env::set_current_dir(&root)?;
    match command.as_str() {
        "setup" => {
            setup::all(&root).and_then(|()| setup::moto(&root)).and_then(|_| setup::schemathesis(&root)).map(drop)
        }
        "build" => build(&root),
        "demo" => {
            setup::all(&root)?;
            build(&root)?;
            demo(&root)
        }
        "test" => {
            setup::all(&root)?;
            // No separate `cargo build` of the server: `cargo test` builds the `portico` binary
            // the browser tests run. The tests' dev-dependencies change the features of shared
            // crates, so a plain build first would compile the server and its dependencies twice.
            bundles(&root)?;
            test(&root)
        }
        // The wasm half of the lints needs the wasm target, even on a fresh machine.
        "lint" => setup::rust_for_wasm().and_then(|()| lint()),
        "bench" => {
            setup::all(&root)?;
            build(&root)?;
            bench(&root)
        }
        _ => {
            eprintln!("{USAGE}");
            bail!("unknown command {command:?}")
        }
    }
}

fn workspace_root() -> Result<PathBuf> {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(Path::to_path_buf).context("xtask lives inside the workspace")
}

/// Front-end bundles, size report, and the server binary.
fn build(root: &Path) -> Result<()> {
    bundles(root)?;
    run(Command::new("cargo").args(["build", "--package", "portico-server", "--features", SERVER_FEATURES]))
}

/// The front-end bundles into target/site, their size report, and the size budget.
fn bundles(root: &Path) -> Result<()> {
    let bundles = bundle::build_all(root)?;
    let report = site::assemble(root, &bundles)?;
    report.print();
    report.check_budget()
}

/// Every build of the server has the same features, so that the build, the tests and the lints
/// share one compilation: the SSR portal and the AWS gateway.
const SERVER_FEATURES: &str = "portico-app/ssr,portico-server/aws";

/// The demo sends its e-mails to MailDev, a local SMTP server whose web page shows them.
const DEMO_MAILBOX: &str = "http://127.0.0.1:1080";

fn demo(root: &Path) -> Result<()> {
    println!("Starting Portico with demo data (press Ctrl-C to stop)…");
    let mut mailbox = Command::new(root.join("node_modules/.bin/maildev"))
        .args(["--smtp", "1025", "--ip", "127.0.0.1", "--web", "1080", "--web-ip", "127.0.0.1", "--silent"])
        .spawn()
        .context("starting MailDev")?;
    println!("  Mailbox (every e-mail the demo sends): {DEMO_MAILBOX}");
    let served = run(Command::new(root.join("target/debug/portico"))
        .arg("--demo")
        .env("PORTICO_SMTP_URL", "smtp://127.0.0.1:1025"));
    let _ = mailbox.kill();
    served
}

fn test(root: &Path) -> Result<()> {
    let postgres = setup::postgres_for_tests()?;
    let mut cargo_test = Command::new("cargo");
    cargo_test.args([
        "test",
        "--package",
        "portico-shared",
        "--package",
        "portico-domain",
        "--package",
        "portico-server",
    ]);
    cargo_test.args(["--package", "portico-app"]);
    // The widget's own words; the rest of it runs in the browser tests.
    cargo_test.args(["--package", "portico-widget"]);
    // The build's own rules, such as the file of a group's parts.
    cargo_test.args(["--package", "xtask"]);
    cargo_test.args(["--features", SERVER_FEATURES]);
    // The API tests wait (on their servers, the SMTP sink, timers, moto and schemathesis) more
    // than they compute: one test per core left this machine's two cores half idle, and the
    // API tests took 6.0 minutes; six at a time, 3.8.
    cargo_test.args(["--", "--test-threads", "6"]);
    cargo_test.env("PORTICO_MOTO_SERVER", setup::moto(root)?);
    cargo_test.env("PORTICO_SCHEMATHESIS", setup::schemathesis(root)?);
    if let Some(url) = &postgres {
        cargo_test.env("PORTICO_TEST_POSTGRES", url);
    }
    run(&mut cargo_test)?;
    let mut browser = Command::new("npx");
    browser.args(["playwright", "test", "--config", "end2end/playwright.config.ts"]);
    browser.env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1").current_dir(root);
    run(&mut browser)?;
    println!("All tests passed.");
    Ok(())
}

fn bench(root: &Path) -> Result<()> {
    run(Command::new("cargo").args(["bench", "--package", "portico-server", "--bench", "signup_throughput"]))?;
    run(Command::new("cargo").args(["bench", "--package", "portico-server", "--bench", "customer_search"]))?;
    run(Command::new("cargo").args(["bench", "--package", "portico-server", "--bench", "billing"]))?;
    run(Command::new("cargo").args(["bench", "--package", "portico-server", "--bench", "enumeration"]))?;
    // The ready-time benchmark drives a browser against a running demo on its own ports.
    let data = root.join("target/bench-data");
    let _ = std::fs::remove_dir_all(&data);
    let mut server = Command::new(root.join("target/debug/portico"))
        .arg("--demo")
        .env("PORTICO_LISTEN", "127.0.0.1:3280")
        .env("PORTICO_PUBLIC_URL", "http://localhost:3280")
        .env("PORTICO_DEMO_SITE_LISTEN", "127.0.0.1:3281")
        .env("PORTICO_DEMO_SITE_URL", "http://127.0.0.1:3281")
        .env("PORTICO_DATA_DIR", &data)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .context("starting the demo for the ready-time benchmark")?;
    std::thread::sleep(std::time::Duration::from_secs(3));
    let measured =
        run(Command::new("node").arg("end2end/bench/ready.mjs").env("RESELLER_SITE", "http://127.0.0.1:3281"));
    let _ = server.kill();
    measured?;
    // The portal's time to interactive serves the front end just built, with its own server.
    run(Command::new("cargo").args(["bench", "--package", "portico-server", "--bench", "portal_tti"]))
}

fn lint() -> Result<()> {
    run(Command::new("cargo").args(["fmt", "--all", "--check"]))?;
    run(Command::new("cargo").args([
        "clippy",
        "--workspace",
        "--exclude",
        "portico-widget",
        "--all-targets",
        "--features",
        SERVER_FEATURES,
        "--",
        "-D",
        "warnings",
    ]))?;
    run(Command::new("cargo").args([
        "clippy",
        "--package",
        "portico-widget",
        "--package",
        "portico-shared",
        "--features",
        "portico-widget/csr",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(Command::new("cargo").args([
        "clippy",
        "--package",
        "portico-app",
        "--features",
        "hydrate",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}

/// `work` on every item, one item per core at a time (the build's slow steps, wasm-opt and
/// brotli at its best, use one core each); the results in the items' order.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> Result<R> + Sync) -> Result<Vec<R>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let work = &work;
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores)
            .map(|core| {
                scope.spawn(move || {
                    (core..items.len()).step_by(cores).map(|index| Ok((index, work(&items[index])?))).collect()
                })
            })
            .collect();
        for worker in workers {
            let done: Result<Vec<(usize, R)>> = worker.join().map_err(|_| anyhow::anyhow!("a build step panicked"))?;
            for (index, result) in done? {
                results[index] = Some(result);
            }
        }
        Ok::<_, anyhow::Error>(())
    })?;
    results.into_iter().map(|result| result.context("a build step left an item undone")).collect()
}

/// Runs a command, inheriting the terminal, and fails if it does.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command.status().with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed ({status})");
    }
    Ok(())
}
