#!/usr/bin/env python3
"""Writes ExplicitNulls.swift for the generated API types (scripts/generate-api).

swift-openapi-generator turns a required, nullable property into a Swift optional, and the synthesised Encodable
leaves a nil key out. openapi.json promises the key with `null`. For every generated struct with such a property this
writes an `encode(to:)` that writes each required property (nil as `null`) and leaves out only optional ones, so the
wire keeps what the document says. Usage: api-explicit-nulls.py openapi.json Types+Components+Schemas.swift > out
"""
import json
import re
import sys

document = json.load(open(sys.argv[1]))
generated = open(sys.argv[2]).read().splitlines()
schemas = document["components"]["schemas"]


def resolve(schema):
    """The object schema behind references, allOf wrappers and array items."""
    seen = 0
    while isinstance(schema, dict) and seen < 20:
        seen += 1
        if "$ref" in schema:
            schema = schemas[schema["$ref"].split("/")[-1]]
        elif "properties" in schema:
            return schema
        elif "items" in schema:
            schema = schema["items"]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return None
    return None


def nullable(schema):
    if "$ref" in schema:
        return nullable(schemas[schema["$ref"].split("/")[-1]])
    t = schema.get("type")
    alternatives = schema.get("oneOf", []) + schema.get("anyOf", [])
    return bool(
        schema.get("nullable") or (isinstance(t, list) and "null" in t)
        or any(a.get("type") == "null" for a in alternatives))


# Structs of the generated file: qualified name, parent, properties (Swift name -> type), coding keys (Swift -> JSON).
structs = []
stack = []  # (name, depth, struct record or None)
depth = 0
remark = None
in_keys = None
for line in generated:
    text = line.strip()
    if text.startswith("///"):
        m = re.search(r"Generated from `(#/[^`]*)`", text)
        if m:
            remark = m.group(1)
        continue
    m = re.match(r"(?:@frozen )?package (struct|enum) (\w+)\b.*\{$", text) or re.match(r"(extension) (\w+) \{$", text)
    if m:
        qualified = ".".join([s[0] for s in stack] + [m.group(2)])
        record = None
        if m.group(1) == "struct":
            parent = next((s[2] for s in reversed(stack) if s[2] is not None), None)
            record = {"name": qualified, "short": m.group(2), "remark": remark, "parent": parent,
                      "properties": {}, "keys": {}, "aliases": {}, "encodes": False}
            structs.append(record)
        if m.group(2) == "CodingKeys" and stack and stack[-1][2] is not None:
            in_keys = stack[-1][2]
        stack.append((m.group(2), depth, record))
        depth += text.count("{") - text.count("}")
        remark = None
        continue
    owner = stack[-1][2] if stack else None
    m = re.match(r"package var (\w+): (.+)$", text)
    if m and owner is not None and depth == stack[-1][1] + 1:
        owner["properties"][m.group(1)] = m.group(2)
    m = re.match(r"package typealias (\w+) = (.+)$", text)
    if m and owner is not None:
        owner["aliases"][m.group(1)] = m.group(2)
    if "func encode(to encoder" in text and owner is not None and depth == stack[-1][1] + 1:
        owner["encodes"] = True
    if in_keys is not None and stack and stack[-1][0] == "CodingKeys":
        m = re.match(r'case (`?\w+`?)(?: = "([^"]*)")?$', text)
        if m:
            swift = m.group(1).strip("`")
            in_keys["keys"][swift] = m.group(2) or swift
    depth += text.count("{") - text.count("}")
    while stack and depth <= stack[-1][1]:
        if stack[-1][0] == "CodingKeys":
            in_keys = None
        stack.pop()


def schema_of(record):
    name = record["name"]
    if name.startswith("Components.Schemas.") and name.count(".") == 2:
        key = record["remark"].split("/")[-1] if record["remark"] else None
        return resolve(schemas.get(key, {}))
    parent = record["parent"]
    if parent is None:
        return None
    parent_schema = schema_of(parent)
    if parent_schema is None:
        return None
    for swift, type_name in parent["properties"].items():
        alias = type_name.rstrip("?").split(".")[-1]
        type_name += " " + parent["aliases"].get(alias, "")
        if re.search(r"\b" + re.escape(record["short"]) + r"\b", type_name):
            json_name = parent["keys"].get(swift, swift)
            return resolve(parent_schema["properties"].get(json_name, {}))
    return None


def required_nullable(node, found, seen_refs=()):
    """Every (object, property) in the document that must be written as null rather than left out."""
    if isinstance(node, dict):
        if "properties" in node:
            required = set(node.get("required", []))
            for name, prop in node["properties"].items():
                if name in required and isinstance(prop, dict) and nullable(prop):
                    found.add((id(node), name))
        for key, value in node.items():
            if key != "$ref":
                required_nullable(value, found)
    elif isinstance(node, list):
        for value in node:
            required_nullable(value, found)
    return found


expected = len(required_nullable(document, set()))
emitted = 0

out = [
    "// swift-format-ignore-file",
    "// Generated by scripts/api-explicit-nulls.py from openapi.json: do not edit; run scripts/generate-api.",
    "",
    "package import OpenAPIRuntime",
    "",
]
failures = []
for record in structs:
    if not record["keys"] or not any(t.endswith("?") for t in record["properties"].values()):
        continue
    schema = schema_of(record)
    if schema is None:
        failures.append(f"{record['name']}: cannot find its schema to tell required fields from optional ones")
        continue
    required = set(schema.get("required", []))
    props = schema.get("properties", {})
    explicit = [
        s for s, j in record["keys"].items()
        if j in required and j in props and nullable(props[j]) and record["properties"].get(s, "").endswith("?")
    ]
    if not explicit:
        continue
    emitted += len(explicit)
    if record["encodes"]:
        failures.append(f"{record['name']}: has its own encode(to:) and a required nullable field")
        continue
    out.append(f"extension {record['name']} {{")
    out.append("    package func encode(to encoder: any Swift.Encoder) throws {")
    out.append("        var container = encoder.container(keyedBy: CodingKeys.self)")
    for swift, json_name in record["keys"].items():
        optional = record["properties"].get(swift, "").endswith("?")
        call = "encodeIfPresent" if optional and json_name not in required else "encode"
        out.append(f"        try container.{call}(self.{swift}, forKey: .{swift})")
    out.append("    }")
    out.append("}")
    out.append("")

if emitted != expected:
    failures.append(
        f"the document has {expected} required nullable properties, but only {emitted} are written as null: "
        "one sits in a type this script does not find (an inline path schema, or a new generator output)")
if failures:
    sys.exit("api-explicit-nulls: " + "; ".join(failures))
print("\n".join(out).rstrip("\n"))
