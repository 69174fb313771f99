"""The data changelog: what changed in the datasets, when, why and on what source, version by version.

``data/CHANGELOG.json`` lies beside the dataset folders but outside them, so ``datasets.data_version()`` (which hashes
only ``data/<id>/<id>.csv`` and ``data/<id>/provenance.json``) does not hash it: writing an entry never changes the
version the entry records. Each entry names the data version its change produced (``data_version()`` after it), the
date, the dataset (``"*"`` for all), the rows (primary keys joined by '|'), what changed, why, the source (a short
sentence naming the public sources: publication, date, and "secondhand" where the figure was read secondhand) and the
sha256 of each dataset CSV after the change. An optional ``sources`` lists the ids of those sources as rows of the
sources dataset, so the Sources and method page can link them; every id must be one its provenance lists.

``changelog_problems`` is the check ``python -m policylens.validate`` runs: a CSV whose sha256 (as recorded in its
provenance.json) no entry records, or a data version the last entry does not name, is a change without an entry; a
source id no row of the sources dataset has is a citation a reader cannot follow.
``python -m policylens.changelog`` prints the current version and what still needs an entry.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policylens.datasets import DATASET_IDS, DataError, Problem, data_version, file_label, read_provenance
from policylens.paths import DATA_DIR

CHANGELOG_FILE = "CHANGELOG.json"
ALL_DATASETS = "*"
ENTRY_KEYS = ("version", "date", "dataset", "rows", "change", "reason", "source", "checksums")
SOURCES_KEY = "sources"  # optional: ids of rows of the sources dataset
SOURCES_DATASET = "sources"
_VERSION = re.compile(r"[0-9a-f]{10}")
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SOURCE_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the id pattern of the sources dataset


@dataclass(frozen=True)
class Entry:
    """One change: the data version it produced, when, which dataset and rows, what, why, on what source (a sentence,
    and the ids of its rows in the sources dataset)."""

    version: str
    date: str
    dataset: str
    rows: tuple[str, ...]
    change: str
    reason: str
    source: str
    checksums: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    def sentence(self) -> str:
        """'2026-11-26, expo (8|business_exhibition_area): what changed. Why. Source: People's Daily, 11 Nov 2025.'"""
        rows = f" ({', '.join(self.rows)})" if self.rows else ""
        return f"{self.date}, {self.dataset}{rows}: {self.change} {self.reason} Source: {self.source}."


class ChangelogError(ValueError):
    """The changelog file cannot be read; the message says where and why."""


def changelog_path(data_dir: Path = DATA_DIR) -> Path:
    return Path(data_dir) / CHANGELOG_FILE


