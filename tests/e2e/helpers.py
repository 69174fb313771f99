"""Browser-test helpers: a real `streamlit run` server on 127.0.0.1, and waiting for Streamlit to be idle."""

from __future__ import annotations

import http.server
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from policylens.paths import REPO_ROOT
from policylens.present import HELD, SLOT

CHROMIUM = "/usr/bin/chromium"
# The browser tests drive Debian's chromium-headless-shell: the same Chromium build (Blink, V8, its version) without
# the browser's window layer, which Playwright itself uses for headless runs. A page load costs it about two thirds of
# the full browser's CPU here (2.9 against 4.3 s, benchmarks/RESULTS.md, issue 21). Screenshots to look at, the
# benchmarks and server-side pictures (kaleido) use the full browser, ``CHROMIUM``.
TEST_BROWSER = "/usr/bin/chromium-headless-shell"
# The Story's slot of the slide the last run showed (on screen the Story draws each neighbour unseen in a slot of its
# own: components/story.py ``slides_in_slots``).
SHOWN_SLIDE = f".st-key-slide-view [class*='st-key-{SLOT}']:has(.{HELD}[data-current])"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
# The browser tests' Chromium runs every tab of one site in one renderer process (Chromium's process-per-site
# model), which a tab of ``keep_site_alive`` keeps running between tests: a page load then finds Streamlit's and
# Plotly's JavaScript compiled in that process's V8, where a new process compiled all of it again for every test's
# first page. A probe (five pages, five loads each, three rounds): 3.6 to 4.5 CPU s and 3.1 to 3.5 s a load with a
# process per tab, 2.6 to 2.8 CPU s and 1.7 to 1.8 s in one warm process (benchmarks/RESULTS.md, issue 21). Pages do
# not behave differently; the tabs of one context share a main thread, so files whose windows work at once use
# ``browser_with_a_process_per_tab`` (tests/e2e/conftest.py). The benchmarks keep ``CHROMIUM_ARGS``.
TEST_ARGS = [*CHROMIUM_ARGS, "--process-per-site"]


class _Blank(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = b"<!doctype html><title>keeps the site's renderer running</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


_blank: list[str] = []  # this worker's blank page, served on 127.0.0.1 once it is first needed


def keep_site_alive(context) -> object:
    """Open a tab at a blank page of the site every test server shares (http://127.0.0.1, any port), so that the
    site's renderer process outlives the tests' own tabs (``TEST_ARGS``: one process per site). Returns the tab,
    which ``is_keeper`` names."""
    if not _blank:
        site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Blank)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        _blank.append(f"http://127.0.0.1:{site.server_address[1]}/")
    tab = context.new_page()
    tab.goto(_blank[0])
    tab._policylens_keeper = True
    return tab


def is_keeper(tab) -> bool:
    return getattr(tab, "_policylens_keeper", False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env_extra: dict[str, str] | None = None, script: Path = REPO_ROOT / "app.py"):
        self.script = script
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env_extra or {})}
        self.proc: subprocess.Popen | None = None

    def start(self) -> Server:
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(self.script),
            "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(self.port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        # The log goes to a file: an unread pipe would block a chatty server.
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"streamlit exited: {self.log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().decode().strip() == "ok":
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("streamlit did not become healthy within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, size: int = 6000) -> str:
        """The end of the server's log, read without moving the file's offset (the server writes to the same open
        file): what a failed test shows beside its error."""
        log = getattr(self, "log", None)
        if log is None:
            return ""
        end = os.fstat(log.fileno()).st_size
        start = max(0, end - size)
        return os.pread(log.fileno(), end - start, start).decode(errors="replace")


# Streamlit's frontend looks for its server under the page's own path first (/expo/_stcore/health), gets a 404 and
# falls back to the root. Those two probes are the framework's, not errors of this app.
_BASE_PATH_PROBE = re.compile(r"^http://127\.0\.0\.1:\d+/[^?#]+/_stcore/(health|host-config)$")


def console_error(msg) -> str | None:
    if msg.type != "error":
        return None
    url = (msg.location or {}).get("url", "")
    if msg.text.startswith("Failed to load resource") and _BASE_PATH_PROBE.match(url):
        return None
    return f"console: {msg.text} ({url})"


# Every Content-Security-Policy violation of a page, recorded from its first script on (``page.add_init_script``).
# Streamlit's main module script: a test that holds it back keeps the live page from starting (the drawing stays up).
STREAMLIT_SCRIPT = re.compile(r".*/static/js/index\.[^/]+\.js$")

CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation',
    e => (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));
