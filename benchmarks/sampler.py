"""A sampling profiler for a Streamlit server: where each page's script run and the event loop spend their time.

Every ``interval`` seconds a thread of the profiled process reads the stack of the running script thread (and of the
main thread, which runs the event loop: websockets, protobuf serialisation, compression) and counts it. Unlike
cProfile, whose cost per call inflates code made of many small calls (Plotly's validators, pandas' internals), its
overhead is small and even, so its shares times a run's measured CPU time give each part's cost.

For a server started by benchmarks/profile_pages.py: with ``PYTHONPATH`` pointing at a folder holding
``sitecustomize.py`` (``SITECUSTOMIZE`` below) and ``BENCH_SAMPLER_OUT`` naming a file, the server samples from the
start; ``SIGUSR1`` clears the counts and ``SIGUSR2`` writes them to that file as JSON. AppTest in process can use
``Sampler`` directly.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections import defaultdict

LAYERS = (  # the code that owns a moment of the run: the deepest of these on the stack
    ("policylens", "/policylens/"),
    ("components", "/components/"),
    ("pages", "/app_pages/"),
    ("router", "/router.py"),
    ("streamlit", "/streamlit/"),
)
LIBRARIES = (
    ("plotly", "/plotly/"),
    ("plotly", "/_plotly_utils/"),
    ("pandas", "/pandas/"),
    ("pyarrow", "/pyarrow/"),
    ("numpy", "/numpy/"),
    ("protobuf", "/google/protobuf/"),
    ("json", "/json/"),
)
# Inclusive call sites: (label, file part, function name). A sample counts once for every site on its stack.
SITES = (
    ("view build", "/policylens/views/", "build"),
    ("chart cards (whole card)", "components/chart.py", "chart_card"),
    ("palette.neutral_text (a copy of each figure)", "policylens/palette.py", "neutral_text"),
    ("st.plotly_chart (figure to JSON, element)", "streamlit/elements/plotly_chart.py", "plotly_chart"),
    ("st.dataframe (frame to Arrow)", "streamlit/elements/arrow.py", "dataframe"),
    ("DataFrame.to_csv", "pandas/core/generic.py", "to_csv"),
    ("st.download_button", "streamlit/elements/widgets/button.py", "download_button"),
    ("statement cards", "components/statements.py", "statement_card"),
    ("st.markdown", "streamlit/elements/markdown.py", "markdown"),
    ("st.caption", "streamlit/elements/markdown.py", "caption"),
    ("st.code", "streamlit/elements/code.py", "code"),
    ("st.page_link", "streamlit/elements/widgets/button.py", "page_link"),
    ("st.container", "streamlit/elements/layouts.py", "container"),
    ("st.expander", "streamlit/elements/layouts.py", "expander"),
    ("footer (share and cite)", "components/shell.py", "footer"),
    ("shared sidebar", "components/shell.py", "shared_sidebar"),
    ("link.read", "components/link.py", "read"),
    ("element enqueue", "streamlit/delta_generator.py", "_enqueue"),
)
IDLE = (("selectors.py", "select"), ("threading.py", "wait"), ("queues.py", "get"))


def _group(filename: str, table) -> str | None:
    for group, marker in table:
        if marker in filename:
            return group
    return None


def _page_counts() -> dict:
    return {
        "samples": 0,
        "owner_library": defaultdict(int),
        "sites": defaultdict(int),
        "cards": defaultdict(int),
        "functions": defaultdict(int),
        "main_samples": 0,
        "main_functions": defaultdict(int),
    }


class Sampler:
    def __init__(self, interval: float = 0.0005, sample_main: bool = False):
        from streamlit.runtime.scriptrunner import script_runner

        self.interval = interval
        self.main_id = threading.main_thread().ident if sample_main else None
        self.thread_id: int | None = None
        self.page: str | None = None
        self.sampling = True
        self.pages: dict[str, dict] = defaultdict(_page_counts)
        original = script_runner.ScriptRunner._run_script
        sampler = self

        def run_script(runner, rerun_data):
            sampler.page = rerun_data.page_name  # "" for the Overview at /
            sampler.thread_id = threading.get_ident()
            try:
                return original(runner, rerun_data)
            finally:
                sampler.thread_id = None

        script_runner.ScriptRunner._run_script = run_script
        threading.Thread(target=self._loop, daemon=True, name="bench-sampler").start()

    def reset(self) -> None:
        self.pages.clear()

    def _loop(self) -> None:
        while True:
            time.sleep(self.interval)
            if not self.sampling:
                continue
            frames = sys._current_frames()
            if self.thread_id is not None and self.thread_id in frames:
                self._record(frames[self.thread_id])
            if self.main_id is not None and self.main_id in frames and self.page is not None:
                self._record_main(frames[self.main_id])

    @staticmethod
    def _stack(leaf) -> list:
        stack = []
        while leaf is not None:
            stack.append(leaf)
            leaf = leaf.f_back
        stack.reverse()  # root first
        return stack

    def _record(self, leaf) -> None:
        stack = self._stack(leaf)
        counts = self.pages[self.page]
        counts["samples"] += 1
        owner, owner_at = "other", -1
        for i, f in enumerate(stack):
            layer = _group(f.f_code.co_filename, LAYERS)
            if layer:
                owner, owner_at = layer, i
        callee = stack[owner_at + 1] if owner_at + 1 < len(stack) else None
        library = None
        if callee is not None:
            library = _group(callee.f_code.co_filename, LIBRARIES)
            if library is None:  # the standard library or another package: name the module and function
                library = f"{os.path.basename(callee.f_code.co_filename)[:-3]}.{callee.f_code.co_name}"
        counts["owner_library"][f"{owner} -> {library}" if library else f"{owner} (own code)"] += 1
        if owner in ("policylens", "components"):  # which of the project's functions, with what it calls
            code = stack[owner_at].f_code
            where = code.co_filename.split(f"/{owner}/", 1)[1]
            counts["functions"][f"{owner}/{where}:{code.co_name} -> {library or 'own code'}"] += 1
        seen = set()
        for f in stack:
            code = f.f_code
            for label, part, name in SITES:
                if label not in seen and code.co_name == name and part in code.co_filename:
                    seen.add(label)
                    counts["sites"][label] += 1
            if code.co_name == "chart_card" and "components/chart.py" in code.co_filename:
                key = f.f_locals.get("key")
                if key and key not in seen:
                    seen.add(key)
                    counts["cards"][str(key)] += 1

    def _record_main(self, leaf) -> None:
        code = leaf.f_code
        if any(name == code.co_name and part in code.co_filename for part, name in IDLE):
            return
        counts = self.pages[self.page]
        counts["main_samples"] += 1
        # The deepest function of Streamlit, uvicorn, starlette, websockets or the app's server/ on the stack.
        for f in reversed(self._stack(leaf)):
            name = f.f_code.co_filename
            for part in ("/streamlit/", "/uvicorn/", "/starlette/", "/websockets/", "/server/"):
                if part in name:
                    short = name.split(part, 1)[1]
                    counts["main_functions"][f"{part.strip('/')}/{short}:{f.f_code.co_name}"] += 1
                    return
        counts["main_functions"]["(other)"] += 1

    def snapshot(self) -> dict:
        return json.loads(json.dumps(self.pages))


def install_from_env() -> None:
    """In a server process: sample from the start; SIGUSR1 clears, SIGUSR2 writes to $BENCH_SAMPLER_OUT."""
    out = os.environ.get("BENCH_SAMPLER_OUT")
    if not out:
        return
    sys.setswitchinterval(0.0005)  # let the sampler in often: a sample every half millisecond or so
    sampler = Sampler(sample_main=True)
    signal.signal(signal.SIGUSR1, lambda *_: sampler.reset())

    def dump(*_):
        with open(out + ".tmp", "w") as f:
            json.dump(sampler.snapshot(), f)
        os.replace(out + ".tmp", out)

    signal.signal(signal.SIGUSR2, dump)


SITECUSTOMIZE = """
import os, sys
if os.environ.get("BENCH_SAMPLER_OUT"):
    sys.path.insert(0, os.environ["BENCH_SAMPLER_ROOT"])
    from benchmarks.sampler import install_from_env
    install_from_env()
"""
