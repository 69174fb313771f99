"""Where a page's time goes: the server's script run (cProfile), what the run sends, and the browser's share.

Run: .venv/bin/python benchmarks/profile_pages.py [--runs N] [--json PATH] [--skip-browser]

1. What each run sends and what it costs the server, from a real ``streamlit run app.py`` on 127.0.0.1 and the
   protocol client (benchmarks/stclient.py): elements, blocks, Plotly charts and bytes per run, the wall time from
   the rerun request to ``script_finished``, and the server process's CPU time per warm rerun (/proc/<pid>/stat),
   which is what bounds how many updates one process serves per second. The same for each chart click.
2. Where the script's time goes, with AppTest in this process: the script thread under cProfile with a CPU-time
   timer (``time.thread_time``: other work on the machine does not count), the time each library spends when
   called from each layer (policylens building views and figures, components drawing them, Streamlit marshalling
   elements: figures to JSON, frames to Arrow), and, in runs without the profiler, the CPU time of each chart card,
   of the statement cards and of the view's build.
3. The browser's share, in headless chromium: for a warm load and for each chart click, the time to the first
   ``running`` (HTML, bundles, websocket), from there to ``notRunning`` (the run: the server's work and the
   browser drawing deltas as they come), and from there to every chart drawn; the renderer's main-thread time
   (CDP Performance metrics: script, layout, style) and a JavaScript CPU profile split by bundle (Plotly's chart
   bundle, Streamlit's main bundle, the rest). The JavaScript chunks each page makes a browser fetch are listed.

Prints Markdown tables; ``--json`` keeps every figure. Traffic goes only to the server started here.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_browser import INSTRUMENT, MARK_JS  # noqa: E402
from benchmarks.bench_setup import CLICKS, VIEWPORT, Click  # noqa: E402
from benchmarks.procstat import cpu_seconds  # noqa: E402
from benchmarks.sampler import SITECUSTOMIZE  # noqa: E402
from benchmarks.stclient import Session, bar_point, node_point  # noqa: E402
from policylens.views import PAGES as REGISTRY  # noqa: E402
from tests.e2e.helpers import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

PAGES = [page.url for page in REGISTRY]
NO_GC = {"STREAMLIT_RUNNER_POST_SCRIPT_GC": "false"}  # Streamlit's runner.postScriptGC: gc.collect(2) after each run
SCRIPT_OF = {page.url: page.script for page in REGISTRY}


# ------------------------------------------------------------------------------------------- 1. the real server


async def server_costs(server: Server, runs: int) -> dict:
    out: dict = {"pages": {}, "clicks": {}}
    pid = server.proc.pid
    for path in PAGES:
        session = await Session(server.url).connect()
        try:
            await session.open(path)
            walls, sizes = [], None
            cpu_before = cpu_seconds(pid)
            for _ in range(runs):
                run = await session.open(path)
                walls.append(run.seconds)
                sizes = run
            cpu = (cpu_seconds(pid) - cpu_before) / runs
        finally:
            await session.close()
        out["pages"][path] = {
            "wall_s": statistics.median(walls),
            "cpu_s": cpu,
            "elements": sizes.elements,
            "blocks": sizes.blocks,
            "charts": sizes.kinds.get("plotly_chart", 0),
            "bytes": sizes.bytes,
            "chart_bytes": sizes.chart_bytes,
            "kinds": dict(sizes.kinds.most_common()),
        }
    for click in CLICKS:
        session = await Session(server.url).connect()
        try:
            await session.open(click.path)
            walls = []
            cpu_before = cpu_seconds(pid)
            for i in range(runs * 2):
                spec = session.last.charts[click.key]["spec"]
                mark = click.marks[i % 2]
                point = node_point(spec, mark) if click.kind == "node" else bar_point(spec, mark)
                run = await session.select(click.key, point)
                walls.append(run.seconds)
            cpu = (cpu_seconds(pid) - cpu_before) / (runs * 2)
        finally:
            await session.close()
        out["clicks"][click.name] = {"wall_s": statistics.median(walls), "cpu_s": cpu, "elements": run.elements}
    return out


async def bare_costs(runs: int) -> dict:
    """The bare page's CPU per rerun and per click, with and without the post-script GC."""
    from benchmarks.bench_setup import BARE_CLICK, BENCH
    from benchmarks.stclient import index_point

    out = {}
    for name, env in (("default", {}), ("without post-script GC", NO_GC)):
        server = Server(env, script=BENCH / "bare_page.py").start()
        try:
            session = await Session(server.url).connect()
            await session.open("/")
            await session.open("/")
            before = cpu_seconds(server.proc.pid)
            for _ in range(runs):
                await session.open("/")
            rerun = (cpu_seconds(server.proc.pid) - before) / runs
            before = cpu_seconds(server.proc.pid)
            for i in range(runs * 2):
                await session.select(BARE_CLICK.key, index_point(int(BARE_CLICK.marks[i % 2])))
            click = (cpu_seconds(server.proc.pid) - before) / (runs * 2)
            await session.close()
        finally:
            server.stop()
        out[name] = {"rerun_cpu_s": rerun, "click_cpu_s": click}
    return out


