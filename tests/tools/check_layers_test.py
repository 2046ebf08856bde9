#!/usr/bin/env python3
"""check_layers.py on small trees built in a temporary directory: a clean tree passes, each kind of forbidden
edge fails with its file and line, and the real tree passes."""
import pathlib
import subprocess
import sys
import tempfile

SCRIPT = pathlib.Path(__file__).resolve().parent / "check_layers.py"
REPO = pathlib.Path(__file__).resolve().parents[2]


def run(root):
    p = subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def tree(files):
    d = tempfile.TemporaryDirectory()
    root = pathlib.Path(d.name)
    for rel, text in {"src/.keep": "", "include/.keep": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return d, root


def expect(files, code, needle=None):
    d, root = tree(files)
    with d:
        rc, out = run(root)
    assert rc == code, f"{files}: exit {rc}, expected {code}\n{out}"
    if needle:
        assert needle in out, f"{files}: '{needle}' not in\n{out}"


def main():
    ok = '#include "certman/core/result.hpp"\n#include "certman/version.hpp"\n'
    expect({"src/storage/a.cpp": ok, "include/certman/app/b.hpp": '#include "certman/deploy/x.hpp"\n'}, 0)
    # the edges docs/architecture.md forbids first: storage and deploy must not include app
    expect({"include/certman/storage/oss_storage.hpp": ok + '#include "certman/app/config.hpp"\n'}, 1,
           "include/certman/storage/oss_storage.hpp:3: storage -> app")
    expect({"src/storage/oss/oss_credentials.hpp": '  #  include "certman/app/config.hpp"\n'}, 1,
           "src/storage/oss/oss_credentials.hpp:1: storage -> app")
    expect({"src/deploy/d.cpp": '#include "certman/app/config.hpp"\n'}, 1, "deploy -> app")
    # a pure layer reaching up, and an unknown layer
    expect({"src/core/c.cpp": '#include "certman/net/server.hpp"\n'}, 1, "core -> net")
    expect({"src/widgets/w.cpp": ok}, 1, "unknown layer 'widgets'")
    # commented-out or system includes are not edges
    expect({"src/core/c.cpp": '// #include "certman/app/config.hpp"\n#include <certman/app/x.hpp>\n'}, 0)
    rc, out = run(REPO)
    assert rc == 0, f"the repository itself breaks the layer rule:\n{out}"
    print("check_layers_test: ok")


if __name__ == "__main__":
    main()
