#!/usr/bin/env python3
"""Extracts the argument schema of the alicloud resources the module uses from the provider's Go source.

Usage: extract_alicloud_schema.py PROVIDER_GIT_DIR TAG > alicloud_provider_schema.json
Reads alicloud/resource_alicloud_<type>.go (data sources: data_source_alicloud_<type>.go) at TAG with
`git show` and records, for every argument of the resource's `Schema: map[string]*schema.Schema{...}` (nested
blocks through `Elem: &schema.Resource{Schema: ...}`): required, optional, computed, deprecated message,
removed message. The provider cannot be downloaded here, so terraform_check.py checks the module against this.
"""
import json
import re
import subprocess
import sys

RESOURCES = ["instance", "ecs_ram_role_attachment", "ram_role", "ram_policy", "ram_role_policy_attachment",
             "slb_server_group", "slb_server_group_server_attachment", "slb_listener", "slb_rule",
             "slb_server_certificate", "security_group", "security_group_rule", "ecs_command", "ecs_invocation",
             "ecs_disk", "ecs_disk_attachment"]
DATA_SOURCES = ["account", "vswitches"]
SCHEMA_OPEN = "Schema: map[string]*schema.Schema{"


def match_brace(text, i):
    """Index of the '}' closing the '{' at text[i], skipping Go strings and comments."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif c == "`":
            i = text.index("`", i + 1)
        elif text.startswith("//", i):
            i = text.index("\n", i)
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced braces")


def top_level(body):
    """(key, text) of each `"key": {...}` entry directly inside a schema map body."""
    out, i = [], 0
    for m in re.finditer(r'\n\t*"([a-z0-9_]+)":\s*(\{|[A-Za-z_.]+\([^)]*\),)', body):
        if m.start() < i:
            continue
        if m.group(2) != "{":  # a helper such as tagsSchema(): an optional argument defined elsewhere
            out.append((m.group(1), "Optional: true, Computed: true // " + m.group(2)))
            i = m.end()
            continue
        open_at = m.end() - 1
        close = match_brace(body, open_at)
        out.append((m.group(1), body[open_at + 1:close]))
        i = close
    return out


def strip_nested(text):
    """The text with every nested {...} removed, so flags of nested blocks are not read as the argument's."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "{":
            i = match_brace(text, i) + 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def parse_schema(body):
    args = {}
    for key, text in top_level(body):
        flat = strip_nested(text)
        dep = re.search(r'\bDeprecated:\s*("(?:[^"\\]|\\.)*"|`[^`]*`|[A-Za-z_.]+)', flat)
        rem = re.search(r'\bRemoved:\s*("(?:[^"\\]|\\.)*"|`[^`]*`)', flat)
        arg = {"required": bool(re.search(r"\bRequired:\s*true", flat)),
               "optional": bool(re.search(r"\bOptional:\s*true", flat)),
               "computed": bool(re.search(r"\bComputed:\s*true", flat)),
               "deprecated": dep.group(1).strip('"`') if dep else None,
               "removed": rem.group(1).strip('"`') if rem else None}
        nested = text.find("Elem: &schema.Resource{")
        if nested >= 0:
            inner = text.find(SCHEMA_OPEN, nested)
            if inner >= 0:
                open_at = inner + len(SCHEMA_OPEN) - 1
                arg["block"] = parse_schema(text[open_at + 1:match_brace(text, open_at)])
        args[key] = arg
    return args


def extract(gitdir, tag, path):
    src = subprocess.run(["git", "--git-dir", gitdir, "show", f"{tag}:{path}"], check=True,
                         capture_output=True, text=True).stdout
    at = src.index(SCHEMA_OPEN)
    open_at = at + len(SCHEMA_OPEN) - 1
    return parse_schema(src[open_at + 1:match_brace(src, open_at)])


def main(gitdir, tag):
    commit = subprocess.run(["git", "--git-dir", gitdir, "rev-parse", f"{tag}^{{commit}}"], check=True,
                            capture_output=True, text=True).stdout.strip()
    out = {"provider": "aliyun/alicloud", "version": tag.lstrip("v"), "commit": commit,
           "source": "github.com/aliyun/terraform-provider-alicloud alicloud/*.go", "resources": {}, "data": {}}
    for r in RESOURCES:
        out["resources"][f"alicloud_{r}"] = extract(gitdir, tag, f"alicloud/resource_alicloud_{r}.go")
    for d in DATA_SOURCES:
        out["data"][f"alicloud_{d}"] = extract(gitdir, tag, f"alicloud/data_source_alicloud_{d}.go")
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
