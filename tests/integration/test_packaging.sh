#!/usr/bin/env bash
# The Debian package and the systemd unit (docs/deploying-on-alibaba.md, "The package on any Debian 12 host"):
#   cpack builds certman_<version>_amd64.deb from the already built tree ($CERTMAN_BUILD);
#   dpkg-deb shows the files, modes, conffile, maintainer scripts and dependencies; lintian reports no error;
#   dpkg --root installs it into a throwaway tree (maintainer scripts run chrootless with DPKG_ROOT, so the
#   host's users, units and processes are never touched): user, group, modes, then remove stops a running
#   "daemon" started from that tree, and purge deletes the state directory;
#   systemd-analyze verifies the unit (pointed at the built binary) and rates its exposure.
# Needs root for dpkg --root (file ownership); that part is skipped with a message otherwise.
set -uo pipefail
src=${CERTMAN_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${CERTMAN_BUILD:-$src/build}
bin=${CERTMAN_BIN:-$build/certman}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0; failed=0; skipped=0
ok()   { echo "ok   $*"; passed=$((passed + 1)); }
bad()  { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "SKIP $*"; skipped=$((skipped + 1)); }
expect() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
have() { command -v "$1" >/dev/null 2>&1; }
quiet() { "$@" >"$tmp/last.log" 2>&1 || { cat "$tmp/last.log"; return 1; }; }

# ---- build the package ---------------------------------------------------------------------------------------
if [ ! -f "$build/CPackConfig.cmake" ]; then
  bad "no $build/CPackConfig.cmake (cmake/packaging.cmake not included?)"; echo "$passed passed, $failed failed"; exit 1
fi
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
deb=$tmp/out/certman_${version}_amd64.deb
(cd "$build" && cpack --config CPackConfig.cmake -B "$tmp/out" >"$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; }
expect "cpack built $(basename "$deb")" test -f "$deb"
[ -f "$deb" ] || { echo "$passed passed, $failed failed"; exit 1; }

# ---- inspect it ----------------------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $1, $2, $6}' | sed 's#\./#/#' >"$tmp/contents"
has_entry() { grep -qx -- "$1 $2 $3" "$tmp/contents"; }
expect "binary /usr/bin/certman -rwxr-xr-x root" has_entry -rwxr-xr-x root/root /usr/bin/certman
expect "config /etc/certman/certman.toml -rw-r----- root" has_entry -rw-r----- root/root /etc/certman/certman.toml
expect "unit /lib/systemd/system/certman.service 0644" has_entry -rw-r--r-- root/root /lib/systemd/system/certman.service
expect "copyright and changelog.gz in /usr/share/doc/certman" \
  bash -c "grep -q ' /usr/share/doc/certman/copyright$' '$tmp/contents' && grep -q ' /usr/share/doc/certman/changelog.gz$' '$tmp/contents'"
expect "nothing outside /usr/bin, /etc/certman, /lib/systemd/system, /usr/share/{doc/certman,man/man8}" \
  bash -c "! awk '{print \$3}' '$tmp/contents' | grep -vE '^/(usr/?|usr/bin/(certman)?|etc/?|etc/certman/(certman.toml)?|lib/?|lib/systemd/?|lib/systemd/system/(certman.service)?|usr/share/?|usr/share/doc/?|usr/share/doc/certman/.*|usr/share/man/?|usr/share/man/man8/?|usr/share/man/man8/certman.8.gz)$'"
# certman(8): the unit's Documentation=man:certman(8); built from --help, so every --help line is in it.
expect "man page /usr/share/man/man8/certman.8.gz 0644" has_entry -rw-r--r-- root/root /usr/share/man/man8/certman.8.gz
mkdir -p "$tmp/man/man8"
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/man/man8/certman.8.gz >"$tmp/man/man8/certman.8.gz"
if have man; then
  # The check lintian runs (groff warnings on), then the text: each non-empty line of --help appears.
  LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$tmp/man/man8/certman.8.gz" \
    >/dev/null 2>"$tmp/man.warn"
  expect "man --warnings renders certman(8) without a warning" [ ! -s "$tmp/man.warn" ] || cat "$tmp/man.warn"
  MANWIDTH=200 man -l "$tmp/man/man8/certman.8.gz" 2>/dev/null | col -b >"$tmp/man.txt"
  expect "certman(8) holds every line of certman --help and of each subcommand's --help" python3 - "$bin" "$tmp/man.txt" <<'PY'
import re, subprocess, sys
binary, page = sys.argv[1], open(sys.argv[2]).read()
norm = lambda s: re.sub(r"\s+", " ", s).strip()
text = norm(page)
top = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout.replace(binary, "certman")
subs = re.findall(r"^  ([a-z][a-z-]*) ", top.split("Subcommands:")[1], re.M)
helps = [top] + [subprocess.run([binary, s, "--help"], capture_output=True, text=True).stdout.replace(binary, "certman")
                 for s in subs]
# The first line of the top-level help ("certman: <summary>") is the page's NAME line, "certman - <summary>".
missing = [l for h in helps for l in h.splitlines() if norm(l) and norm(re.sub(r"^certman: ", "", l)) not in text]
assert subs and not missing, missing[:5]
PY
else
  skip "man page rendering: man-db not installed"
fi
expect "conffiles lists exactly /etc/certman/certman.toml" \
  bash -c "[ \"\$(dpkg-deb -I '$deb' conffiles)\" = /etc/certman/certman.toml ]"
for s in postinst prerm postrm; do
  expect "maintainer script $s present and executable" \
    bash -c "dpkg-deb -I '$deb' | grep -Eq '^ +[0-9]+ bytes, +[0-9]+ lines +\\* +$s '"
done
expect "package name, version, architecture" \
  bash -c "[ \"\$(dpkg-deb -f '$deb' Package Version Architecture | tr '\n' ' ')\" = 'Package: certman Version: $version Architecture: amd64 ' ]"
expect "depends on passwd (useradd) and libc6" bash -c "dpkg-deb -f '$deb' Depends | grep -q passwd && dpkg-deb -f '$deb' Depends | grep -q libc6"
expect "binary is stripped" bash -c "dpkg-deb --fsys-tarfile '$deb' | tar -xOf - ./usr/bin/certman > '$tmp/stripped' && ! readelf -S '$tmp/stripped' | grep -q '\\.debug_info'"
for s in postinst prerm postrm; do
  dpkg-deb -I "$deb" "$s" >"$tmp/$s"
  expect "$s passes sh -n" sh -n "$tmp/$s"
done

if have lintian; then
  lintian "$deb" >"$tmp/lintian" 2>&1
  errors=$(grep -c '^E:' "$tmp/lintian")
  expect "lintian: no errors ($(grep -c '^W:' "$tmp/lintian") warnings)" [ "$errors" -eq 0 ]
  grep -E '^(E|W):' "$tmp/lintian" | sed 's/^/     lintian /'
else
  skip "lintian not installed (deploy/install-deps.sh test)"
fi

# ---- install, remove and purge in a throwaway root ---------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
  skip "dpkg --root install/remove: needs root (file ownership)"
else
  root=$tmp/root
  mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
  touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\n' >"$root/etc/group"
  printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
  printf 'root:*::\n' >"$root/etc/gshadow"
  chmod 0640 "$root/etc/shadow" "$root/etc/gshadow"
  host_passwd=$(sha256sum /etc/passwd /etc/group)
  # A systemctl that only records its calls comes first in PATH: with DPKG_ROOT set the scripts must not
  # call it at all (and if they did, the host's services would still be safe).
  mkdir -p "$tmp/fakebin"
  printf '#!/bin/sh\necho "systemctl $*" >>"%s"\n' "$tmp/systemctl.calls" >"$tmp/fakebin/systemctl"
  chmod +x "$tmp/fakebin/systemctl"
  dpkgr() { PATH="$tmp/fakebin:$PATH" dpkg --root="$root" --force-script-chrootless --force-depends "$@"; }
  dpkgr -i "$deb" >"$tmp/install.log" 2>&1
  expect "dpkg --root -i succeeds" grep -q 'Setting up certman' "$tmp/install.log" || cat "$tmp/install.log"
  expect "status: install ok installed" \
    bash -c "[ \"\$(dpkg-query --admindir='$root/var/lib/dpkg' -W -f='\${Status}' certman)\" = 'install ok installed' ]"
  user=$(grep '^certman:' "$root/etc/passwd")
  IFS=: read -r _ _ uid gid _ home shell <<<"$user"
  expect "system user certman created (uid $uid < 1000, home /var/lib/certman, nologin)" \
    bash -c "[ -n '$uid' ] && [ '$uid' -lt 1000 ] && [ '$home' = /var/lib/certman ] && [ '$shell' = /usr/sbin/nologin ]"
  expect "group certman created, the user's primary group" bash -c "grep -q '^certman:x:$gid:' '$root/etc/group'"
  st() { stat -c '%a %u:%g' "$root$1"; }
  expect "/var/lib/certman is 0700 certman:certman ($(st /var/lib/certman))" [ "$(st /var/lib/certman)" = "700 $uid:$gid" ]
  expect "/etc/certman is 0750 root:certman ($(st /etc/certman))" [ "$(st /etc/certman)" = "750 0:$gid" ]
  expect "/etc/certman/certman.toml is 0640 root:certman ($(st /etc/certman/certman.toml))" \
    [ "$(st /etc/certman/certman.toml)" = "640 0:$gid" ]
  expect "/usr/bin/certman is 0755 root" [ "$(st /usr/bin/certman)" = "755 0:0" ]
  expect "the host's /etc/passwd and /etc/group are untouched" [ "$(sha256sum /etc/passwd /etc/group)" = "$host_passwd" ]
  if "$root/usr/bin/certman" --help 2>&1 | grep -q check-config; then
    expect "the packaged example configuration passes check-config" \
      quiet "$root/usr/bin/certman" check-config -c "$root/etc/certman/certman.toml"
  else
    skip "check-config of the packaged configuration: this certman has no check-config command yet"
  fi
  # Reinstalling (upgrade path: prerm upgrade, postinst configure <old>) keeps everything in place.
  dpkgr -i "$deb" >"$tmp/reinstall.log" 2>&1
  expect "reinstall over itself succeeds and keeps the modes" \
    bash -c "grep -q 'Setting up certman' '$tmp/reinstall.log' && [ \"\$(stat -c '%a %u' '$root/var/lib/certman')\" = '700 $uid' ]"
  # A daemon left running from the tree's binary must be stopped by remove: stand in a long sleep for it.
  cp /bin/sleep "$root/usr/bin/certman"
  "$root/usr/bin/certman" 600 &
  daemon=$!; pids+=("$daemon")
  sleep 0.2
  expect "stand-in daemon is running" kill -0 "$daemon"
  dpkgr -r certman >"$tmp/remove.log" 2>&1
  sleep 0.3
  expect "dpkg --root -r stops the running daemon" bash -c "! kill -0 $daemon 2>/dev/null || ! grep -q . /proc/$daemon/cmdline"
  wait "$daemon" 2>/dev/null
  expect "remove deletes the binary and unit, keeps the conffile and state" \
    bash -c "[ ! -e '$root/usr/bin/certman' ] && [ ! -e '$root/lib/systemd/system/certman.service' ] && [ -f '$root/etc/certman/certman.toml' ] && [ -d '$root/var/lib/certman' ]"
  mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
  ln -sf /lib/systemd/system/certman.service "$root/etc/systemd/system/multi-user.target.wants/certman.service"
  dpkgr -P certman >"$tmp/purge.log" 2>&1
  expect "purge deletes /var/lib/certman, /etc/certman and the enablement link" \
    bash -c "[ ! -e '$root/var/lib/certman' ] && [ ! -e '$root/etc/certman' ] && [ ! -L '$root/etc/systemd/system/multi-user.target.wants/certman.service' ]"
  expect "no maintainer script called systemctl for the throwaway root" [ ! -s "$tmp/systemctl.calls" ]
  expect "purge keeps the certman user (Debian practice)" grep -q '^certman:' "$root/etc/passwd"
  expect "status after purge: not installed" \
    bash -c "! dpkg-query --admindir='$root/var/lib/dpkg' -W -f='\${Status}' certman 2>/dev/null | grep -q installed"
fi

# ---- the systemd unit ----------------------------------------------------------------------------------------
unit=$src/deploy/systemd/certman.service
for d in 'Type=notify' 'Restart=on-failure' 'StartLimitIntervalSec=0' 'LimitCORE=0' 'ExecReload=/bin/kill -HUP $MAINPID' 'StateDirectory=certman' \
         'StateDirectoryMode=0700' 'User=certman' 'Group=certman' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
         'ProtectHome=yes' 'PrivateTmp=yes' 'CapabilityBoundingSet=' 'AmbientCapabilities=' \
         'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'SystemCallFilter=@system-service' \
         'ExecStart=/usr/bin/certman run -c /etc/certman/certman.toml' 'WantedBy=multi-user.target'; do
  expect "unit has $d" grep -qxF -- "$d" "$unit"
done
expect "unit has a watchdog (WatchdogSec=<n>)" grep -qE '^WatchdogSec=[1-9][0-9]*s?$' "$unit"
# A start limit would leave a crashing daemon stopped for good (the backoff is persisted, so it protects nothing).
expect "unit sets no StartLimitBurst (restarts never stop)" bash -c "! grep -q '^StartLimitBurst=' '$unit'"
if have systemd-analyze; then
  mkdir -p "$tmp/unit"
  sed "s#/usr/bin/certman#$bin#g" "$unit" >"$tmp/unit/certman.service"
  expect "systemd-analyze verify (ExecStart -> $bin)" systemd-analyze verify --man=no "$tmp/unit/certman.service"
  # With the man-page check on: Documentation=man:certman(8) must resolve, here to the page from the .deb.
  expect "systemd-analyze verify --man=yes finds certman(8) (the packaged page)" \
    env MANPATH="$tmp/man" systemd-analyze verify --man=yes "$tmp/unit/certman.service"
  expect "systemd-analyze verify --man=yes fails without the page" \
    bash -c "! env MANPATH='$tmp/no-man' systemd-analyze verify --man=yes '$tmp/unit/certman.service' >/dev/null 2>&1"
  score=$(systemd-analyze security --offline=true "$tmp/unit/certman.service" 2>/dev/null | sed -n 's/.*Overall exposure level for certman.service: \([0-9.]*\).*/\1/p')
  expect "systemd-analyze security exposure ${score:-?} <= 2.0" awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
  # The check must be able to fail: the same unit with a missing binary is refused.
  sed "s#$bin#$tmp/no-such-certman#g" "$tmp/unit/certman.service" >"$tmp/unit/broken.service"
  expect "systemd-analyze verify rejects a copy whose binary is missing" \
    bash -c "! systemd-analyze verify --man=no '$tmp/unit/broken.service' >/dev/null 2>&1"
else
  skip "systemd-analyze not installed (package systemd)"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
