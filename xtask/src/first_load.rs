//! A group's parts in one file, for the first page opened. The splitter leaves a part for every
//! set of groups that share code, and a page needs dozens of them (the Customers list 36, a
//! customer's page 71): one request each, each compressed on its own. The first page instead
//! fetches one file holding all of its group's parts, compressed as one, which its response
//! names as a preload; the part loader takes the parts from it (`first_load.js`). Pages opened
//! later fetch only the parts still missing, one by one, as the splitter's loader does.

use anyhow::{ensure, Result};

/// What the part loader calls in place of `fetch` for each part.
const FETCH_AS_SPLIT: &str = "fetch(new URL(";
const FETCH_FROM_GROUP: &str = "fetchPart(new URL(";

/// The file of a group's parts, by the group's name (its lazy function's, without the hash the
/// macro appends). `assets.json` lists it as the lazy function's preload, which the server reads
/// (`preload_first_load` in `app/src/routes.rs`).
pub fn file_name(group: &str) -> String {
    format!("{group}.parts.wasm")
}

/// The splitter's part loader, fetching the first page's parts from its group's file. `parts`
/// is how many parts it loads, each with one `fetch`; `groups` are (lazy function, group's
/// file), one for each loader the module exports. A loader written differently (another version
/// of the splitter) fails the build rather than fetching every part twice.
pub fn loader(link_js: &str, parts: usize, groups: &[(&str, String)]) -> Result<String> {
    let fetches = link_js.matches(FETCH_AS_SPLIT).count();
    ensure!(
        fetches == parts,
        "the part loader fetches with `{FETCH_AS_SPLIT}` {fetches} times for {parts} parts; the first page's \
         group file expects one each"
    );
    let mut js = format!("{}\n{}", include_str!("first_load.js"), link_js.replace(FETCH_AS_SPLIT, FETCH_FROM_GROUP));
    for (lazy, file) in groups {
        let export = format!("export const __wasm_split_load_{lazy} = ");
        ensure!(js.matches(&export).count() == 1, "the part loader does not export `__wasm_split_load_{lazy}` once");
        js = js.replace(&export, &format!("const __group_load_{lazy} = "));
        js.push_str(&format!(
            "\nexport const __wasm_split_load_{lazy} = loadsFirstFromItsFile(\"./{file}\", __group_load_{lazy});\n"
        ));
    }
    Ok(js)
}

/// One file of `parts` (file name, bytes): the index's length (4 bytes, little-endian), the
/// index (JSON: `[file name, length]` for each), then the parts in the index's order.
pub fn pack(parts: &[(String, &[u8])]) -> Result<Vec<u8>> {
    let index: Vec<(&str, usize)> = parts.iter().map(|(name, bytes)| (name.as_str(), bytes.len())).collect();
    let index = serde_json::to_vec(&index)?;
    let mut file = Vec::with_capacity(4 + index.len() + parts.iter().map(|(_, bytes)| bytes.len()).sum::<usize>());
    file.extend_from_slice(&u32::try_from(index.len())?.to_le_bytes());
    file.extend_from_slice(&index);
    for (_, bytes) in parts {
        file.extend_from_slice(bytes);
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_file_holds_its_index_then_each_part_whole() {
        let parts = [("chunk_1.wasm".to_owned(), &b"\0asm one"[..]), ("split_a.wasm".to_owned(), &b"\0asm two!"[..])];
        let file = pack(&parts).unwrap();
        let length = u32::from_le_bytes(file[..4].try_into().unwrap()) as usize;
        let index: Vec<(String, usize)> = serde_json::from_slice(&file[4..4 + length]).unwrap();
        assert_eq!(index, [("chunk_1.wasm".to_owned(), 8), ("split_a.wasm".to_owned(), 9)]);
        assert_eq!(&file[4 + length..], b"\0asm one\0asm two!");
    }

    #[test]
    fn the_loader_fetches_each_part_through_the_group_file_or_the_build_fails() {
        let js = r#"const a = fetch(new URL("./chunk_1.wasm", import.meta.url));
export const __wasm_split_load_list_pages_12 = wrapAsyncCb(makeLoad(() => {
  const src = fetch(new URL("./split_list_pages_12.wasm", import.meta.url));
}, [a]));"#;
        let groups = [("list_pages_12", file_name("list_pages"))];
        let loader = loader(js, 2, &groups).unwrap();
        assert!(loader.contains(r#"fetchPart(new URL("./chunk_1.wasm""#));
        assert!(!loader.contains(r#"= fetch(new URL("./"#));
        assert!(loader.contains("const __group_load_list_pages_12 = wrapAsyncCb("));
        assert!(loader.contains(
            r#"export const __wasm_split_load_list_pages_12 = loadsFirstFromItsFile("./list_pages.parts.wasm", __group_load_list_pages_12);"#
        ));
        assert!(super::loader(js, 3, &groups).is_err(), "a part fetched otherwise");
        assert!(
            super::loader(js, 2, &[("other_pages_13", file_name("other_pages"))]).is_err(),
            "a group it does not export"
        );
    }
}
