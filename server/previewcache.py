"""Preview pictures on disk, shared by the replicas of one host: one file per view and data version."""

from __future__ import annotations

from pathlib import Path

from policylens.diskfiles import evict_oldest, write_atomic
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
        write_atomic(self.path(key), png)
        self.evict()

    def files(self) -> list[Path]:
        return list(self.folder.glob("*.png"))

    def evict(self) -> None:
        evict_oldest(self.files(), self.max_files, self.max_bytes)


def cache() -> PreviewCache:
    return PreviewCache(settings.preview_dir(), settings.preview_max_files(), settings.preview_max_bytes())
