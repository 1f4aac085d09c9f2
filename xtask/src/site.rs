//! `target/site`: every file the server serves, named by a hash of its content, pre-compressed
//! with brotli and gzip, listed in `assets.json`; and the size report of what visitors download.

use std::io::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::bundle::{Bundle, Split, LINK_JS};
use crate::first_load;
use crate::minify::{self, Script};
use crate::on_every_core;

/// The widget must stay within its budget (brotli, loader + glue + wasm + css): it loads on every
/// page view of every reseller. The budget, 140 KB, is the limit; the target is 100 KB.
const WIDGET_LIMIT: usize = 140 * 1024;
const WIDGET_TARGET: usize = 100 * 1024;

/// What a portal page may transfer when it is the first one opened (brotli: glue, main module,
/// loader, CSS and the file of its group's parts), and what any page may add later. The budgets are
/// 250 KB (target 150 KB) and 350 KB; the limits sit just above what the build measures now (see
/// docs/architecture.md), to stop drift while it is brought down, and come down with it.
const PORTAL_FIRST_LOAD_LIMIT: usize = 510 * 1024;
const PORTAL_FIRST_LOAD_BUDGET: usize = 250 * 1024;
const PORTAL_PAGE_LIMIT: usize = 350 * 1024;
/// What every portal page loads first. It jumps by about 45 KB when the splitter runs out of room
/// in the read-only data and leaves all of it in the main module (see `ROOM_FOR_THE_SPLITTER` in
/// app/src/routes.rs).
const PORTAL_EVERY_PAGE_LIMIT: usize = 110 * 1024;

pub struct SizeReport {
    rows: Vec<(String, usize, usize)>,
    widget_total: usize,
    /// What every portal page loads first (brotli).
    portal_base: usize,
    /// Each group's file of parts (brotli), by the group's name.
    portal_routes: Vec<(String, usize)>,
}

pub fn assemble(root: &Path, bundles: &[Bundle]) -> Result<SizeReport> {
    let site = root.join("target/site");
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    std::fs::create_dir_all(site.join("pkg"))?;
    std::fs::create_dir_all(site.join("widget"))?;
    let mut rows = Vec::new();
    let mut manifest: Vec<(String, serde_json::Value)> = Vec::new();

    let mut portal_routes = Vec::new();
    for bundle in bundles {
        if let Some(split) = &bundle.split {
            portal_routes = assemble_split(root, &site, bundle, split, &mut rows, &mut manifest)?;
            continue;
        }
        let dir = if bundle.name == "widget" { "widget" } else { "pkg" };
        let url_dir = if bundle.name == "widget" { "/widget/assets" } else { "/pkg" };
        let wasm = std::fs::read(&bundle.wasm)?;
        let js = std::fs::read_to_string(&bundle.js)?;
        let hash = short_hash(&[&wasm, js.as_bytes()]);
        let wasm_name = format!("{}-{hash}_bg.wasm", bundle.name);
        let js_name = format!("{}-{hash}.js", bundle.name);
        // The widget's glue starts itself, which saves the frame page a separate boot script.
        let js = if bundle.name == "widget" {
            format!("{js}\nawait __wbg_init({{ module_or_path: new URL('{wasm_name}', import.meta.url) }});\n")
        } else {
            js
        };
        let js = minify::javascript(root, js.as_bytes(), Script::Module)?;
        rows.push(write(&site.join(dir).join(&wasm_name), &wasm, &format!("{} wasm", bundle.name))?);
        rows.push(write(&site.join(dir).join(&js_name), &js, &format!("{} JS glue", bundle.name))?);
        manifest.push((format!("{}_wasm", bundle.name), format!("{url_dir}/{wasm_name}").into()));
        manifest.push((format!("{}_js", bundle.name), format!("{url_dir}/{js_name}").into()));
    }

    for (name, dir, url_dir) in [("widget", "widget", "/widget/assets"), ("portal", "pkg", "/pkg")] {
        let css = minify::css(root, &std::fs::read(root.join("style").join(format!("{name}.css")))?)?;
        let file = format!("{name}-{}.css", short_hash(&[&css]));
        rows.push(write(&site.join(dir).join(&file), &css, &format!("{name} CSS"))?);
        manifest.push((format!("{name}_css"), format!("{url_dir}/{file}").into()));
    }

    let loader = minify::javascript(root, &std::fs::read(root.join("widget/embed.js"))?, Script::Classic)?;
    rows.push(write(&site.join("widget/embed.js"), &loader, "widget loader")?);

    let json: serde_json::Map<String, serde_json::Value> = manifest.into_iter().collect();
    std::fs::write(site.join("assets.json"), serde_json::to_string_pretty(&json)?)?;

    let total = |prefix: &str| rows.iter().filter(|(label, _, _)| label.starts_with(prefix)).map(|(_, _, br)| br).sum();
    Ok(SizeReport { widget_total: total("widget"), portal_base: total("portal"), portal_routes, rows })
}