"""

# What a page link asks of the server when it connects at once (server/backend_base.py): one health check and one
# host-config request at the server's own address, and one websocket, with no detour through the page's own path.
AT_ITS_OWN_ADDRESS = {
    "health": ["/_stcore/health"],
    "host-config": ["/_stcore/host-config"],
    "websockets": ["/_stcore/stream"],
}


class Visit:
    """One browser tab's visit, watched from before its first request: its JavaScript and console errors, the
    Content-Security-Policy's refusals, and where it asked for the server. For walks over every page, so a page load
    checks all of these at once."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requested: list[str] = []
        self.sockets: list[str] = []
        page.add_init_script(CSP_VIOLATIONS)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", lambda msg: (error := console_error(msg)) and self.errors.append(error))
        page.on("request", lambda request: self.requested.append(urlsplit(request.url).path))
        page.on("websocket", lambda socket: self.sockets.append(urlsplit(socket.url).path))

    def violations(self) -> list[str]:
        """The policy's refusals since the page loaded, or since the last call."""
        return self.page.evaluate("() => (window.__violations || []).splice(0)")

    def server_addresses(self) -> dict[str, list[str]]:
        """The paths of the health checks, host-config requests and websockets asked for so far (compare with
        AT_ITS_OWN_ADDRESS)."""
        return {
            "health": [p for p in self.requested if p.endswith("/_stcore/health")],
            "host-config": [p for p in self.requested if p.endswith("/_stcore/host-config")],
            "websockets": list(self.sockets),
        }


def wait_idle(page, timeout: float = 90_000) -> None:
    """Wait until the app is connected, its script has finished, no skeleton is left (streamlit-notes.md) and the
    first paint has handed the page over to the live app (policylens/render/snapshot.py)."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid=stApp]');
            return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
                && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-testid=stSkeleton]')
                && !document.getElementById('pl-snapshot');
        }""",
        timeout=timeout,
    )


def settle(page, started_within: float = 3_000) -> bool:
    """After an action: wait for the rerun it triggers to start (if one starts in time), then for the app to be idle.

    Returns whether a rerun was seen. Checking idleness at once would race: right after a click the script state is
    still 'notRunning' from before.
    """
    try:
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'running'",
            timeout=started_within,
            polling=20,
        )
        started = True
    except PlaywrightTimeout:
        started = False
    wait_idle(page)
    return started


# Counts the messages a page's websockets send and receive (installed before the app's scripts: tests/e2e/conftest.py).
# A rerun after a click is a message sent; it is finished when a message came back, the script is idle and the
# socket has been quiet a moment. The script state alone can miss a short rerun: the browser may draw "running" and
# "not running" in one frame, and a click taken for lost would then be clicked again, undoing a toggle.
WS_COUNTER = """(() => {
  if (window.__ws) return;
  const counts = {out: 0, in: 0, lastIn: 0};
  window.__ws = counts;
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (...args) { counts.out += 1; return send.apply(this, args); };
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { counts.in += 1; counts.lastIn = performance.now(); });
    }
  };
})();"""

_RERUN_DONE = """([sentBefore, receivedBefore]) => {
  const ws = window.__ws, app = document.querySelector('[data-testid=stApp]');
  return ws.out > sentBefore && ws.in > receivedBefore && performance.now() - ws.lastIn > 250
    && app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid=stSkeleton]');
}"""


def _ws_counts(page) -> tuple[int, int] | None:
    """(sent, received) websocket messages so far, or None on a page without the counter."""
    counts = page.evaluate("() => window.__ws ? [window.__ws.out, window.__ws.in] : null")
    return tuple(counts) if counts else None


def act(page, action, started_within: float = 3_000) -> bool:
    """Do ``action()`` (a click, a key, an upload) and wait for the rerun it asks for; returns whether it asked for one
    within ``started_within`` ms (an upload sends its file first, then asks).

    On a page with the websocket counter the rerun is the message the page sends; without it, the script state.
    """
    before = _ws_counts(page)
    action()
    if before is None:
        return settle(page, started_within)
    try:
        page.wait_for_function(f"() => window.__ws.out > {before[0]}", timeout=started_within, polling=20)
    except PlaywrightTimeout:
        wait_idle(page)
        return False  # the action asked for nothing (it did not land, or had nothing to do)
    page.wait_for_function(_RERUN_DONE, arg=list(before), timeout=90_000, polling=50)
    return True


def click_mark(page, locator) -> None:
    """Click a Plotly mark at its centre (Plotly's drag layer swallows locator.click()) and wait for the rerun.

    A chart that has just been drawn may not take the first click yet: if no rerun is asked for, click once more.
    """
    for _ in range(2):
        locator.scroll_into_view_if_needed()  # a mouse click outside the viewport lands nowhere
        box = locator.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        if act(page, lambda x=x, y=y: page.mouse.click(x, y)):
            return
    raise AssertionError("clicking the mark started no rerun")


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
