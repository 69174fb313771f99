"""Section 6 of the dossier ("Corrections and additions", the fact-check of 2026-11-25) applied to the data, item by
item, and the claims, theme tags and deck that follow from it. Each test asserts the values a person would check, so a
regression of any item fails here by name. Where section 7 (the re-check of 2026-12-06) corrects an item, the test
asserts the corrected value and says so; tests/data/test_recheck.py covers section 7 point by point."""

import json
import math
import re

import pytest

from policylens.claims import VERDICT_LABELS
from policylens.contracts import contract_problems, editors_note, read_article, tag_overrides
from policylens.datasets import DATASET_IDS, caveat_texts, load_dataset, read_provenance
from policylens.themes import expected_tags, overrides_for, tag_text
from policylens.views import load_deck
from tests.helpers import copy_data, set_cell

ARTICLE_URL = (
    "https://news.cgtn.com/news/2023-11-09/China-s-efforts-in-global-technological-collaboration-1oApkpKrk1a/index.html"
)


@pytest.fixture(scope="module")
def frames():
    return {dataset_id: load_dataset(dataset_id) for dataset_id in DATASET_IDS}


@pytest.fixture(scope="module")
def expo(frames):
    return frames["expo"].set_index(["edition", "metric"])


@pytest.fixture(scope="module")
def claims(frames):
    return frames["claims"].set_index("id")


@pytest.fixture(scope="module")
def ai(frames):
    return frames["ai-research"].set_index(["edition", "measure", "area"])


@pytest.fixture(scope="module")
def deck():
    return load_deck()[1]


def all_text(*values) -> str:
    return " ".join(str(v) for v in values)


# 6.1 ------------------------------------------------------------------------------------------------------------


def test_6_1_the_4th_editions_366000_m2_is_the_business_exhibition_area(expo):
    business = expo.loc[(4, "business_exhibition_area")]
    assert business["value"] == 366000 and business["value_text"] == "366,000"
    assert business["definition"] == "business exhibition"
    assert business["source_id"] == "ktre-prnewswire-2022-ciie"
    assert business["confidence"] == "reported-secondhand"
    assert "270,000 square meters in 2018 to 366,000 square meters in 2021" in business["note"]
    # the business series 2018 -> 2021 is one definition
    assert expo.loc[(1, "business_exhibition_area"), "value"] == 270000
    # 6.1's "total area not found" is withdrawn by 7.2 (test_recheck.test_7_2): the total is the same 366,000
    assert expo.loc[(4, "exhibition_area"), "value"] == 366000


# 6.2 ------------------------------------------------------------------------------------------------------------


def test_6_2_the_article_repeats_pre_opening_figures_and_nothing_rounds_down(claims, deck):
    c03, c04 = claims.loc["c03"], claims.loc["c04"]
    assert c03["verdict"] == c04["verdict"] == "more-precise"
    assert c03["article_value"] == 3400 and c03["source_value"] == 3486
    assert c04["article_value"] == 120 and c04["source_value"] == 128
    assert "over 3400" in c03["note"]  # the claim card quotes the article's words
    assert "pre-opening" in c03["note"] and "2 Nov 2023" in c03["note"] and "9 Nov 2023" in c03["note"]
    assert "pre-opening" in c04["note"] and "18 Oct 2023" in c04["note"]
    for note in (c03["note"], c04["note"]):
        assert "rounded down" not in note.replace("Nothing is rounded down", "")
    slide2 = deck[1]
    assert "pre-opening" in slide2.sentence and "round" not in slide2.sentence
    assert "3,486 exhibitors" in slide2.sentence


def test_6_2_no_sentence_of_the_deck_says_the_article_rounds(deck):
    for slide in deck:
        assert "round" not in (slide.title + " " + slide.sentence).lower(), slide.number


# 6.3 ------------------------------------------------------------------------------------------------------------


def test_6_3_the_articles_address_and_date(frames):
    article = read_provenance("paragraphs")["article"]
    assert article["published"] == "2023-11-09"
    assert article["url"] == ARTICLE_URL
    sources = frames["sources"].set_index("id")
    assert sources.loc["cgtn-article", "url"] == ARTICLE_URL
    caveats = " ".join(caveat_texts(read_provenance("paragraphs")))
    assert "not in the project's sources" not in caveats and "given only as a month" not in caveats


# 6.4 ------------------------------------------------------------------------------------------------------------


