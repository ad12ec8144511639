#!/usr/bin/env bash
# Build the installer folder (PyInstaller, one folder, three programs) and smoke-test it.
#
#   bash tools/build-installer.sh [OUT_DIR]
#
# OUT_DIR (or RECEPTION_BUNDLE_DIR) receives dist/reception/ (the folder to install) and build/ (PyInstaller's
# work files, reused by the next build); default /tmp/reception-bundle. Inside the project, use build/…
# (git-ignored), e.g. `bash tools/build-installer.sh build/installer`.
# Other settings: PYTHON (default .venv/bin/python), SKIP_SMOKE=1 to build only, CLEAN=1 for a clean build.
# PyInstaller does not cross-compile: run this on the OS the bundle is for (on Windows: Git Bash, with
# PYTHON=.venv/Scripts/python.exe). Not part of the test suite (it takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

OUT="${1:-${RECEPTION_BUNDLE_DIR:-/tmp/reception-bundle}}"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
DIST="$OUT/dist"
WORK="$OUT/build"
if [ -n "${PYTHON:-}" ]; then
  PY="$PYTHON"
elif [ -x .venv/bin/python ]; then
  PY=.venv/bin/python
elif [ -x .venv/Scripts/python.exe ]; then
  PY=.venv/Scripts/python.exe
else
  echo "No virtual environment: python3 -m venv .venv && .venv/bin/pip install -e . first (or set PYTHON)." >&2
  exit 1
fi

# The app itself must be importable from this interpreter (its dependencies are what gets bundled).
if ! "$PY" -c "import reception, PySide6, sklearn" 2>/dev/null; then
  echo "The app is not installed in $PY: run  $PY -m pip install -e .  first." >&2
  exit 1
fi
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  echo "Installing PyInstaller into the virtual environment…"
  "$PY" -m pip install --quiet pyinstaller
fi
echo "PyInstaller $("$PY" -m PyInstaller --version), Python $("$PY" -c 'import sys; print(sys.version.split()[0])')"

clean=()
if [ "${CLEAN:-0}" = 1 ]; then
  clean=(--clean)
fi
echo "Building into $DIST/reception (work files: $WORK; log: $OUT/pyinstaller.log)…"
start=$(date +%s)
if ! "$PY" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" build_installer.spec >"$OUT/pyinstaller.log" 2>&1; then
  tail -n 40 "$OUT/pyinstaller.log" >&2
  echo "PyInstaller failed; full log: $OUT/pyinstaller.log" >&2
  exit 1
fi
end=$(date +%s)
BUNDLE="$DIST/reception"
echo "Built in $((end - start)) s: $BUNDLE"
echo "Bundle size: $(du -sh "$BUNDLE" | cut -f1) ($(find "$BUNDLE" -type f | wc -l) files)"
if command -v tar >/dev/null 2>&1 && [ "${ARCHIVE:-0}" = 1 ]; then
  tar -C "$DIST" -czf "$OUT/reception-$(uname -s | tr 'A-Z' 'a-z')-$(uname -m).tar.gz" reception
  echo "Archive: $(ls -1 "$OUT"/reception-*.tar.gz) ($(du -sh "$OUT"/reception-*.tar.gz | cut -f1))"
fi

if [ "${SKIP_SMOKE:-0}" = 1 ]; then
  exit 0
fi
echo
echo "Smoke test:"
"$PY" "$ROOT/tools/smoke_bundle.py" "$BUNDLE"
