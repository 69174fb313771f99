#!/usr/bin/env bash
# Prepare a fresh machine: a virtual environment with the pinned packages, (with --browser) Debian's Chromium, which
# the browser tests drive (Playwright cannot download a browser here), and (with --nginx) Debian's nginx and
# redis-server, which `make cluster` and the cluster test put in front of and beside the app's replicas.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
want_nginx=0
requirements=requirements.txt
for arg in "$@"; do
  case "$arg" in
    --dev) requirements=requirements-dev.txt ;;
    --browser) want_browser=1 ;;
    --nginx) want_nginx=1 ;;
    *) echo "usage: scripts/setup.sh [--dev] [--browser] [--nginx]" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)-$(basename "$requirements")
if [ ! -f "$stamp" ]; then
  # The pinned packages through uv (pinned too), which installs them in parallel from its cache: 7 s from an empty
  # cache against pip's 25 s here, most of a fresh `make test`'s setup (issue 21). pip stays the way if uv cannot be
  # had. Neither compiles the installed files up front: Python compiles a module when it is first imported (and
  # keeps it); compiling plotly's thousands of files was half of pip's time (60 s against 23 s).
  if .venv/bin/python -m pip install --quiet --disable-pip-version-check uv==0.13.8 &&
    .venv/bin/uv pip install --quiet --python .venv/bin/python -r "$requirements"; then
    :
  else
    echo "uv could not install the packages; installing them with pip." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-compile -r "$requirements"
  fi
  touch "$stamp"
fi

# The browser tests' accessibility check injects axe-core (pinned in tests/e2e/package-lock.json) into each page.
if [ "$requirements" = requirements-dev.txt ]; then
  lock=tests/e2e/package-lock.json
  stamp_npm=tests/e2e/node_modules/.installed-$(sha256sum "$lock" | cut -c1-16)
  if [ ! -f "$stamp_npm" ]; then
    if ! command -v npm >/dev/null; then
      if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing Debian's npm for the accessibility tests..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
      else
        echo "The accessibility tests need npm to install axe-core: run 'sudo apt-get install npm'." >&2
        exit 1
      fi
    fi
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp_npm"
  fi
fi

# The browser tests drive chromium-headless-shell (the same build without the browser's window layer: a third less
# CPU per page load, issue 21); the full chromium draws the server's chart pictures (kaleido) and the screenshots.
if [ "$want_browser" = 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromium-headless-shell ]; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium and chromium-headless-shell for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null
  else
    echo "The browser tests need Debian's chromium and chromium-headless-shell: run" \
      "'sudo apt-get install chromium chromium-headless-shell'." >&2
    exit 1
  fi
fi

# Chart pictures and slides (issue 8): Chinese titles need a CJK font where kaleido renders them, and the deck test
# converts the .pptx with LibreOffice (about 45 s to install here, without its recommended extras) and draws the
# PDF's pages as pictures with poppler's pdftoppm (issue 22). Tests only: the app needs none of the three.
if [ "$want_browser" = 1 ] && { ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 || ! command -v soffice >/dev/null ||
  ! command -v pdftoppm >/dev/null; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's fonts-noto-cjk, libreoffice-impress and poppler-utils for the chart-image and slide tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk libreoffice-impress \
      poppler-utils >/dev/null
  else
    echo "The image and slide tests need Debian's fonts-noto-cjk, libreoffice-impress and poppler-utils: run" \
      "'sudo apt-get install --no-install-recommends fonts-noto-cjk libreoffice-impress poppler-utils'." >&2
    exit 1
  fi
fi

if [ "$want_nginx" = 1 ] && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's nginx for the cluster layout..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "make cluster and its test need Debian's nginx at /usr/sbin/nginx: run 'sudo apt-get install nginx'." >&2
    exit 1
  fi
fi

# The presenter's rooms across replicas (issue 22): `make cluster` and the tests that need it start Debian's
# redis-server on 127.0.0.1 (scripts/redis_local.py).
if [ "$want_nginx" = 1 ] && [ ! -x /usr/bin/redis-server ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's redis-server for the presenter's rooms across replicas..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "make cluster and its tests need Debian's redis-server: run 'sudo apt-get install redis-server'." >&2
    exit 1
  fi
fi
