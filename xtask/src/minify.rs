//! What the browser downloads as text is minified before it is compressed: the JavaScript glue
//! wasm-bindgen writes, the part loader, the widget's loader, and the style sheets. Terser and
//! Lightning CSS come from npm (package-lock.json), as wasm-opt does.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// How the script is loaded: as an ES module (the glue, whose exports keep their names) or as a
/// classic script (the widget's loader, one tag on the reseller's page).
#[derive(Clone, Copy)]
pub enum Script {
    Module,
    Classic,
}

pub fn javascript(root: &Path, source: &[u8], kind: Script) -> Result<Vec<u8>> {
    let mut terser = Command::new(root.join("node_modules/.bin/terser"));
    terser.args(["--compress", "--mangle"]);
    if let Script::Module = kind {
        terser.arg("--module");
    }
    filter(&mut terser, source)
}

pub fn css(root: &Path, source: &[u8]) -> Result<Vec<u8>> {
    filter(Command::new(root.join("node_modules/.bin/lightningcss")).arg("--minify"), source)
}

/// Runs `command` with `input` on its stdin; its stdout, or its stderr as the error.
fn filter(command: &mut Command, input: &[u8]) -> Result<Vec<u8>> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let mut stdin = child.stdin.take().context("the minifier's stdin")?;
    // Written from a thread of its own, so that a minifier that answers while it still reads
    // cannot block on a full pipe.
    let written = std::thread::scope(|scope| {
        let writer = scope.spawn(move || stdin.write_all(input));
        let output = child.wait_with_output();
        (writer.join(), output)
    });
    let (writer, output) = written;
    writer.map_err(|_| anyhow::anyhow!("writing to the minifier panicked"))??;
    let output = output?;
    if !output.status.success() {
        bail!("{command:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(output.stdout)
}
