#!/usr/bin/env python3
"""Check the conformance vectors in spec-tests/vectors/ (standard library only).

- every file is a JSON array of comment strings and vector objects;
- every vector has a unique `id` of the form `<file stem>/<short-name>`, a `source` and an
  `expected`;
- every vector validates against schema/scenario.schema.json (draft 2020-12);
- `expected` fits the scenario: `results` with one entry per request for `requests`, none for
  `request`;
- every `expected.error.kind` is an `ErrorKind` of crates/corsica/src/error.rs.

The schema is checked with the `jsonschema` package when it is installed, and otherwise (or with
`--mini`) with the small draft-2020-12 subset validator below, which covers every keyword the two
schemas use.

Usage: python3 spec-tests/check_vectors.py [--mini] [-v]
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "vectors")
SCHEMA = os.path.join(HERE, "schema", "scenario.schema.json")
OUTPUT_SCHEMA = os.path.join(HERE, "schema", "output.schema.json")
ERROR_RS = os.path.join(HERE, "..", "crates", "corsica", "src", "error.rs")
FORMAT_MD = os.path.join(HERE, "..", "..", "shared", "scenario-format.md")

ID_RE = re.compile(r"^([a-z0-9-]+)/[A-Za-z0-9._+-]+$")


# --- a small draft 2020-12 validator (the keywords the schemas use) ----------------------------

class MiniValidator:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("only local $ref is supported: " + ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    @staticmethod
    def type_ok(value, t):
        if t == "object":
            return isinstance(value, dict)
        if t == "array":
            return isinstance(value, list)
        if t == "string":
            return isinstance(value, str)
        if t == "boolean":
            return isinstance(value, bool)
        if t == "null":
            return value is None
        if t == "integer":
            return isinstance(value, int) and not isinstance(value, bool) or (
                isinstance(value, float) and value.is_integer())
        if t == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        raise ValueError("unknown type " + t)

    def errors(self, value, schema, path="$"):
        """Yields (path, message) for every failure."""
        if schema is True:
            return
        if schema is False:
            yield path, "no value is allowed here"
            return
        if "$ref" in schema:
            yield from self.errors(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(self.type_ok(value, t) for t in types):
                yield path, "expected type %s, got %s" % ("/".join(types), json.dumps(value)[:60])
                return
        if "enum" in schema and value not in schema["enum"]:
            yield path, "%s is not one of %s" % (json.dumps(value), schema["enum"])
        if "const" in schema and value != schema["const"]:
            yield path, "expected %s" % json.dumps(schema["const"])
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                yield path, "shorter than %d" % schema["minLength"]
            if "pattern" in schema and not re.search(schema["pattern"], value):
                yield path, "%s does not match %s" % (json.dumps(value), schema["pattern"])
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                yield path, "below %s" % schema["minimum"]
            if "maximum" in schema and value > schema["maximum"]:
                yield path, "above %s" % schema["maximum"]
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for name in schema.get("required", []):
                if name not in value:
                    yield path, "missing required field %r" % name
            for name, item in value.items():
                if name in props:
                    yield from self.errors(item, props[name], "%s.%s" % (path, name))
                elif "additionalProperties" in schema:
                    extra = schema["additionalProperties"]
                    if extra is False:
                        yield "%s.%s" % (path, name), "unknown field %r" % name
                    else:
                        yield from self.errors(item, extra, "%s.%s" % (path, name))
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                yield path, "fewer than %d items" % schema["minItems"]
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                yield path, "more than %d items" % schema["maxItems"]
            prefix = schema.get("prefixItems", [])
            for i, item in enumerate(value):
                sub = "%s[%d]" % (path, i)
                if i < len(prefix):
                    yield from self.errors(item, prefix[i], sub)
                elif "items" in schema:
                    yield from self.errors(item, schema["items"], sub)
        for sub in schema.get("allOf", []):
            yield from self.errors(value, sub, path)
        if "anyOf" in schema:
            if not any(self.valid(value, s) for s in schema["anyOf"]):
                yield path, "matches none of anyOf"
        if "oneOf" in schema:
            results = [list(self.errors(value, s, path)) for s in schema["oneOf"]]
            passing = sum(1 for r in results if not r)
            if passing != 1:
                if passing == 0:
                    best = min(results, key=len)
                    yield from best
                    yield path, "matches none of oneOf"
                else:
                    yield path, "matches %d branches of oneOf" % passing
        if "not" in schema and self.valid(value, schema["not"]):
            yield path, "matches a `not` schema"
        if "if" in schema:
            if self.valid(value, schema["if"]):
                if "then" in schema:
                    yield from self.errors(value, schema["then"], path)
            elif "else" in schema:
                yield from self.errors(value, schema["else"], path)

    def valid(self, value, schema):
        for _ in self.errors(value, schema):
            return False
        return True


def make_validator(schema, force_mini):
    if not force_mini:
        try:
            import jsonschema  # noqa: F401
        except ImportError:
            print("note: the `jsonschema` package is not installed (pip install jsonschema); "
                  "using the built-in draft-2020-12 subset validator instead")
        else:
            jsonschema.Draft202012Validator.check_schema(schema)
            v = jsonschema.Draft202012Validator(schema)

            def check(value):
                return ["%s: %s" % ("$" + "".join("[%r]" % p for p in e.absolute_path), e.message)
                        for e in v.iter_errors(value)]
            return "jsonschema package", check
    mini = MiniValidator(schema)

    def check(value):
        return ["%s: %s" % (p, m) for p, m in mini.errors(value, schema)]
    return "built-in subset validator", check


def error_kinds():
    """The ErrorKind names declared in crates/corsica/src/error.rs, or None."""
    try:
        src = open(ERROR_RS, encoding="utf-8").read()
    except OSError:
        return None
    start = src.find("error_kinds! {")
    if start < 0:
        return None
    body = src[start:src.index("\n}\n", start)]
    return set(re.findall(r"^\s+(\w+) => \w+,", body, re.M))


def walk_errors(expected):
    if not isinstance(expected, dict):
        return
    if isinstance(expected.get("error"), dict):
        yield expected["error"]
    for result in expected.get("results", []) or []:
        yield from walk_errors(result)


def main(argv):
    force_mini = "--mini" in argv
    verbose = "-v" in argv
    failures = []
    schema = json.load(open(SCHEMA, encoding="utf-8"))
    json.load(open(OUTPUT_SCHEMA, encoding="utf-8"))
    how, check = make_validator(schema, force_mini)
    kinds = error_kinds()
    if kinds is not None:
        enum = set(schema["$defs"]["expectedError"]["properties"]["kind"]["enum"])
        if enum != kinds:
            print("warning: the schema's error kinds differ from error.rs: only in the schema %s, "
                  "only in error.rs %s" % (sorted(enum - kinds), sorted(kinds - enum)))

    # The example in shared/scenario-format.md must be a valid scenario.
    if os.path.exists(FORMAT_MD):
        text = open(FORMAT_MD, encoding="utf-8").read()
        blocks = re.findall(r"```json\n(.*?)```", text, re.S)
        if blocks:
            example = json.loads(blocks[0])
            for e in check(example):
                failures.append("scenario-format.md input example: " + e)

    seen = {}
    total = 0
    for name in sorted(os.listdir(VECTORS)):
        if not name.endswith(".json"):
            continue
        stem = name[:-5]
        path = os.path.join(VECTORS, name)
        try:
            data = json.load(open(path, encoding="utf-8"))
        except ValueError as e:
            failures.append("%s: not valid JSON: %s" % (name, e))
            continue
        if not isinstance(data, list):
            failures.append("%s: not a JSON array" % name)
            continue
        count = 0
        for index, item in enumerate(data):
            if isinstance(item, str):
                continue
            where = "%s[%d]" % (name, index)
            if not isinstance(item, dict):
                failures.append("%s: neither a comment string nor a vector object" % where)
                continue
            count += 1
            vid = item.get("id")
            if not isinstance(vid, str):
                failures.append("%s: no id" % where)
                continue
            where = "%s (%s)" % (vid, name)
            m = ID_RE.match(vid)
            if not m or m.group(1) != stem:
                failures.append("%s: the id must be '%s/<short-name>'" % (where, stem))
            if vid in seen:
                failures.append("%s: duplicate id (also in %s)" % (where, seen[vid]))
            seen[vid] = name
            for field in ("source", "expected"):
                if field not in item:
                    failures.append("%s: no %s" % (where, field))
            for e in check(item):
                failures.append("%s: %s" % (where, e))
            expected = item.get("expected")
            if isinstance(expected, dict):
                if "requests" in item:
                    results = expected.get("results")
                    if not isinstance(results, list) or len(results) != len(item["requests"]):
                        failures.append("%s: expected.results needs one entry per request" % where)
                elif "results" in expected:
                    failures.append("%s: expected.results given for a single request" % where)
                for error in walk_errors(expected):
                    if kinds is not None and "kind" in error and error["kind"] not in kinds:
                        failures.append("%s: unknown error kind %r" % (where, error.get("kind")))
                    if error.get("kind") and "fix" in error:
                        failures.append("%s: do not check `fix` (free prose)" % where)
        total += count
        if verbose:
            print("%-28s %4d vectors" % (name, count))
    for f in failures:
        print("FAIL " + f)
    print("%d vectors in %d files checked with the %s: %s" % (
        total, len(set(seen.values())), how, "%d failures" % len(failures) if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
