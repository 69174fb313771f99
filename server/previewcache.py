"""Preview pictures on disk, shared by the replicas of one host: one file per view and data version."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from server import settings


class PreviewCache:
    """Preview pictures on disk, one file per key, bounded in count and bytes: the oldest written go first."""

    def __init__(self, folder: Path, max_files: int, max_bytes: int):
        self.folder = folder
        self.max_files = max_files
        self.max_bytes = max_bytes

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def get(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, png: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(png)
        os.replace(tmp, self.path(key))  # atomic: a reader never sees half a file
        self.evict()

    def files(self) -> list[Path]:
        return list(self.folder.glob("*.png"))

    def evict(self) -> None:
        entries = []
        for path in self.files():
            with contextlib.suppress(OSError):
                stat = path.stat()
                entries.append((stat.st_mtime, path.name, stat.st_size, path))
        entries.sort()
        count, total = len(entries), sum(e[2] for e in entries)
        for _, _, size, path in entries:
            if count <= self.max_files and total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):  # another replica may have removed it first
                path.unlink()
            count, total = count - 1, total - size


def cache() -> PreviewCache:
    return PreviewCache(settings.preview_dir(), settings.preview_max_files(), settings.preview_max_bytes())
