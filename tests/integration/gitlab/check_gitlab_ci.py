#!/usr/bin/env python3
"""Checks a GitLab CI file the way GitLab does before it creates a pipeline.

1. GitLab's published JSON schema (ci.schema.json beside this file, see SOURCE.md), draft-07.
2. GitLab's reserved top-level names (lib/gitlab/ci/config/entry/root.rb): a key with one of these names is read
   as global configuration, never as a job, so `image:` holding `stage:`/`script:` is no job and every
   `needs: [image]` points at nothing.
3. References the schema cannot see: every `needs`/`dependencies` names a job, every `extends` a key, every
   job's stage is declared.
Usage: check_gitlab_ci.py FILE.  Exit 0 when clean, 1 with one line per problem otherwise.
"""
import json
import os
import sys

import jsonschema
import yaml

RESERVED = {"include", "before_script", "image", "services", "after_script", "variables", "stages", "cache"}
GLOBAL = RESERVED | {"default", "workflow", "spec"}
DEFAULT_STAGES = [".pre", "build", "test", "deploy", ".post"]


def jobs_of(doc):
    return {k: v for k, v in doc.items() if k not in GLOBAL and not k.startswith(".")}


def problems(doc):
    here = os.path.dirname(os.path.abspath(__file__))
    schema = json.load(open(os.path.join(here, "ci.schema.json"), encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(root)"
        yield f"schema: {where}: {err.message[:300]}"
    for key, value in doc.items():
        if key in RESERVED and isinstance(value, dict) and ({"script", "stage", "needs", "extends"} & value.keys()):
            yield f"reserved: '{key}' is a GitLab keyword and cannot name a job"
    jobs = jobs_of(doc)
    stages = [".pre"] + doc.get("stages", DEFAULT_STAGES[1:-1]) + [".post"]
    for name, job in jobs.items():
        if not isinstance(job, dict):
            continue
        if job.get("stage", "test") not in stages:
            yield f"stage: job '{name}' uses undeclared stage '{job.get('stage')}'"
        parents = job.get("extends", [])
        for parent in [parents] if isinstance(parents, str) else parents:
            if parent not in doc:
                yield f"extends: job '{name}' extends unknown '{parent}'"
        for key in ("needs", "dependencies"):
            for need in job.get(key, []) or []:
                target = need.get("job") if isinstance(need, dict) else need
                if target not in jobs:
                    yield f"{key}: job '{name}' needs '{target}', which is not a job"


def main(path):
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    found = list(problems(doc))
    for p in found:
        print(p)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