def test_6_4_the_authors_school_is_marked_sic_where_shown_as_a_fact(frames, claims):
    # the note is quoted verbatim
    assert "School of Cyberspace and Science and Technology, Beijing" in editors_note()
    authors = frames["statements"][frames["statements"]["speaker_id"] == "authors"]
    assert len(authors) > 0
    assert set(authors["organisation"]) == {
        "School of Cyberspace and Science and Technology [sic], Beijing Institute of Technology; "
        "Institute of Information Engineering, Chinese Academy of Sciences"
    }
    # 7.14: the note cites Keke Gai's profile by its source key, not the research file
    assert all(
        "School of Cyberspace Science and Technology" in n and "[cloudconf-gaikeke]" in n for n in authors["note"]
    )
    c13 = claims.loc["c13"]
    assert c13["paragraph"] == 0 and c13["claim_text"] in editors_note()
    assert c13["verdict"] == "needs-caveat" and "[sic]" in c13["note"]
    assert c13["source_dataset"] == "sources" and c13["source_key"] == "cloudconf-gaikeke"
    # 7.6 adds Keke Gai's title to the source's statement
    assert c13["source_value_text"] == (
        "Ph.D., Professor (教授), School of Cyberspace Science and Technology, Beijing Institute of Technology"
    )
    assert c13["confidence"] == "verified-in-source"


# 6.5 ------------------------------------------------------------------------------------------------------------


def test_6_5_the_8th_editions_155_is_confirmed_after_the_event(expo):
    row = expo.loc[(8, "countries_regions_ios")]
    assert row["value"] == 155
    assert row["qualifier"] == "exact"
    assert row["confidence"] == "verified-in-source"
    assert row["source_id"] == "chinadaily-2025-8th-ciie-confirmed"
    assert "17 Nov 2025" in row["note"]


# 6.6 to 6.8 -----------------------------------------------------------------------------------------------------


def test_6_6_the_8th_editions_business_exhibition_area(expo):
    row = expo.loc[(8, "business_exhibition_area")]
    assert (row["value"], row["value_text"], row["qualifier"]) == (367000, "367,000+", "at-least")
    assert row["confidence"] == "reported-secondhand" and row["source_id"] == "peoplesdaily-pt-2025-8th-ciie"


def test_6_7_the_7th_editions_visitors(expo):
    row = expo.loc[(7, "visitors")]
    assert (row["value"], row["value_text"], row["qualifier"]) == (430000, "430,000+", "at-least")
    assert row["definition"] == "registered professional visitors"
    # the note quotes the page (7.10 gave its address): "a 4% increase"
    assert row["confidence"] == "reported-secondhand" and "a 4% increase" in row["note"]


def test_6_8_the_4th_and_5th_editions_visitors_with_an_unclear_definition(expo):
    assert expo.loc[(4, "visitors"), "value"] == 480000
    assert expo.loc[(5, "visitors"), "value"] == 461000
    for edition in (4, 5):
        row = expo.loc[(edition, "visitors")]
        assert row["confidence"] == "reported-secondhand" and row["source_id"] == "scmp-ciie-visitors"
        assert "unclear" in row["definition"]
    # the 3rd edition's visitors stay a gap
    assert math.isnan(expo.loc[(3, "visitors"), "value"]) and expo.loc[(3, "visitors"), "confidence"] == "not-found"


def test_sources_named_only_by_publication_say_so(frames):
    sources = frames["sources"].set_index("id")
    # scmp-ciie-visitors has its address since 7.10 (test_recheck.test_7_10)
    for source_id in ("chinadaily-2025-8th-ciie-confirmed", "peoplesdaily-pt-2025-8th-ciie"):
        assert sources.loc[source_id, "url"] == ""
        assert "not the address" in sources.loc[source_id, "note"]
    assert "cloud-conf.net/gaikeke" in sources.loc["cloudconf-gaikeke", "note"]


# 6.9 ------------------------------------------------------------------------------------------------------------


def test_6_9_pre_event_figures_are_reported_secondhand(expo, frames):
    for key in [
        (6, "business_exhibition_area"),
        (7, "countries_regions_ios"),
        (7, "exhibition_area"),
        (8, "exhibition_area"),
    ]:
        assert expo.loc[key, "qualifier"] == "pre-event", key
        assert expo.loc[key, "confidence"] == "reported-secondhand", key
    pre_event = frames["expo"][frames["expo"]["qualifier"] == "pre-event"]
    assert set(pre_event["confidence"]) == {"reported-secondhand"}


