"""Every dataset against its contract, and the facts a reader would check first."""

import hashlib
import json
import math
import os

import pytest
from jsonschema import Draft202012Validator

from policylens.contracts import contract_problems, read_article
from policylens.datasets import DATASET_IDS, csv_path, file_sha256, load_dataset, read_provenance
from policylens.paths import DATA_DIR, REPO_ROOT
from policylens.provenance import SCHEMA_PATH
from tests.helpers import copy_data, set_cell


@pytest.fixture(scope="module")
def frames():
    return {dataset_id: load_dataset(dataset_id) for dataset_id in DATASET_IDS}


@pytest.mark.parametrize("dataset_id", DATASET_IDS)
def test_dataset_loads_and_checksum_matches(dataset_id):
    frame = load_dataset(dataset_id)
    prov = read_provenance(dataset_id)
    assert len(frame) > 0
    assert list(frame.columns) == [c["name"] for c in prov["columns"]]
    assert prov["sha256"] == file_sha256(csv_path(dataset_id))
    for column in prov["columns"]:
        assert column["description"], f"{dataset_id}.{column['name']} has no meaning"


@pytest.mark.parametrize("dataset_id", DATASET_IDS)
def test_provenance_has_what_a_reader_needs(dataset_id):
    prov = json.loads((DATA_DIR / dataset_id / "provenance.json").read_text(encoding="utf-8"))
    for key in ("title", "description", "producer", "accessed", "licence", "confidence"):
        assert prov[key].strip(), f"{dataset_id}: {key} is empty"
    assert prov["file"] == f"{dataset_id}.csv"


def test_no_cross_dataset_problems():
    assert [p.sentence() for p in contract_problems()] == []


def test_article_copy_is_the_recorded_one():
    prov = read_provenance("paragraphs")
    ours = (DATA_DIR / "paragraphs" / "cgtn-article.txt").read_bytes()
    assert hashlib.sha256(ours).hexdigest() == prov["article_sha256"]


def test_article_copy_is_the_shared_source():
    """The shared sources sit beside the checkout on the team's machines and in CI (where their absence fails);
    a clone elsewhere has no such folder, and this test then says it did not run instead of passing."""
    shared = REPO_ROOT.parent / "shared" / "sources" / "cgtn-article.txt"
    if not shared.exists():
        assert os.environ.get("CI") != "true", f"CI must have the shared sources beside the checkout: {shared}"
        pytest.skip(f"no shared sources beside this checkout ({shared.parent}): nothing to compare with")
    assert shared.read_bytes() == (DATA_DIR / "paragraphs" / "cgtn-article.txt").read_bytes()


def test_paragraphs_are_the_article_body_without_debris(frames):
    paragraphs = frames["paragraphs"]
    assert paragraphs["paragraph"].tolist() == list(range(1, 20))
    assert paragraphs.iloc[0]["text"].startswith("The 6th China International Import Expo (CIIE)")
    assert paragraphs.iloc[-1]["text"].startswith("In summary, the coordinated development")
    assert not paragraphs["text"].str.contains("Search Trends").any()


def test_direct_quotes_are_verbatim_and_attributed(frames):
    article = read_article()
    quotes = frames["statements"][frames["statements"]["kind"] == "direct-quote"]
    assert set(quotes["speaker_id"]) == {"xiaosheng-tan", "linhua-dong"}
    for text in quotes["text"]:
        assert text in article
    tan = quotes[quotes["speaker_id"] == "xiaosheng-tan"]
    assert "For example, AI-generated content may invade the privacy of personal data." in set(tan["text"])
    assert tan.iloc[0]["organisation"] == "Beijing Genius Cyber Tech Co., Ltd."
    dong = quotes[quotes["speaker_id"] == "linhua-dong"]
    assert len(dong) == 2 and dong.iloc[0]["organisation"] == "Beijing Muguo Tech Co., Ltd."


def test_paraphrases_are_the_three_reported_voices(frames):
    paraphrases = frames["statements"][frames["statements"]["kind"] == "paraphrase"]
    assert set(paraphrases["speaker_id"]) == {"stanford-ai-index", "20th-national-congress", "2023-talent-document"}


def test_theme_ids_of_the_link_contract(frames):
    ids = set(frames["themes"]["id"])
    assert {
        "ai-safety",
        "privacy",
        "intellectual-property",
        "responsible-ai",
        "data-infrastructure",
        "talent",
        "global-collaboration",
        "blockchain",
        "innovation",
    } <= ids


def test_expo_sixth_edition_figures(frames):
    expo = frames["expo"].set_index(["edition", "metric"])
    assert expo.loc[(6, "exhibitors"), "value"] == 3486
    assert expo.loc[(6, "intended_deals"), "value"] == 78.41
    assert expo.loc[(6, "exhibitor_countries_regions"), "value"] == 128
    assert expo.loc[(6, "exhibitors"), "confidence"] == "verified-in-source"


