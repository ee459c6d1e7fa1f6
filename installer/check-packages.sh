#!/usr/bin/env bash
# The packaging check CI runs after the tests: builds both .debs, checks them with
# lintian and the validators, installs them, runs the packaged hoistd as its
# service would (its user, its config), uploads a file to it, checks that a changed
# config survives a reinstall, then purges both packages and checks they are gone.
# Runs as root on Debian 12; leaves the machine as it found it, also on failure.
# Usage: installer/check-packages.sh    (env: BUILD_DIR=build-pkg, HOIST_JOBS=2)
# BUILD_DIR names a release build to package as it is (CI: BUILD_DIR=build, the
# build its tests just ran); a new one is configured and built (see package.cmake).
set -uo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD
build_dir=${BUILD_DIR:-$source_dir/build-pkg}
# apt-get takes a path only when it looks like one: make it absolute.
case $build_dir in /*) ;; *) build_dir=$source_dir/$build_dir ;; esac
jobs=${HOIST_JOBS:-2}
work=$(mktemp -d /tmp/hoist-check-packages.XXXXXX)
passed=0
failed=0
started=$SECONDS
hoistd_pid=
user_existed=no
getent passwd hoistd >/dev/null && user_existed=yes

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }
# check NAME COMMAND...: one counted check; its output is shown when it fails.
check() {
  local name=$1
  shift
  if "$@" >"$work/out" 2>&1; then
    pass "$name"
  else
    fail "$name"
    sed 's/^/    /' "$work/out"
    return 1
  fi
}
finish() {
  cleanup
  trap - EXIT
  echo "($((SECONDS - started)) s)"
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit
}

# Half-installed and config-files count too: only a purge leaves nothing.
installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qvx not-installed; }
# apt-get refuses the whole purge if it names a package it has never seen.
purge_installed() {
  local packages=()
  for p in hoist hoistd; do installed "$p" && packages+=("$p"); done
  [ ${#packages[@]} -eq 0 ] ||
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}"
}

cleanup() {
  if [ -n "$hoistd_pid" ] && kill -0 "$hoistd_pid" 2>/dev/null; then
    kill -TERM "$hoistd_pid"
    wait "$hoistd_pid" 2>/dev/null
  fi
  purge_installed >/dev/null 2>&1
  # The package keeps its system user on purge, as Debian asks; the check does not.
  if [ "$user_existed" = no ] && getent passwd hoistd >/dev/null; then
    userdel hoistd
    getent group hoistd >/dev/null && groupdel hoistd
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
  fail "running as root (it installs and purges packages)"
  finish
fi
if installed hoist || installed hoistd; then
  echo "hoist or hoistd is installed on this machine; the check would purge it. Remove it first." >&2
  fail "machine has no hoist packages installed"
  finish
fi

apt_install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

check "build dependencies installed" scripts/install-deps.sh run || finish
check "check tools installed" \
  apt_install_missing dpkg-dev lintian desktop-file-utils appstream systemd curl || finish

# --- build ---------------------------------------------------------------------
start=$SECONDS
check "packages built" \
  cmake -DBUILD_DIR="$build_dir" -DJOBS="$jobs" -P installer/package.cmake || finish
echo "    ($build_dir, build and cpack: $((SECONDS - start)) s)"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
arch=$(dpkg --print-architecture)
hoistd_deb=$build_dir/hoistd_${version}_${arch}.deb
hoist_deb=$build_dir/hoist_${version}_${arch}.deb
check "hoistd package exists" test -f "$hoistd_deb" || finish
debs=("$hoistd_deb")
# Without the app the check fails, but still checks the server's package.
app=no
if check "hoist package exists" test -f "$hoist_deb"; then
  app=yes
  debs+=("$hoist_deb")
else
  echo "    no hoist package: the 'hoist' target was not configured (see the configure" \
       "output in $build_dir: HOIST_BUILD_UI, or app/ failing to configure)"
fi

# --- static checks of what ships ------------------------------------------------
for deb in "${debs[@]}"; do
  check "lintian: no errors in $(basename "$deb")" lintian --fail-on error "$deb"
done
lintian "${debs[@]}" 2>/dev/null | sed 's/^/    lintian: /'
if [ "$app" = yes ]; then
  dpkg-deb -x "$hoist_deb" "$work/hoist"
  check "desktop-file-validate" \
    desktop-file-validate "$work/hoist/usr/share/applications/hoist.desktop"
  check "appstreamcli validate" \
    appstreamcli validate --no-net "$work"/hoist/usr/share/metainfo/*.metainfo.xml
fi

# --- install ---------------------------------------------------------------------
check "apt-get install the packages" \
  env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" || finish
# verify only warns about a bad setting (and then ignores it): any output fails.
verify_unit() {
  local out
  out=$(systemd-analyze verify /lib/systemd/system/hoistd.service 2>&1) && [ -z "$out" ] ||
    { echo "$out"; return 1; }
}
check "systemd-analyze verify hoistd.service" verify_unit
# Exposure on systemd's 0-10 scale, here times ten: the unit scores about 1.3, so
# losing a piece of hardening fails the check.
check "systemd-analyze security: exposure at most 2.0" \
  systemd-analyze security --offline=true --threshold=20 /lib/systemd/system/hoistd.service
check "hoistd.service enabled" test -L /etc/systemd/system/multi-user.target.wants/hoistd.service
check "hoistd --version" bash -c "[ \"\$(hoistd --version)\" = 'hoistd $version' ]"
[ "$app" = yes ] && check "hoist --version" bash -c "[ \"\$(hoist --version)\" = 'hoist $version' ]"
check "config is root:hoistd 0640" \
  bash -c '[ "$(stat -c %U:%G:%a /etc/hoistd/hoistd.conf /etc/hoistd/tokens | sort -u)" = root:hoistd:640 ]'
check "hardened nginx sample installed" test -s /usr/share/doc/hoistd/examples/nginx-hoistd.conf
check "data dir belongs to hoistd" \
  bash -c '[ "$(stat -c %U:%G:%a /var/lib/hoistd)" = hoistd:hoistd:750 ]'

# --- run hoistd as the unit would: its user, its config, no privileges ------------
# Port 0: the check must not collide with anything listening on 8080.
setpriv --reuid=hoistd --regid=hoistd --init-groups --no-new-privs --inh-caps=-all \
  env -i PATH=/usr/bin:/bin /usr/bin/hoistd --config /etc/hoistd/hoistd.conf \
  --listen 127.0.0.1:0 >"$work/hoistd.out" 2>"$work/hoistd.err" &
hoistd_pid=$!
wait_for_listening() {
  for _ in $(seq 100); do
    url=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$work/hoistd.out")
    [ -n "$url" ] && return 0
    kill -0 "$hoistd_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/hoistd.err"
  return 1
}
if check "hoistd starts as user hoistd with the packaged config" wait_for_listening; then
  check "GET /healthz answers ok" \
    bash -c "curl -sf '$url/healthz' | grep -q '\"ok\"'"
  upload() {
    local token id
    token=$(cat /var/lib/hoistd/dev-token)
    id=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
           -d '{"fileName":"probe.txt","size":6}' "$url/upload/init" |
         sed -n 's/.*"sessionId": *"\([^"]*\)".*/\1/p')
    [ -n "$id" ] &&
      printf 'hoist\n' | curl -sf -X PUT -H "Authorization: Bearer $token" \
        -H 'X-Upload-Offset: 0' -H 'Content-Type: application/octet-stream' \
        --data-binary @- "$url/upload/$id" &&
      curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{}' "$url/upload/$id/complete" | grep -q '"completed"' &&
      [ "$(find /var/lib/hoistd -user hoistd -name hoistd.db | wc -l)" = 1 ]
  }
  check "an upload lands in /var/lib/hoistd" upload
  check "SIGTERM stops hoistd with status 0" \
    bash -c "kill -TERM $hoistd_pid; for _ in \$(seq 100); do kill -0 $hoistd_pid 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
  wait "$hoistd_pid"
  status=$?
  hoistd_pid=
  check "hoistd exit status was 0" test "$status" -eq 0
fi

# --- upgrades keep an admin's config --------------------------------------------
echo "# changed by the admin" >>/etc/hoistd/hoistd.conf
check "reinstall keeps a changed config" \
  bash -c "DEBIAN_FRONTEND=noninteractive dpkg -i '$hoistd_deb' </dev/null &&
           tail -n 1 /etc/hoistd/hoistd.conf | grep -qx '# changed by the admin' &&
           [ \"\$(stat -c %U:%G:%a /etc/hoistd/hoistd.conf)\" = root:hoistd:640 ]"

# --- purge -------------------------------------------------------------------------
check "apt-get purge the packages" purge_installed
packages_gone() { ! installed hoist && ! installed hoistd; }
check "packages are gone" packages_gone
check "no files left behind" \
  bash -c '! ls -d /usr/bin/hoist /usr/bin/hoistd /etc/hoistd /var/lib/hoistd \
             /lib/systemd/system/hoistd.service /etc/systemd/system/hoistd.service \
             /etc/systemd/system/*/hoistd.service /var/lib/systemd/deb-systemd-helper-*/*hoistd* \
             /var/lib/systemd/deb-systemd-helper-*/*/hoistd.service 2>/dev/null | grep -q .'

finish
