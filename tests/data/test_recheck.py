"""The second fact-check (2026-12-06; section 7 of the research file, points 7.1 to 7.14) applied to the data, the
deck and what a reader sees, one test per point, so a regression of any point fails here by its number.

Section 7 stands over section 6 (tests/data/test_corrections.py): where they disagree, these tests hold the value.
"""

import dataclasses
import json
import math
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from policylens import research_words
from policylens.changelog import entries_since, load_changelog
from policylens.claimreview import reviews_from
from policylens.datasets import DATASET_IDS, caveat_texts, csv_path, data_version, load_dataset, read_provenance
from policylens.paths import DATA_DIR, REPO_ROOT
from policylens.search import speaker_names
from policylens.views import PAGES, load_deck
from policylens.views.base import Data
from policylens.views.policy import intro as policy_intro
from policylens.views.sources import METHOD_FILE, SourcesParams, changelog_rows
from policylens.views.sources import build as build_sources
from policylens.views.story import StoryParams

RECHECK_DATE = "2026-12-06"
# The data version before the re-check: links pinned to it must open with what changed since.
VERSION_BEFORE = "5025f4e5c3"


@pytest.fixture(scope="module")
def data_frames():
    return {dataset_id: load_dataset(dataset_id) for dataset_id in DATASET_IDS}


@pytest.fixture(scope="module")
def expo(data_frames):
    return data_frames["expo"].set_index(["edition", "metric"])


@pytest.fixture(scope="module")
def claims(data_frames):
    return data_frames["claims"].set_index("id")


@pytest.fixture(scope="module")
def ai(data_frames):
    return data_frames["ai-research"].set_index(["edition", "measure", "area"])


@pytest.fixture(scope="module")
def statements(data_frames):
    return data_frames["statements"].set_index("id")


@pytest.fixture(scope="module")
def timeline(data_frames):
    return data_frames["policy-timeline"].set_index("id")


@pytest.fixture(scope="module")
def sources(data_frames):
    return data_frames["sources"].set_index("id")


@pytest.fixture(scope="module")
def deck():
    return load_deck()[1]


@pytest.fixture(scope="module")
def snapshot(data_frames):
    return Data(
        frames=dict(data_frames), provenances={d: read_provenance(d) for d in DATASET_IDS}, version=data_version()
    )


# 7.1 ------------------------------------------------------------------------------------------------------------


def test_7_1_the_filing_basis_was_not_read_wherever_it_is_stated(ai, claims, statements, data_frames, deck):
    filings = data_frames["ai-research"]
    filings = filings[(filings["edition"] == "AI Index 2022") & (filings["measure"] == "patent-filings")]
    assert len(filings) == 6
    for note in filings["note"]:
        assert "is not stated in the transcription read" in note and "the basis was not read" in note
        assert "Counted by the office where" not in note
        assert "Not one series with AI Index 2024" in note
    china = ai.loc[("AI Index 2022", "patent-filings", "China")]
    assert china["share_pct"] == 51.7 and "withdrawn" in china["note"]
    c07 = claims.loc["c07"]
    assert c07["verdict"] == "consistent"
    assert c07["source_value_text"].endswith("counting basis not stated in the source read")
    assert "the basis was not read" in c07["note"] and "not one series" in c07["note"]
    assert "basis of the filing shares is not stated" in statements.loc["s09", "note"]
    caveats = " ".join(caveat_texts(read_provenance("ai-research")))
    assert "was not read" in caveats and "counts patent origins" in caveats
    # the Research page
    df = data_frames["ai-research"]
    assert "that basis was not read" in research_words.intro_markdown(df)
    caption = research_words.filings_caption(df)
    assert "the counting basis is not stated" in caption and "not one series" in caption
    for text in (research_words.intro_markdown(df), caption):
        assert "filed in China" not in text and "office where they were filed)" not in text
    # slide 4 states the figure without a basis; slide 5 no longer reads the editions as a trend
    slide4, slide5 = deck[3], deck[4]
    assert "does not state how filings are counted" in slide4.sentence
    assert "basis was not read" in slide4.notes
    assert slide5.title == "Granted patents: two editions, not one series"
    assert slide5.sentence.startswith("Granted AI patents are not one series")
    assert "not a trend" in slide5.notes and "Do not read the change between them as growth" in slide5.notes
    assert "depends on the edition" not in slide5.title


