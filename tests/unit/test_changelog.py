"""The data changelog: reading it, what changed since a version, and the check that every change has an entry."""

import json
import re

import pytest

from policylens.changelog import (
    ChangelogError,
    Entry,
    changelog_problems,
    checksum_problems,
    entries_since,
    load_changelog,
    parse_changelog,
    source_problems,
    version_problems,
)
from policylens.datasets import DATASET_IDS, data_version, load_dataset, read_provenance
from tests.helpers import copy_data, set_cell

SHA_A = "a" * 64
SHA_B = "b" * 64


def raw(version, date="2026-11-26", dataset="expo", rows=("4|visitors",), checksums=None, **extra):
    entry = {
        "version": version,
        "date": date,
        "dataset": dataset,
        "rows": list(rows),
        "change": "Added the 4th edition's visitors.",
        "reason": "A figure the first fact-check adds.",
        "source": "South China Morning Post, article 3199168 (reported secondhand)",
        "checksums": checksums if checksums is not None else {"expo": SHA_A},
    }
    entry.update(extra)
    return entry


def entries(*raws):
    return parse_changelog({"entries": list(raws)})


def test_parse_gives_entries_oldest_first():
    log = entries(raw("0000000001", date="2026-11-25"), raw("0000000002"))
    assert [e.version for e in log] == ["0000000001", "0000000002"]
    assert log[1].rows == ("4|visitors",) and log[1].checksums == {"expo": SHA_A}
    assert log[1].sentence().startswith("2026-11-26, expo (4|visitors): Added the 4th edition's visitors.")
    assert log[1].sources == ()  # optional


def test_an_entry_cites_its_sources_by_id():
    [entry] = entries(raw("0000000001", sources=["scmp-ciie-visitors", "policylens-method"]))
    assert entry.sources == ("scmp-ciie-visitors", "policylens-method")
    assert entry.sentence().endswith("Source: South China Morning Post, article 3199168 (reported secondhand).")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"version": "v1"}, "is not a data version"),
        ({"date": "26 Nov 2026"}, "is not an ISO date"),
        ({"dataset": "weather"}, "'weather' is not a dataset id"),
        ({"reason": "  "}, "'reason' must say it in words"),
        ({"checksums": {"expo": "short"}}, "is not a sha256"),
        ({"checksums": {"claims": SHA_A}}, "must include the sha256 of expo"),
        ({"rows": "4|visitors"}, "rows must be a list"),
        ({"sources": "scmp-ciie-visitors"}, "sources must be a list of source ids"),
        ({"sources": ["SCMP visitors"]}, "sources must be a list of source ids"),
        ({"sources": ["scmp-ciie-visitors", "scmp-ciie-visitors"]}, "names a source id twice"),
    ],
)
def test_a_broken_entry_is_named(change, words):
    with pytest.raises(ChangelogError, match="entry 1") as caught:
        entries({**raw("0000000001"), **change})
    assert words in str(caught.value)


def test_an_entry_missing_a_key_is_named():
    broken = raw("0000000001")
    del broken["source"]
    with pytest.raises(ChangelogError, match="entry 1 has no 'source'"):
        entries(broken)


def test_entries_out_of_date_order_are_refused():
    with pytest.raises(ChangelogError, match="date order"):
        entries(raw("0000000002", date="2026-11-26"), raw("0000000001", date="2026-11-25"))


def test_entries_since_a_version():
    log = entries(
        raw("0000000001", date="2026-11-24"),
        raw("0000000002", date="2026-11-25"),
        raw("0000000002", date="2026-11-25", rows=("5|visitors",)),
        raw("0000000003", date="2026-11-26"),
    )
    assert [e.version for e in entries_since("0000000001", log)] == ["0000000002", "0000000002", "0000000003"]
    # both entries of one release produced it: neither is "since"
    assert [e.version for e in entries_since("0000000002", log)] == ["0000000003"]
    assert entries_since("0000000003", log) == []
    assert entries_since("ffffffffff", log) is None  # unknown: changed in ways not recorded here
    assert entries_since(None, log) is None
    assert entries_since("0000000001", []) is None


def test_checksum_problems_name_the_dataset_and_the_checksum():
    log = [Entry("0000000001", "2026-11-26", "expo", (), "c", "r", "s", {"expo": SHA_A})]
    assert checksum_problems({"expo": SHA_A}, log) == []
    [sentence] = checksum_problems({"expo": SHA_B}, log, "data/CHANGELOG.json")
    assert sentence.startswith("data/CHANGELOG.json: the expo dataset changed without a changelog entry")
    assert SHA_B in sentence and '"checksums": {"expo"' in sentence


