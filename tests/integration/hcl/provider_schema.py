"""Checks every alicloud resource and data block of a module against the provider's own schema.

The schema (alicloud_provider_schema.json beside this file) is extracted from the provider's Go source at a
pinned release by extract_alicloud_schema.py; its "version" and "commit" say which. For each block: the type is
known, every argument and nested block exists, none is deprecated or removed, and every required argument is
set. Meta-arguments (count, for_each, depends_on, lifecycle, provider) are Terraform's, not the provider's.
"""
import json
import os
import re

META = {"count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"}


def load():
    here = os.path.dirname(os.path.abspath(__file__))
    return json.load(open(os.path.join(here, "alicloud_provider_schema.json")))


def block_problems(where, body, schema):
    out = []
    for arg, value in body.items():
        if arg in META:
            continue
        spec = schema.get(arg)
        if spec is None:
            out.append(f"{where}.{arg}: no such argument")
            continue
        if spec.get("deprecated") or spec.get("removed"):
            out.append(f"{where}.{arg}: deprecated ({spec.get('deprecated') or spec.get('removed')})")
        if not (spec["optional"] or spec["required"]):
            out.append(f"{where}.{arg}: computed only, cannot be set")
        if "block" in spec and isinstance(value, list):
            for inner in value:
                if isinstance(inner, dict):
                    out += block_problems(f"{where}.{arg}", inner, spec["block"])
    out += [f"{where}: required argument {a} missing" for a, s in schema.items() if s["required"] and a not in body]
    return out


def problems(files, schema=None):
    """files: {path: hcl2json document}. Returns (number of blocks checked, list of problems)."""
    schema = schema or load()
    checked, out = 0, []
    for doc in files.values():
        for kind, table in (("resource", schema["resources"]), ("data", schema["data"])):
            for rtype, byname in doc.get(kind, {}).items():
                if not rtype.startswith("alicloud_"):
                    continue
                for name, blocks in byname.items():
                    checked += 1
                    where = f"{'data.' if kind == 'data' else ''}{rtype}.{name}"
                    if rtype not in table:
                        out.append(f"{where}: type not in the provider schema extract (add it to "
                                   "extract_alicloud_schema.py)")
                        continue
                    out += block_problems(where, blocks[0], table[rtype])
    return checked, out


def name_problems(pattern, suffixes, provider_rules):
    """Every name the module's `name` validation accepts must, with each suffix the module appends, pass the
    provider's (RAM's) rule. provider_rules: {suffix: (regex, max_len)}. Tried on every printable ASCII
    character in each position class and on the longest accepted name."""
    out = []
    probes = ["a" + chr(c) + "b" for c in range(0x21, 0x7f)] + ["a" + "b" * 200]
    accepted = [p for p in probes if re.fullmatch(pattern, p)]
    longest = max((len(p) for p in accepted), default=0)
    m = re.search(r"\{\d+,(\d+)\}", pattern)
    if m:
        accepted.append("a" + "b" * int(m.group(1)))
    for name in accepted:
        for suffix in suffixes:
            regex, max_len = provider_rules[suffix]
            full = name + suffix
            if not re.fullmatch(regex, full) or len(full) > max_len:
                out.append(f"name {name!r} passes the module's validation but {full!r} is refused by RAM")
    return longest, out
