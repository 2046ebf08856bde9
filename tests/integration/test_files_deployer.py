"""The files deployer as a process (certman_local_deploy_tool files): files, modes, owner by name, idempotence,
the reload command's exit status and stderr, the timeout (the command is killed, with its children), and a
reload retried on the next run after it failed."""
import json
import os
import pwd
import grp
import subprocess
import tempfile
import time

BUILD = os.environ.get("CERTMAN_BUILD", "build")
TOOL = os.path.join(BUILD, "certman_local_deploy_tool")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_cert(d, tag):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
            "-subj", f"/CN={tag}.example.test", "-keyout", f"{tag}.key", "-out", f"{tag}.pem", cwd=d)
    return os.path.join(d, f"{tag}.pem"), os.path.join(d, f"{tag}.key")


def deploy(target, cert, key, *extra, reload=(), timeout=5):
    argv = [TOOL, "files", "--directory", target, "--cert", cert, "--key", key, "--chain", cert,
            "--timeout", str(timeout), *extra]
    if reload:
        argv += ["--", *reload]
    r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert (r.returncode == 0) == out["ok"], (r.returncode, out)
    return out


def main():
    d = tempfile.mkdtemp(prefix="files-deploy-")
    target = os.path.join(d, "nginx-certs")
    os.makedirs(target)
    cert1, key1 = make_cert(d, "one")
    cert2, key2 = make_cert(d, "two")
    log = os.path.join(d, "reloads.log")
    reload_ok = ("sh", "-c", 'echo reload >> "$0"', log)
    me, my_group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name

    out = deploy(target, cert1, key1, "--owner", me, "--group", my_group, reload=reload_ok)
    assert out["ok"] and out["changed"] and "exited 0" in out["detail"], out
    modes = {n: os.stat(os.path.join(target, n)).st_mode & 0o777 for n in os.listdir(target)}
    assert modes == {"fullchain.pem": 0o644, "privkey.pem": 0o600, "cert.pem": 0o644, "chain.pem": 0o644}, modes
    with open(os.path.join(target, "privkey.pem")) as f, open(key1) as k:
        assert f.read() == k.read()
    out = deploy(target, cert1, key1, reload=reload_ok)
    assert out["ok"] and not out["changed"], out
    with open(log) as f:
        assert f.read() == "reload\n", "reload ran although nothing changed"

    # A failing reload: status and stderr reported; the next run retries it although the files are current.
    fail_once = ("sh", "-c", '[ -e "$0" ] && exit 0; touch "$0"; echo "nginx: [emerg] cannot load" >&2; exit 1',
                 os.path.join(d, "tried"))
    out = deploy(target, cert2, key2, reload=fail_once)
    assert not out["ok"] and "exited with status 1" in out["last_error"], out
    assert "nginx: [emerg] cannot load" in out["last_error"], out
    out = deploy(target, cert2, key2, reload=fail_once)
    assert out["ok"] and out["changed"], out
    assert not os.path.exists(os.path.join(target, ".certman-reload-pending"))

    # Timeout: the command and the child it started are killed.
    marker = os.path.join(d, "survivor")
    hang = ("sh", "-c", f'(sleep 3; touch {marker}) & sleep 30')
    t0 = time.time()
    out = deploy(target, cert1, key1, reload=hang, timeout=1)
    assert not out["ok"] and "timed out" in out["last_error"] and out["error"], out
    assert time.time() - t0 < 10
    time.sleep(3.5)
    assert not os.path.exists(marker), "a child of the reload command survived the timeout"

    # Unknown owner: nothing written.
    out = deploy(os.path.join(d, "empty"), cert1, key1, "--owner", "no-such-user-certman")
    assert not out["ok"] and "unknown user 'no-such-user-certman'" in out["last_error"], out
    print("files deployer: OK")


if __name__ == "__main__":
    main()