# 7.2 ------------------------------------------------------------------------------------------------------------


def test_7_2_the_4th_editions_total_area_is_366000(expo):
    total = expo.loc[(4, "exhibition_area")]
    assert (total["value"], total["value_text"], total["qualifier"]) == (366000, "366,000", "exact")
    assert total["definition"] == "total" and total["confidence"] == "reported-secondhand"
    assert total["source_id"] == "prnewswire-fr-2021-ciie"
    assert "La surface totale d'exposition ... 366 000 m2" in total["note"]
    assert "[ecns-2021-4th-ciie]" in total["note"]
    business = expo.loc[(4, "business_exhibition_area")]
    assert business["value"] == 366000
    for note in (total["note"], business["note"]):
        assert "Country Exhibition was online only" in note
    caveats = " ".join(caveat_texts(read_provenance("expo")))
    assert "the two coincide" in caveats and "its total area was not found" not in caveats


# 7.3 ------------------------------------------------------------------------------------------------------------


def test_7_3_the_1st_editions_270000_cites_the_release_and_notes_peoples_daily(expo, sources):
    row = expo.loc[(1, "business_exhibition_area")]
    assert row["value"] == 270000
    assert row["source_id"] == "ktre-prnewswire-2022-ciie" and row["confidence"] == "reported-secondhand"
    assert "the area of its business exhibition increased from 270,000 square meters in 2018" in row["note"]
    assert "calls 270,000 m2 the total exhibition area [people-2022-ciie-business-area]" in row["note"]
    assert "total exhibition area" in sources.loc["people-2022-ciie-business-area", "title"]
    assert "[people-2022-ciie-business-area]" in expo.loc[(1, "exhibition_area"), "note"]


# 7.4 ------------------------------------------------------------------------------------------------------------


def test_7_4_c27_is_checkable_and_consistent(claims, sources):
    c27 = claims.loc["c27"]
    assert c27["verdict"] == "consistent"
    assert (c27["source_dataset"], c27["source_key"], c27["confidence"]) == (
        "sources",
        "rmlt-20th-congress-report",
        "reported-secondhand",
    )
    assert c27["source_value_text"].startswith("加快建设国家战略人才力量，努力培养造就更多大师、战略科学家")
    assert "大国工匠、高技能人才" in c27["note"] and "[xinhua-2022-10-25-20th-congress-report]" in c27["note"]
    assert "rmlt-20th-congress-report" in sources.index


# 7.5 ------------------------------------------------------------------------------------------------------------


def test_7_5_c28_is_consistent_and_c12_near_certain(claims, statements, timeline):
    c28 = claims.loc["c28"]
    assert c28["verdict"] == "consistent" and c28["confidence"] == "reported-secondhand"
    assert (c28["source_dataset"], c28["source_key"]) == ("sources", "xinhua-2023-08-28-young-talents-commentary")
    assert "引导支持青年科技人才服务高质量发展" in c28["note"]
    assert "original innovation, technical breakthroughs and the application of results" in c28["source_value_text"]
    c12 = claims.loc["c12"]
    assert "near-certain" in c12["note"] and "引导支持青年科技人才服务高质量发展" in c12["note"]
    assert "near-certain" in statements.loc["s24", "note"]
    assert "near-certain" in timeline.loc["2023-08-young-talent-measures", "note"]
    for text in (
        c12["note"],
        c28["note"],
        statements.loc["s24", "note"],
        timeline.loc["2023-08-young-talent-measures", "note"],
    ):
        assert "inference" not in text
    for dataset_id in ("claims", "policy-timeline", "statements"):
        caveats = " ".join(caveat_texts(read_provenance(dataset_id)))
        assert "is an inference" not in caveats and "mark inferences" not in caveats, dataset_id


# 7.6 ------------------------------------------------------------------------------------------------------------


def test_7_6_keke_gais_title_is_known(claims, sources, statements):
    c13 = claims.loc["c13"]
    assert '"Ph.D., Professor (教授)"' in c13["note"] and "do not state Keke Gai's academic title" not in c13["note"]
    assert c13["source_value_text"].startswith("Ph.D., Professor (教授)")
    assert "Ph.D., Professor (教授)" in sources.loc["cloudconf-gaikeke", "title"]
    authors = statements[statements["speaker_id"] == "authors"]
    assert all("Ph.D., Professor (教授) [cloudconf-gaikeke]" in n for n in authors["note"])


