#!/usr/bin/env python3
"""Renders terraform/modules/certman/templates/certman.toml.tftpl the way templatefile() would, for the two
storage kinds, so the test can feed the result to `certman check-config`. Supports what that template uses:
${name}, ${jsonencode(name)}, and %{ if name == "" ~} / %{ else ~} / %{ endif ~} lines.
Usage: render_tftpl.py TEMPLATE dir|oss"""
import json
import re
import sys

values = {
    "domains": ["www.my-sample-domain.xyz", "my-sample-domain.xyz"],
    "acme_email": "ops@my-sample-domain.xyz",
    "acme_directory": "https://acme-staging-v02.api.letsencrypt.org/directory",
    "region": "cn-hangzhou",
    "load_balancer_id": "lb-bp1example0000000000",
    "https_port": 443,
    "oss_bucket": "my-sample-certman" if sys.argv[2] == "oss" else "",
    "oss_prefix": "certman/production/",
    "oss_endpoint": "https://oss-cn-hangzhou-internal.aliyuncs.com",
}
out, keep = [], [True]
for line in open(sys.argv[1]).read().splitlines():
    m = re.fullmatch(r'%\{ if (\w+) == "" ~\}', line.strip())
    if m:
        keep.append(keep[-1] and values[m.group(1)] == "")
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
    line = re.sub(r"\$\{jsonencode\((\w+)\)\}", lambda m: json.dumps(values[m.group(1)]), line)
    out.append(re.sub(r"\$\{(\w+)\}", lambda m: str(values[m.group(1)]), line))
assert "${" not in "\n".join(out) and "%{" not in "\n".join(out), "unrendered template syntax"
print("\n".join(out))
