//! The two WebAssembly bundles: compiled for size, bound with wasm-bindgen (linked here as a
//! library, so its version is the crate's by construction), then shrunk with wasm-opt.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use wasm_bindgen_cli_support::Bindgen;

use crate::run;

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
/// Features the wasm32 target of Rust 1.95 emits, which wasm-opt must accept.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// A bound bundle: its JavaScript glue and its optimised wasm, not yet named by hash.
pub struct Bundle {
    pub name: &'static str,
    pub js: PathBuf,
    pub wasm: PathBuf,
}

/// Crates that must never reach a browser: server-side code (the domain, the server, what they
/// run on), or the portal's code in the widget.
const NEVER_IN_THE_WIDGET: &[&str] =
    &["portico-app", "portico-domain", "portico-server", "sqlx", "tokio", "argon2", "leptos_axum", "utoipa"];
const NEVER_IN_THE_PORTAL_BUNDLE: &[&str] =
    &["portico-domain", "portico-server", "sqlx", "tokio", "argon2", "leptos_axum", "utoipa"];

pub fn build_all(root: &Path) -> Result<Vec<Bundle>> {
    forbid_dependencies(root, "portico-widget", &["--features", "csr"], NEVER_IN_THE_WIDGET)?;
    forbid_dependencies(root, "portico-app", &["--features", "hydrate"], NEVER_IN_THE_PORTAL_BUNDLE)?;
    Ok(vec![
        build(root, "widget", "portico-widget", "portico_widget", &["--features", "csr"])?,
        build(root, "portal", "portico-app", "portico_app", &["--features", "hydrate"])?,
    ])
}

/// Rust keeps source paths for panic messages. Shortening them makes the bundles smaller, and
/// the same on every machine whatever the checkout's or the cargo home's location.
fn path_remapping(root: &Path) -> String {
    let cargo_home = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_default();
    let flags = [
        format!("--remap-path-prefix={}=crates", cargo_home.join("registry/src").display()),
        format!("--remap-path-prefix={}=portico", root.display()),
    ];
    let quoted: Vec<String> = flags.iter().map(|f| format!("{f:?}")).collect();
    format!("target.{TARGET}.rustflags=[{}]", quoted.join(", "))
}

/// Fails when `package`, built for the browser, would link any of `forbidden`.
fn forbid_dependencies(root: &Path, package: &str, extra: &[&str], forbidden: &[&str]) -> Result<()> {
    let output = Command::new("cargo")
        .args(["tree", "--package", package, "--target", TARGET, "--edges", "normal", "--prefix", "none"])
        .args(extra)
        .current_dir(root)
        .output()
        .context("running cargo tree")?;
    if !output.status.success() {
        bail!("cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    let found: Vec<&str> = forbidden
        .iter()
        .copied()
        .filter(|name| tree.lines().any(|line| line.split_whitespace().next() == Some(name)))
        .collect();
    if !found.is_empty() {
        bail!("{package} (wasm) must not depend on {found:?}");
    }
    println!("{package} (wasm) links none of {forbidden:?}");
    Ok(())
}

fn build(root: &Path, name: &'static str, package: &str, lib: &str, extra: &[&str]) -> Result<Bundle> {
    println!("Building the {name} bundle…");
    run(Command::new("cargo")
        .args(["build", "--lib", "--package", package, "--target", TARGET, "--profile", PROFILE])
        .args(extra)
        .args(["--config", &path_remapping(root)])
        .current_dir(root))?;
    let input = root.join("target").join(TARGET).join(PROFILE).join(format!("{lib}.wasm"));
    let out_dir = root.join("target/bundles").join(name);
    std::fs::create_dir_all(&out_dir)?;
    // PORTICO_WASM_NAMES=1 keeps function names, for size analysis of the output.
    let keep_names = std::env::var_os("PORTICO_WASM_NAMES").is_some();
    Bindgen::new()
        .input_path(&input)
        .out_name(name)
        .web(true)?
        .typescript(false)
        .remove_name_section(!keep_names)
        .remove_producers_section(true)
        .generate(&out_dir)
        .with_context(|| format!("running wasm-bindgen on {}", input.display()))?;
    let wasm = out_dir.join(format!("{name}_bg.wasm"));
    let optimised = out_dir.join(format!("{name}_bg.opt.wasm"));
    run(Command::new(root.join("node_modules/.bin/wasm-opt"))
        .arg("-Oz")
        .args(WASM_FEATURES)
        .args(keep_names.then_some("-g"))
        .arg(&wasm)
        .arg("-o")
        .arg(&optimised))?;
    std::fs::rename(&optimised, &wasm)?;
    Ok(Bundle { name, js: out_dir.join(format!("{name}.js")), wasm })
}