# ---------------------------------------------------------------------------- 2. sampled, in a real server


async def sampled_costs(runs: int) -> dict:
    """A second server with benchmarks/sampler.py installed: ``runs`` x 3 reruns of every page, sampled."""
    folder = Path(tempfile.mkdtemp(prefix="bench-sampler-"))
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE)
    out_file = folder / "samples.json"
    env = {
        "POLICYLENS_DATA_DIR": "",
        # Streamlit's gc.collect(2) after every run holds the GIL for tens of milliseconds, and a sampler that
        # needs the GIL would pin that time on whatever runs next: it is measured apart (NO_GC), not sampled.
        **NO_GC,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH", "")])),
        "BENCH_SAMPLER_OUT": str(out_file),
        "BENCH_SAMPLER_ROOT": str(ROOT),
    }
    server = Server(env).start()
    try:
        for path in PAGES:
            session = await Session(server.url).connect()
            await session.open(path)
            await session.open(path)
            await session.close()
        os.kill(server.proc.pid, signal.SIGUSR1)
        for path in PAGES:
            session = await Session(server.url).connect()
            for _ in range(runs * 3):
                await session.open(path)
            await session.close()
        os.kill(server.proc.pid, signal.SIGUSR2)
        for _ in range(100):
            if out_file.exists():
                break
            await asyncio.sleep(0.1)
        return json.loads(out_file.read_text())
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def attribute(server: dict, no_gc: dict, samples: dict) -> dict:
    """Each page's CPU per rerun: the post-script GC (the difference between a server with it and one without),
    and the rest split by the sampled shares (a third server, without it)."""
    out = {}
    for path in PAGES:
        name = path.strip("/")
        counts = samples.get(name)
        if not counts or not counts["samples"]:
            continue
        cpu = no_gc["pages"][path]["cpu_s"]
        total = counts["samples"] + counts["main_samples"]

        def cost(n: int, cpu: float = cpu, total: int = total) -> float:
            return cpu * n / total

        def ranked(table: dict, cost=cost) -> dict[str, float]:
            return {k: cost(v) for k, v in sorted(table.items(), key=lambda x: -x[1])}

        out[path] = {
            "cpu_s": server["pages"][path]["cpu_s"],
            "gc_s": server["pages"][path]["cpu_s"] - cpu,
            "script_s": cost(counts["samples"]),
            "event_loop_s": cost(counts["main_samples"]),
            "owner_library": ranked(counts["owner_library"]),
            "sites": ranked(counts["sites"]),
            "cards": ranked(counts["cards"]),
            "main_functions": dict(list(ranked(counts["main_functions"]).items())[:6]),
            "functions": dict(list(ranked(counts.get("functions", {})).items())[:8]),
            "samples": counts["samples"],
        }
    return out


# ------------------------------------------------------------------------------------------- 3. cProfile, AppTest