def test_expo_gaps_stay_gaps(frames):
    expo = frames["expo"].set_index(["edition", "metric"])
    gaps = [(3, "countries_regions_ios"), (5, "exhibition_area"), (3, "exhibition_area"), (6, "exhibition_area")]
    for key in [*gaps, (3, "visitors"), (2, "business_exhibition_area")]:
        assert math.isnan(expo.loc[key, "value"]), key
        assert expo.loc[key, "confidence"] == "not-found"
    assert len(frames["expo"]) == 88
    assert expo.loc[(6, "business_exhibition_area"), "value"] == 367000
    assert expo.loc[(3, "exhibitors"), "confidence"] == "reported-secondhand"
    assert expo.loc[(4, "intended_deals"), "value"] == 70.72


def test_ai_index_editions_are_kept_apart(frames):
    ai = frames["ai-research"].set_index(["edition", "measure", "area"])
    assert ai.loc[("AI Index 2022", "patent-filings", "China"), "share_pct"] == 51.7
    assert ai.loc[("AI Index 2022", "granted-patents", "United States"), "share_pct"] == 39.6
    assert ai.loc[("AI Index 2022", "repository-publications", "United States"), "share_pct"] == 32.5
    assert ai.loc[("AI Index 2024", "granted-patents", "China"), "share_pct"] == 61.13
    years = frames["ai-research"].groupby("edition")["data_year"].unique().map(list).to_dict()
    assert years == {"AI Index 2022": [2021], "AI Index 2023": [2021], "AI Index 2024": [2022]}
    # No residual was invented: 2022 filings have no "Rest of world" row.
    assert ("AI Index 2022", "patent-filings", "Rest of world") not in ai.index


def test_data_20_measures_structure(frames):
    policy = frames["data-policy"]
    assert policy["article_no"].tolist() == list(range(1, 21))
    assert policy["part"].nunique() == 6
    counts = policy[policy["pillar"] != ""]["pillar"].value_counts().to_dict()
    assert counts == {"property-rights": 5, "circulation-trading": 4, "income-distribution": 2, "governance": 3}
    governance = policy[policy["pillar"] == "governance"]["article_no"].tolist()
    assert governance == [14, 15, 16]
    assert policy.set_index("article_no").loc[3, "article_title_zh"] == "探索数据产权结构性分置制度"


def test_claims_cite_rows_whose_numbers_match(frames):
    claims = frames["claims"].set_index("id")
    exhibitors = claims[claims["topic"].str.contains("exhibitors", case=False)].iloc[0]
    assert exhibitors["article_value"] == 3400 and exhibitors["source_value"] == 3486
    assert exhibitors["verdict"] == "more-precise"
    filings = claims[claims["source_value"] == 51.7].iloc[0]
    assert filings["verdict"] == "consistent"  # the article's claim is about filings (dossier §6.11)
    assert "39.6" in filings["note"] and "AI Index 2024" in filings["note"]
    assert claims["headline"].sum() >= 3


def test_a_corrupted_copy_is_named_by_file_row_and_column(tmp_path):
    broken = copy_data(tmp_path)
    set_cell(broken, "claims", 3, "source_value", "lots")
    sentences = [p.sentence() for p in contract_problems(broken)]
    assert any(
        "claims/claims.csv, row 3 (line 4), column 'source_value': 'lots' is not a number." in s for s in sentences
    )


def test_a_cited_number_that_no_longer_matches_is_caught(tmp_path):
    broken = copy_data(tmp_path)
    expo = load_dataset("expo")
    row = int(expo.index[(expo["edition"] == 6) & (expo["metric"] == "exhibitors")][0]) + 1
    set_cell(broken, "expo", row, "value", "3487")
    from policylens.validate import fix_checksums

    fix_checksums(broken)  # a fresh checksum must not hide that a claim now cites a different number
    sentences = [p.sentence() for p in contract_problems(broken)]
    assert any(
        "column 'source_value': the source figure 3486 does not match expo row" in s and "is 3487" in s
        for s in sentences
    ), sentences


def test_every_data_change_is_in_the_changelog():
    from policylens.changelog import changelog_problems, load_changelog
    from policylens.datasets import data_version

    assert [p.sentence() for p in changelog_problems()] == []
    assert load_changelog()[-1].version == data_version()


def test_the_provenance_schema_is_a_schema_and_every_provenance_file_meets_it():
    """Checked with jsonschema itself, not through the sentences: the file the validator uses is the contract."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for dataset_id in DATASET_IDS:
        prov = json.loads((DATA_DIR / dataset_id / "provenance.json").read_text(encoding="utf-8"))
        assert [error.message for error in validator.iter_errors(prov)] == [], dataset_id
    assert SCHEMA_PATH.relative_to(REPO_ROOT).as_posix() in (REPO_ROOT / "docs" / "data-contract.md").read_text()
