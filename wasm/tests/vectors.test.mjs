// Every conformance vector (and every recorded browser scenario) through the npm build: the
// output must be the native engine's on every field, and match the vector's `expected` subset,
// except for the few vectors of without-idna.txt (hosts in Unicode, which the package refuses).

import assert from "node:assert/strict";
import test from "node:test";
import { isDeepStrictEqual } from "node:util";

import { evaluate, evaluateMany } from "corsica";

import {
  expectedFailures,
  loadVectors,
  nativeEval,
  recordedScenarios,
  subsetMismatches,
  withoutIdna,
} from "./helpers.mjs";

const vectors = loadVectors();
const native = nativeEval(vectors.map((v) => v.vector));
const failures = expectedFailures();
// The vectors the package answers differently for want of IDNA tables (without-idna.txt): each
// must differ from the native engine and miss its expected subset; idna.test.mjs checks how.
const idnaless = withoutIdna();

test("the vectors are there", () => {
  assert.ok(vectors.length >= 600, `only ${vectors.length} vectors`);
});

for (const file of [...new Set(vectors.map((v) => v.file))]) {
  test(`${file}: evaluate() gives the native output, field for field, and the expected subset`, () => {
    const problems = [];
    vectors.forEach(({ file: f, vector }, i) => {
      if (f !== file) return;
      let output;
      try {
        output = evaluate(vector);
      } catch (error) {
        problems.push(`${vector.id}: threw ${error}`);
        return;
      }
      const mismatches = subsetMismatches(vector.expected ?? {}, output);
      if (idnaless.has(vector.id)) {
        if (isDeepStrictEqual(output, native[i]) || mismatches.length === 0) {
          problems.push(`${vector.id}: agrees with the native engine but is in without-idna.txt`);
        }
        return;
      }
      try {
        assert.deepStrictEqual(output, native[i]);
      } catch (error) {
        problems.push(`${vector.id}: differs from the native engine\n${error.message}`);
      }
      if (failures.has(vector.id)) {
        if (mismatches.length === 0) problems.push(`${vector.id}: passes but is in expected-failures.txt`);
      } else if (mismatches.length > 0) {
        problems.push(`${vector.id}: ${mismatches.join("; ")}`);
      }
    });
    assert.deepEqual(problems, []);
  });
}

test("evaluateMany() on every vector at once gives the same outputs", () => {
  const outputs = evaluateMany(vectors.map((v) => v.vector));
  assert.equal(outputs.length, vectors.length);
  outputs.forEach((output, i) => {
    const { id } = vectors[i].vector;
    assert.deepStrictEqual(output, idnaless.has(id) ? evaluate(vectors[i].vector) : native[i], id);
  });
});

const recorded = recordedScenarios();
test(
  `recorded browser corpora (${recorded.length} scenarios): the native output, field for field`,
  { skip: recorded.length === 0 && "no recorded corpus in spec-tests/recorded" },
  () => {
    const expected = nativeEval(recorded.map((r) => r.scenario));
    const problems = [];
    recorded.forEach(({ id, scenario }, i) => {
      let output;
      try {
        output = evaluate(scenario);
      } catch (error) {
        // The input is refused: natively too, at the same field.
        if (!expected[i].input_error) problems.push(`${id}: threw ${error}`);
        else if (error.path !== expected[i].input_error.path) {
          problems.push(`${id}: refused at ${error.path}, natively at ${expected[i].input_error.path}`);
        }
        return;
      }
      try {
        assert.deepStrictEqual(output, expected[i]);
      } catch (error) {
        problems.push(`${id}: differs from the native engine\n${error.message}`);
      }
    });
    assert.deepEqual(problems, []);
  },
);