class ScriptProfiler:
    """cProfile with a CPU-time timer (``time.thread_time``) around every script run of AppTest in this process."""

    def __init__(self):
        from streamlit.runtime.scriptrunner import script_runner

        self.profile: cProfile.Profile | None = None
        original = script_runner.ScriptRunner._run_script
        owner = self

        def run_script(runner, rerun_data):
            profile = owner.profile
            if profile is None:
                return original(runner, rerun_data)
            profile.enable()
            try:
                return original(runner, rerun_data)
            finally:
                profile.disable()

        script_runner.ScriptRunner._run_script = run_script


def apptest_costs(runs: int) -> dict:
    """The script alone (AppTest, no server): CPU per run, and its heaviest project functions under cProfile."""
    from streamlit.testing.v1 import AppTest

    profiler = ScriptProfiler()
    out = {}
    for path in PAGES:
        at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
        at.switch_page(SCRIPT_OF[path]).run()  # imports, caches, first run
        at.run()
        if at.exception:
            out[path] = {"error": str(at.exception[0].message)[:200]}
            continue
        cpu = []
        for _ in range(runs):  # this process is idle but for the script: its CPU time is the script's
            started = time.process_time()
            at.run()
            cpu.append(time.process_time() - started)
        profiler.profile = cProfile.Profile(time.thread_time)
        for _ in range(runs):
            at.run()
        profile, profiler.profile = profiler.profile, None
        out[path] = {
            "cpu_s": statistics.median(cpu),
            "profiled_s": sum(v[2] for v in pstats.Stats(profile).stats.values()) / runs,
            "top_app_functions": top_functions(profile, runs),
        }
    return out


def top_functions(profile: cProfile.Profile, runs: int, count: int = 12) -> list[tuple[str, float]]:
    """The project's functions by cumulative time under cProfile (inflated by the profiler: read the order)."""
    raw = pstats.Stats(profile).stats
    own = [
        (v[3], f) for f, v in raw.items() if f[0].startswith(str(ROOT)) and "/.venv/" not in f[0]
    ]  # fmt: skip
    return [(f"{Path(f[0]).relative_to(ROOT)}:{f[2]}", ct / runs) for ct, f in sorted(own, reverse=True)[:count]]


# ------------------------------------------------------------------------------------------------ 3. the browser

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
STAMPS = """
(() => {
  if (window.top !== window) return;
  const s = window.__stamps = {runAt: null, idleAt: null};
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid=stApp]');
    const state = app && app.getAttribute('data-test-script-state');
    if (state === 'running' && s.runAt === null) s.runAt = performance.now();
    if (state === 'notRunning' && s.runAt !== null && s.idleAt === null) s.idleAt = performance.now();
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
  window.__stampsArm = () => { s.runAt = null; s.idleAt = null; };
})();
"""


STATIC_JS = None  # Streamlit's bundled JavaScript: chunk file name -> bytes on disk


def chunk_bytes(name: str) -> int:
    global STATIC_JS
    if STATIC_JS is None:
        import streamlit

        folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
        STATIC_JS = {f.name: f.stat().st_size for f in folder.glob("*.js")}
    return STATIC_JS.get(name, 0)


def chunk_of(url: str) -> str:
    """A script's chunk name without its hash ("PlotlyChart", "react-dom", "StreamlitMarkdown")."""
    name = url.rsplit("/", 1)[-1]
    return name.split(".", 1)[0] if name.endswith(".js") else (name or "(inline)")


