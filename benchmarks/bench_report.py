"""`make bench`'s report: the dated Markdown section added to benchmarks/RESULTS.md."""

from __future__ import annotations

from benchmarks import follow_lag
from benchmarks.bench_lighthouse import lighthouse_version
from benchmarks.bench_setup import CLICKS, FRAMED, GOALS, PAGES, REFERENCES, Results, median
from benchmarks.procstat import percentile

# ------------------------------------------------------------------------------------------------------------ report


def fmt_s(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def fmt_x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "not met")


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def worst_row(label: str, worst_label: str, worst: tuple | None, base: float | None, goal: float) -> tuple:
    """The summary row of the worst (name, seconds) against the bare page's ``base``, or 'not measured'."""
    if not worst:
        return (label, "not measured", "", "", f"≤ {goal}x", "n/a")
    r = ratio(worst[1], base)
    return (f"{worst_label} {worst[0]}", fmt_s(worst[1]), fmt_s(base), fmt_x(r), f"≤ {goal}x", verdict(r <= goal))


def summary_rows(res: Results) -> list[tuple[str, str, str, str, str, str]]:
    """(figure, measured, bare, ratio, goal, met) for the seven rows of the issue's goals."""
    rows = []
    for label, table, goal in (("warm load", res.warm, GOALS["warm"]), ("cold first visit", res.cold, GOALS["cold"])):
        base = median(table.get("bare", []))
        worst = max(
            ((p, median(v)) for p, v in table.items() if p not in REFERENCES and v), key=lambda x: x[1], default=None
        )
        if worst:
            r = ratio(worst[1], base)
            pages = sum(1 for p in PAGES if p in table)
            rows.append((
                f"{label}, every page ({pages} of {len(PAGES)}); worst `{worst[0]}`",
                fmt_s(worst[1]), fmt_s(base), fmt_x(r), f"≤ {goal}x", verdict(r is not None and r <= goal),
            ))  # fmt: skip
        else:
            rows.append((label, "not measured", "", "", f"≤ {goal}x", "n/a"))
    base = median(res.clicks.get("bare", []))
    worst = max(((c.name, median(res.clicks.get(c.name, []))) for c in CLICKS if res.clicks.get(c.name)),
                key=lambda x: x[1], default=None)  # fmt: skip
    rows.append(worst_row("chart click", "chart click to finished update; worst", worst, base, GOALS["click"]))
    base = median(res.clicks.get("bare (beside slides)", []) or res.clicks.get("bare", []))
    worst = max(((h, median(v)) for h, v in res.slides.items() if v), key=lambda x: x[1], default=None)
    rows.append(worst_row("story slide change", "story slide change; worst by", worst, base, GOALS["slide"]))
    mem = res.memory
    if mem.get("app_rss_mib"):
        r = mem["app_rss_mib"] / mem["bare_rss_mib"]
        per = (mem.get("sessions", {}).get("app") or {}).get("mb_per_session")
        per_bare = (mem.get("sessions", {}).get("bare") or {}).get("mb_per_session")
        rows.append((
            "server memory: RSS after the browser figures; per extra open session",
            f"{mem['app_rss_mib']:.0f} MiB; {'n/a' if per is None else f'{per:.2f} MB'}",
            f"{mem['bare_rss_mib']:.0f} MiB; {'n/a' if per_bare is None else f'{per_bare:.2f} MB'}",
            fmt_x(r), f"≤ {GOALS['rss']}x; < {GOALS['session_mb']:.0f} MB",
            verdict(r <= GOALS["rss"] and per is not None and per < GOALS["session_mb"]),
        ))  # fmt: skip
    c = res.concurrency.get("app")
    if c:
        b = res.concurrency.get("bare", {})
        n = res.settings.get("sessions")
        rows.append((
            f"{n} sessions clicking at once (protocol clients): p95; errors",
            f"{fmt_s(c['p95'])}; {len(c['errors'])} errors of {len(c['latencies']) + len(c['errors'])}",
            f"{fmt_s(b.get('p95'))}; {len(b.get('errors', []))} errors",
            fmt_x(ratio(c["p95"], b.get("p95"))), f"p95 < {GOALS['p95']:.0f} s, 0 errors",
            verdict(c["p95"] is not None and c["p95"] < GOALS["p95"] and not c["errors"]),
        ))  # fmt: skip
    f = res.rooms
    if f.get("lags") or f.get("missed"):
        goal = GOALS["follow_p95_s"]
        rows.append((
            f"follower's lag after a key press, p95 ({f['followers']} protocol followers on {f['replicas']} replicas "
            f"with Redis, {f['presses']} presses); missed",
            f"{fmt_s(f['p95'])}; {f['missed']} missed", "", "", f"≤ {goal} s, none missed",
            verdict(f["p95"] is not None and f["p95"] <= goal and not f["missed"]),
        ))  # fmt: skip
    pages = {p: v for p, v in res.lighthouse.items() if p != "bare" and v.get("score") is not None}
    bare_lh = res.lighthouse.get("bare") or {}
    if pages:
        runs = max(len(v.get("runs", [])) for v in pages.values())
        for label, key, scale, goal, better in (
            ("performance", "score", 1, GOALS["lighthouse"], max),
            ("LCP s", "lcp_ms", 1000, GOALS["lcp_s"], min),
            ("FCP s", "fcp_ms", 1000, GOALS["fcp_s"], min),
            ("CLS", "cls", 1, GOALS["cls"], min),
        ):
            values = {p: v[key] / scale for p, v in pages.items() if v.get(key) is not None}
            if not values:
                continue
            worst = min(values, key=values.get) if better is max else max(values, key=values.get)
            ok = values[worst] >= goal if better is max else values[worst] <= goal
            bare_value = bare_lh.get(key)
            rows.append((
                f"Lighthouse mobile {label}, median of {runs} ({len(values)} of {len(PAGES)} pages); worst `{worst}`",
                num(values[worst], 3 if key == "cls" else 2),
                "n/a" if bare_value is None else num(bare_value / scale, 3 if key == "cls" else 2),
                "", ("≥ " if better is max else "≤ ") + str(goal), verdict(ok),
            ))  # fmt: skip
    else:
        rows.append(("Lighthouse mobile performance", "not measured", "", "", f"≥ {GOALS['lighthouse']}", "n/a"))
    paints = {p: median([r["fcp"] for r in v if r.get("fcp") is not None]) for p, v in res.first_paint.items()}
    if any(v is not None for k, v in paints.items() if k != "bare"):
        shown = {k: v for k, v in paints.items() if k != "bare" and v is not None}
        worst = max(shown, key=shown.get)
        bare_fcp = paints.get("bare")
        rows.append((
            f"Chromium, navigation to the first paint of the view (fresh context); worst `{worst}`",
            fmt_s(shown[worst] / 1000), fmt_s(None if bare_fcp is None else bare_fcp / 1000),
            fmt_x(ratio(shown[worst], bare_fcp)), "(issue 18: measured)", "",
        ))  # fmt: skip
    return rows


