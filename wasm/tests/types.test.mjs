// The TypeScript declarations: generated from the Rust types, strict-clean, with no `any` in
// what the package exports.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import test from "node:test";

import { pkg, wasmDir } from "./helpers.mjs";

const tsc = path.join(wasmDir, "node_modules/.bin/tsc");

for (const config of ["tsconfig.json", "tsconfig.web.json", "tsconfig.conformance.json"]) {
  test(`tsc --strict --noEmit (tests/types/${config})`, () => {
    const run = spawnSync(tsc, ["-p", path.join(wasmDir, "tests/types", config)], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
}

/** The declarations without comments and without the raw wasm exports (`InitOutput`). */
function publicDeclarations(file) {
  return readFileSync(path.join(pkg, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/export interface InitOutput \{[\s\S]*?\n\}/, "");
}

test("no `any` in the public declarations", () => {
  for (const file of ["corsica.d.ts", "corsica.d.mts", "web/corsica.d.ts", "web/index.d.ts"]) {
    const text = publicDeclarations(file);
    assert.doesNotMatch(text, /\bany\b/, file);
  }
});

test("the scenario format's types are declared", () => {
  const text = publicDeclarations("corsica.d.ts");
  for (const name of [
    "interface Scenario", "interface RequestInput", "interface ServerRule", "type ScenarioOutput",
    "interface Output", "interface MultiOutput", "interface ExchangeOutput", "interface SentOutput",
    "interface ReceivedOutput", "interface ErrorOutput", "interface WarningOutput",
    "interface ResponseOutput", "interface TraceOutput", "type HeaderPair", "type ProfileName",
    "type Mode", "type Credentials", "type Redirect", "type ErrorKind", "type WarningKind",
    "type Classification", "type Stage", "type ResponseType", "class CorsicaInputError",
    "interface ResponseInput", "interface CheckOutput", "interface CheckOptions", "interface BrowserOptions",
  ]) {
    assert.match(text, new RegExp(`export ${name}\\b`), name);
  }
  // The output keeps the scenario format's field names.
  assert.match(text, /from_cache: boolean;/);
  assert.match(text, /failed_parameter\?: string;/);
});