def js_profile_split(profile: dict) -> dict[str, float]:
    """Self time (s) per chunk, from a CDP CPU profile; (program), (garbage collector) and (idle) apart."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    out: dict[str, float] = defaultdict(float)
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"]
        key = name if name in ("(program)", "(garbage collector)", "(idle)", "(root)") else chunk_of(frame["url"])
        out[key] += delta / 1e6
    return dict(sorted(out.items(), key=lambda x: -x[1]))


def metrics(cdp) -> dict[str, float]:
    values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {k: values.get(k, 0.0) for k in METRICS}


class Tab:
    """One browser page with the bench's timing, state stamps, CDP metrics and the JavaScript profiler."""

    def __init__(self, browser, base_url: str):
        self.base = base_url
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.add_init_script(INSTRUMENT)
        self.context.add_init_script(STAMPS)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Performance.enable")
        self.cdp.send("Profiler.enable")
        self.cdp.send("Profiler.setSamplingInterval", {"interval": 200})

    def load(self, path: str, charts: int, profiled: bool = False) -> dict:
        self.page.add_init_script(f"window.__benchExpect = {charts};")
        if profiled:
            self.cdp.send("Profiler.start")
        self.page.goto(self.base + path, wait_until="commit")
        self.page.wait_for_function("() => window.__bench && window.__bench.done !== null", timeout=120_000)
        split = js_profile_split(self.cdp.send("Profiler.stop")["profile"]) if profiled else {}
        after = metrics(self.cdp)  # a navigation starts the document's counters afresh
        done, stamps = self.page.evaluate("[window.__bench.done, window.__stamps]")
        return {
            "to_running_s": stamps["runAt"] / 1000,
            "run_s": (stamps["idleAt"] - stamps["runAt"]) / 1000,
            "after_run_s": (done - stamps["idleAt"]) / 1000,
            "total_s": done / 1000,
            "main_thread": after,
            "js": split,
        }

    def click(self, click: Click, mark: str, profiled: bool) -> dict | None:
        """One click on a mark, timed and measured; None when it started no rerun, even when tried twice."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        selector = f".st-key-card-{click.key}" if click.kind != "index" else "[data-testid=stPlotlyChart]"
        card = self.page.locator(selector).first
        for _ in range(2):
            card.scroll_into_view_if_needed()
            box = card.locator(".js-plotly-plot").first.evaluate(MARK_JS, [click.kind, mark])
            if box is None:
                return None
            self.page.evaluate("window.__benchArm(); window.__stampsArm()")
            before = metrics(self.cdp)
            if profiled:
                self.cdp.send("Profiler.start")
            self.page.mouse.click(box["x"], box["y"])
            try:
                self.page.wait_for_function("() => window.__bench.running", timeout=5_000, polling=20)
                self.page.wait_for_function(
                    "() => window.__bench.done !== null && window.__bench.t0 !== null", timeout=60_000
                )
            except PlaywrightTimeout:
                if profiled:
                    self.cdp.send("Profiler.stop")
                continue
            split = js_profile_split(self.cdp.send("Profiler.stop")["profile"]) if profiled else {}
            after = metrics(self.cdp)
            done, t0, stamps = self.page.evaluate("[window.__bench.done, window.__bench.t0, window.__stamps]")
            return {
                "total_s": (done - t0) / 1000,
                "run_s": (stamps["idleAt"] - stamps["runAt"]) / 1000,
                "after_run_s": (done - stamps["idleAt"]) / 1000,
                "main_thread": {k: after[k] - before[k] for k in METRICS},
                "js": split,
            }
        return None


def _median_of(results: list[dict], profiled: list[dict]) -> dict:
    keys = ("to_running_s", "run_s", "after_run_s", "total_s")
    out = {k: statistics.median(r[k] for r in results) for k in keys if all(k in r for r in results)}
    out["main_thread"] = {k: statistics.median(r["main_thread"][k] for r in results) for k in METRICS}
    out["js"] = profiled[-1]["js"] if profiled else {}
    return out


def browser_costs(server: Server, protocol: dict, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_setup import BARE_CLICK, BENCH

    out: dict = {"loads": {}, "clicks": {}, "chunks": {}}
    bare = Server(script=BENCH / "bare_page.py").start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # The JavaScript a first visit of each page fetches: a fresh context each.
            for name, base, path, charts in [("bare page", bare.url, "/", 1)] + [
                (path, server.url, path, protocol[path]["charts"]) for path in PAGES
            ]:
                tab = Tab(browser, base)
                scripts: set[str] = set()
                tab.page.on("request", lambda r, s=scripts: r.resource_type == "script" and s.add(r.url))
                tab.load(path, charts)
                names = {u.rsplit("/", 1)[-1] for u in scripts}
                out["chunks"][name] = {n: chunk_bytes(n) for n in names}
                tab.context.close()
            tabs = {"bare": Tab(browser, bare.url), "app": Tab(browser, server.url)}
            for name, tab, path, charts in [("bare page", tabs["bare"], "/", 1)] + [
                (path, tabs["app"], path, protocol[path]["charts"]) for path in PAGES
            ]:
                tab.load(path, charts)  # the cache filled
                timed = [tab.load(path, charts) for _ in range(runs)]
                out["loads"][name] = _median_of(timed, [tab.load(path, charts, profiled=True)])
            for click, tab, charts in [(BARE_CLICK, tabs["bare"], 1)] + [
                (c, tabs["app"], protocol[c.path]["charts"]) for c in CLICKS
            ]:
                tab.load(click.path, charts)
                timed = [tab.click(click, click.marks[i % 2], profiled=False) for i in range(runs * 2)]
                profiled = [tab.click(click, click.marks[i % 2], profiled=True) for i in range(2)]
                timed = [r for r in timed if r]
                if timed:
                    out["clicks"][click.name] = _median_of(timed, [r for r in profiled if r])
            browser.close()
    finally:
        bare.stop()
    return out


# ------------------------------------------------------------------------------- 4. Lighthouse floor, memory

FLOOR_PAGES = {
    "title.py": 'import streamlit as st\n\nst.title("Bare page")\n',
    "compressed.py": (
        "import sys\nsys.path.insert(0, {root!r})\n"
        "from starlette.middleware import Middleware\nfrom streamlit.starlette import App\n"
        "from server.compression import CompressionMiddleware\n"
        "app = App({script!r}, middleware=[Middleware(CompressionMiddleware)])\n"
    ),
}


def lighthouse_floor() -> dict:
    """Lighthouse mobile performance of what every Streamlit page carries: a title-only page, plain and through the
    project's compression; the bare chart page, plain and compressed; and the app's Overview."""
    from benchmarks.bench_lighthouse import lighthouse
    from benchmarks.bench_setup import BENCH

    folder = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    try:
        (folder / "title.py").write_text(FLOOR_PAGES["title.py"])
        bare = str(BENCH / "bare_page.py")
        (folder / "title_gz.py").write_text(FLOOR_PAGES["compressed.py"].format(root=str(ROOT), script="title.py"))
        (folder / "bare_gz.py").write_text(FLOOR_PAGES["compressed.py"].format(root=str(ROOT), script=bare))
        out = {}
        for name, script in (
            ("title only, plain streamlit", folder / "title.py"),
            ("title only, compressed", folder / "title_gz.py"),
            ("bare chart page, plain streamlit", Path(bare)),
            ("bare chart page, compressed", folder / "bare_gz.py"),
            ("app `/`, app.py", ROOT / "app.py"),
        ):
            server = Server({"POLICYLENS_DATA_DIR": ""}, script=script).start()
            try:
                out[name] = lighthouse(server.url + "/", timeout=240)
            finally:
                server.stop()
            print(f"  lighthouse {name}: {out[name].get('score')}", flush=True)
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


MEMORY_STEPS = """
import gc, sys
from pathlib import Path
sys.path.insert(0, {root!r})
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
steps = [("python", rss())]
def step(name, code):
    exec(code, globals())
    gc.collect()
    steps.append((name, rss()))