/// A split bundle goes into a folder of its own, named by a hash of all its files: the glue
/// finds the loader and the loader the parts by their plain names, relative to its own URL. Each
/// lazy function's group also gets its parts in one file, which a page of that group preloads
/// when it is the first one opened (see `first_load.rs`). Returns each group's first-load file
/// size (brotli); `assets.json` gets the folder and each lazy function's preload.
fn assemble_split(
    root: &Path,
    site: &Path,
    bundle: &Bundle,
    split: &Split,
    rows: &mut Vec<(String, usize, usize)>,
    manifest: &mut Vec<(String, serde_json::Value)>,
) -> Result<Vec<(String, usize)>> {
    let name = bundle.name;
    let files: Vec<&Path> = [bundle.js.as_path(), bundle.wasm.as_path(), split.link_js.as_path()]
        .into_iter()
        .chain(split.parts.iter().map(|part| part.as_path()))
        .collect();
    let mut contents = files.iter().map(std::fs::read).collect::<std::io::Result<Vec<_>>>()?;
    let group_files: Vec<(&str, String)> =
        split.needs.keys().map(|lazy| (lazy.as_str(), first_load::file_name(&route_label(lazy)))).collect();
    contents[2] = first_load::loader(std::str::from_utf8(&contents[2])?, split.parts.len(), &group_files)?.into_bytes();
    // The glue (first) and the part loader (third) are JavaScript; the rest is wasm.
    for index in [0, 2] {
        contents[index] = minify::javascript(root, &contents[index], Script::Module)?;
    }
    let mut names = Vec::with_capacity(files.len());
    for file in &files {
        names.push(file.file_name().and_then(|n| n.to_str()).context("a bundle file's name")?.to_owned());
    }
    let by_name: std::collections::HashMap<&str, &[u8]> =
        names.iter().map(String::as_str).zip(contents.iter().map(Vec::as_slice)).collect();
    let mut groups = Vec::new();
    for ((lazy, parts), (_, group_file)) in split.needs.iter().zip(&group_files) {
        let parts = parts
            .iter()
            .map(|stem| {
                let file = format!("{stem}.wasm");
                let bytes = by_name.get(file.as_str()).copied().with_context(|| format!("the part {file}"))?;
                Ok((file, bytes))
            })
            .collect::<Result<Vec<_>>>()?;
        groups.push((lazy, group_file, first_load::pack(&parts)?));
    }
    let hash = short_hash(&contents.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let folder = format!("{name}-{hash}");
    std::fs::create_dir_all(site.join("pkg").join(&folder))?;
    let mut writes = Vec::new();
    for (index, (file_name, bytes)) in names.iter().zip(&contents).enumerate() {
        let label = match index {
            0 => format!("{name} JS glue"),
            1 => format!("{name} wasm (main)"),
            2 => format!("{name} part loader ({LINK_JS})"),
            _ => format!("  part {file_name}"),
        };
        writes.push((site.join("pkg").join(&folder).join(file_name), bytes.as_slice(), label));
    }
    for (_, file, bytes) in &groups {
        writes.push((site.join("pkg").join(&folder).join(file), bytes.as_slice(), format!("  {file}")));
    }
    // Brotli at its best is slow: the parts compress on every core.
    let written = on_every_core(&writes, |(path, bytes, label)| write(path, bytes, label))?;
    rows.extend_from_slice(&written);
    let groups_written = &written[files.len()..];
    let url = format!("/pkg/{folder}");
    // The Leptos integration names a preload `<folder>/<stem>.wasm`.
    let preloads: std::collections::BTreeMap<&str, [&str; 1]> = groups
        .iter()
        .map(|(lazy, file, _)| Ok((lazy.as_str(), [file.strip_suffix(".wasm").context("a group file's name")?])))
        .collect::<Result<_>>()?;
    manifest.push((format!("{name}_js"), format!("{url}/{name}.js").into()));
    manifest.push((format!("{name}_wasm"), format!("{url}/{name}_bg.wasm").into()));
    manifest
        .push((format!("{name}_parts"), serde_json::json!({ "folder": url, "loader": LINK_JS, "preloads": preloads })));
    Ok(groups
        .iter()
        .zip(groups_written)
        .map(|((lazy, _, _), (_, _, brotli))| {
            (format!("{} ({} parts)", route_label(lazy), split.needs[*lazy].len()), *brotli)
        })
        .collect())
}

/// A lazy function's name without the hash the macro appends (`__customers_route_view_8412…`).
fn route_label(lazy: &str) -> String {
    let trimmed = lazy.trim_start_matches('_');
    match trimmed.rsplit_once('_') {
        Some((label, hash)) if hash.chars().all(|c| c.is_ascii_digit()) => label.to_owned(),
        _ => trimmed.to_owned(),
    }
}

/// Writes `bytes` and its `.br` and `.gz` siblings; returns (label, raw size, brotli size).
fn write(path: &Path, bytes: &[u8], label: &str) -> Result<(String, usize, usize)> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
        writer.write_all(bytes)?;
    }
    std::fs::write(with_suffix(path, "br"), &brotli)?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes)?;
    std::fs::write(with_suffix(path, "gz"), gzip.finish()?)?;
    Ok((label.to_owned(), bytes.len(), brotli.len()))
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

