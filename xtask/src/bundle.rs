//! The two WebAssembly bundles: compiled for size, bound with wasm-bindgen (linked here as a
//! library, so its version is the crate's by construction), then shrunk with wasm-opt. The
//! portal's is first split at its lazy routes: a main module every page loads, and a module per
//! route (plus modules of code several routes share) that the router fetches when it needs them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use wasm_bindgen_cli_support::Bindgen;

use crate::{on_every_core, run};

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

/// Both bundles are built for size, the standard library with them (`REBUILT_STD`) rather than
/// taken prebuilt, since the prebuilt one formats every panic's message and location and picks
/// its algorithms for speed:
/// - a panic stops the module where it happens (`immediate-abort`), with no message to format:
///   the browser reports it as an `unreachable` trap, as it would any other;
/// - no file, line or column is kept for the places that could panic (`location-detail`);
/// - `{:?}` writes nothing (`fmt-debug`): Debug output is for developers, and neither bundle
///   shows any to a person or keys anything on it (the servers' builds keep theirs).
///
/// These are unstable options of cargo and rustc, which the stable toolchain accepts with
/// `RUSTC_BOOTSTRAP=1` (as Firefox's and Linux's builds use it); rebuilding the standard
/// library needs the `rust-src` component, which `cargo xtask setup` installs. What they save
/// is in docs/architecture.md.
const FOR_SIZE: &[&str] =
    &["-Zunstable-options", "-Cpanic=immediate-abort", "-Zlocation-detail=none", "-Zfmt-debug=none"];
const REBUILT_STD: &[&str] = &["-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size"];

/// wasm-opt's passes for every module of both bundles:
/// - the exports of wasm-streams' JavaScript-facing classes (`IntoUnderlyingSource` and its
///   kin) are removed, and with them the code only they reach. Leptos always links server_fn's
///   browser client, which links wasm-streams, whose exported classes no dead-code pass may
///   drop. They turn a Rust stream into a request body, and neither bundle streams one: the
///   widget has no server functions, and the portal's server functions send forms
///   (URL-encoded, or multipart for a usage report's file).
/// - `-Oz`.
const OPTIMISATION: &[&str] = &["--remove-exports=*intounderlying*", "-Oz"];
/// A bundle's main module, which every page loads, runs `-Oz` until it finds nothing more
/// (about two rounds): 0.6 KB brotli off the widget for seconds. The portal's hundred-odd parts
/// keep one round, where this would take minutes.
const MAIN_MODULE_OPTIMISATION: &str = "--converge";

/// A bound bundle: its JavaScript glue and its optimised wasm, not yet named by hash.
pub struct Bundle {
    pub name: &'static str,
    pub js: PathBuf,
    pub wasm: PathBuf,
    /// A split bundle's other files: the module that loads the parts, and the parts.
    pub split: Option<Split>,
}

/// What splitting left beside the main module. The glue loads every part relative to its own
/// URL, so they are all served from one folder.
pub struct Split {
    /// The JavaScript that fetches and links the parts (`LINK_JS`).
    pub link_js: PathBuf,
    pub parts: Vec<PathBuf>,
    /// Each lazy function's name → the parts (file stems) it needs.
    pub needs: BTreeMap<String, Vec<String>>,
}

/// The splitter's loader module, as the main glue imports it.
pub const LINK_JS: &str = "__wasm_split.js";

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
        build(root, "widget", "portico-widget", "portico_widget", &["--features", "csr"], false)?,
        build(root, "portal", "portico-app", "portico_app", &["--features", "hydrate"], true)?,
    ])
}

