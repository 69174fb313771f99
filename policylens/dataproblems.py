"""What every check of a data file reports: a ``Problem`` per thing wrong, and the ``DataError`` that carries them.

A problem's sentence names the file, the row and the column, so that both the tests and the app can say exactly
what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file. ``row`` counts data rows from 1 (the header is line 1 of the file).

    ``dataset`` is the dataset whose file is wrong, where a problem of one dataset is reported for another that
    refers to it (the root cause of the other's problem); ``code`` marks a kind a program acts on ("checksum").
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    dataset: str = ""
    code: str = ""

    def sentence(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row} (line {self.row + 1})"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataError(Exception):
    """A dataset failed its contract. ``problems`` lists every problem found, the root cause first: a problem of a
    dataset this one refers to (``Problem.dataset``) comes before this dataset's own."""

    def __init__(self, dataset_id: str, problems: list[Problem]):
        self.dataset_id = dataset_id
        self.problems = problems
        more = len(problems) - 1
        tail = f" ({more} more problem{'s' if more != 1 else ''} in this dataset.)" if more > 0 else ""
        root = self.root
        head = (
            f"The '{root}' dataset cannot be used, so neither can '{dataset_id}', which refers to it."
            if root != dataset_id
            else f"The '{dataset_id}' dataset cannot be used."
        )
        super().__init__(f"{head} {problems[0].sentence()}{tail}")

    @property
    def root(self) -> str:
        """The dataset whose file holds the first problem (this one, or one it refers to)."""
        return self.problems[0].dataset or self.dataset_id

    @property
    def sentence(self) -> str:
        return str(self)


def read_or_sentence(read: Callable[[str, Path], Any], dataset_id: str, data_dir: Path) -> tuple[Any, str | None]:
    """``(read(dataset_id, data_dir), None)``, or ``(None, sentence)`` saying what is wrong with the dataset: what
    the app's pages and the server's routes keep per dataset (``load_dataset`` or ``read_provenance``)."""
    try:
        return read(dataset_id, data_dir), None
    except DataError as err:
        return None, err.sentence
