#!/usr/bin/env python3
"""Renders a template of terraform/modules/certman/templates/ the way templatefile() would, so the tests can
feed the result to `certman check-config`, a shell or a YAML parser without Terraform. Supports what those
templates use: ${name}, ${jsonencode(name)}, ${base64encode(name)}, and the line directives
%{ if name ~} / %{ if name == "" ~} / %{ if name != "" ~} / %{ else ~} / %{ endif ~}.
When terraform is on the machine, test_deploy_templates.sh compares this rendering with templatefile()'s own.
Usage: render_tftpl.py TEMPLATE dir|oss [name=JSON ...]   (each name=JSON sets or overrides one value)"""
import base64
import json
import re
import sys


def render(text, values):
    out, keep = [], [True]
    for line in text.splitlines():
        m = re.fullmatch(r'%\{ if (\w+)(?: (==|!=) "")? ~\}', line.strip())
        if m:
            v = values[m.group(1)]
            cond = bool(v) if m.group(2) is None else (v == "") == (m.group(2) == "==")
            keep.append(keep[-1] and cond)
            continue
        if line.strip() == "%{ else ~}":
            cond = keep.pop()
            keep.append(keep[-1] and not cond)
            continue
        if line.strip() == "%{ endif ~}":
            keep.pop()
            continue
        if not keep[-1]:
            continue
        line = re.sub(r"\$\{jsonencode\((\w+)\)\}", lambda m: json.dumps(values[m.group(1)], separators=(",", ":")), line)
        line = re.sub(r"\$\{base64encode\((\w+)\)\}",
                      lambda m: base64.b64encode(str(values[m.group(1)]).encode()).decode(), line)
        out.append(re.sub(r"\$\{(\w+)\}", lambda m: str(values[m.group(1)]), line))
    result = "\n".join(out) + ("\n" if text.endswith("\n") else "")
    assert "${" not in result and "%{" not in result, "unrendered template syntax"
    return result


def main(argv):
    values = {
        "domains": ["www.my-sample-domain.xyz", "my-sample-domain.xyz"],
        "acme_email": "ops@my-sample-domain.xyz",
        "acme_directory": "https://acme-staging-v02.api.letsencrypt.org/directory",
        "region": "cn-hangzhou",
        "load_balancer_id": "lb-bp1example0000000000",
        "https_port": 443,
        "oss_bucket": "my-sample-certman" if argv[2] == "oss" else "",
        "oss_prefix": "certman/production/",
        "oss_endpoint": "https://oss-cn-hangzhou-internal.aliyuncs.com",
        "alidns_zone": "",
    }
    for kv in argv[3:]:
        k, v = kv.split("=", 1)
        values[k] = json.loads(v)
    sys.stdout.write(render(open(argv[1]).read(), values))


if __name__ == "__main__":
    main(sys.argv)
