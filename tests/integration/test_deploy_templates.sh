#!/usr/bin/env bash
# The deployment templates (docs/deploying-on-alibaba.md):
#   packer validate on deploy/packer/certman.json (Debian's packer 1.6.6 with the alicloud-ecs builder;
#   offline, with dummy API keys: the real ones only ever live in the CI environment);
#   the cloud-init user data and the GitLab pipeline parse as YAML and say what they must;
#   terraform/ parses with HashiCorp's HCL parser (@cdktf/hcl2json from the npm registry, cached under the
#   build directory) and passes hcl/terraform_check.py: references, module calls, tfvars, deprecated names,
#   the least-privilege policy. Each checker is also shown a broken copy, which it must reject.
# No terraform binary can be installed here: `terraform validate` is the user's last step (docs).
set -uo pipefail
src=${CERTMAN_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${CERTMAN_BUILD:-$src/build}
here=$src/tests/integration
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0; skipped=0
ok()   { echo "ok   $*"; passed=$((passed + 1)); }
bad()  { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }
expect() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
have() { command -v "$1" >/dev/null 2>&1; }
fails() { if "$@" >/dev/null 2>&1; then return 1; fi; return 0; }
fails_not() { "$@" >"$tmp/last.log" 2>&1 || { cat "$tmp/last.log"; return 1; }; }
secret_free() {  # no Alibaba access key id (LTAI...) or secret-looking assignment in the file
  ! grep -nE 'LTAI[0-9A-Za-z]{12,}|(SECRET|secret)[A-Z_a-z]*[:=] *"?[0-9A-Za-z/+]{20,}' "$1"
}

# ---- packer -------------------------------------------------------------------------------------------------
tpl=$src/deploy/packer/certman.json
if have packer; then
  echo "fake .deb for validation" >"$tmp/certman_0.0.0_amd64.deb"
  pv() { ALICLOUD_ACCESS_KEY=validate-only ALICLOUD_SECRET_KEY=validate-only \
         packer validate -var "deb=$tmp/certman_0.0.0_amd64.deb" -var region=cn-hangzhou "$@"; }
  img=debian_12_6_x64_20G_alibase_20240819.vhd  # the documented ID format (an Alibaba public image ID)
  expect "packer validate deploy/packer/certman.json (dummy variables, source_image=$img)" pv -var "source_image=$img" "$tpl"
  # DescribeImages takes exact IDs: a made-up default such as "debian_12_" fails only at build time, so there is none.
  pv "$tpl" >"$tmp/noimg.log" 2>&1
  expect "packer validate refuses the template without source_image (required variable)" \
    grep -q "required variable not set: source_image" "$tmp/noimg.log"
  python3 - "$tpl" "$tmp/broken.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1])); t["builders"][0]["ssh_username"] = ""; t["builders"][0]["no_such_key"] = 1
json.dump(t, open(sys.argv[2], "w"))
PY
  expect "packer validate rejects a broken copy" fails pv -var "source_image=$img" "$tmp/broken.json"
else
  skip "packer not installed (Debian package packer)"
fi
expect "packer template: alicloud-ecs builder, installs the .deb, enables the unit" python3 - "$tpl" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
b = t["builders"][0]
lines = "\n".join(l for p in t["provisioners"] for l in p.get("inline", []))
assert b["type"] == "alicloud-ecs", b["type"]
assert any(p["type"] == "file" and p["destination"] == "/tmp/certman.deb" for p in t["provisioners"])
assert "apt-get install" in lines and "/tmp/certman.deb" in lines, lines
assert "systemctl enable certman.service" in lines
for word in ("nginx", "certbot", "ossfs", "cron"):  # only mentioned to check they are absent
    assert f"install {word}" not in lines and f"apt-get install -y {word}" not in lines
# Debian's base images ship cron (Priority: important): the build masks it instead of aborting.
cron = [l for l in t["provisioners"][1]["inline"] if "cron" in l]
assert cron and all("exit 1" not in l for l in cron), cron
assert any("systemctl mask cron.service" in l for l in cron), cron
# The source image has no default: an ID is Alibaba's exact image ID, documented with a real example.
assert t["variables"]["source_image"] is None
import re
assert re.search(r"debian_12_\d+_x64_20G_alibase_\d{8}\.vhd", t["_source_image"]), t["_source_image"]
keys = {k for k in b if "key" in k or "secret" in k or "token" in k}
assert not keys, f"credentials in the template: {keys}"
PY
expect "packer template holds no secret" secret_free "$tpl"

# ---- YAML: cloud-init and GitLab ----------------------------------------------------------------------------
if python3 -c 'import yaml' 2>/dev/null; then
  expect "cloud-init user data: #cloud-config, writes the config, installs and enables certman" python3 - "$src/deploy/cloud-init/user-data.yaml" <<'PY'
import sys, yaml
text = open(sys.argv[1]).read()
assert text.startswith("#cloud-config\n")
d = yaml.safe_load(text)
files = {f["path"]: f for f in d["write_files"]}
assert files["/etc/certman/certman.toml"]["permissions"] == "0640"
script = "\n".join(c if isinstance(c, str) else " ".join(c) for c in d["runcmd"])
assert "sha256sum -c" in script and "set -e" in script
assert "systemctl enable --now certman.service" in script
assert "key_type = \"rsa2048\"" in files["/etc/certman/certman.toml"]["content"]
boot = d["bootcmd"][0][2]  # the optional state disk: off (DISK=none) until the operator names one
assert "DISK=none;" in boot and "/dev/disk/by-id/virtio-${DISK#d-} /var/lib/certman ext4" in boot and "x-systemd.makefs" in boot
PY
  if [ -x "${CERTMAN_BIN:-}" ] && "$CERTMAN_BIN" --help 2>&1 | grep -q check-config; then
    python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(next(f["content"] for f in d["write_files"] if f["path"] == "/etc/certman/certman.toml"), end="")' \
      "$src/deploy/cloud-init/user-data.yaml" >"$tmp/cloud-init.toml"
    expect "cloud-init's certman.toml passes certman check-config" fails_not "$CERTMAN_BIN" check-config -c "$tmp/cloud-init.toml"
    for storage in dir oss; do
      python3 "$here/hcl/render_tftpl.py" "$src/terraform/modules/certman/templates/certman.toml.tftpl" "$storage" >"$tmp/tf-$storage.toml"
      expect "Terraform's certman.toml ($storage storage) passes certman check-config" \
        fails_not "$CERTMAN_BIN" check-config -c "$tmp/tf-$storage.toml"
    done
    python3 "$here/hcl/render_tftpl.py" "$src/terraform/modules/certman/templates/certman.toml.tftpl" dir \
      'alidns_zone="my-sample-domain.xyz"' 'domains=["my-sample-domain.xyz","*.my-sample-domain.xyz"]' >"$tmp/tf-dns01.toml"
    expect "Terraform's certman.toml with alidns_zone selects DNS-01 in that zone (wildcards) and passes check-config" \
      bash -c 'grep -qx "type = \"dns-01\"" "$1" && grep -qx "zone = \"my-sample-domain.xyz\"" "$1" &&
               "$2" check-config -c "$1" >/dev/null' _ "$tmp/tf-dns01.toml" "$CERTMAN_BIN"
    expect "without alidns_zone the template has no [challenge] section (HTTP-01 through the SLB)" \
      bash -c '! grep -q "^\[challenge\]" "$1"' _ "$tmp/tf-dir.toml"
  else
    skip "check-config of the rendered configurations: no certman binary with check-config"
  fi
  expect "cloud-init user data holds no secret" secret_free "$src/deploy/cloud-init/user-data.yaml"
  expect "GitLab pipeline parses; jobs per branch build the .deb, the image and apply Terraform" python3 - "$src/deploy/gitlab/certman.gitlab-ci.yml" <<'PY'
import sys, yaml
text = open(sys.argv[1]).read()
d = yaml.safe_load(text)
stages = d["stages"]
jobs = {k: v for k, v in d.items() if isinstance(v, dict) and not k.startswith(".") and k != "variables"}
for name, job in jobs.items():
    assert job["stage"] in stages, (name, job["stage"])
    for parent in ([job["extends"]] if isinstance(job.get("extends"), str) else job.get("extends", [])):
        assert parent in d, (name, parent)
scripts = "\n".join("\n".join(j.get("script", [])) for j in jobs.values())
assert "cpack" in scripts and "packer build" in scripts and "terraform apply" in scripts
for branch in ("dev", "pre-production", "production"):
    assert f'"{branch}"' in text, branch
for var in ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_REGION", "TF_STATE_BUCKET"):
    assert f"#   {var}" in text or f"# {var}" in text or f", {var}" in text, f"{var} not documented"
    assert f"{var}:" not in text, f"{var} is set in the file"
PY
  if python3 -c 'import jsonschema' 2>/dev/null; then
    gl=$src/deploy/gitlab/certman.gitlab-ci.yml
    expect "GitLab pipeline passes GitLab's CI schema, reserved job names and needs/extends/stage references" \
      fails_not python3 "$here/gitlab/check_gitlab_ci.py" "$gl"
    # The checker must reject the mistake it exists for: a job named after the global keyword `image`.
    sed -e 's/^ecs-image:$/image:/' -e 's/\[ecs-image\]/[image]/' "$gl" >"$tmp/reserved.yml"
    python3 "$here/gitlab/check_gitlab_ci.py" "$tmp/reserved.yml" >"$tmp/reserved.log" 2>&1
    expect "GitLab checker rejects a job named 'image' (schema and reserved list) and a dangling needs" \
      grep -q "reserved: 'image'" "$tmp/reserved.log"
    expect "  ... the schema alone also rejects it" grep -q "^schema: image:" "$tmp/reserved.log"
    expect "  ... and the dangling needs" grep -q "needs 'image', which is not a job" "$tmp/reserved.log"
    printf 'stages: [a]\njob:\n  stage: a\n  script: [x]\n  when: sometimes\n' >"$tmp/badwhen.yml"
    expect "GitLab schema rejects an unknown 'when' value" fails python3 "$here/gitlab/check_gitlab_ci.py" "$tmp/badwhen.yml"
  else
    skip "GitLab CI schema check: python3-jsonschema not installed (deploy/install-deps.sh test)"
  fi
  expect "GitLab pipeline: cloud jobs are environment-scoped, no plan artifact, state locked, lock file honoured" \
    python3 - "$src/deploy/gitlab/certman.gitlab-ci.yml" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
jobs = {k: v for k, v in d.items() if isinstance(v, dict) and not k.startswith(".") and "stage" in v}
def script(job):
    parts = [d.get(p, {}) for p in ([job["extends"]] if isinstance(job.get("extends"), str) else job.get("extends", []))]
    return "\n".join("\n".join(j.get(k, [])) for j in parts + [job] for k in ("before_script", "script"))
cloud = [n for n, j in jobs.items() if "terraform" in script(j) or "packer build" in script(j)]
assert len(cloud) >= 3, cloud
for n in cloud:  # environment-scoped variables reach only jobs that name the environment
    assert jobs[n].get("environment", {}).get("name") == "$CI_COMMIT_BRANCH", n
for n, j in jobs.items():  # a saved plan holds the bootstrap private key in clear
    assert not any("tfplan" in p for p in j.get("artifacts", {}).get("paths", [])), n
    assert "-out=" not in script(j), n
tf = script(d[".terraform"])
assert "tablestore_table=" in tf and "tablestore_endpoint=" in tf, "no state locking"
assert "-lockfile=readonly" in tf, "the provider lock file is not enforced"
assert jobs["deploy"].get("resource_group"), "deploys of one environment may overlap"
PY
  expect "GitLab pipeline holds no secret" secret_free "$src/deploy/gitlab/certman.gitlab-ci.yml"
  printf 'stages: [a]\njob:\n  stage: a\n  script: [x\n' >"$tmp/broken.yml"
  expect "the YAML parser rejects a broken file" fails python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$tmp/broken.yml"
else
  skip "python3-yaml not installed (deploy/install-deps.sh test)"
fi

# ---- config push (terraform/modules/certman/config.tf): installs only what check-config accepts, then reloads --
push_tpl=$src/terraform/modules/certman/templates/push-config.sh.tftpl
mkdir -p "$tmp/push/bin" "$tmp/push/etc"
cat >"$tmp/push/bin/certman" <<'SH'
#!/bin/sh
grep -q '^good' "$3"
SH
printf '#!/bin/sh\necho "$*" >>"%s"\n' "$tmp/push/systemctl.log" >"$tmp/push/bin/systemctl"
printf '#!/bin/sh\nexit 0\n' >"$tmp/push/bin/chown"; printf '#!/bin/sh\nexit 0\n' >"$tmp/push/bin/sleep"
chmod +x "$tmp/push/bin/"*
# The state disk's mount, simulated: "start var-lib-certman.mount" puts a blank disk over $tmp/push/state (if the
# test allows it), "mount --bind" copies, mountpoint reads a flag.
cat >"$tmp/push/bin/systemctl" <<SH
#!/bin/sh
echo "\$*" >>"$tmp/push/systemctl.log"
if [ "\$*" = "start var-lib-certman.mount" ] && [ -e "$tmp/push/disk-ok" ]; then
  mv "$tmp/push/state" "$tmp/push/state.sysdisk" && mkdir "$tmp/push/state" "$tmp/push/state/lost+found" && touch "$tmp/push/mounted"
fi
SH
printf '#!/bin/sh\n[ -e "%s" ]\n' "$tmp/push/mounted" >"$tmp/push/bin/mountpoint"
printf '#!/bin/sh\n[ "$1" = --bind ] && mkdir -p "$3" && cp -a "$2/." "$3/"\n' >"$tmp/push/bin/mount"
printf '#!/bin/sh\nexit 0\n' >"$tmp/push/bin/umount"
chmod +x "$tmp/push/bin/"*
push() {  # push CONFIG_TEXT [DATA_DISK_PATH]: renders the template as templatefile() would, paths moved under $tmp
  python3 "$here/hcl/render_tftpl.py" "$push_tpl" dir "config_b64=\"$(printf '%s' "$1" | base64 -w0)\"" "data_disk_path=\"${2:-}\"" \
    | sed -e "s#/etc/certman#$tmp/push/etc#g" -e "s#/etc/fstab#$tmp/push/fstab#g" -e "s#/var/lib/certman#$tmp/push/state#g" \
          -e "s#/run/certman-old#$tmp/push/old#g" >"$tmp/push/run.sh"
  PATH="$tmp/push/bin:$PATH" sh "$tmp/push/run.sh" >/dev/null 2>&1
}
echo "old" >"$tmp/push/etc/certman.toml"
mkdir -p "$tmp/push/state" && echo "account" >"$tmp/push/state/account.json"
push "bad = 1"; rc=$?
expect "config push: a configuration check-config refuses fails the invocation, keeps the old file, no reload" \
  bash -c "[ $rc -ne 0 ] && [ \"\$(cat '$tmp/push/etc/certman.toml')\" = old ] && [ ! -s '$tmp/push/systemctl.log' ] && [ -z \"\$(ls -A '$tmp/push/etc' | grep -v '^certman.toml$')\" ]"
disk=/dev/disk/by-id/virtio-bp1state0000000000
push "good = 1" "$disk"; rc=$?
expect "config push with the state disk: a disk that does not mount fails the invocation, nothing installed" \
  bash -c "[ $rc -ne 0 ] && [ \"\$(cat '$tmp/push/etc/certman.toml')\" = old ] && ! grep -q reload-or-restart '$tmp/push/systemctl.log'"
: >"$tmp/push/fstab"; : >"$tmp/push/systemctl.log"; touch "$tmp/push/disk-ok"
push "good = 1" "$disk"; rc=$?
expect "config push, instance from before the state disk: fstab line by ID, certman stopped, state copied onto the disk" \
  bash -c "[ $rc -eq 0 ] && [ \$(grep -c '^$disk $tmp/push/state ext4 .*x-systemd.makefs' '$tmp/push/fstab') -eq 1 ] \
           && [ \"\$(cat '$tmp/push/state/account.json')\" = account ] && grep -qx 'stop certman.service' '$tmp/push/systemctl.log'"
expect "config push: an accepted configuration is installed (mode 0640) and certman reloaded (or restarted)" \
  bash -c "[ \"\$(cat '$tmp/push/etc/certman.toml')\" = 'good = 1' ] && [ \"\$(stat -c %a '$tmp/push/etc/certman.toml')\" = 640 ] && grep -qx 'reload-or-restart certman.service' '$tmp/push/systemctl.log'"
: >"$tmp/push/systemctl.log"; echo "newer" >"$tmp/push/state/account.json"
push "good = 2" "$disk"; rc=$?
expect "config push, disk already mounted: no stop, no copy, fstab unchanged" \
  bash -c "[ $rc -eq 0 ] && [ \$(grep -c ' $tmp/push/state ' '$tmp/push/fstab') -eq 1 ] && [ \"\$(cat '$tmp/push/state/account.json')\" = newer ] && ! grep -q stop '$tmp/push/systemctl.log'"

# ---- the state disk (terraform/modules/certman/storage.tf): fstab by stable ID, formatted only if blank ---------
ud_tpl=$src/terraform/modules/certman/templates/user-data.yaml.tftpl
disk_path=/dev/disk/by-id/virtio-bp1state0000000000
ud() { python3 "$here/hcl/render_tftpl.py" "$ud_tpl" dir 'certman_config="x = 1\n"' "data_disk_path=\"$1\""; }
ud "$disk_path" >"$tmp/ud-disk.yaml"; ud "" >"$tmp/ud-nodisk.yaml"
if have terraform; then  # the test's renderer against templatefile() itself (no provider needed)
  tfr() { echo "base64encode(templatefile(\"$ud_tpl\", { certman_config = \"x = 1\\n\", data_disk_path = \"$1\" }))" \
            | (cd "$tmp" && terraform console 2>/dev/null) | tr -d '"' | base64 -d; }
  tfr "$disk_path" >"$tmp/tf-ud-disk.yaml"; tfr "" >"$tmp/tf-ud-nodisk.yaml"
  expect "render_tftpl.py renders user-data.yaml.tftpl as terraform's templatefile() does (with and without disk)" \
    bash -c "[ -s '$tmp/tf-ud-disk.yaml' ] && cmp -s '$tmp/tf-ud-disk.yaml' '$tmp/ud-disk.yaml' && cmp -s '$tmp/tf-ud-nodisk.yaml' '$tmp/ud-nodisk.yaml'"
  toml_tpl=$src/terraform/modules/certman/templates/certman.toml.tftpl
  tfc() {  # templatefile() of certman.toml.tftpl with render_tftpl.py's sample values; $1 = alidns_zone
    echo "base64encode(templatefile(\"$toml_tpl\", { domains = [\"www.my-sample-domain.xyz\", \"my-sample-domain.xyz\"], acme_email = \"ops@my-sample-domain.xyz\", acme_directory = \"https://acme-staging-v02.api.letsencrypt.org/directory\", region = \"cn-hangzhou\", load_balancer_id = \"lb-bp1example0000000000\", https_port = 443, oss_bucket = \"\", oss_prefix = \"certman/production/\", oss_endpoint = \"https://oss-cn-hangzhou-internal.aliyuncs.com\", alidns_zone = \"$1\" }))" \
      | (cd "$tmp" && terraform console 2>/dev/null) | tr -d '"' | base64 -d; }
  tfc "" >"$tmp/tfc-http01.toml"; tfc my-sample-domain.xyz >"$tmp/tfc-dns01.toml"
  python3 "$here/hcl/render_tftpl.py" "$toml_tpl" dir >"$tmp/r-http01.toml"
  python3 "$here/hcl/render_tftpl.py" "$toml_tpl" dir 'alidns_zone="my-sample-domain.xyz"' >"$tmp/r-dns01.toml"
  expect "render_tftpl.py renders certman.toml.tftpl as terraform's templatefile() does (HTTP-01 and DNS-01)" \
    bash -c "[ -s '$tmp/tfc-dns01.toml' ] && cmp -s '$tmp/tfc-http01.toml' '$tmp/r-http01.toml' && cmp -s '$tmp/tfc-dns01.toml' '$tmp/r-dns01.toml'"
fi
if python3 -c 'import yaml' 2>/dev/null; then
  python3 - "$tmp/ud-disk.yaml" "$tmp/ud-nodisk.yaml" "$tmp/bootcmd.sh" <<'PY'
import sys, yaml
disk, nodisk = (yaml.safe_load(open(p)) for p in sys.argv[1:3])
assert "bootcmd" not in nodisk and nodisk["runcmd"] == disk["runcmd"]
cmd = disk["bootcmd"][0]
assert cmd[:2] == ["sh", "-c"], cmd
open(sys.argv[3], "w").write(cmd[2])
PY
  expect "user data with a state disk: one bootcmd shell command; without one, no bootcmd" [ $? -eq 0 ]
  mkdir -p "$tmp/boot/bin"; : >"$tmp/boot/fstab"
  printf '#!/bin/sh\necho "$*" >>"%s"\n' "$tmp/boot/systemctl.log" >"$tmp/boot/bin/systemctl"; chmod +x "$tmp/boot/bin/systemctl"
  sed "s#/etc/fstab#$tmp/boot/fstab#g" "$tmp/bootcmd.sh" >"$tmp/boot/run.sh"
  PATH="$tmp/boot/bin:$PATH" sh "$tmp/boot/run.sh" && PATH="$tmp/boot/bin:$PATH" sh "$tmp/boot/run.sh"
  expect "bootcmd (run on every boot) writes one fstab line by stable ID and starts the mount" \
    bash -c "[ \$(grep -c ' /var/lib/certman ' '$tmp/boot/fstab') -eq 1 ] && grep -q '^$disk_path /var/lib/certman ext4 .*x-systemd.makefs' '$tmp/boot/fstab' && grep -qx 'start --no-block var-lib-certman.mount' '$tmp/boot/systemctl.log'"
  gen=/lib/systemd/system-generators/systemd-fstab-generator
  if [ -x "$gen" ]; then  # systemd's own reading of that line: a mount unit that formats only a blank disk
    mkdir -p "$tmp/boot/gen"
    SYSTEMD_FSTAB="$tmp/boot/fstab" SYSTEMD_PROC_CMDLINE="" "$gen" "$tmp/boot/gen" "$tmp/boot/gen" "$tmp/boot/gen"
    expect "systemd-fstab-generator: var-lib-certman.mount of the disk by ID, requiring systemd-makefs@ (formats only if blank)" \
      bash -c "grep -qx 'What=$disk_path' '$tmp/boot/gen/var-lib-certman.mount' && grep -qx 'Where=/var/lib/certman' '$tmp/boot/gen/var-lib-certman.mount' && ls '$tmp/boot/gen/var-lib-certman.mount.requires/' | grep -q '^systemd-makefs@dev-disk-by.x2did-virtio.x2dbp1state'"
  else
    skip "systemd-fstab-generator not found"
  fi
  expect "certman.service starts only once /var/lib/certman is mounted (RequiresMountsFor)" \
    grep -qx 'RequiresMountsFor=/var/lib/certman' "$src/deploy/systemd/certman.service"
fi

# ---- Prometheus rules: promtool's own parser and rule unit tests -----------------------------------------------
if have promtool; then
  mon=$src/deploy/monitoring
  expect "promtool check rules deploy/monitoring/certman.rules.yml" fails_not promtool check rules "$mon/certman.rules.yml"
  expect "promtool test rules: down, absent, missing, expiry, failing renewals and deploys, stuck loop" \
    fails_not promtool test rules "$mon/certman.rules.test.yml"
  sed 's/== 0$/== 0 and by (x)/' "$mon/certman.rules.yml" >"$tmp/bad.rules.yml"
  expect "promtool rejects a rules file with a bad expression" fails promtool check rules "$tmp/bad.rules.yml"
  sed 's/values: .1x9 0x200./values: '"'"'1x300'"'"'/' "$mon/certman.rules.test.yml" >"$tmp/certman.rules.test.yml"
  cp "$mon/certman.rules.yml" "$tmp/"
  expect "promtool test fails when a deploy that never fails is expected to alert" fails promtool test rules "$tmp/certman.rules.test.yml"
  # Every dashboard query must be PromQL that promtool parses (as a recording rule), over metrics certman exports.
  expect "Grafana dashboard: every panel query parses (promtool) and names only metrics certman exports" \
    python3 - "$mon/certman.grafana.json" "$src/src" "$tmp/dash.rules.yml" <<'PY'
import json, pathlib, re, subprocess, sys
d = json.load(open(sys.argv[1]))
exported = {m for f in pathlib.Path(sys.argv[2]).rglob("*.cpp") for m in re.findall(r'family\(\w+, "(certman_\w+)"', f.read_text())}
exprs = [t["expr"] for p in d["panels"] for t in p["targets"]]
used = {m for e in exprs for m in re.findall(r"\b(certman_\w+)", e)}
assert exprs and used and used <= exported, sorted(used - exported)
with open(sys.argv[3], "w") as f:
    f.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, e in enumerate(exprs):
        e = e.replace("$job", "certman")
        f.write(f"      - record: dashboard:q{i}\n        expr: {json.dumps(e)}\n")
r = subprocess.run(["promtool", "check", "rules", sys.argv[3]], capture_output=True, text=True)
assert r.returncode == 0, r.stdout + r.stderr
PY
else
  skip "promtool not installed (Debian package prometheus; deploy/install-deps.sh test)"
fi

# ---- the demo (deploy/local/demo.sh) writes its build outputs and logs only where git ignores them -------------
expect "deploy/local/demo.sh redirects output only into git-ignored paths (no untracked logs in the repository root)" \
  python3 - "$src" <<'PY'
import re, subprocess, sys
src = sys.argv[1]
text = open(f"{src}/deploy/local/demo.sh").read()
targets = {t for t in re.findall(r"(?<![0-9&])>{1,2}\s*([A-Za-z0-9_./-]+)", text) if not t.startswith("/dev/")}
assert targets, "no redirections found: the check lost its subject"
for t in sorted(targets):
    r = subprocess.run(["git", "-C", src, "check-ignore", "-q", "--no-index", t])
    assert r.returncode == 0, f"demo.sh writes {t}, which git does not ignore"
PY

# ---- secret file modes: what the shipped files recommend is what the code accepts ------------------------------
expect "every recommended access_key_secret_file mode has no group/other bits (credentials_provider.cpp refuses them)" \
  python3 - "$src" <<'PY'
import pathlib, re, sys
src = pathlib.Path(sys.argv[1])
code = (src / "src/cloud/alibaba/credentials_provider.cpp").read_text()
assert "(st.st_mode & 077) != 0" in code, "the code's rule moved: update this test"
files = [*src.glob("deploy/**/*"), *src.glob("docs/*.md"), src / "README.md", *src.glob("terraform/**/*")]
bad, seen = [], 0
for f in files:
    if not f.is_file():
        continue
    lines = f.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if "secret_file" not in line:
            continue
        window = " ".join(lines[i:i + 2])
        for mode in re.findall(r"\b0?([0-7]{3})\b(?= |,|\)|$)|chmod (\d{3})", window):
            m = int(mode[0] or mode[1], 8)
            seen += 1
            if m & 0o077:
                bad.append(f"{f.relative_to(src)}:{i + 1}: {oct(m)}")
assert seen >= 3 and not bad, (seen, bad)
PY
if have terraform; then
  # terraform validate needs the providers, which cannot be downloaded here; fmt needs none.
  expect "terraform fmt -check -recursive terraform/" fails_not terraform fmt -check -recursive "$src/terraform"
  mkdir -p "$tmp/fmt" && printf 'variable "x" {\n  type = string\n    default = "a"\n}\n' >"$tmp/fmt/bad.tf"
  expect "terraform fmt -check rejects a misformatted file" fails terraform fmt -check -recursive "$tmp/fmt"
else
  skip "terraform fmt: no terraform binary (not in Debian; the HCL checks below still run)"
fi
if have terraform; then
  # The module's variable validations, evaluated by terraform itself: its variables.tf alone needs no provider.
  mkdir -p "$tmp/vars" && cp "$src/terraform/modules/certman/variables.tf" "$tmp/vars/"
  tfplan() { (cd "$tmp/vars" && terraform init -input=false >/dev/null 2>&1 && terraform plan -input=false -no-color \
    -var name=certman-prod -var region=cn-hangzhou -var load_balancer_id=lb-x -var app_server_group_id=rsp-x \
    -var vswitch_id=vsw-x -var image_id=m-x -var 'domains=["a.example"]' -var acme_email=a@example.org "$@" 2>&1); }
  tfplan -var data_disk_size=0 >"$tmp/vars/prod-nodisk.log"
  expect "terraform refuses production with state on the system disk (oss_bucket empty, data_disk_size = 0)" \
    grep -q "production = true needs certman's state to survive a new image" "$tmp/vars/prod-nodisk.log"
  expect "terraform accepts production with the data disk (the default)" fails_not tfplan
  expect "terraform accepts production with OSS and no disk" fails_not tfplan -var oss_bucket=b -var data_disk_size=0
  expect "terraform accepts a non-production state on the system disk" fails_not tfplan -var production=false -var data_disk_size=0
  tfplan -var data_disk_size=5 >"$tmp/vars/small.log"
  expect "terraform refuses a data disk under ESSD's 20 GiB" grep -q "data_disk_size must be 0 (no data disk) or a whole number" "$tmp/vars/small.log"
fi
hcl=$build/npm-hcl2json
if [ ! -f "$hcl/node_modules/@cdktf/hcl2json/package.json" ] && have npm; then
  mkdir -p "$hcl"
  cp "$here/hcl/package.json" "$here/hcl/package-lock.json" "$hcl/"
  (cd "$hcl" && npm ci --no-audit --no-fund --loglevel=error >"$tmp/npm.log" 2>&1) || cat "$tmp/npm.log"
fi
if ! have node; then
  skip "Terraform syntax: node is not installed"
elif [ ! -f "$hcl/node_modules/@cdktf/hcl2json/package.json" ]; then
  skip "Terraform syntax: @cdktf/hcl2json could not be installed from the npm registry (see above)"
else
  parse() { NODE_PATH="$hcl/node_modules" node "$here/hcl/hcl2json.js" "$@"; }
  mapfile -t tf < <(cd "$src" && find terraform -name '*.tf' -o -name '*.tfvars' | sort)
  (cd "$src" && parse "${tf[@]}" >"$tmp/tf.json" 2>"$tmp/parse.err")
  expect "HCL syntax of ${#tf[@]} Terraform files" [ $? -eq 0 ] || cat "$tmp/parse.err"
  (cd "$src" && python3 "$here/hcl/terraform_check.py" "$tmp/tf.json" terraform) >"$tmp/check.log" 2>&1
  rc=$?
  sed 's/^/     /' "$tmp/check.log"
  expect "terraform_check.py: references, module calls, tfvars, deprecated names, RAM policy" [ "$rc" -eq 0 ]
  expect "the migration guide only sets variables the example root module has, and names real resources" \
    python3 - "$tmp/tf.json" "$src/docs/upgrading-from-certbot.md" <<'PY'
import json, re, sys
tf, guide = json.load(open(sys.argv[1])), open(sys.argv[2]).read().split("## Differences")[0]
root = {n for p, d in tf.items() if p.startswith("terraform/examples/environment/") for n in d.get("variable", {})}
mod = {f"{t}.{n}" for p, d in tf.items() if p.startswith("terraform/modules/certman/")
       for t, byname in d.get("resource", {}).items() for n in byname}
settings = set(re.findall(r"`([a-z_]+) = [^`]*`", guide))
assert {"create_https_listener", "challenge_url"} <= settings, settings
assert settings <= root, f"guide sets {sorted(settings - root)}, not variables of terraform/examples/environment"
addrs = set(re.findall(r"module\.certman\.([a-z_]+\.[a-z_]+)", guide))
assert addrs and addrs <= mod, f"guide names {sorted(addrs - mod)}, not resources of the module"
PY
  # Both checkers must be able to fail.
  printf 'resource "x" "y" {\n  a = \n}\n' >"$tmp/broken.tf"
  expect "the HCL parser rejects a syntax error" fails parse "$tmp/broken.tf"
  cp -r "$src/terraform" "$tmp/tf-broken"
  cat >>"$tmp/tf-broken/modules/certman/slb.tf" <<'HCL'
resource "alicloud_slb" "old" {
  name = var.no_such_variable
}
HCL
  sed -i 's/"slb:DeleteServerCertificate"\]/"slb:DeleteServerCertificate", "slb:DeleteLoadBalancer"]/' "$tmp/tf-broken/modules/certman/ram.tf"
  sed -i 's/security_group_name = /name = /; s/"8080\/8080"/"1\/65535"/' "$tmp/tf-broken/modules/certman/security_group.tf"
  sed -i 's/\[A-Za-z0-9-\]{0,39}/[A-Za-z0-9._-]{0,39}/; s/!var.production || var.oss_bucket != "" || var.data_disk_size > 0/true/' "$tmp/tf-broken/modules/certman/variables.tf"
  sed -i 's/disk_name            = /name                 = /; s/delete_with_instance = false/delete_with_instance = true/' "$tmp/tf-broken/modules/certman/storage.tf"
  (cd "$tmp" && parse $(find tf-broken -name '*.tf' -o -name '*.tfvars' | sort) >"$tmp/tf-broken.json" \
     && python3 "$here/hcl/terraform_check.py" "$tmp/tf-broken.json" tf-broken) >"$tmp/broken.log" 2>&1
  expect "terraform_check.py rejects a copy with an undeclared variable, alicloud_slb and an extra action" \
    bash -c "grep -q 'FAIL modules/certman: every reference is declared: missing .*var.no_such_variable' '$tmp/broken.log' \
             && grep -q 'FAIL modules/certman: no deprecated resource or argument: resource alicloud_slb' '$tmp/broken.log' \
             && grep -q 'FAIL RAM policy grants exactly the six SLB actions' '$tmp/broken.log'" || cat "$tmp/broken.log"
  expect "terraform_check.py rejects a deprecated provider argument (alicloud_security_group.name, provider schema)" \
    grep -q "alicloud_security_group.certman.name: deprecated" "$tmp/broken.log"
  expect "terraform_check.py rejects a deprecated alicloud_ecs_disk argument (name, provider schema)" \
    grep -q "alicloud_ecs_disk.state.name: deprecated" "$tmp/broken.log"
  expect "terraform_check.py rejects a state disk deleted with its instance" grep -q "FAIL the state disk is a resource" "$tmp/broken.log"
  expect "terraform_check.py rejects a module whose production mode accepts state on the system disk" \
    grep -q "FAIL production requires OSS storage or the data disk" "$tmp/broken.log"
  expect "terraform_check.py rejects a security group open beyond 8080" grep -q "FAIL security group admits only TCP 8080" "$tmp/broken.log"
  expect "terraform_check.py rejects a name rule that admits '_' or '.' (RAM refuses them)" \
    grep -q "FAIL the name validation" "$tmp/broken.log"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