/// The compiler's flags for a bundle: what makes it small (see [`FOR_SIZE`]), and source paths
/// shortened so that the bundles are the same on every machine whatever the checkout's or the
/// cargo home's location.
fn rustflags(root: &Path) -> String {
    let cargo_home = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_default();
    let mut flags = vec![
        format!("--remap-path-prefix={}=crates", cargo_home.join("registry/src").display()),
        format!("--remap-path-prefix={}=portico", root.display()),
    ];
    flags.extend(FOR_SIZE.iter().map(|flag| (*flag).to_owned()));
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

fn build(root: &Path, name: &'static str, package: &str, lib: &str, extra: &[&str], split: bool) -> Result<Bundle> {
    println!("Building the {name} bundle…");
    let mut cargo = Command::new("cargo");
    cargo
        .args(["rustc", "--lib", "--package", package, "--target", TARGET, "--profile", PROFILE])
        .args(extra)
        .args(REBUILT_STD)
        .env("RUSTC_BOOTSTRAP", "1")
        .args(["--config", &rustflags(root)])
        .current_dir(root);
    // The splitter reads the linker's relocations (which would stay in an unsplit bundle). Only
    // the bundle's own crate links, so only it is given the flag: both bundles then share the
    // standard library and every dependency built alike.
    if split {
        cargo.args(["--", "-Clink-args=--emit-relocs"]);
    }
    run(&mut cargo)?;
    let input = root.join("target").join(TARGET).join(PROFILE).join(format!("{lib}.wasm"));
    let out_dir = root.join("target/bundles").join(name);
    // A split leaves a varying number of parts: start from an empty folder.
    if out_dir.exists() {
        std::fs::remove_dir_all(&out_dir)?;
    }
    std::fs::create_dir_all(&out_dir)?;
    let (main, split) = if split { split_at_lazy_routes(&input, &out_dir, name)? } else { (input, None) };
    // PORTICO_WASM_NAMES=1 keeps function names, for size analysis of the output.
    let keep_names = std::env::var_os("PORTICO_WASM_NAMES").is_some();
    Bindgen::new()
        .input_path(&main)
        .out_name(name)
        .web(true)?
        .typescript(false)
        // The parts call into the main module through the exports the linker made.
        .keep_lld_exports(split.is_some())
        .remove_name_section(!keep_names)
        .remove_producers_section(true)
        .generate(&out_dir)
        .with_context(|| format!("running wasm-bindgen on {}", main.display()))?;
    let wasm = out_dir.join(format!("{name}_bg.wasm"));
    let modules: Vec<&PathBuf> = std::iter::once(&wasm).chain(split.iter().flat_map(|split| &split.parts)).collect();
    // A split bundle has dozens of parts.
    on_every_core(&modules, |module| optimise(root, module, *module == &wasm, keep_names))?;
    Ok(Bundle { name, js: out_dir.join(format!("{name}.js")), wasm, split })
}

/// Splits the linked wasm at its `#[lazy]` functions (the lazy routes), before wasm-bindgen and
/// wasm-opt, which would drop the relocations the splitter reads. Returns the main module, still
/// to be bound, and the parts, written to `out_dir`.
fn split_at_lazy_routes(input: &Path, out_dir: &Path, name: &str) -> Result<(PathBuf, Option<Split>)> {
    let bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let main = input.with_file_name(format!("{name}_split.wasm"));
    let main_module = format!("./{name}.js");
    let link_name = format!("./{LINK_JS}");
    let mut options = wasm_split_cli_support::Options::new(&bytes);
    options.output_dir = out_dir;
    options.main_out_path = &main;
    options.main_module = &main_module;
    options.link_name = &link_name;
    let split =
        wasm_split_cli_support::transform(options).map_err(|e| anyhow::anyhow!("splitting the {name} wasm: {e:?}"))?;
    let needs = split.prefetch_map.into_iter().collect();
    Ok((main, Some(Split { link_js: out_dir.join(LINK_JS), parts: split.split_modules, needs })))
}

fn optimise(root: &Path, module: &Path, main: bool, keep_names: bool) -> Result<()> {
    let optimised = module.with_extension("opt.wasm");
    run(Command::new(root.join("node_modules/.bin/wasm-opt"))
        .args(OPTIMISATION)
        .args(main.then_some(MAIN_MODULE_OPTIMISATION))
        .args(WASM_FEATURES)
        .args(keep_names.then_some("-g"))
        .arg(module)
        .arg("-o")
        .arg(&optimised))?;
    std::fs::rename(&optimised, module)?;
    Ok(())
}
