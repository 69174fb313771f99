#!/usr/bin/env bash
# Prepare a fresh machine: a virtual environment with the pinned packages, and (with --browser) Debian's Chromium,
# which the browser tests drive (Playwright cannot download a browser here).
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
requirements=requirements.txt
for arg in "$@"; do
  case "$arg" in
    --dev) requirements=requirements-dev.txt ;;
    --browser) want_browser=1 ;;
    *) echo "usage: scripts/setup.sh [--dev] [--browser]" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$(basename "$requirements")
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'." >&2
    exit 1
  fi
fi