# 7.7 ------------------------------------------------------------------------------------------------------------


def test_7_7_data_infrastructure_is_a_translation_choice(claims, timeline, data_frames, deck):
    c05 = claims.loc["c05"]
    assert c05["verdict"] == "needs-caveat"
    assert '"data infrastructure system" is a common state-media English rendering of 数据基础制度' in c05["note"]
    assert "a translation choice, not an error of the authors" in c05["note"]
    assert "[peoplesdaily-2022-12-30-data-system]" in c05["note"]
    assert "[economicdaily-2023-04-03-data-system]" in c05["note"]
    assert "translation choice" in timeline.loc["2022-12-data-20-measures", "note"]
    slide7 = deck[6]
    assert "which the article, like state media, renders as data infrastructure" in slide7.sentence
    assert "translation choice" in slide7.notes
    assert "translation choice" in " ".join(caveat_texts(read_provenance("data-policy")))
    assert "translation choice" in " ".join(caveat_texts(read_provenance("themes")))
    themes = data_frames["themes"].set_index("id")
    assert "like a common state-media rendering" in themes.loc["data-infrastructure", "description"]
    intro = policy_intro(data_frames["data-policy"])
    assert "translation choice, not an error of the authors" in intro
    assert "the article's wording, not the document's subject" not in intro


# 7.8 ------------------------------------------------------------------------------------------------------------


def test_7_8_no_voice_or_platform_is_placed_at_the_expo(data_frames, claims, statements, deck):
    slide8 = deck[7]
    assert slide8.title == "A voice quoted in the article: privacy"
    assert "does not place him at the expo" in slide8.notes
    for slide in deck:
        assert "expo floor" not in (slide.title + slide.sentence + slide.notes).lower(), slide.number
    paragraphs = data_frames["paragraphs"].set_index("paragraph")
    assert "trade-expo" not in paragraphs.loc[12, "themes"]
    assert "trade-expo" not in statements.loc["s20", "themes"]
    themes = data_frames["themes"].set_index("id")
    assert "trustworthy" not in themes.loc["trade-expo", "keywords"]
    assert "does not place at the expo" in themes.loc["trade-expo", "description"]
    for claim_id in ("c21", "c24", "c25"):
        assert "does not place" in claims.loc[claim_id, "note"], claim_id
    for statement_id in ("s11", "s15", "s19", "s20"):
        assert "does not place" in statements.loc[statement_id, "note"], statement_id


# 7.9 ------------------------------------------------------------------------------------------------------------

REMARKED = [
    ("expo", "1|countries_regions_ios"),
    ("ai-research", "AI Index 2023|conference-citations|United States"),
    ("ai-research", "AI Index 2023|conference-citations|China"),
    ("policy-timeline", "2020-04-factor-market-opinions"),
    ("policy-timeline", "2021-06-data-security-law"),
    ("policy-timeline", "2022-01-algorithmic-recommendation-provisions"),
    ("policy-timeline", "2023-07-generative-ai-interim-measures"),
    ("policy-timeline", "2023-12-data-elements-x-action-plan"),
]


def row_of(frames, dataset_id: str, key: str) -> pd.Series:
    from policylens.datasets import row_key

    frame = frames[dataset_id]
    keys = row_key(frame, read_provenance(dataset_id)).tolist()
    return frame.iloc[keys.index(key)]


def test_7_9_eight_rows_read_in_reposts_are_reported_secondhand(data_frames):
    assert len(REMARKED) == 8
    for dataset_id, key in REMARKED:
        row = row_of(data_frames, dataset_id, key)
        assert row["confidence"] == "reported-secondhand", (dataset_id, key)
        assert re.search(r"re-post|aggregator|blog|page about|tracker page|re-posted", row["note"]), (dataset_id, key)


def test_7_9_the_spam_like_source_is_dropped_everywhere(sources):
    assert "imasd-data-elements-x" not in sources.index
    for dataset_id in DATASET_IDS:
        assert "imasd" not in csv_path(dataset_id).read_text(encoding="utf-8"), dataset_id
        assert "imasd-data-elements-x" not in read_provenance(dataset_id).get("source_ids", []), dataset_id


# 7.10 -----------------------------------------------------------------------------------------------------------


