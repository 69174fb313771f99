"""The theme lexicon and the OECD lens (issue 19): contracts beyond the column rules, and the article's readings."""

from __future__ import annotations

import pytest

from policylens.analyze.tagging import lexicon_from_frame, tag
from policylens.datasets import DATASET_IDS, load_dataset, read_provenance
from policylens.themes import overrides_for, parse_overrides

OECD_HEADINGS = {
    "oecd-inclusive-growth": "inclusive growth, sustainable development and well-being",
    "oecd-human-rights": "human rights and democratic values, including fairness and privacy",
    "oecd-transparency": "transparency and explainability",
    "oecd-robustness": "robustness, security and safety",
    "oecd-accountability": "accountability",
    "oecd-rd-investment": "investing in ai research and development",
    "oecd-ecosystem": "fostering an inclusive ai-enabling ecosystem",
    "oecd-governance": "interoperable governance and policy environment",
    "oecd-human-capacity": "building human capacity and preparing for labour market transition",
    "oecd-international-cooperation": "international co-operation for trustworthy ai",
}
# The CGTN article's paragraphs under the OECD lens: the reader's tags with the two curated overrides. A change here
# is a change of the article's reading and needs a changelog entry (theme-lexicon or oecd-themes).
ARTICLE_OECD = {
    2: ["oecd-robustness"],
    3: ["oecd-ecosystem"],
    4: ["oecd-governance"],
    6: ["oecd-rd-investment"],
    8: ["oecd-international-cooperation"],
    9: ["oecd-human-rights", "oecd-robustness"],
    12: ["oecd-ecosystem"],
    13: ["oecd-human-capacity"],
    14: ["oecd-human-capacity"],
    15: ["oecd-human-capacity"],
    16: ["oecd-human-capacity"],
    17: ["oecd-inclusive-growth", "oecd-international-cooperation"],
    18: ["oecd-rd-investment", "oecd-international-cooperation"],
    19: ["oecd-robustness", "oecd-human-capacity", "oecd-international-cooperation"],
}


@pytest.fixture(scope="module")
def lexicon():
    return load_dataset("theme-lexicon")


@pytest.fixture(scope="module")
def oecd():
    return load_dataset("oecd-themes")


def test_both_are_registered_datasets():
    assert {"oecd-themes", "theme-lexicon"} <= set(DATASET_IDS)


def test_the_oecd_lens_has_the_ten_headings_of_2024_in_order(oecd):
    assert list(oecd["id"]) == list(OECD_HEADINGS)
    assert list(oecd["section"]) == ["1.1", "1.2", "1.3", "1.4", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5"]
    for row in oecd.to_dict("records"):
        assert OECD_HEADINGS[row["id"]] in row["heading"].lower(), row["heading"]
    prov = read_provenance("oecd-themes")
    assert any("OECD-LEGAL-0449" in source for source in prov["derived_from"])


def test_the_oecd_ids_are_the_corpus_labels(oecd):
    corpus = read_provenance("policy-corpus")
    allowed = next(c for c in corpus["columns"] if c["name"] == "oecd_themes")["allowed"]
    assert list(oecd["id"]) == allowed


def test_the_mapping_table_names_article_themes_and_is_documented(oecd):
    article = set(load_dataset("themes")["id"])
    mapped = {t for ts in oecd["article_themes"] for t in (ts or ())}
    assert mapped <= article
    caveats = " ".join(read_provenance("oecd-themes")["caveats"])
    assert "mapping" in caveats and "Trade & expo" in caveats


def test_every_lexicon_entry_names_a_theme_of_its_lens_and_gives_its_reason(lexicon, oecd):
    ids = {"article": set(load_dataset("themes")["id"]), "oecd": set(oecd["id"])}
    for row in lexicon.to_dict("records"):
        assert row["theme"] in ids[row["lens"]], row
        assert len(str(row["reason"]).strip()) >= 5, row
    for lens, theme_ids in ids.items():
        rows = lexicon[(lexicon["lens"] == lens) & (lexicon["strength"] == "strong")]
        assert set(rows["theme"]) == theme_ids, lens  # every theme can be tagged


def test_the_lexicon_keeps_the_negative_contexts_the_issue_names(lexicon):
    nots = lexicon[lexicon["strength"] == "not"]
    pairs = set(zip(nots["theme"], nots["term"], strict=True))
    assert ("research", "research institutions") in pairs
    assert ("trade-expo", "data trading") in pairs


def test_every_oecd_override_is_needed_and_gives_its_reason(lexicon, oecd):
    reader = lexicon_from_frame("oecd", tuple(oecd["id"]), lexicon)
    paragraphs = {int(r["paragraph"]): r["text"] for r in load_dataset("paragraphs").to_dict("records")}
    overrides = parse_overrides(read_provenance("oecd-themes")["tag_overrides"])
    assert overrides
    for o in overrides:
        assert o.dataset == "paragraphs" and int(o.key) in paragraphs and len(o.reason) > 40
        without = tag(paragraphs[int(o.key)], reader)[0]
        assert (o.theme in without) == (o.action == "remove"), o  # the override changes the reader's tag


def test_the_article_reading_under_the_oecd_lens(lexicon, oecd):
    reader = lexicon_from_frame("oecd", tuple(oecd["id"]), lexicon)
    overrides = parse_overrides(read_provenance("oecd-themes")["tag_overrides"])
    got = {}
    for row in load_dataset("paragraphs").to_dict("records"):
        tags = tag(row["text"], reader, overrides_for(overrides, "paragraphs", row["paragraph"]))[0]
        if tags:
            got[int(row["paragraph"])] = list(tags)
    assert got == ARTICLE_OECD
