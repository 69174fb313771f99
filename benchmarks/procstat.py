"""What the benchmarks read about processes, once: resident memory and CPU time from /proc (Linux), and percentiles.

A named process that cannot be read is an error (a server that died must not read as 0 MiB); with ``children``, its
descendants are added, and one that ended between the listing and the reading is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children of any of its threads, and theirs)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in descendants(c)]


def _read(pids: tuple[int, ...], children: bool, name: str) -> list[tuple[str, bool]]:
    """(text of /proc/<pid>/<name>, whether the process was named) for the processes and, with ``children``, theirs."""
    texts = []
    for pid in pids:
        texts.append((Path(f"/proc/{pid}/{name}").read_text(), True))
        for child in descendants(pid) if children else []:
            try:
                texts.append((Path(f"/proc/{child}/{name}").read_text(), False))
            except OSError:
                continue
    return texts


def rss_mib(*pids: int, children: bool = False) -> float:
    """Resident memory (VmRSS) of the processes, summed, in MiB."""
    total_kib = 0
    for text, named in _read(pids, children, "status"):
        line = next((line for line in text.splitlines() if line.startswith("VmRSS:")), None)
        if line is not None:
            total_kib += int(line.split()[1])
        elif named:
            raise RuntimeError("no VmRSS")  # a zombie: its memory is gone, and so is the server measured
    return total_kib / 1024


def cpu_seconds(*pids: int, children: bool = False) -> float:
    """User and system CPU time of the processes (their threads included, ended ones too), summed."""
    ticks = 0
    for text, _ in _read(pids, children, "stat"):
        fields = text.rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float, empty: float | None = None) -> float | None:
    """The ``q`` quantile of ``values`` (the nearest rank), or ``empty`` when there are none."""
    if not values:
        return empty
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
