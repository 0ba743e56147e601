#!/usr/bin/env bash
# The Debian package, built from this build folder and unpacked into a scratch
# root (dpkg -x: no root rights, nothing touches the machine), holds what
# docs/deploy.md says, depends on the libraries the binary links, and its
# binary runs: --version, check of the installed policies, a decision, and
# `serve` answering /healthz on a loopback port.
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

(cd "$scratch" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) ||
  { cat "$scratch/cpack.log"; fail "cpack could not build the package"; }
deb=$(ls "$scratch"/out/rulebook_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no rulebook_*.deb in $scratch/out"
echo "package: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# Control fields: the runtime libraries the binary links are dependencies.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libc6 libstdc++6 libcpp-httplib adduser; do
  grep -q "$lib" <<<"$depends" || fail "Depends does not name $lib"
done
dpkg-deb -e "$deb" "$scratch/control"
for f in postinst prerm postrm conffiles; do [ -f "$scratch/control/$f" ] || fail "control file $f missing"; done
grep -qx /etc/rulebook/policies/aps/s26-2022.rules "$scratch/control/conffiles" || fail "policies are not conffiles"
grep -qx /etc/default/rulebook "$scratch/control/conffiles" || fail "/etc/default/rulebook is not a conffile"

# Contents, in the usual places.
root="$scratch/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/rulebook lib/systemd/system/rulebook.service etc/default/rulebook etc/logrotate.d/rulebook \
         etc/rulebook/policies/aps/s26-2022.rules usr/share/rulebook/policies/aps/s26-2022.rules \
         usr/share/doc/rulebook/README.md usr/share/doc/rulebook/LICENSE usr/share/doc/rulebook/NOTICE \
         usr/share/doc/rulebook/docs/http-api.md; do
  [ -e "$root/$f" ] || fail "the package does not install /$f"
done
grep -q '^User=rulebook$' "$root/lib/systemd/system/rulebook.service" || fail "the unit does not run as the rulebook user"
grep -q -- '--watch' "$root/lib/systemd/system/rulebook.service" || fail "the unit does not watch the policies"
grep -q '/var/log/rulebook/' "$root/lib/systemd/system/rulebook.service" || fail "the unit does not log under /var/log/rulebook"

# The installed binary runs.
bin="$root/usr/bin/rulebook"
"$bin" --version | grep -Eq '^rulebook [0-9]+\.[0-9]+\.[0-9]+ \(revision [^,]+, built [0-9]{4}-[0-9]{2}-[0-9]{2}\)$' ||
  fail "--version printed: $("$bin" --version)"
"$bin" check "$root/etc/rulebook/policies" >"$scratch/check.log" 2>&1 || { cat "$scratch/check.log"; fail "installed policies do not check"; }
grep -q " 0 errors" "$scratch/check.log" || fail "check did not report 0 errors"
out=$("$bin" decide aps.s26 --policies "$root/etc/rulebook/policies" --facts "$root/usr/share/doc/rulebook/examples/requests/aps.s26.json")
grep -q '"outcome":"approved"' <<<"$out" || fail "the installed binary decided: $out"

# ... and serves.
"$bin" serve --policies "$root/etc/rulebook/policies" --host 127.0.0.1 --port 0 >"$scratch/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do grep -q "listening on" "$scratch/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$scratch/serve.log" | head -n 1)
[ -n "$url" ] || { cat "$scratch/serve.log"; fail "the installed binary did not start serving"; }
curl -sf "$url/healthz" >/dev/null || fail "GET /healthz failed on $url"
echo "deb_test: the package installs and serves"
