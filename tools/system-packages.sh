#!/bin/sh
# Installs the Debian packages the program and its tests need when they are missing and
# we are root on a Debian-like system. Elsewhere it only tells.
# Qt's libraries (the window, offscreen rendering, printing); then the standard tools of
# the bundle recovery recipe in docs/bundle-format.md (age, openssl, unzip), which
# tests/bundles/test_recovery.py runs for real.
set -eu
PKGS="libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0
libxkbcommon0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
libxkbcommon-x11-0 libcups2
age openssl unzip"
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends $missing >/dev/null
else
  echo "Missing system packages; install them (as root): apt-get install$missing" >&2
fi