fn short_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

impl SizeReport {
    pub fn print(&self) {
        println!();
        println!("Front-end sizes (bytes)           raw     brotli");
        for (label, raw, br) in &self.rows {
            println!("  {label:<28} {raw:>8} {br:>10}");
        }
        println!(
            "  widget total (loader+glue+wasm+css, brotli): {:.1} KB (the build fails above {} KB; target {} KB)",
            kb(self.widget_total),
            WIDGET_LIMIT / 1024,
            WIDGET_TARGET / 1024
        );
        println!("  portal, every page first (glue+main wasm+loader+css, brotli): {:.1} KB", kb(self.portal_base));
        for (route, bytes) in &self.portal_routes {
            println!("    {route:<44} +{:>7.1} KB = first load {:.1} KB", kb(*bytes), kb(self.portal_base + bytes));
        }
        println!(
            "  portal first load, the largest: {:.1} KB (budget {} KB; the build fails above {} KB; the budget for any page with what it loads later: {} KB)",
            kb(self.portal_first_load()),
            PORTAL_FIRST_LOAD_BUDGET / 1024,
            PORTAL_FIRST_LOAD_LIMIT / 1024,
            PORTAL_PAGE_LIMIT / 1024
        );
        println!();
    }

    /// The most a page's first load transfers.
    fn portal_first_load(&self) -> usize {
        self.portal_base + self.portal_routes.iter().map(|(_, bytes)| *bytes).max().unwrap_or(0)
    }

    pub fn check_budget(&self) -> Result<()> {
        if self.widget_total > WIDGET_LIMIT {
            bail!("the widget is {:.1} KB brotli, over the {} KB limit", kb(self.widget_total), WIDGET_LIMIT / 1024);
        }
        if self.portal_base > PORTAL_EVERY_PAGE_LIMIT {
            bail!(
                "what every portal page loads first is {:.1} KB brotli, over the {} KB limit; if the main \
                 module holds all of the read-only data, the splitter needs more room (ROOM_FOR_THE_SPLITTER \
                 in app/src/routes.rs)",
                kb(self.portal_base),
                PORTAL_EVERY_PAGE_LIMIT / 1024
            );
        }
        if self.portal_first_load() > PORTAL_FIRST_LOAD_LIMIT {
            bail!(
                "a portal page's first load is {:.1} KB brotli, over the {} KB limit",
                kb(self.portal_first_load()),
                PORTAL_FIRST_LOAD_LIMIT / 1024
            );
        }
        Ok(())
    }
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}
