#!/usr/bin/env python3
"""The response schemas of BitGo's OpenAPI file, as JSON Schema (draft 4), for orgbox to check
answers against: its fidelity test (tests/api/fidelity/) and `PUT /sandbox/stubs`.

  schemas.py [SPEC]     writes src/bitgo/openapi_schemas.json

The extract holds, for every operation, each documented status with the schema of its
`application/json` content (null when the status documents no JSON body), and the component
schemas those reference (closure), under `definitions`. It drops what validation never reads
(descriptions, examples, titles, `x-` extensions, `discriminator`) and turns OpenAPI 3.0's
`nullable: true` into JSON Schema (`type: [T, "null"]`, or `anyOf` with null). References
`#/components/schemas/X` become `#/definitions/X`. One entry a line, so a diff shows which
operation or schema changed.

SPEC defaults to ../shared/spec/bitgo-openapi.yaml (or $BITGO_OPENAPI), like routes.py.
"""
import json
import os
import sys

from routes import DEFAULT_SPEC, METHODS, ROOT

OUT = os.path.join(ROOT, "src", "bitgo", "openapi_schemas.json")
DROP = {"description", "example", "examples", "externalDocs", "xml", "title", "deprecated",
        "readOnly", "writeOnly", "discriminator"}
COMPONENT = "#/components/schemas/"


def clean(node):
    """`node` as draft-4 JSON Schema, without what validation never reads."""
    if isinstance(node, list):
        return [clean(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in DROP or key.startswith("x-"):
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith(COMPONENT):
            value = "#/definitions/" + value[len(COMPONENT):]
        # `properties` maps names to schemas: a property may be called "description".
        out[key] = {k: clean(v) for k, v in value.items()} if key == "properties" else clean(value)
    if out.pop("nullable", False):
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
            if "enum" in out:
                out["enum"] = out["enum"] + [None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def references(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[-1])
            else:
                references(value, found)
    elif isinstance(node, list):
        for x in node:
            references(x, found)


def extract(spec):
    components = spec["components"]
    operations = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            statuses = {}
            for status, response in (op.get("responses") or {}).items():
                if "$ref" in response:
                    response = components["responses"][response["$ref"].rsplit("/", 1)[-1]]
                content = (response.get("content") or {}).get("application/json")
                statuses[str(status)] = clean(content["schema"]) if content and "schema" in content else None
            operations[f"{method.upper()} {path}"] = statuses
    todo, seen = set(), set()
    references(operations, todo)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        references(components["schemas"][name], todo)
    definitions = {name: clean(components["schemas"][name]) for name in sorted(seen)}
    return operations, definitions


def dump(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str, sort_keys=False)


def write(operations, definitions):
    lines = ['{"operations":{']
    ops = sorted(operations.items(), key=lambda kv: (kv[0].split(" ", 1)[1], kv[0]))
    lines += [f"{dump(k)}:{dump(v)}," for k, v in ops]
    lines[-1] = lines[-1].rstrip(",")
    lines.append('},"definitions":{')
    lines += [f"{dump(k)}:{dump(v)}," for k, v in definitions.items()]
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}}")
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(operations)} operations and {len(definitions)} schemas to "
          f"{os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes)")


def main(argv):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(argv[1] if len(argv) > 1 else DEFAULT_SPEC) as f:
        spec = yaml.load(f, Loader=loader)
    write(*extract(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