step("streamlit (+ its server)", "import streamlit, streamlit.web.server.server, streamlit.runtime.scriptrunner")
step("plotly.graph_objects", "import plotly.graph_objects")
step("pandas", "import pandas")
step("pyarrow", "import pyarrow")
step("starlette, uvicorn, brotli (server/)", "import server")
step("policylens views and components", "import policylens.views, components.view")
step("every dataset loaded", "from policylens.datasets import DATASET_IDS, load_dataset\\n"
     "frames = [load_dataset(d) for d in DATASET_IDS]")
step("kaleido (chart pictures)", "import kaleido")
import json
print(json.dumps(steps))
"""


def memory_by_import() -> list:
    """Resident memory after each import a server of the app makes, in one fresh interpreter (the bare page's server
    imports streamlit and plotly; the app's adds the rest)."""
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-c", MEMORY_STEPS.format(root=str(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "POLICYLENS_DATA_DIR": ""},
    )
    if proc.returncode:
        return [("error", proc.stderr[-300:])]
    return json.loads(proc.stdout.strip().splitlines()[-1])  # [name, MiB] pairs printed by the child


# ------------------------------------------------------------------------------------------------------- report


def num(value: float | None, divide: float = 1, digits: int = 1) -> str:
    return "" if value is None else f"{value / divide:,.{digits}f}"


