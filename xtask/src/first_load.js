// The parts of the first page's group come in one file (`<group>.parts.wasm`), which the page's
// response names as a preload: one request instead of dozens, compressed as one. The first group
// whose parts are asked for is the page's own: its file is fetched, and its parts are taken from
// it. Parts it does not hold (those of a group opened later) are fetched one by one, as the
// splitter's loader does. The file is a 4-byte little-endian length, an index of that length
// (JSON: [file name, byte length] for each part), and the parts one after another.
let firstGroup;

function fetchFirstGroup(url) {
  return fetch(url)
    .then((response) => {
      if (!response.ok) {
        throw new Error(`${url} answered ${response.status}`);
      }
      return response.arrayBuffer();
    })
    .then((buffer) => {
      const indexLength = new DataView(buffer).getUint32(0, true);
      const index = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, indexLength)));
      const parts = new Map();
      let at = 4 + indexLength;
      for (const [name, length] of index) {
        parts.set(name, new Uint8Array(buffer, at, length));
        at += length;
      }
      return parts;
    })
    .catch((error) => {
      // Each part is still there on its own.
      console.error(error);
      return new Map();
    });
}

// Wraps a group's loader: the first group loaded fetches its file.
function loadsFirstFromItsFile(file, load) {
  return (...args) => {
    if (firstGroup === undefined) {
      firstGroup = fetchFirstGroup(new URL(file, import.meta.url));
    }
    return load(...args);
  };
}

function fetchPart(url) {
  if (firstGroup === undefined) {
    return fetch(url);
  }
  const name = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  return firstGroup.then((parts) => {
    const bytes = parts.get(name);
    if (bytes === undefined) {
      return fetch(url);
    }
    parts.delete(name);
    return new Response(bytes, { headers: { "Content-Type": "application/wasm" } });
  });
}
