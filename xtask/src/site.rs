//! `target/site`: every file the server serves, named by a hash of its content, pre-compressed
//! with brotli and gzip, listed in `assets.json`; and the size report of what visitors download.

use std::io::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::bundle::Bundle;

/// The widget must stay within this (brotli, loader + glue + wasm + css): it loads on every page
/// view of every reseller. The budget is 140 KB with a 100 KB target; the Leptos widget measures
/// 166 KB (see docs/architecture.md), so the limit sits just above that to stop drift while it
/// is brought down, and comes down with it.
const WIDGET_LIMIT: usize = 170 * 1024;
const WIDGET_BUDGET: usize = 140 * 1024;
const WIDGET_TARGET: usize = 100 * 1024;

pub struct SizeReport {
    rows: Vec<(String, usize, usize)>,
    widget_total: usize,
    portal_total: usize,
}

pub fn assemble(root: &Path, bundles: &[Bundle]) -> Result<SizeReport> {
    let site = root.join("target/site");
    if site.exists() {
        std::fs::remove_dir_all(&site)?;
    }
    std::fs::create_dir_all(site.join("pkg"))?;
    std::fs::create_dir_all(site.join("widget"))?;
    let mut rows = Vec::new();
    let mut manifest = Vec::new();

    for bundle in bundles {
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
        rows.push(write(&site.join(dir).join(&wasm_name), &wasm, &format!("{} wasm", bundle.name))?);
        rows.push(write(&site.join(dir).join(&js_name), js.as_bytes(), &format!("{} JS glue", bundle.name))?);
        manifest.push((format!("{}_wasm", bundle.name), format!("{url_dir}/{wasm_name}")));
        manifest.push((format!("{}_js", bundle.name), format!("{url_dir}/{js_name}")));
    }

    for (name, dir, url_dir) in [("widget", "widget", "/widget/assets"), ("portal", "pkg", "/pkg")] {
        let css = std::fs::read(root.join("style").join(format!("{name}.css")))?;
        let file = format!("{name}-{}.css", short_hash(&[&css]));
        rows.push(write(&site.join(dir).join(&file), &css, &format!("{name} CSS"))?);
        manifest.push((format!("{name}_css"), format!("{url_dir}/{file}")));
    }

    let loader = std::fs::read(root.join("widget/embed.js"))?;
    rows.push(write(&site.join("widget/embed.js"), &loader, "widget loader")?);

    let json = manifest.iter().map(|(k, v)| format!("  \"{k}\": \"{v}\"")).collect::<Vec<_>>().join(",\n");
    std::fs::write(site.join("assets.json"), format!("{{\n{json}\n}}\n"))?;

    let total = |prefix: &str| rows.iter().filter(|(label, _, _)| label.starts_with(prefix)).map(|(_, _, br)| br).sum();
    Ok(SizeReport { widget_total: total("widget"), portal_total: total("portal"), rows })
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
            "  widget total (loader+glue+wasm+css, brotli): {:.1} KB (budget {} KB, target {} KB; the build fails above {} KB)",
            kb(self.widget_total),
            WIDGET_BUDGET / 1024,
            WIDGET_TARGET / 1024,
            WIDGET_LIMIT / 1024
        );
        println!("  portal hydration bundle (glue+wasm+css, brotli): {:.1} KB", kb(self.portal_total));
        println!();
    }

    pub fn check_budget(&self) -> Result<()> {
        if self.widget_total > WIDGET_LIMIT {
            bail!("the widget is {:.1} KB brotli, over the {} KB limit", kb(self.widget_total), WIDGET_LIMIT / 1024);
        }
        Ok(())
    }
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}
