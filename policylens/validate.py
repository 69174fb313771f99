"""Check the whole data folder from the command line: ``python -m policylens.validate``.

It runs every dataset's contract (roots first: a broken dataset is named before the datasets that refer to it), the
cross-dataset checks and the changelog check (``policylens.changelog``: every
CSV checksum and the current data version must be recorded in ``data/CHANGELOG.json``).

``--fix-checksums`` rewrites the sha256 of every provenance file after a deliberate edit of its CSV; it refuses
while any other contract problem remains, so it cannot hide a broken file. The new checksum then still needs its
changelog entry: validation fails, naming it, until the entry is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from policylens.changelog import changelog_problems
from policylens.contracts import contract_problems
from policylens.datasets import DATASET_IDS, csv_path, file_sha256, provenance_path
from policylens.paths import DATA_DIR


def fix_checksums(data_dir=DATA_DIR) -> list[str]:
    changed = []
    for dataset_id in DATASET_IDS:
        prov_file = provenance_path(dataset_id, data_dir)
        prov = json.loads(prov_file.read_text(encoding="utf-8"))
        actual = file_sha256(csv_path(dataset_id, data_dir))
        if prov.get("sha256") != actual:
            prov["sha256"] = actual
            prov_file.write_text(json.dumps(prov, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            changed.append(dataset_id)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fix-checksums", action="store_true", help="record the current sha256 of each CSV")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="the data folder to check (default: data/)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir
    problems = contract_problems(data_dir)
    if args.fix_checksums:
        others = [p for p in problems if p.code != "checksum"]
        if others:
            print("Not fixing checksums while other problems remain:", file=sys.stderr)
        else:
            for dataset_id in fix_checksums(data_dir):
                print(f"recorded a new sha256 for {dataset_id}")
            problems = contract_problems(data_dir)
    problems = [*problems, *changelog_problems(data_dir)]
    for problem in problems:
        print(problem.sentence(), file=sys.stderr)
    if not problems:
        print(f"{len(DATASET_IDS)} datasets valid; every change is in the changelog.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
