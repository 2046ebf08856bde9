#!/usr/bin/env python3
"""Static checks of terraform/ without a terraform binary (none can be installed here).

Input: the JSON printed by hcl2json.js for every .tf/.tfvars file (syntax already checked by the parser).
Checks, per module directory: every var./local./module./data./resource reference is declared; module calls
pass only declared variables and every required one; module.X.Y names an output of X; templatefile()
templates use only the keys they are given; each .tfvars sets only declared variables and every required one
(but image_id, which the pipeline passes); no deprecated resource or argument (alibaba-api.md section 5); the
facts certman depends on (hardened metadata, role attachment, ignore_changes, the six SLB actions, the OSS
prefix, /health checks, the port-80 rule, RSA bootstrap key, the rollout one instance at a time, the state
disk and production's storage rule).
Usage: terraform_check.py PARSED.json TERRAFORM_DIR      Prints one line per check; exit 1 if any failed.
"""
import json

import provider_schema
import os
import re
import sys

SLB_ACTIONS = {"DescribeLoadBalancers", "DescribeLoadBalancerHTTPSListenerAttribute", "DescribeServerCertificates",
               "UploadServerCertificate", "SetLoadBalancerHTTPSListenerAttribute", "DeleteServerCertificate"}
OSS_ACTIONS = {"GetObject", "PutObject", "DeleteObject", "ListObjects", "GetBucketVersioning"}
SLB_BACKEND_RANGE = "100.64.0.0/10"
# RAM name rules, (regex, max length). Policy: provider website/docs/r/ram_policy.html.markdown at the pinned
# version ("1 to 128 characters ... English letters, digits, and dashes"). Role: 1-64 characters, letters, digits
# and hyphens, not starting with a hyphen (website/docs/r/ram_role.html.markdown at v1.200.0; the current page
# states no rule and the provider does not validate, so the older, stricter statement is kept).
RAM_POLICY_NAME = (r"[A-Za-z0-9-]+", 128)
RAM_ROLE_NAME = (r"[A-Za-z0-9][A-Za-z0-9-]*", 64)
DEPRECATED_TYPES = {"alicloud_slb", "alicloud_ram_role_attachment"}
DEPRECATED_ARGS = {  # resource type -> arguments deprecated in favour of current ones
    "alicloud_slb_load_balancer": {"name", "specification", "internet"},
    "alicloud_slb_listener": {"ssl_certificate_id", "acl_id"},
    "alicloud_slb_server_group": {"servers"},
    "alicloud_instance": {"role_name"},
    "alicloud_ram_role": {"name", "document", "services", "ram_users", "version"},
    "alicloud_ram_policy": {"name", "document", "statement"},
    "alicloud_slb_server_certificate": {"alicloud_certifacte_id", "alicloud_certifacte_name"},
}
REF = re.compile(r"(?<![\w.\"-])(var|local|module|data)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?")
RES_REF = re.compile(r"(?<![\w.\"-])((?:alicloud|tls)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def strings(node, skip_lifecycle=True):
    """Every string (expression) below node, except lifecycle's ignore_changes attribute names."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for x in node:
            yield from strings(x, skip_lifecycle)
    elif isinstance(node, dict):
        for k, v in node.items():
            if skip_lifecycle and k == "lifecycle":
                continue
            yield from strings(v, skip_lifecycle)


class Module:
    def __init__(self, files):
        self.files = files  # {path: parsed}
        self.variables, self.locals, self.outputs, self.modules = {}, {}, set(), {}
        self.resources, self.data = {}, {}
        for doc in files.values():
            for name, blocks in doc.get("variable", {}).items():
                self.variables[name] = blocks[0]
            for blk in doc.get("locals", []):
                self.locals.update(blk)
            self.outputs.update(doc.get("output", {}))
            for name, blocks in doc.get("module", {}).items():
                self.modules[name] = blocks[0]
            for rtype, byname in doc.get("resource", {}).items():
                for name, blocks in byname.items():
                    self.resources[(rtype, name)] = blocks[0]
            for dtype, byname in doc.get("data", {}).items():
                for name in byname:
                    self.data[(dtype, name)] = True

    def required_variables(self):
        return {n for n, v in self.variables.items() if "default" not in v}


def check_references(label, mod, modules_by_dir, base):
    bad = []
    for path, doc in mod.files.items():
        for s in strings(doc):
            for kind, name, attr in REF.findall(s):
                if kind == "var" and name not in mod.variables:
                    bad.append(f"{path}: var.{name}")
                elif kind == "local" and name not in mod.locals:
                    bad.append(f"{path}: local.{name}")
                elif kind == "module":
                    if name not in mod.modules:
                        bad.append(f"{path}: module.{name}")
                    else:
                        child = modules_by_dir.get(os.path.normpath(os.path.join(base, mod.modules[name]["source"])))
                        if child is None or attr not in child.outputs:
                            bad.append(f"{path}: module.{name}.{attr} (no such output)")
                elif kind == "data" and (name, attr) not in mod.data:
                    bad.append(f"{path}: data.{name}.{attr}")
            for rtype, name in RES_REF.findall(s):
                if (rtype, name) not in mod.resources:
                    bad.append(f"{path}: {rtype}.{name}")
    check(not bad, f"{label}: every reference is declared" + (": missing " + ", ".join(sorted(set(bad))) if bad else ""))


def check_templates(label, mod, moddir):
    for path, doc in mod.files.items():
        for s in strings(doc):
            for m in re.finditer(r'templatefile\("\$\{path\.module\}/([^"]+)",\s*\{(.*?)\}\)', s, re.S):
                given = set(re.findall(r"^\s*([A-Za-z_]\w*)\s*=", m.group(2), re.M))
                tpl_path = os.path.join(moddir, m.group(1))
                if not os.path.exists(tpl_path):
                    check(False, f"{label}: template {m.group(1)} exists")
                    continue
                text = open(tpl_path).read()
                used = set()
                for expr in re.findall(r"[$%]\{~?\s*(.*?)\s*~?\}", text, re.S):
                    used.update(w for w in re.findall(r"(?<![\w.\"])([A-Za-z_]\w*)(?![\w(])", expr)
                                if w not in {"if", "else", "endif", "for", "in", "endfor", "true", "false"})
                check(used <= given, f"{label}: {m.group(1)} uses only the keys it is given"
                      + (f" (unknown: {sorted(used - given)})" if used - given else ""))


def check_module_calls(label, mod, modules_by_dir, base):
    for name, call in mod.modules.items():
        child = modules_by_dir.get(os.path.normpath(os.path.join(base, call["source"])))
        check(child is not None, f"{label}: module {name} source {call['source']} is a checked module")
        if child is None:
            continue
        args = set(call) - {"source", "version", "providers", "count", "for_each", "depends_on"}
        check(args <= set(child.variables), f"{label}: module {name} passes only declared variables"
              + (f" (unknown: {sorted(args - set(child.variables))})" if args - set(child.variables) else ""))
        missing = child.required_variables() - args
        check(not missing, f"{label}: module {name} passes every required variable"
              + (f" (missing: {sorted(missing)})" if missing else ""))


def check_deprecated(label, mod):
    bad = [f"resource {t}" for (t, _n) in mod.resources if t in DEPRECATED_TYPES]
    for (t, n), body in mod.resources.items():
        bad += [f"{t}.{n}.{a}" for a in DEPRECATED_ARGS.get(t, ()) if a in body]
    check(not bad, f"{label}: no deprecated resource or argument" + (": " + ", ".join(bad) if bad else ""))


def check_certman_facts(mod):
    res = mod.resources
    inst = [b for (t, _), b in res.items() if t == "alicloud_instance"]
    check(inst and all(b.get("http_tokens") == "required" for b in inst), "instances use hardened metadata (http_tokens)")
    check(any(t == "alicloud_ecs_ram_role_attachment" for t, _ in res), "RAM role attached with alicloud_ecs_ram_role_attachment")
    https = [b for (t, _), b in res.items() if t == "alicloud_slb_listener" and b.get("protocol") == "https"]
    check(len(https) == 1 and "server_certificate_id" in https[0]["lifecycle"][0]["ignore_changes"][0],
          "HTTPS listener ignores server_certificate_id changes")
    rules = [b for (t, _), b in res.items() if t == "alicloud_slb_rule"]
    check(len(rules) == 1 and rules[0]["frontend_port"] == 80 and rules[0]["health_check_uri"] == "/health"
          and rules[0]["health_check"] == "on", "port-80 forwarding rule health-checks /health")
    key = res.get(("tls_private_key", "bootstrap"), {})
    check(key.get("algorithm") == "RSA", "bootstrap key is RSA (SLB: RSA, PKCS#1)")
    check(any(t == "alicloud_slb_server_group_server_attachment" for t, _ in res), "VServer group attachment resource")
    policy = next(b for (t, _), b in res.items() if t == "alicloud_ram_policy")
    texts = list(strings(policy)) + list(strings(list(mod.locals.values())))

    def found(pattern):  # plain literals (whole string) and literals inside expressions ("...")
        hits = set()
        for s in texts:
            m = re.fullmatch(pattern, s)
            hits.update([m.group(1)] if m else re.findall('"' + pattern + '"', s))
        return hits

    actions = found(r"slb:(\w+)")
    check(actions == SLB_ACTIONS, f"RAM policy grants exactly the six SLB actions (found {sorted(actions)})")
    oss_objects = found(r"(acs:oss:[^\"]*)")
    check(oss_objects and all(r.endswith("${var.oss_bucket}") or "${var.oss_prefix}*" in r for r in oss_objects)
          and found(r"(oss:Prefix)"), f"OSS access limited to the prefix ({sorted(oss_objects)})")
    wild = found(r"([a-z]+:[A-Za-z]*\*)")
    check(not wild, f"no wildcard actions {sorted(wild)}")
    oss_actions = found(r"oss:(\w+)") - {"Prefix"}
    check(oss_actions == OSS_ACTIONS, f"OSS actions: objects under the prefix, ListObjects, GetBucketVersioning "
          f"(cluster mode's versioning check) (found {sorted(oss_actions)})")
    check_network(mod)
    check_name_rule(mod)
    check_config_rollout(mod)
    check_state_disk(mod)


def check_config_rollout(mod):
    res = mod.resources
    inst = [b for (t, _), b in res.items() if t == "alicloud_instance"]
    check(inst and all("user_data" in str(b["lifecycle"][0].get("ignore_changes")) for b in inst),
          "user_data changes never restart instances (ignore_changes), config.tf pushes them instead")
    first, rest = res.get(("alicloud_ecs_invocation", "config_first")), res.get(("alicloud_ecs_invocation", "config_rest"))
    check(first is not None and rest is not None and "alicloud_ecs_invocation.config_first" in str(rest.get("depends_on"))
          and str(first.get("instance_id")) == str(["${alicloud_instance.certman.id}"]),
          "configuration changes reach one instance first, the others only after it succeeded")
    rollout = str(mod.locals.get("rollout_hash"))
    cmd = res.get(("alicloud_ecs_command", "certman_config"), {})
    check("local.rollout_hash" in str(cmd.get("name")) and "sha256(local.certman_config)" in rollout
          and "var.image_id" in rollout,
          "a changed configuration or image is a new command (its name carries both hashes), so it runs again")
    peer = res.get(("alicloud_instance", "certman_peer"), {})
    check(len(inst) == 2 and "count" not in res.get(("alicloud_instance", "certman"), {"count": 1})
          and "alicloud_ecs_invocation.config_first" in str(peer.get("depends_on")),
          "instances roll one at a time: the peer (a resource of its own) waits for the first one's health check")
    moved = [(b.get("from"), b.get("to")) for doc in mod.files.values() for b in doc.get("moved", [])]
    check(("alicloud_instance.certman[0]", "alicloud_instance.certman") in [(str(f).strip("${}"), str(t).strip("${}"))
          for f, t in moved], f"state of the former count-based instances moves to the new addresses ({moved})")


def check_state_disk(mod):
    """A local /var/lib/certman survives new images on a data disk; production refuses state that does not."""
    res = mod.resources
    disk = res.get(("alicloud_ecs_disk", "state"), {})
    attach = res.get(("alicloud_ecs_disk_attachment", "state"), {})
    check(disk and attach and attach.get("delete_with_instance") is False and "alicloud_ecs_disk.state" in
          str(attach.get("disk_id")) and disk.get("encrypted") is True,
          "the state disk is a resource of its own, encrypted, attached with delete_with_instance = false")
    check("alicloud_ecs_disk_attachment.state" in str(res.get(("alicloud_ecs_invocation", "config_first"), {})
                                                         .get("depends_on")),
          "the first instance's health check runs only once its state disk is attached")
    conds = [(str(v["condition"]), str(v["error_message"])) for v in mod.variables.get("data_disk_size", {}).get("validation", [])]
    prod = [c for c in conds if "var.production" in c[0] and "var.oss_bucket" in c[0] and "var.data_disk_size" in c[0]]
    check(len(prod) == 1 and "oss_bucket" in prod[0][1] and "data_disk_size" in prod[0][1],
          "production requires OSS storage or the data disk (a validation block naming both in its message)")
    prefix = mod.variables.get("data_disk_device_prefix", {})
    check(str(prefix.get("default", "")).startswith("/dev/disk/by-id/"), "the disk is mounted by a stable ID")


def check_network(mod):
    res = mod.resources
    rules = [b for (t, _), b in res.items() if t == "alicloud_security_group_rule"]
    ingress = [b for b in rules if b.get("type") == "ingress"]
    check(len(ingress) == 1 and ingress[0].get("ip_protocol") == "tcp" and ingress[0].get("port_range") == "8080/8080"
          and ingress[0].get("cidr_ip") == SLB_BACKEND_RANGE and ingress[0].get("policy", "accept") == "accept",
          f"security group admits only TCP 8080 from {SLB_BACKEND_RANGE} ({ingress})")
    inst = [b for (t, _), b in res.items() if t == "alicloud_instance"]
    check(inst and all("alicloud_security_group.certman.id" in str(b.get("security_groups")) for b in inst),
          "instances are in the module's security group")
    # CLB: with listener_forward = "on" the HTTP listener redirects everything and ignores its forwarding rules
    # (provider docs r/slb_listener: "any parameters excepted forward_port, listener_forward, ... will be ignored"),
    # so the challenge rule must sit on a port-80 listener that does not redirect.
    http = [b for (t, _), b in res.items() if t == "alicloud_slb_listener" and b.get("frontend_port") == 80]
    check(all(b.get("listener_forward", "off") == "off" and "forward_port" not in b for b in http),
          "the port-80 listener does not redirect to HTTPS (a CLB redirect would bypass the challenge rule)")
    challenge = [b for (t, _), b in res.items() if t == "alicloud_slb_rule"]
    check(challenge and all(b.get("frontend_port") == 80 for b in challenge),
          "the /.well-known/acme-challenge rule is on the HTTP:80 listener")
    default_url = mod.variables.get("challenge_url", {}).get("default", "")
    check(default_url.startswith("/.well-known"), f"challenge_url defaults under /.well-known ({default_url!r})")


def check_name_rule(mod):
    cond = mod.variables["name"]["validation"][0]["condition"]
    m = re.search(r'regex\("(.*)", var\.name\)', cond)
    pattern = m.group(1).replace("\\\\", "\\") if m else "(?!)"
    suffixes = {"-ecs": RAM_ROLE_NAME, "-certificate-rotation": RAM_POLICY_NAME}
    _, bad = provider_schema.name_problems(pattern, list(suffixes), suffixes)
    check(m is not None and not bad, f"the name validation ({pattern}) admits only names RAM accepts for the role "
          "and the policy" + ("".join("\n       " + b for b in bad[:5])))


def check_tfvars(label, mod, tfvars_files):
    for path, doc in tfvars_files.items():
        keys = set(doc)
        check(keys <= set(mod.variables), f"{path}: sets only declared variables"
              + (f" (unknown: {sorted(keys - set(mod.variables))})" if keys - set(mod.variables) else ""))
        missing = mod.required_variables() - keys - {"image_id"}
        check(not missing, f"{path}: sets every required variable but image_id"
              + (f" (missing: {sorted(missing)})" if missing else ""))


def main():
    parsed = json.load(open(sys.argv[1]))
    tfroot = os.path.normpath(sys.argv[2])
    by_dir, tfvars = {}, {}
    for path, doc in parsed.items():
        d = os.path.normpath(os.path.dirname(path))
        (tfvars.setdefault(d, {}) if path.endswith(".tfvars") else by_dir.setdefault(d, {}))[path] = doc
    modules = {d: Module(files) for d, files in by_dir.items()}
    check(len(modules) >= 2, f"found modules: {sorted(os.path.relpath(d, tfroot) for d in modules)}")
    for d, mod in sorted(modules.items()):
        label = os.path.relpath(d, tfroot)
        check_references(label, mod, modules, d)
        check_module_calls(label, mod, modules, d)
        check_templates(label, mod, d)
        check_deprecated(label, mod)
        check_tfvars(label, mod, tfvars.get(d, {}))
        if any(t == "alicloud_ram_policy" for t, _ in mod.resources):
            check_certman_facts(mod)
    checked, bad = provider_schema.problems(parsed)
    spec = provider_schema.load()
    check(checked > 0 and not bad, f"{checked} alicloud blocks match the provider schema of aliyun/alicloud "
          f"{spec['version']} ({spec['commit'][:10]}): arguments exist, none deprecated, required ones set"
          + ("".join("\n       " + b for b in bad)))
    calls = [c for m in modules.values() for c in m.modules.values()]
    check(any(str(c.get("production")) == '${var.environment == "production"}' for c in calls),
          "the example root module runs production in production mode (OSS or the data disk required)")
    envs = {os.path.basename(p) for files in tfvars.values() for p in files}
    check({"dev.tfvars", "pre-production.tfvars", "production.tfvars"} <= envs, "a .tfvars per environment")
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
