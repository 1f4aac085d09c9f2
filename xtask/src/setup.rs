//! Installing what the build and the tests need, each step skipped when already done.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Result};

use crate::run;

pub const CHROMIUM: &str = "/usr/bin/chromium";
/// The reverse proxy the test of two replicas puts in front of them.
pub const HAPROXY: &str = "/usr/sbin/haproxy";
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn all(root: &Path) -> Result<()> {
    rust_for_wasm()?;
    node_packages(root)?;
    debian_packages()
}

/// The wasm32 target, and the standard library's source that the bundles are built with.
pub fn rust_for_wasm() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output()?;
    if !String::from_utf8_lossy(&installed.stdout).lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        println!("Installing the wasm32-unknown-unknown Rust target…");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    // The bundles build the standard library from its source, for size.
    let installed = Command::new("rustup").args(["component", "list", "--installed"]).output()?;
    if !String::from_utf8_lossy(&installed.stdout).lines().any(|c| c.trim().starts_with("rust-src")) {
        println!("Installing the Rust standard library's source (rust-src)…");
        run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    Ok(())
}

/// wasm-opt (npm `binaryen`), the minifiers (Terser, Lightning CSS) and Playwright, at the versions
/// in package-lock.json.
fn node_packages(root: &Path) -> Result<()> {
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(lock), Ok(installed)) => installed.modified()? >= lock.modified()?,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("Installing Node packages (wasm-opt, minifiers, Playwright)…");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .current_dir(root))
}

/// From Debian: Chromium, which the browser tests drive (Playwright's own download is not used),
/// and HAProxy, in front of the two replicas of the test that kills one.
fn debian_packages() -> Result<()> {
    let missing: Vec<(&str, &str)> = [("chromium", CHROMIUM), ("haproxy", HAPROXY)]
        .into_iter()
        .filter(|(_, path)| !Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|(name, _)| *name).collect();
    println!("Installing {} from Debian…", names.join(" and "));
    let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
    let apt = |args: &[&str]| -> Result<()> {
        let mut command = if is_root { Command::new("apt-get") } else { Command::new("sudo") };
        if !is_root {
            command.arg("apt-get");
        }
        run(command.args(args).env("DEBIAN_FRONTEND", "noninteractive"))
    };
    apt(&["update", "-qq"])?;
    apt(&[&["install", "-y", "-qq"][..], &names].concat())?;
    for (name, path) in missing {
        if !Path::new(path).exists() {
            bail!("{name} was installed but {path} is missing");
        }
    }
    Ok(())
}

/// The AWS-compatible server the AWS gateway's smoke test talks to, at this version.
const MOTO: &str = "moto[server]==5.2.5";

/// The API conformance tester the test command runs against the JSON API, at this version.
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// moto in its own Python virtual environment under `target/`; returns its server program.
pub fn moto(root: &Path) -> Result<PathBuf> {
    python_tool(root, "moto", MOTO, "moto_server")
}

/// schemathesis in its own Python virtual environment under `target/`; returns its program.
pub fn schemathesis(root: &Path) -> Result<PathBuf> {
    python_tool(root, "schemathesis", SCHEMATHESIS, "schemathesis")
}

/// `requirement` (from PyPI) in a virtual environment of its own, `target/<name>`, installed once
/// per version; returns the path of its `program`.
fn python_tool(root: &Path, name: &str, requirement: &str, program: &str) -> Result<PathBuf> {
    let venv = root.join("target").join(name);
    let installed = venv.join("bin").join(program);
    let stamp = venv.join("installed");
    if installed.exists() && std::fs::read_to_string(&stamp).is_ok_and(|version| version == requirement) {
        return Ok(installed);
    }
    println!("Installing {requirement} (PyPI) into {}…", venv.display());
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "--disable-pip-version-check", requirement]))?;
    std::fs::write(&stamp, requirement)?;
    Ok(installed)
}

/// The PostgreSQL server the database tests create their databases on: `PORTICO_TEST_POSTGRES`,
/// or this machine's own when it answers. `PORTICO_REQUIRE_POSTGRES=1` (set in CI) turns a
/// missing server into a failure instead of a skipped backend.
pub fn postgres_for_tests() -> Result<Option<String>> {
    if let Ok(url) = std::env::var("PORTICO_TEST_POSTGRES") {
        return Ok(Some(url));
    }
    let reachable = "127.0.0.1:5432"
        .to_socket_addrs()?
        .any(|addr| TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok());
    if reachable {
        return Ok(Some(DEFAULT_POSTGRES.to_owned()));
    }
    if std::env::var("PORTICO_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        bail!("PostgreSQL is required but nothing answers on 127.0.0.1:5432; set PORTICO_TEST_POSTGRES");
    }
    eprintln!("WARNING: no PostgreSQL on 127.0.0.1:5432: database tests run on SQLite only.");
    Ok(None)
}