def entry_problems(raw: object, number: int) -> list[str]:
    """What is wrong with one raw entry (a dict from the JSON file), as sentences naming the entry's number."""
    where = f"entry {number}"
    if not isinstance(raw, Mapping):
        return [f"{where} is not a JSON object."]
    problems = [f"{where} has no '{key}'." for key in ENTRY_KEYS if key not in raw]
    if problems:
        return problems
    if not isinstance(raw["version"], str) or not _VERSION.fullmatch(raw["version"]):
        problems.append(f"{where}: the version {raw['version']!r} is not a data version (10 hex digits).")
    if not isinstance(raw["date"], str) or not _DATE.fullmatch(raw["date"]):
        problems.append(f"{where}: the date {raw['date']!r} is not an ISO date (YYYY-MM-DD).")
    if raw["dataset"] != ALL_DATASETS and raw["dataset"] not in DATASET_IDS:
        problems.append(f"{where}: {raw['dataset']!r} is not a dataset id (or '*' for all).")
    if not isinstance(raw["rows"], list) or not all(isinstance(r, str) for r in raw["rows"]):
        problems.append(f"{where}: rows must be a list of row keys (text).")
    for key in ("change", "reason", "source"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            problems.append(f"{where}: '{key}' must say it in words.")
    checksums = raw["checksums"]
    if not isinstance(checksums, Mapping) or not checksums:
        problems.append(f"{where}: checksums must map dataset ids to the sha256 of their CSV after the change.")
    else:
        for dataset_id, digest in checksums.items():
            if dataset_id not in DATASET_IDS:
                problems.append(f"{where}: checksums names {dataset_id!r}, which is not a dataset id.")
            elif not isinstance(digest, str) or not _SHA256.fullmatch(digest):
                problems.append(f"{where}: the checksum of {dataset_id} is not a sha256 (64 hex digits).")
        if raw["dataset"] in DATASET_IDS and raw["dataset"] not in checksums:
            problems.append(f"{where}: checksums must include the sha256 of {raw['dataset']}, the changed dataset.")
    sources = raw.get(SOURCES_KEY, [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and _SOURCE_ID.fullmatch(s) for s in sources):
        problems.append(f"{where}: sources must be a list of source ids (rows of the sources dataset).")
    elif len(set(sources)) != len(sources):
        problems.append(f"{where}: sources names a source id twice.")
    return problems


def parse_changelog(document: object) -> list[Entry]:
    """The entries of a parsed changelog document (``{"entries": [...]}``); raises ChangelogError naming each fault."""
    if not isinstance(document, Mapping) or not isinstance(document.get("entries"), list):
        raise ChangelogError("the changelog must be a JSON object with a list of 'entries'.")
    problems = [p for n, raw in enumerate(document["entries"], start=1) for p in entry_problems(raw, n)]
    if problems:
        raise ChangelogError(" ".join(problems))
    entries = [
        Entry(
            raw["version"],
            raw["date"],
            raw["dataset"],
            tuple(raw["rows"]),
            raw["change"].strip(),
            raw["reason"].strip(),
            raw["source"].strip(),
            dict(raw["checksums"]),
            tuple(raw.get(SOURCES_KEY, [])),
        )
        for raw in document["entries"]
    ]
    dates = [e.date for e in entries]
    if dates != sorted(dates):
        raise ChangelogError("entries must be in date order, oldest first.")
    return entries


def load_changelog(data_dir: Path = DATA_DIR) -> list[Entry]:
    """Every entry of ``data/CHANGELOG.json``, oldest first; raises ChangelogError with the file's name."""
    path = changelog_path(data_dir)
    label = file_label(path)
    if not path.is_file():
        raise ChangelogError(f"{label}: the changelog file is missing.")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChangelogError(f"{label}: the changelog is not valid JSON ({exc}).") from None
    try:
        return parse_changelog(document)
    except ChangelogError as exc:
        raise ChangelogError(f"{label}: {exc}") from None


def versions(entries: Sequence[Entry]) -> list[str]:
    """The data versions the changelog names, oldest first, each once."""
    return list(dict.fromkeys(e.version for e in entries))


def entries_since(version: str | None, entries: Sequence[Entry] | None = None) -> list[Entry] | None:
    """The entries after the one(s) that produced ``version``: what changed since a link pinned to it was made.

    ``[]`` when ``version`` is the latest; ``None`` when the changelog does not know the version (or it is empty),
    so a caller can say "changed since, in ways not recorded here" rather than "unchanged". Several entries can share
    one version (one release, several changes): all of them produced it, so none of them is "since".
    """
    if entries is None:
        entries = load_changelog()
    positions = [i for i, entry in enumerate(entries) if entry.version == version]
    if not version or not positions:
        return None
    return list(entries[positions[-1] + 1 :])


def recorded_checksums(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Dataset id -> every sha256 of its CSV that some entry records."""
    recorded: dict[str, set[str]] = {d: set() for d in DATASET_IDS}
    for entry in entries:
        for dataset_id, digest in entry.checksums.items():
            recorded.setdefault(dataset_id, set()).add(digest)
    return recorded


def checksum_problems(checksums: Mapping[str, str], entries: Sequence[Entry], label: str = CHANGELOG_FILE) -> list[str]:
    """Sentences for each dataset whose provenance sha256 (``checksums``: id -> sha256) no entry records."""
    recorded = recorded_checksums(entries)
    return [
        f"{label}: the {dataset_id} dataset changed without a changelog entry: no entry records the sha256 "
        f"{digest[:12]}… that data/{dataset_id}/provenance.json gives for {dataset_id}.csv. Add an entry (version, "
        f'date, dataset, rows, change, reason, source) with "checksums": {{"{dataset_id}": "{digest}"}}.'
        for dataset_id, digest in checksums.items()
        if digest not in recorded.get(dataset_id, set())
    ]


def version_problems(current: str, entries: Sequence[Entry], label: str = CHANGELOG_FILE) -> list[str]:
    """A sentence when the last entry does not name the current data version (a file changed without an entry)."""
    if not entries:
        return [f"{label}: the changelog has no entry; the first one records the data version {current}."]
    last = entries[-1].version
    if last == current:
        return []
    return [
        f"{label}: the data version is {current}, but the last changelog entry records {last}: a data or provenance "
        f'file changed without an entry. Add an entry with "version": "{current}" saying what changed and why.'
    ]


def source_problems(known: Iterable[str], entries: Sequence[Entry], label: str = CHANGELOG_FILE) -> list[str]:
    """A sentence for each source id an entry cites that the sources dataset does not list (``known``: its ids)."""
    known = set(known)
    return [
        f"{label}: the entry of {entry.date} ({entry.dataset}, version {entry.version}) cites the source id "
        f"{source_id!r}, which data/{SOURCES_DATASET}/provenance.json does not list: add the source's row or fix "
        "the id."
        for entry in entries
        for source_id in entry.sources
        if source_id not in known
    ]


def known_source_ids(data_dir: Path = DATA_DIR) -> set[str] | None:
    """The source ids the sources dataset's provenance lists (None when it cannot be read)."""
    try:
        return {str(s) for s in read_provenance(SOURCES_DATASET, data_dir).get("source_ids", []) or []}
    except (DataError, OSError):
        return None


def current_checksums(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Dataset id -> the sha256 its provenance.json records (datasets whose provenance cannot be read are left out)."""
    checksums = {}
    for dataset_id in DATASET_IDS:
        try:
            checksums[dataset_id] = str(read_provenance(dataset_id, data_dir)["sha256"])
        except (DataError, OSError):
            continue
    return checksums


def changelog_problems(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every way the data folder and its changelog disagree, as Problems naming data/CHANGELOG.json."""
    label = file_label(changelog_path(data_dir))
    try:
        entries = load_changelog(data_dir)
    except ChangelogError as exc:
        return [Problem(label, str(exc).removeprefix(f"{label}: "))]
    sentences = checksum_problems(current_checksums(data_dir), entries, label)
    sentences += version_problems(data_version(data_dir), entries, label)
    known = known_source_ids(data_dir)
    if known is not None:  # an unreadable provenance is reported by the dataset's own check
        sentences += source_problems(known, entries, label)
    return [Problem(label, s.removeprefix(f"{label}: ")) for s in sentences]


def main(argv: list[str] | None = None) -> int:
    """Print the current data version, the datasets whose checksum needs an entry, and any other problem."""
    del argv
    print(f"data version {data_version()}")
    for dataset_id, digest in current_checksums().items():
        print(f"  {dataset_id}: {digest}")
    problems = changelog_problems()
    for problem in problems:
        print(problem.sentence(), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
