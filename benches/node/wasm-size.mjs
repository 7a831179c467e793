// Where the bytes of a .wasm go: the size of each section, and of the code by crate (from the
// function names of the `name` section, so run it on a build that keeps them: `wasm-opt -Oz -g`).
//
//   node benches/node/wasm-size.mjs path/to/module.wasm [--top N]
//
// A measurement aid, not a test.

import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error("usage: node wasm-size.mjs module.wasm [--top N]");
  process.exit(2);
}
const top = rest[0] === "--top" ? Number(rest[1]) : 0;
const bytes = readFileSync(file);

let at = 8;
/** An unsigned LEB128 at `at`, moving past it. */
function leb() {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return value;
  }
}

const sectionNames = ["custom", "type", "import", "function", "table", "memory", "global", "export",
  "start", "element", "code", "data", "datacount"];
const sections = [];
let importedFunctions = 0;
const bodySizes = [];
const names = new Map();
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const start = at;
  let name = sectionNames[id] ?? `#${id}`;
  if (id === 0) {
    const length = leb();
    name = `custom "${bytes.subarray(at, at + length).toString()}"`;
    if (bytes.subarray(at, at + length).toString() === "name") {
      at += length;
      while (at < start + size) {
        const kind = bytes[at++];
        const length = leb();
        const end = at + length;
        if (kind === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            const textLength = leb();
            names.set(index, bytes.subarray(at, at + textLength).toString());
            at += textLength;
          }
        }
        at = end;
      }
    }
  } else if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      for (let s = 0; s < 2; s++) {
        const length = leb();
        at += length;
      }
      const kind = bytes[at++];
      if (kind === 0) {
        importedFunctions++;
        leb();
      } else if (kind === 1) {
        at++;
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 2) {
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 3) {
        at += 2;
      }
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const length = leb();
      bodySizes.push(length);
      at += length;
    }
  }
  sections.push([name, size]);
  at = start + size;
}

/** `_ZN4core3fmt5write17h…E` → `core::fmt::write`; other names as they are. */
function demangle(name) {
  if (!name.startsWith("_ZN")) return name;
  const parts = [];
  let i = 3;
  while (i < name.length && name[i] !== "E") {
    let digits = "";
    while (/[0-9]/.test(name[i])) digits += name[i++];
    if (digits === "") break;
    parts.push(name.slice(i, i + Number(digits)));
    i += Number(digits);
  }
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts
    .join("::")
    .replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ")
    .replace(/\$RF\$/g, "&").replace(/\$C\$/g, ",").replace(/\$u7b\$/g, "{").replace(/\$u7d\$/g, "}")
    .replace(/\.\./g, "::").replace(/^_</, "<");
}

/** The crate a function is charged to: the first path of its name, `<T as Trait>` → `T`'s. */
function crateOf(name) {
  const match = demangle(name).match(/^[<&\s]*(?:mut\s+)?(?:dyn\s+)?([A-Za-z_][A-Za-z0-9_]*)/);
  return match ? match[1] : "?";
}

const byCrate = new Map();
const functions = [];
bodySizes.forEach((size, i) => {
  const name = names.get(importedFunctions + i) ?? `function ${importedFunctions + i}`;
  const owner = names.has(importedFunctions + i) ? crateOf(name) : "(unnamed)";
  byCrate.set(owner, (byCrate.get(owner) ?? 0) + size);
  functions.push([size, demangle(name)]);
});

const kb = (n) => (n / 1024).toFixed(1).padStart(7);
console.log(`${file}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped (-9)`);
console.log("\nsections (KiB):");
for (const [name, size] of sections.sort((a, b) => b[1] - a[1])) console.log(`${kb(size)}  ${name}`);
console.log("\ncode by crate (KiB):");
for (const [owner, size] of [...byCrate].sort((a, b) => b[1] - a[1])) console.log(`${kb(size)}  ${owner}`);
if (top > 0) {
  console.log(`\nthe ${top} largest functions (bytes):`);
  for (const [size, name] of functions.sort((a, b) => b[0] - a[0]).slice(0, top)) {
    console.log(`${String(size).padStart(7)}  ${name.slice(0, 160)}`);
  }
}