def markdown(res: Results) -> str:
    m = res.machine
    s = res.settings
    lines = [
        f"## {res.started} UTC, `make bench`{' --quick' if res.quick else ''} (issue 10): every page, click and "
        "slide against the bare page",
        "",
        f"`benchmarks/bench.py`, started {res.started} UTC, {res.seconds / 60:.1f} minutes. Machine: {m['nproc']} "
        f"cores ({m['cpu']}), {m['memory_gib']} GiB memory; Python {m['python']}, Streamlit {m['streamlit']}, "
        f"{m['chromium']}. 1-minute load average at the start {m['load_at_start']}, "
        + ", ".join(f"after {k} {v}" for k, v in res.load.items())
        + " (other jobs share the machine; both sides of every ratio were measured in the same minutes). The app "
        f"is `streamlit run app.py`; its static bundles answered `Content-Encoding: {res.compression}` to a gzip "
        f"request, and Lighthouse ran through it. Runs: warm {s['warm_runs']} and cold {s['cold_runs']} per page, "
        f"{s['clicks']} clicks per chart, {s.get('slide_loads', 1)} fresh loads of /story with {s['slide_steps']} "
        f"slide changes by button and by key each, sessions "
        f"{s['levels']} for memory, {s['sessions']} sessions x {s['rounds']} rounds at once. Medians throughout.",
        "",
        "| figure | measured | bare page | ratio | goal | |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in summary_rows(res)]
    base_w, base_c = median(res.warm.get("bare", [])), median(res.cold.get("bare", []))
    lines += [
        "",
        "Per page (warm and cold: median seconds to drawn and ratio to the bare page's median; the run's Plotly "
        "charts, elements and blocks as counted by the protocol client; Lighthouse: score, LCP, TBT).",
        "",
        "| page | warm s | ratio | cold s | ratio | charts | elements | blocks | run bytes | Lighthouse | LCP s "
        "| TBT ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in ["bare", "framed"] + PAGES:
        if path == "framed" and not (res.warm.get(path) or res.cold.get(path)):
            continue
        w, c = median(res.warm.get(path, [])), median(res.cold.get(path, []))
        proto = res.protocol.get(path, {})
        lh = res.lighthouse.get(path, {})
        cells = [
            {"bare": "bare page", "framed": FRAMED}.get(path, f"`{path}`"),
            num(w), fmt_x(ratio(w, base_w)), num(c), fmt_x(ratio(c, base_c)),
            str(proto.get("charts", "")), str(proto.get("elements", "")), str(proto.get("blocks", "")),
            f"{proto['bytes']:,}" if "bytes" in proto else "",
            num(lh.get("score")), num(lh["lcp_ms"] / 1000 if lh.get("lcp_ms") is not None else None, 1),
            num(lh.get("tbt_ms"), 0),
        ]  # fmt: skip
        lines.append(f"| {' | '.join(cells)} |")
    lines += first_paint_table(res)
    lines += [
        "",
        "Clicks and slide changes: a click is against the reference clicks of the clicks phase, a slide change against "
        "those clicked beside the slide changes, in the same minutes.",
        "",
        "| click or slide change | n | median s | p95 s | ratio to the bare click | ratio to the framed click |",
        "|---|---|---|---|---|---|",
    ]

    def click_row(shown: str, values: list, bare: float | None, framed: float | None) -> str:
        return (f"| {shown} | {len(values)} | {num(median(values))} | {num(percentile(values, 0.95))} | "
                f"{fmt_x(ratio(median(values), bare))} | {fmt_x(ratio(median(values), framed))} |")  # fmt: skip

    base, base_f = median(res.clicks.get("bare", [])), median(res.clicks.get("framed", []))
    for name in ["bare", "framed", *(c.name for c in CLICKS)]:
        values = res.clicks.get(name, [])
        if name == "framed" and not values:
            continue
        shown = f"{FRAMED} (the clicked bar highlighted)" if name == "framed" else name
        lines.append(click_row(shown, values, base, base_f))
    base_s = median(res.clicks.get("bare (beside slides)", [])) or base
    framed_s = median(res.clicks.get("framed (beside slides)", []))
    for name in ("bare (beside slides)", "framed (beside slides)"):
        if res.clicks.get(name):
            lines.append(click_row(name.replace("framed", FRAMED), res.clicks[name], base_s, framed_s))
    for how, values in res.slides.items():
        lines.append(click_row(f"story slide, {how}: the new slide shown", values, base_s, framed_s))
    for how, values in res.slide_runs.items():
        lines.append(click_row(f"story slide, {how}: its run drawn (link written)", values, base_s, framed_s))
    first, later = res.slide_first, res.slide_later
    if first and later:  # each fresh load of /story starts on slide 1: its first Next is the deck's first change
        framed_kinds = "; ".join(
            f"{how} {fmt_x(ratio(median(values), framed_s))}" for how, values in res.slides.items() if values
        )
        ms = lambda x: f"{x * 1000:.0f} ms"  # noqa: E731  (a change is 20 to 40 ms: seconds to two places hide it)
        lines += ["", f"First slide change (1 to 2, Next button), median of {len(first)} fresh loads: "
                  f"{ms(median(first))} ({', '.join(ms(x) for x in first)}); the {len(later)} later Next "
                  f"changes' median {ms(median(later))}: {fmt_x(ratio(median(first), median(later)))} (issue 22's "
                  f"goal: at most 1.2x). Each kind's median against the framed click beside them "
                  f"({fmt_s(framed_s)}): {framed_kinds} (issue 22: every slide change within the framed reference's "
                  "click, at most 1.0x)."]  # fmt: skip
        frames = res.slide_frames.get("button", [])
        if frames:
            firsts, laters = [f for f in frames if f[0]], [f for f in frames if not f[0]]

            def in_frame(rows: list, n: int) -> str:  # 0: a frame begun before the click's time stamp showed it
                return f"{sum(1 for r in rows if r[2] is not None and max(r[2], 1) == n)} of {len(rows)}"

            lines[-1] += (
                f" From the click that asks for the change (Playwright presses and releases the button first): first "
                f"changes {median([f[1] for f in firsts]):.0f} ms, later Next changes "
                f"{median([f[1] for f in laters]):.0f} ms (medians); shown in the first frame begun after the click "
                f"in {in_frame(firsts, 1)} first changes and {in_frame(laters, 1)} later ones, in the second in "
                f"{in_frame(firsts, 2)} and {in_frame(laters, 2)}."
            )
    f = res.rooms
    if f.get("lags") or f.get("missed"):
        lines += ["", f"Followers (benchmarks/follow_lag.py): {follow_lag.summary(f)}."]
    mem = res.memory
    if mem:
        lines += ["", f"Memory: RSS right after start: app {mem.get('app_start_mib', 0):.0f} MiB, bare "
                  f"{mem.get('bare_start_mib', 0):.0f} MiB; after the browser figures: app "
                  f"{mem.get('app_rss_mib', 0):.0f} MiB, bare {mem.get('bare_rss_mib', 0):.0f} MiB."]  # fmt: skip
        for name, data in mem.get("sessions", {}).items():
            points = ", ".join(f"{n}: {r:.0f}" for n, r in data["points"])
            per = data["mb_per_session"]
            lines.append(f"Open sessions -> RSS MiB, {name}: {points}; slope "
                         f"{'n/a' if per is None else f'{per:.2f} MB'} per session.")  # fmt: skip
    for name, c in res.concurrency.items():
        per_page = "; ".join(
            f"{page} p50 {fmt_s(percentile(v, 0.5))}, p95 {fmt_s(percentile(v, 0.95))}"
            for page, v in c["by_page"].items()
        )
        lines += ["", f"{res.settings['sessions']} sessions at once, {name}: {len(c['latencies'])} clicks, "
                  f"{len(c['errors'])} errors, p50 {fmt_s(c['p50'])}, p95 {fmt_s(c['p95'])}, max {fmt_s(c['max'])}; "
                  f"rounds took {', '.join(f'{x:.1f}' for x in c.get('round_seconds', []))} s; server CPU per click "
                  f"{num((c.get('cpu_per_click_s') or 0) * 1000, 0)} ms (x {res.settings['sessions']}: "
                  f"{num((c.get('cpu_per_click_s') or 0) * res.settings['sessions'])} s of one core per round); "
                  "opening the sessions "
                  f"{c['open_seconds']:.1f} s."]  # fmt: skip
        if name == "app":
            lines[-1] += f" Per chart page: {per_page}."
        if c["errors"]:
            lines.append(f"Errors ({name}): " + "; ".join(sorted(set(c["errors"])))[:600])
    lh_errors = {p: v["error"] for p, v in res.lighthouse.items() if v.get("error")}
    if res.lighthouse:
        index = [v.get("benchmark_index") for v in res.lighthouse.values() if v.get("benchmark_index")]
        lines += ["", f"Lighthouse {lighthouse_version()} (mobile, simulated throttling), CPU benchmark index "
                  f"{min(index, default=0):.0f} to {max(index, default=0):.0f}."]  # fmt: skip
        if lh_errors:
            lines.append("Lighthouse said: " + "; ".join(f"`{p}`: {e}" for p, e in lh_errors.items())[:800])
    if res.misses:
        lines += ["", "Not measured: " + "; ".join(res.misses)]
    return "\n".join(lines) + "\n"


def first_paint_table(res: Results) -> list[str]:
    """Issue 18's table: the first HTML response, the paints in Chromium and Lighthouse's medians, per page."""
    if not (res.first_paint or res.html or res.lighthouse):
        return []
    lines = [
        "",
        "First paint (issue 18). HTML: the first response's bytes as sent (gzip) and unpacked. Chromium (fresh "
        "context, medians): navigation to the first contentful paint, to the largest (and whether it was the "
        "server's drawing), to the hand-over to the live app, and the layout shift. Lighthouse mobile: medians of "
        "its runs (every run's score in brackets).",
        "",
        "| page | HTML sent | HTML raw | FCP ms | LCP ms | LCP in drawing | hand-over ms | CLS | Lighthouse | "
        "LCP s | FCP s | TBT ms | CLS (LH) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for path in ["bare"] + PAGES:
        html, runs, lh = res.html.get(path, {}), res.first_paint.get(path, []), res.lighthouse.get(path, {})
        in_drawing = [r.get("lcpInDrawing") for r in runs]
        scores = ", ".join(num(x) for x in lh.get("runs", []))

        def seconds(value: float | None) -> str:
            return num(None if value is None else value / 1000, 1)

        cells = [
            "bare page" if path == "bare" else f"`{path}`",
            f"{html['sent']:,}" if html else "", f"{html['raw']:,}" if html else "",
            num(median([r["fcp"] for r in runs if r.get("fcp") is not None]), 0),
            num(median([r["lcp"] for r in runs if r.get("lcp") is not None]), 0),
            f"{sum(bool(x) for x in in_drawing)} of {len(in_drawing)}" if runs else "",
            num(median([r["gone"] for r in runs if r.get("gone") is not None]), 0),
            num(median([r["cls"] for r in runs if r.get("cls") is not None]), 3),
            f"{num(lh.get('score'))} ({scores})" if lh else "",
            seconds(lh.get("lcp_ms")), seconds(lh.get("fcp_ms")), num(lh.get("tbt_ms"), 0), num(lh.get("cls"), 3),
        ]  # fmt: skip
        lines.append(f"| {' | '.join(cells)} |")
    return lines
