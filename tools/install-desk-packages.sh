#!/bin/sh
# The system packages the staff desk needs on Debian or Ubuntu: the libraries of Qt's X11 platform plugin
# (a desktop install often lacks libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1) and fonts that draw
# Chinese, including rare name characters (CJK Extension B). Installs only what is missing; elsewhere
# it says so and does nothing.
set -e
packages="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0
libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1 libfontconfig1
libdbus-1-3 libglib2.0-0 fonts-noto-cjk fonts-wqy-microhei fonts-hanazono"
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install Qt 6's xcb libraries and a CJK font with your package manager."
  exit 0
fi
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  run=""
elif command -v sudo >/dev/null 2>&1; then
  run="sudo"
else
  echo "Please install as root:  apt-get install$missing" >&2
  exit 1
fi
echo "Installing:$missing"
$run apt-get update -qq
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $run apt-get install -y -qq $missing >/dev/null