def ms(value: float | None) -> str:
    return "" if value is None else f"{value * 1000:.0f}"


def report(result: dict) -> str:
    lines = []
    server = result.get("server", {})
    if server:
        no_gc = result.get("server_no_gc", {"pages": {}, "clicks": {}})
        for name, r in result.get("bare", {}).items():
            lines.append(
                f"Bare page, {name}: {ms(r['rerun_cpu_s'])} ms CPU per rerun, {ms(r['click_cpu_s'])} per click."
            )
        lines.append("")
        lines += [
            "| page | elements | blocks | charts | bytes | of which figures | wall ms | server CPU ms | without "
            "post-script GC |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for path, r in server["pages"].items():
            lines.append(f"| `{path}` | {r['elements']} | {r['blocks']} | {r['charts']} | {r['bytes']:,} "
                         f"| {r['chart_bytes']:,} | {ms(r['wall_s'])} | {ms(r['cpu_s'])} "
                         f"| {ms(no_gc['pages'].get(path, {}).get('cpu_s'))} |")  # fmt: skip
        lines += [
            "",
            "| click | elements after | wall ms | server CPU ms | without post-script GC |",
            "|---|---|---|---|---|",
        ]
        for name, r in server["clicks"].items():
            lines.append(f"| {name} | {r['elements']} | {ms(r['wall_s'])} | {ms(r['cpu_s'])} "
                         f"| {ms(no_gc['clicks'].get(name, {}).get('cpu_s'))} |")  # fmt: skip
    sampled = result.get("attributed", {})
    if sampled:
        lines += ["", "Server CPU per warm rerun, split by sampled shares (script thread, and the event loop):", ""]
        for path, r in sampled.items():
            owners = ", ".join(f"{k} {ms(v)}" for k, v in list(r["owner_library"].items())[:8] if v >= 0.0015)
            sites = ", ".join(f"{k} {ms(v)}" for k, v in r["sites"].items() if v >= 0.0015)
            cards = ", ".join(f"{k} {ms(v)}" for k, v in r["cards"].items())
            loop = ", ".join(f"{k} {ms(v)}" for k, v in r["main_functions"].items() if v >= 0.0015)
            lines += [
                f"- `{path}`: {ms(r['cpu_s'])} ms CPU: post-script gc.collect(2) {ms(r['gc_s'])}, script "
                f"{ms(r['script_s'])}, event loop {ms(r['event_loop_s'])} ({r['samples']} samples).",
                f"  By layer and library: {owners}.",
                f"  Call sites (inclusive): {sites}.",
                f"  Chart cards: {cards or 'none'}. Event loop: {loop}.",
                "  Project functions (deepest on the stack, and what they call): "
                + ", ".join(f"{k} {ms(v)}" for k, v in r.get("functions", {}).items() if v >= 0.0015)
                + ".",
            ]
    apptest = result.get("apptest", {})
    if apptest:
        lines += ["", "The script alone (AppTest): CPU ms per run; cProfile's heaviest project functions "
                  "(cumulative, profiled ms: inflated, read the order):", ""]  # fmt: skip
        for path, r in apptest.items():
            if "error" in r:
                lines.append(f"- `{path}`: {r['error']}")
                continue
            top = ", ".join(f"{k} {ms(v)}" for k, v in r["top_app_functions"][:8])
            lines.append(f"- `{path}`: {ms(r['cpu_s'])} ms ({ms(r['profiled_s'])} profiled). {top}.")
    floor = result.get("floor", {})
    if floor:
        lines += ["", "| Lighthouse mobile | score | FCP s | LCP s | TBT ms | bytes |", "|---|---|---|---|---|---|"]
        for name, r in floor.items():
            lines.append(
                f"| {name} | {r.get('score')} | {num(r.get('fcp_ms'), 1e3, 1)} | {num(r.get('lcp_ms'), 1e3, 1)} "
                f"| {num(r.get('tbt_ms'), 1, 0)} | {num(r.get('bytes'), 1, 0)} |"
            )
    memory = result.get("memory", [])
    if memory and memory[0][0] == "error":
        lines += ["", f"Resident memory by import: failed: {memory[0][1]}"]
    elif memory:
        steps = [f"{name} +{rss - memory[i - 1][1]:.0f}" for i, (name, rss) in enumerate(memory) if i]
        lines += ["", f"Resident memory by import (MiB, from {memory[0][1]:.0f} for Python alone): " + ", ".join(steps)]
    browser = result.get("browser", {})
    if browser:
        lines += [
            "",
            "| in the browser | to running ms | run ms | after run ms | total ms | main thread busy: task / JS / "
            "layout / style ms | JavaScript self time, top chunks (ms) |",
            "|---|---|---|---|---|---|---|",
        ]
        rows = [(f"load, {n}" if n == "bare page" else f"load `{n}`", r) for n, r in browser["loads"].items()]
        rows += [(f"click, {n}", r) for n, r in browser["clicks"].items()]
        for label, r in rows:
            mt = r.get("main_thread", {})
            top = ", ".join(f"{k} {ms(v)}" for k, v in list(r.get("js", {}).items())[:6] if k != "(idle)")
            lines.append(
                f"| {label} | {ms(r.get('to_running_s'))} | {ms(r.get('run_s'))} | {ms(r.get('after_run_s'))} "
                f"| {ms(r.get('total_s'))} | {' / '.join(ms(mt.get(k)) for k in METRICS)} | {top} |"
            )
        lines += ["", "JavaScript a first visit fetches (raw bytes on disk; chunks over 300 KB named):", ""]
        for path, chunks in browser["chunks"].items():
            ranked = sorted(chunks.items(), key=lambda x: -x[1])
            big = ", ".join(f"{n.split('.')[0]} {b / 1e6:.2f} MB" for n, b in ranked if b > 300_000)
            lines.append(f"- {path}: {len(chunks)} scripts, {sum(chunks.values()) / 1e6:.2f} MB; {big}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--skip", default="", help="comma-separated parts to skip: sampled,browser,memory,floor,apptest"
    )
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    result: dict = {"load_at_start": os.getloadavg()[0]}
    server = Server({"POLICYLENS_DATA_DIR": ""}).start()
    try:
        result["server"] = asyncio.run(server_costs(server, args.runs))
        result["bare"] = asyncio.run(bare_costs(args.runs))
        no_gc = Server({"POLICYLENS_DATA_DIR": "", **NO_GC}).start()
        try:
            result["server_no_gc"] = asyncio.run(server_costs(no_gc, args.runs))
        finally:
            no_gc.stop()
        print(f"server part done, load {os.getloadavg()[0]:.1f}", flush=True)
        if "browser" not in skip:
            try:
                result["browser"] = browser_costs(server, result["server"]["pages"], args.runs)
            except Exception as err:  # the other parts still say something
                result["browser_error"] = f"{type(err).__name__}: {err}"[:300]
            print(f"browser part done, load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        server.stop()
    if "sampled" not in skip:
        result["samples"] = asyncio.run(sampled_costs(args.runs))
        result["attributed"] = attribute(result["server"], result["server_no_gc"], result["samples"])
        print(f"sampled part done, load {os.getloadavg()[0]:.1f}", flush=True)
    if "memory" not in skip:
        result["memory"] = memory_by_import()
    if "floor" not in skip:
        result["floor"] = lighthouse_floor()
    if "apptest" not in skip:
        os.environ.setdefault("POLICYLENS_DATA_DIR", "")
        result["apptest"] = apptest_costs(args.runs)
    result["load_at_end"] = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