def test_6_9_dates_announced_before_the_event_are_pre_event(expo):
    assert [e for e in range(1, 9) if expo.loc[(e, "dates"), "qualifier"] == "pre-event"] == [1, 3, 5]
    for edition in (6, 7, 8):  # read in closing reports
        assert expo.loc[(edition, "dates"), "qualifier"] == "exact"


def test_6_9_at_least_391_is_shown_as_391_plus(expo):
    row = expo.loc[(2, "new_products")]
    assert (row["value"], row["value_text"], row["qualifier"]) == (391, "391+", "at-least")


def test_6_9_a_verified_pre_event_figure_is_caught(tmp_path):
    broken = copy_data(tmp_path)
    expo = load_dataset("expo")
    row = int(expo.index[(expo["edition"] == 7) & (expo["metric"] == "exhibition_area")][0]) + 1
    set_cell(broken, "expo", row, "confidence", "verified-in-source")
    from policylens.validate import fix_checksums

    fix_checksums(broken)
    sentences = [p.sentence() for p in contract_problems(broken)]
    assert any(f"row {row} " in s and "a pre-event figure is reported-secondhand" in s for s in sentences), sentences


# 6.10 -----------------------------------------------------------------------------------------------------------


def test_6_10_as_corrected_by_7_1_no_text_states_a_filing_basis(ai, claims, deck):
    # 6.10 ("counted by the office where filed") went too far: section 7.1 says the basis was not read, so no text
    # may state it either way ("filed in China" or "China filed"); test_recheck.test_7_1 checks the new wording.
    china = ai.loc[("AI Index 2022", "patent-filings", "China")]
    assert china["share_pct"] == 51.7
    c07 = claims.loc["c07"]
    texts = [c07["source_value_text"], c07["note"], *[s.title + " " + s.sentence + " " + s.notes for s in deck]]
    for text in texts:
        assert not re.search(r"China filed|filed in China|office where (the patent|it) (is|was) filed", text), text


# 6.11 -----------------------------------------------------------------------------------------------------------


LED_GRANTS = re.compile(r"(United States|\bUS\b)[^.;]{0,40}\bled\b[^.;]{0,30}grant", re.IGNORECASE)


def names_edition_and_year(text: str) -> bool:
    return bool(re.search(r"AI Index 20\d\d", text)) and bool(re.search(r"data year 20\d\d|\b20\d\d\b", text))


def test_6_11_no_sentence_says_the_us_led_grants_without_edition_and_year(frames, deck):
    texts = [
        *frames["claims"]["note"],
        *frames["claims"]["source_value_text"],
        *frames["statements"]["note"],
        *frames["ai-research"]["note"],
        *[s.title for s in deck],
        *[s.sentence for s in deck],
    ]
    for text in texts:
        for sentence in re.split(r"(?<=[.;])\s", text):
            if LED_GRANTS.search(sentence):
                assert names_edition_and_year(sentence), sentence
    titles = [s.title for s in deck]
    assert "…but the United States led granted patents" not in titles


def test_6_11_the_filings_claim_is_consistent_and_names_each_grants_edition(claims, deck):
    c07 = claims.loc["c07"]
    assert c07["verdict"] == "consistent"
    assert "AI Index 2022 (data year 2021)" in c07["note"] and "39.6%" in c07["note"] and "5.9%" in c07["note"]
    assert "AI Index 2024 (data year 2022)" in c07["note"] and "61.13%" in c07["note"]
    slide5 = deck[4]
    assert slide5.params["measure"] == ["granted-patents"] or slide5.first("measure") == "granted-patents"
    assert "AI Index 2022 (data year 2021)" in slide5.sentence and "AI Index 2024 (data year 2022)" in slide5.sentence
    keys = {f["key"] for f in slide5.figures}
    assert "AI Index 2024|granted-patents|China" in keys


# 6.12 -----------------------------------------------------------------------------------------------------------


def test_6_12_region_and_country_grant_shares_carry_the_basis_note(ai, frames):
    grants = frames["ai-research"]
    grants = grants[(grants["edition"] == "AI Index 2022") & (grants["measure"] == "granted-patents")]
    assert set(grants["area_type"]) == {"country", "region"} and len(grants) == 6
    for note in grants["note"]:
        assert "may not be on the same basis" in note
    assert ai.loc[("AI Index 2022", "granted-patents", "North America"), "share_pct"] == 57.0
    rest = ai.loc[("AI Index 2024", "granted-patents", "Rest of world")]
    assert rest["area_type"] == "residual" and rest["share_pct"] == 15.71
    assert "not a country" in rest["note"]
    assert "residual" in read_provenance("ai-research")["columns"][4]["allowed"]


