"""Files on disk shared by the replicas of one host (the link previews, the first paint's pictures): written
atomically, and bounded, the oldest written going first. Pure: no Streamlit."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` through a temporary file in the same folder: a reader (another replica) never
    sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(payload)
    os.replace(tmp, path)


def evict_oldest(paths: Iterable[Path], max_files: int, max_bytes: float = float("inf")) -> None:
    """Remove the oldest written of ``paths`` until at most ``max_files`` of them, of at most ``max_bytes`` in all,
    are left."""
    entries = []
    for path in paths:
        with contextlib.suppress(OSError):
            stat = path.stat()
            entries.append((stat.st_mtime, path.name, stat.st_size, path))
    entries.sort()
    count, total = len(entries), sum(e[2] for e in entries)
    for _, _, size, path in entries:
        if count <= max_files and total <= max_bytes:
            break
        with contextlib.suppress(OSError):  # another replica may have removed it first
            path.unlink()
        count, total = count - 1, total - size