def test_7_10_the_four_empty_addresses_are_filled(sources):
    assert sources.loc["xinhua-2023-6th-ciie-preevent", "url"] == (
        "https://english.news.cn/20231018/446f74a40a1d413fa4f8e6ea5914b555/c.html"
    )
    assert sources.loc["bloominglobal-2024-7th-ciie", "url"].startswith("https://bloominglobal.com/media/detail/7th-")
    assert sources.loc["scmp-ciie-visitors", "url"] == "https://www.scmp.com/article/3199168"
    assert sources.loc["cloudconf-gaikeke", "url"] == "http://cloud-conf.net/gaikeke"


def test_7_10_every_source_without_an_address_says_why(sources):
    empty = sources[sources["url"] == ""]
    assert len(empty) > 0
    for source_id, note in empty["note"].items():
        assert note.startswith("No address") or "No web address" in note or "No address:" in note, source_id
        assert "dossier" not in note.lower(), source_id


# 7.11 -----------------------------------------------------------------------------------------------------------


def test_7_11_the_article_mixes_two_pre_opening_updates(claims, deck):
    for claim_id in ("c03", "c04"):
        note = claims.loc[claim_id, "note"]
        assert "mixes two pre-opening updates" in note, claim_id
        assert "18 Oct 2023" in note and "3 Nov 2023" in note, claim_id
        assert "[xinhua-2023-6th-ciie-preevent]" in note and "[mofcom-newswire-2023-6th-ciie]" in note, claim_id
    assert "over 3,000 companies from more than 120 countries" in claims.loc["c03", "note"]
    assert '"128 countries and regions" [mofcom-newswire-2023-6th-ciie]' in claims.loc["c04", "note"]
    slide2 = deck[1]
    assert slide2.sentence.startswith("The article mixes two pre-opening updates")
    for slide in deck:
        assert "repeats the pre-opening registrations" not in slide.sentence + slide.notes, slide.number


# 7.12 -----------------------------------------------------------------------------------------------------------


def test_7_12_c10_says_the_article_echoes_the_ai_indexs_own_highlight(claims):
    c10 = claims.loc["c10"]
    assert c10["verdict"] == "needs-caveat"
    assert "echoes AI Index 2022's own highlight" in c10["note"] and '"63.2% higher"' in c10["note"]
    assert "32.5% against China's 16.6%" in c10["note"]


# 7.13 -----------------------------------------------------------------------------------------------------------


def test_7_13_the_speaker_of_the_congress_report_is_a_person(statements, data_frames, claims):
    s22 = statements.loc["s22"]
    assert s22["speaker"] == "Xi Jinping" and s22["role"] == "the top leader of the country"
    # the id is part of published links (/voices?speaker=20th-national-congress) and stays
    assert s22["speaker_id"] == "20th-national-congress"
    assert "delivered by Xi Jinping on 16 Oct 2022" in s22["note"] and "the Congress is the occasion" in s22["note"]
    assert speaker_names(data_frames["statements"])["20th-national-congress"] == "Xi Jinping"
    assert "delivered by Xi Jinping on 16 Oct 2022" in claims.loc["c11", "note"]


# 7.14 -----------------------------------------------------------------------------------------------------------