# 6.13 -----------------------------------------------------------------------------------------------------------


def test_6_13_basic_data_systems_not_data_infrastructure(claims, frames):
    c05 = claims.loc["c05"]
    assert c05["verdict"] == "needs-caveat"
    assert (
        "basic data systems (数据基础制度)" in c05["note"] and "not data infrastructure (数据基础设施)" in c05["note"]
    )
    themes = frames["themes"].set_index("id")
    description = themes.loc["data-infrastructure", "description"]
    # 7.7: the article's label is a common state-media rendering, not an error of the authors
    assert "basic data systems" in description and "which the article, like a common state-media rendering, calls" in (
        description
    )
    assert themes.loc["data-infrastructure", "label"] == "Data systems and infrastructure"
    timeline = frames["policy-timeline"].set_index("id")
    assert "basic data systems" in timeline.loc["2022-12-data-20-measures", "note"]


def test_6_13_ushered_in_a_new_era_is_the_authors_interpretation(claims):
    c18 = claims.loc["c18"]
    assert c18["paragraph"] == 5 and c18["claim_text"].startswith("The document has ushered in a new era")
    assert c18["verdict"] == "not-checkable"
    assert "data policy, not an AI policy" in c18["note"] and "authors' interpretation" in c18["note"]


# every checkable claim has a row ----------------------------------------------------------------------------------


EXPECTED_CLAIMS = {
    # paragraph: words a claim of that paragraph must quote
    0: ["Keke Gai is a professor", "Jing Yu is an associate professor"],
    1: ["November 5 to 10, 2023", "New Era, Shared Future", "Over 3400 enterprises", "more than 120 countries"],
    2: ["attracted a great deal of attention", "from large language models"],
    3: ["released a guideline", "encourages the development and utilization"],
    4: ["four key areas"],
    5: ["ushered in a new era"],
    6: ["many Chinese scientists"],
    7: ["more than half the world's filings", "AI journals", "conference papers", "related publications"],
    8: ["open to international collaboration"],
    9: ["Founder & CEO of Beijing Genius Cyber Tech"],
    10: ["immersive experiences of the metaverse"],
    11: ["new AI-centric solutions"],
    12: ["CEO of Beijing Muguo Tech", "blockchain-based AI platform"],
    13: ["continued to support the cultivation of sci-tech talents"],
    14: ["20th National Congress", "contingent of personnel", "craftsmen"],
    16: ["A document released", "original innovation"],
    19: ["driving force"],
}


def test_every_factual_claim_of_the_article_has_a_row(frames):
    claims = frames["claims"]
    for paragraph, phrases in EXPECTED_CLAIMS.items():
        own = claims[claims["paragraph"] == paragraph]["claim_text"].tolist()
        for phrase in phrases:
            assert any(phrase in text.replace("\xa0", " ") for text in own), (paragraph, phrase)
    assert len(claims) == 29


def test_claim_ids_are_stable_and_rows_in_article_order(frames):
    claims = frames["claims"]
    ids = claims["id"].tolist()
    assert [f"c{n:02d}" for n in range(1, 13)] == sorted(i for i in ids if int(i[1:]) <= 12)
    assert sorted(ids) == [f"c{n:02d}" for n in range(1, 30)]
    article = read_article()
    note = editors_note()
    positions = [
        (int(p), (note if p == 0 else article).find(t) + (0 if p == 0 else len(note)))
        for p, t in zip(claims["paragraph"], claims["claim_text"], strict=True)
    ]
    assert positions == sorted(positions)


def test_not_checkable_claims_cite_nothing_and_say_why(frames):
    claims = frames["claims"]
    unchecked = claims[claims["verdict"] == "not-checkable"]
    assert len(unchecked) == 13  # 15 until c27 and c28 became checkable (7.4, 7.5)
    assert (unchecked["source_dataset"] == "").all() and (unchecked["source_key"] == "").all()
    assert unchecked["source_value"].isna().all()
    for note in unchecked["note"]:
        assert len(note) > 40
    companies = claims.set_index("id").loc[["c21", "c24", "c25"], "note"]
    assert all("not-found" in n and "dossier" not in n for n in companies)


