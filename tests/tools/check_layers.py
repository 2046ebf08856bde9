#!/usr/bin/env python3
"""Enforces the layer rule of docs/architecture.md over every `#include "certman/<layer>/..."` line.

A file belongs to the layer of its folder: src/<layer>/... or include/certman/<layer>/... . An include of
"certman/<other>/..." is allowed when <other> is the file's own layer or one ALLOWED lists for it; headers
directly under certman/ (the generated certman/version.hpp) are open to every layer. Anything else is a
forbidden edge: the script prints one line per offending include (file:line: layer -> other) and exits 1.

Usage: check_layers.py [ROOT]   (ROOT defaults to the repository holding this script)
"""
import pathlib
import re
import sys

# layer -> the layers it may include besides itself. Keep in step with the table in docs/architecture.md.
ALLOWED = {
    "core": set(),
    "crypto": {"core"},
    "jose": {"core", "crypto"},
    "policy": {"core"},
    "net": {"core"},
    "acme": {"core", "jose", "crypto", "net"},
    "cloud": {"core", "net"},
    "storage": {"core", "net", "cloud"},
    "challenge": {"core", "net", "storage", "cloud", "acme"},
    "deploy": {"core", "crypto", "net", "cloud", "storage"},
    "app": {"core", "crypto", "jose", "policy", "net", "acme", "cloud", "storage", "challenge", "deploy"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*"certman/([^"]+)"')
SOURCES = (".cpp", ".hpp", ".h", ".ipp")


def layer_of(root: pathlib.Path, path: pathlib.Path):
    rel = path.relative_to(root).parts
    if rel[0] == "src" and len(rel) > 2:
        return rel[1]
    if rel[:2] == ("include", "certman") and len(rel) > 3:
        return rel[2]
    return None


def violations(root: pathlib.Path):
    """Yields "file:line: from -> to (include)" for each forbidden edge under root/src and root/include."""
    for top in ("src", "include"):
        for path in sorted((root / top).rglob("*")):
            if path.suffix not in SOURCES or not path.is_file():
                continue
            layer = layer_of(root, path)
            if layer is None:
                continue
            rel = path.relative_to(root)
            if layer not in ALLOWED:
                yield f"{rel}:1: unknown layer '{layer}' (add it to ALLOWED and docs/architecture.md)"
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                parts = m.group(1).split("/")
                if len(parts) == 1:  # certman/version.hpp
                    continue
                target = parts[0]
                if target != layer and target not in ALLOWED[layer]:
                    yield f"{rel}:{n}: {layer} -> {target} (#include \"certman/{m.group(1)}\") is not allowed"


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else pathlib.Path(__file__).resolve().parents[2]).resolve()
    if not (root / "src").is_dir() or not (root / "include").is_dir():
        print(f"check_layers: {root} has no src/ and include/", file=sys.stderr)
        return 2
    bad = list(violations(root))
    for v in bad:
        print(v)
    if bad:
        print(f"check_layers: {len(bad)} forbidden include(s); the rule is in docs/architecture.md", file=sys.stderr)
        return 1
    print("check_layers: every certman/ include follows docs/architecture.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
