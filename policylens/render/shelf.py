"""The first paint's pictures on disk, shared by the replicas of one host and kept over a restart.

Drawing every page's default view takes one process about 16 CPU seconds of Chromium at start-up (benchmarks/
RESULTS.md, 2026-12-06 10:10); a second replica, or the same one restarted, finds them here instead. A view's pictures
are an index file (chart key -> variant -> picture file) beside the picture files, which are named by their content
(``pictures.picture_name``). The index's name holds the view's key (page, parameters, data version) and a digest of
the code that draws it (``code_version``): a new release draws again, never serves an old drawing. Files are written
atomically; the oldest go first past ``max_files``. Never raises: a folder that cannot be read or written is a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Hashable, Mapping
from functools import lru_cache
from pathlib import Path

from policylens.diskfiles import evict_oldest, write_atomic
from policylens.paths import REPO_ROOT

log = logging.getLogger("policylens.render")

PICTURE_FILE = re.compile(r"(wide|narrow)(-dark)?-[0-9a-f]{20}\.svg")  # pictures.picture_name's names
MAX_FILES = 4000  # pictures and indexes (a view: an index and four pictures per chart, about 5 to 150 kB each)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the core's source (the views, the figures, the palette: what a picture is drawn from)."""
    digest = hashlib.sha256()
    for path in sorted((REPO_ROOT / "policylens").rglob("*.py")):
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Shelf:
    """Pictures of views in ``folder`` (see the module's docstring)."""

    def __init__(self, folder: Path, max_files: int = MAX_FILES):
        self.folder = Path(folder)
        self.max_files = max_files

    def _index(self, key: Hashable) -> Path:
        name = hashlib.sha256(f"{code_version()}|{key!r}".encode()).hexdigest()[:32]
        return self.folder / f"{name}.json"

    def load(self, key: Hashable) -> dict[str, dict[str, bytes]] | None:
        """The view's pictures, or None when they are not all on the shelf."""
        try:
            index = json.loads(self._index(key).read_text(encoding="utf-8"))
            return {
                chart: {variant: (self.folder / Path(name).name).read_bytes() for variant, name in files.items()}
                for chart, files in index.items()
            }
        except (OSError, ValueError, AttributeError, TypeError):
            return None

    def file(self, name: str) -> bytes | None:
        """One picture file by its name (a picture any replica of the host drew), or None."""
        if not PICTURE_FILE.fullmatch(name):
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def save(self, key: Hashable, index: Mapping[str, Mapping[str, str]], files: Mapping[str, bytes]) -> None:
        """Put the view's picture files (name -> SVG) and then its index (chart key -> variant -> name) on the shelf."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, svg in files.items():
                if not (self.folder / name).exists():
                    self._write(name, svg)
            self._write(self._index(key).name, json.dumps(index, sort_keys=True).encode("utf-8"))
            self._evict()
        except OSError as err:
            log.info("first-paint pictures not kept on disk: %s", err)

    def _write(self, name: str, payload: bytes) -> None:
        write_atomic(self.folder / name, payload)

    def _evict(self) -> None:
        """The oldest pictures and indexes go first (never another replica's temporary file, still being written)."""
        evict_oldest([*self.folder.glob("*.svg"), *self.folder.glob("*.json")], self.max_files)