def strings(value) -> list[str]:
    """Every string a reader could see in a value: text fields, tables, nested mappings; never a figure object."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, go.Figure) or value is None:
        return []
    if isinstance(value, pd.DataFrame):
        return [value.to_csv(index=False)]
    if isinstance(value, dict) or hasattr(value, "items"):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, list | tuple | set):
        return [s for v in value for s in strings(v)]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
    return []


def test_7_14_no_dossier_in_the_data_or_its_provenance():
    for dataset_id in DATASET_IDS:
        assert "dossier" not in csv_path(dataset_id).read_text(encoding="utf-8").lower(), dataset_id
        for text in strings(read_provenance(dataset_id)):
            assert "dossier" not in text.lower(), (dataset_id, text)


def test_7_14_no_dossier_in_the_deck_the_method_or_the_changelog(deck):
    assert "dossier" not in (REPO_ROOT / "policylens" / "deck.json").read_text(encoding="utf-8").lower()
    assert "dossier" not in METHOD_FILE.read_text(encoding="utf-8").lower()
    # Every entry, the first fact-check's too: they cite public sources (and their ids), not the research file.
    for entry in load_changelog():
        assert "dossier" not in entry.sentence().lower(), entry


def test_7_14_no_dossier_on_any_page_or_slide(snapshot):
    views = [page.build(page.params(), snapshot) for page in PAGES]
    slides = len(load_deck()[1])
    story = next(page for page in PAGES if page.id == "story")
    views += [story.build(StoryParams(slide=n, notes=True), snapshot) for n in range(1, slides + 1)]
    for view in views:
        for text in strings(view.blocks) + [view.summary, *view.notes]:
            assert "dossier" not in text.lower(), (view.page, text[:200])


def test_7_14_notes_cite_source_rows_that_exist(data_frames, sources):
    cited = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*)\]")
    for dataset_id in DATASET_IDS:
        frame = data_frames[dataset_id]
        for column in ("note", "key_measures"):
            if column in frame.columns:
                for text in frame[column]:
                    for source_id in cited.findall(str(text)):
                        assert source_id in sources.index or source_id == "sic", (dataset_id, source_id)


# the method page, /sources and the changelog -----------------------------------------------------------------


def test_the_method_page_has_both_fact_checks_and_sources_shows_it(snapshot):
    method = METHOD_FILE.read_text(encoding="utf-8")
    assert "**2026-11-25**" in method and "**2026-12-06**" in method
    view = build_sources(SourcesParams(), snapshot)
    by_key = {b.key: b for b in view.blocks if getattr(b, "key", "")}
    assert by_key["method"].text == "Method" and by_key["method"].style == "header"
    assert "2026-11-25" in by_key["method-text"].text and "2026-12-06" in by_key["method-text"].text
    assert "[method](#method)" in view.blocks[0].text
    rows = [r for r in read_provenance("sources").get("source_ids", []) if r == "policylens-method"]
    assert rows == ["policylens-method"]


def test_every_dataset_has_a_changelog_entry_for_the_recheck_and_sources_shows_them(snapshot):
    entries = load_changelog()
    recheck = [e for e in entries if e.date == RECHECK_DATE]
    assert {e.dataset for e in recheck} == set(DATASET_IDS)
    assert entries[-1].version == data_version()
    for entry in recheck:
        # A source key in brackets, the method page of the re-check, or (the labelled corpus, whose rows are quotes
        # of many documents) the address every row carries.
        cited = "[" in entry.source or "re-check" in entry.source or "fact-check" in entry.source
        assert cited or (entry.dataset == "policy-corpus" and "address" in entry.source), entry
    shown = changelog_rows(snapshot)
    # each entry's sentence, then the names and addresses of the sources it cites by id
    for row, entry in zip(shown[: len(recheck)], reversed(recheck), strict=True):
        assert row["plain"].startswith(f"{entry.version}: {entry.sentence()}"), entry


def test_links_pinned_to_the_version_before_the_recheck_say_what_changed():
    since = entries_since(VERSION_BEFORE)
    assert since is not None and {e.dataset for e in since} == set(DATASET_IDS)
    assert all(e.date == RECHECK_DATE for e in since)
    # and a link pinned to the first version still finds its place in the history
    first = entries_since("a9dd70b55e")
    assert first is not None and len(first) > len(since)


def test_claimreview_and_the_claims_api_carry_the_new_verdicts(data_frames):
    provenances = {d: read_provenance(d) for d in DATASET_IDS}
    reviews = {r["claimReviewed"]: r for r in reviews_from(data_frames, provenances, "https://example.org")}
    claims = data_frames["claims"].set_index("id")
    for claim_id in ("c27", "c28"):
        review = reviews[claims.loc[claim_id, "claim_text"]]
        assert review["reviewRating"]["alternateName"] == "Consistent", claim_id
    c05 = reviews[claims.loc["c05", "claim_text"]]
    assert "translation choice" in c05["reviewBody"]

    from server.claims import claims_document

    snapshot = Data(frames=dict(data_frames), provenances=provenances, version=data_version())
    document = json.loads(json.dumps(claims_document(snapshot), default=str))
    by_id = {c["id"]: c for c in document["claims"]}
    assert by_id["c27"]["verdict"] == by_id["c28"]["verdict"] == "consistent"
    assert by_id["c27"]["source"]["source_id"] == "rmlt-20th-congress-report"
    assert "basis was not read" in by_id["c07"]["note"]
    assert not math.isnan(float(by_id["c07"]["source"]["source_row"]))
    assert document["data_version"] == data_version() and DATA_DIR.is_dir()