def test_version_problems_say_the_current_version():
    log = [Entry("0000000001", "2026-11-26", "*", (), "c", "r", "s", {"expo": SHA_A})]
    assert version_problems("0000000001", log) == []
    [sentence] = version_problems("0000000002", log)
    assert "the data version is 0000000002, but the last changelog entry records 0000000001" in sentence
    assert "has no entry" in version_problems("0000000002", [])[0]


def test_source_problems_name_the_entry_and_the_unknown_id():
    log = entries(raw("0000000001", sources=["scmp-ciie-visitors", "no-such-source"]))
    [sentence] = source_problems({"scmp-ciie-visitors"}, log, "data/CHANGELOG.json")
    assert sentence.startswith("data/CHANGELOG.json: the entry of 2026-11-26 (expo, version 0000000001)")
    assert "'no-such-source'" in sentence and "data/sources/provenance.json does not list" in sentence
    assert source_problems({"scmp-ciie-visitors", "no-such-source"}, log) == []


def test_a_cited_source_id_the_sources_dataset_lacks_fails_validation(tmp_path):
    data = copy_data(tmp_path)
    path = data / "CHANGELOG.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["entries"][-1]["sources"] = ["policylens-method", "dossier-md"]
    path.write_text(json.dumps(document), encoding="utf-8")
    [problem] = changelog_problems(data)
    assert "cites the source id 'dossier-md'" in problem.sentence()


# What a reader of /sources cannot open: the team's internal fact file, a section sign, or a bare file name.
UNREADABLE = re.compile(r"dossier|§|\b[\w.-]+\.(?:md|txt|json|csv|js|py)\b", re.IGNORECASE)


def test_no_entry_cites_what_a_reader_cannot_open():
    for entry in load_changelog():
        assert "dossier" not in entry.sentence().lower(), entry
        assert not UNREADABLE.search(entry.source), entry
        assert entry.source.strip(), entry


def test_every_cited_source_id_is_a_row_of_the_sources_dataset():
    listed = set(read_provenance("sources")["source_ids"])
    rows = set(load_dataset("sources")["id"])
    log = load_changelog()
    cited = {source_id for entry in log for source_id in entry.sources}
    assert cited and cited <= listed and cited <= rows, cited - (listed & rows)
    # The entries of the first fact-check's corrections (which cited the internal fact file) cite public sources by id.
    for entry in log:
        if entry.version == "51debcd3ed" and entry.source != "editorial (no figure changed)":
            assert entry.sources, entry
    # A source a sentence names as [source-id] is also in the entry's ids, so /sources links it.
    for entry in log:
        in_words = {s for s in re.findall(r"\[([a-z0-9-]+)\]", entry.source) if s in rows}
        assert in_words <= set(entry.sources), (entry.date, entry.dataset, in_words - set(entry.sources))


def test_the_real_changelog_starts_at_the_baseline_and_ends_at_the_current_version():
    log = load_changelog()
    assert log[0].version == "a9dd70b55e" and log[0].dataset == "*"
    # The baseline records the nine datasets there were then; a dataset added later (the labelled policy corpus of
    # issue 19) has its first checksum in the entry that added it.
    assert set(log[0].checksums) == set(DATASET_IDS) - {"policy-corpus", "oecd-themes", "theme-lexicon"}
    assert any(e.dataset == "policy-corpus" and "policy-corpus" in e.checksums for e in log)
    assert log[-1].version == data_version()
    assert entries_since(log[-1].version, log) == []
    # The first fact-check's corrections produced one version; a link pinned to it is told what changed since.
    corrections = "51debcd3ed"
    cited = {s for e in log if e.version == corrections for s in e.sources}
    assert cited >= {"ktre-prnewswire-2022-ciie", "dzrgw-data-20-measures", "policylens-method"}
    assert any("caveats" in e.change and e.dataset == "expo" for e in entries_since(corrections, log))


def test_the_changelog_is_not_part_of_the_data_version(tmp_path):
    data = copy_data(tmp_path)
    before = data_version(data)
    path = data / "CHANGELOG.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["entries"].append(raw(before, date="2099-01-01"))
    path.write_text(json.dumps(document), encoding="utf-8")
    assert data_version(data) == before


def test_an_edited_csv_without_an_entry_fails_validation(tmp_path):
    from policylens.validate import fix_checksums

    data = copy_data(tmp_path)
    assert changelog_problems(data) == []
    set_cell(data, "expo", 1, "note", "An edit nobody logged.")
    fix_checksums(data)
    sentences = [p.sentence() for p in changelog_problems(data)]
    assert any("the expo dataset changed without a changelog entry" in s for s in sentences), sentences
    assert any("but the last changelog entry records" in s for s in sentences), sentences


def test_a_missing_changelog_is_named(tmp_path):
    data = copy_data(tmp_path)
    (data / "CHANGELOG.json").unlink()
    [problem] = changelog_problems(data)
    assert problem.sentence().endswith("the changelog file is missing.")