def test_the_new_verdict_is_in_the_contract_and_the_core(frames):
    column = next(c for c in read_provenance("claims")["columns"] if c["name"] == "verdict")
    assert column["allowed"] == list(VERDICT_LABELS)
    assert column["labels"] == VERDICT_LABELS
    assert VERDICT_LABELS["not-checkable"] == "Not checkable"


def test_a_not_checkable_claim_that_cites_a_row_is_caught(tmp_path):
    broken = copy_data(tmp_path)
    claims = load_dataset("claims")
    row = int(claims.index[claims["id"] == "c14"][0]) + 1
    set_cell(broken, "claims", row, "source_dataset", "expo")
    from policylens.validate import fix_checksums

    fix_checksums(broken)
    sentences = [p.sentence() for p in contract_problems(broken)]
    assert any(f"row {row} " in s and "a not-checkable claim cites no evidence" in s for s in sentences), sentences


def test_slide_1_is_true_of_the_verdict_counts(frames, deck):
    counts = frames["claims"]["verdict"].value_counts().to_dict()
    sentence = deck[0].sentence
    said = {
        "consistent": "some hold",
        "more-precise": "more precise source",
        "needs-caveat": "need a caveat",
        "not-checkable": "no source can check",
    }
    for verdict, words in said.items():
        assert words in sentence and counts.get(verdict, 0) >= 2, verdict
    assert "most" not in sentence and "rounded" not in sentence


# theme tags that do not mislead ---------------------------------------------------------------------------------


def test_tags_that_misled_are_gone_and_the_missing_one_is_curated(frames):
    paragraphs = frames["paragraphs"].set_index("paragraph")
    statements = frames["statements"].set_index("id")
    assert "trade-expo" not in paragraphs.loc[4, "themes"] and "trade-expo" not in statements.loc["s06", "themes"]
    assert "global-collaboration" not in paragraphs.loc[12, "themes"]
    assert "global-collaboration" not in statements.loc["s20", "themes"]
    assert "trade-expo" in paragraphs.loc[11, "themes"] and "trade-expo" in statements.loc["s18", "themes"]
    # 7.8: Linhua Dong's trustworthy-trading platform is not an expo item (test_recheck.test_7_8)
    themes = frames["themes"].set_index("id")
    found = tag_text(paragraphs.loc[12, "text"], {"trade-expo": themes.loc["trade-expo", "keywords"]})
    assert found == {}
    assert "global" not in themes.loc["global-collaboration", "keywords"]
    assert "trading" not in themes.loc["trade-expo", "keywords"]


def test_curated_tags_have_written_reasons():
    overrides = tag_overrides()
    assert {(o.dataset, o.key, o.theme, o.action) for o in overrides} == {
        ("paragraphs", "11", "trade-expo", "add"),
        ("statements", "s18", "trade-expo", "add"),
    }
    for override in overrides:
        assert "paragraph 10" in override.reason and "CIIE" in override.reason


def test_stored_tags_are_exactly_keywords_plus_overrides(frames):
    themes = frames["themes"]
    keywords = dict(zip(themes["id"], themes["keywords"], strict=True))
    overrides = tag_overrides()
    for dataset_id, key in (("paragraphs", "paragraph"), ("statements", "id")):
        for row in frames[dataset_id].to_dict("records"):
            own = overrides_for(overrides, dataset_id, row[key])
            assert list(row["themes"]) == expected_tags(row["text"], keywords, own), (dataset_id, row[key])


def test_a_tag_without_keyword_or_override_is_caught(tmp_path):
    broken = copy_data(tmp_path)
    prov_path = broken / "themes" / "provenance.json"
    prov = json.loads(prov_path.read_text(encoding="utf-8"))
    prov["tag_overrides"] = [o for o in prov["tag_overrides"] if o["key"] != "11"]
    prov_path.write_text(json.dumps(prov, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    sentences = [p.sentence() for p in contract_problems(broken)]
    assert any("paragraphs.csv, row 11" in s and "the theme 'trade-expo' is not explained" in s for s in sentences), (
        sentences
    )


def test_a_keyword_match_left_untagged_is_caught(tmp_path):
    broken = copy_data(tmp_path)
    set_cell(broken, "paragraphs", 1, "themes", "")
    from policylens.validate import fix_checksums

    fix_checksums(broken)
    sentences = [p.sentence() for p in contract_problems(broken)]
    assert any("paragraphs.csv, row 1 " in s and "should carry 'trade-expo'" in s for s in sentences), sentences
