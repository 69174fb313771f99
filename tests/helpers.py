"""Helpers shared by the test levels."""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import shutil
from pathlib import Path

from policylens.datasets import csv_path
from policylens.paths import DATA_DIR


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def set_cell(data_dir: Path, dataset_id: str, row: int, column: str, value: str) -> None:
    """Overwrite one cell (row counts data rows from 1), leaving provenance.json as it was."""
    path = csv_path(dataset_id, data_dir)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    index = rows[0].index(column)
    rows[row][index] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def rename_column(data_dir: Path, dataset_id: str, old: str, new: str) -> None:
    path = csv_path(dataset_id, data_dir)
    text = path.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    path.write_text(",".join(new if h == old else h for h in header.split(",")) + "\n" + rest, encoding="utf-8")


def write_dataset(data_dir: Path, dataset_id: str, columns: list[dict], rows: list[list[str]], **extra) -> Path:
    """A small dataset with a correct checksum, for unit tests of the loader."""
    from policylens.datasets import file_sha256

    folder = data_dir / dataset_id
    folder.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[c["name"] for c in columns], *rows])
    path = folder / f"{dataset_id}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    prov = {
        "id": dataset_id,
        "title": f"Test {dataset_id}",
        "description": "A dataset made by a test.",
        "producer": "tests",
        "source_ids": [],
        "accessed": "2026-11-25",
        "licence": "test",
        "confidence": "verified-in-source",
        "file": path.name,
        "sha256": file_sha256(path),
        "primary_key": [columns[0]["name"]],
        "columns": [{"description": "", "unit": "", "required": False, **c} for c in columns],
        **extra,
    }
    (folder / "provenance.json").write_text(json.dumps(prov), encoding="utf-8")
    return path


def in_thread(function, *args):
    """``function(*args)`` in a thread of its own: the browser tests leave Playwright's sync API, and its running
    event loop, in the main thread, where ``asyncio.run`` and async clients refuse to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def bundle_path(html: str) -> str:
    """The address of Streamlit's main script in a page's HTML, relative to the page: ``src`` in Streamlit's own HTML,
    ``data-pl-module`` where the first paint left it for its script to start after the first frame."""
    import re

    return re.search(r'(?:src|data-pl-module)="\./(static/js/[^"]+\.js)"', html).group(1)


def nginx_routes(log: str) -> list[tuple[str, str, str]]:
    """(request line, upstream, route cookie) of every request in an nginx access log written with the layout's
    format (deploy/nginx.conf, scripts/cluster.py). A request nginx retried on another replica logs every upstream it
    tried, "a, b", the one that answered last; the upstream is kept as logged."""
    import re

    rows = []
    for line in log.splitlines():
        found = re.search(r'"([^"]*)" (\d+) upstream=(.*?) route=(\S*)$', line)
        if found:
            rows.append((found.group(1), found.group(3), found.group(4)))
    return rows
