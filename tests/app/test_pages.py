"""Each page from the entrypoint, read as a person would read it."""

import pandas as pd

from policylens.claims import VERDICT_LABELS
from policylens.datasets import DATASET_IDS, csv_path
from policylens.validate import fix_checksums
from tests.app.helpers import open_page
from tests.helpers import copy_data, rename_column, set_cell

SOURCES = "app_pages/sources.py"
EXPO_TITLE = "China International Import Expo, editions 1 to 8"


def texts(at, kind="markdown"):
    return " ".join(str(e.value) for e in at.get(kind))


def test_overview_shows_headline_figures_beside_sources(app):
    app.run()
    assert not app.exception
    body = texts(app).replace("\\", "")  # the page escapes data text for Markdown
    assert "Over 3400" in body and "3,486 companies from 128 countries and regions" in body
    # re-check 2026-12-06, 7.1: the source's figure without a counting basis, which was not read
    assert "China 51.7% of the world's AI patent filings in 2021 (United States 16.9%)" in body
    assert "Source is more precise" in body and "Consistent" in body
    assert "data version" in texts(app, "caption")


def test_overview_counts_every_claim_by_its_verdict(app, tmp_path, monkeypatch):
    """The counts are the claims table's, by verdict: a claim whose verdict changes in the data moves one count."""
    data = copy_data(tmp_path)
    claims = pd.read_csv(csv_path("claims", data), dtype=str)
    row = int(claims.index[claims["verdict"] == "consistent"][0]) + 1
    set_cell(data, "claims", row, "verdict", "needs-caveat")
    fix_checksums(data)  # a deliberate edit, as a curator would record it
    claims.loc[row - 1, "verdict"] = "needs-caveat"
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(data))
    app.run()
    assert not app.exception
    metrics = {m.label: int(m.value) for m in app.metric}
    counts = claims["verdict"].value_counts()
    assert metrics == {"Claims": len(claims)} | {label: int(counts.get(v, 0)) for v, label in VERDICT_LABELS.items()}


def test_overview_follows_the_theme_filter(app):
    app.query_params["theme"] = ["research"]
    app.run()
    assert not app.exception
    captions = texts(app, "caption").replace("\\", "")
    assert "Following the theme filter: the claims of the paragraphs tagged Research" in captions
    table = next(df.value for df in app.dataframe if "verdict_label" in df.value.columns)
    assert set(table["paragraph"]) <= {6, 7, 8, 16, 18}
    body = texts(app).replace("\\", "")
    assert "51.7%" in body and "Over 3400" not in body
    # The verdict counts stay those of every claim.
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics["Claims"] == sum(v for k, v in metrics.items() if k != "Claims") > len(table)


def test_overview_with_a_theme_without_headlines_says_so(app):
    app.query_params["theme"] = ["talent"]
    app.run()
    assert not app.exception
    assert "No headline figure comes from a paragraph with the chosen themes" in texts(app, "info")


def test_sources_page_selects_dataset_from_link(app):
    open_page(app, SOURCES, dataset="expo")
    select = app.selectbox(key="dataset")
    assert select.value == "expo"  # the link keeps the id
    assert select.label == "Dataset"
    assert EXPO_TITLE in select.options and "expo" not in select.options  # a person reads titles
    assert app.query_params["dataset"] == "expo"
    frames = [df.value for df in app.dataframe]
    expo = next(f for f in frames if "metric" in f.columns and "edition" in f.columns)
    row = expo[(expo["edition"] == 6) & (expo["metric"] == "exhibitors")].iloc[0]
    assert row["value"] == 3486
    assert row["confidence"] == "verified-in-source"


def test_sources_page_ignores_an_unknown_dataset(app):
    open_page(app, SOURCES, dataset="<script>alert(1)</script>")
    assert app.selectbox(key="dataset").value == "paragraphs"  # the default dataset, as before the view layer
    assert "Ignored in this link: dataset" in texts(app, "caption").replace("\\", "")
    assert "<script>" not in texts(app) and "<script>" not in texts(app, "caption")


def test_choosing_a_dataset_by_its_title_puts_its_id_in_the_link(app):
    open_page(app, SOURCES)
    app.selectbox(key="dataset").set_value("expo").run()
    assert not app.exception
    assert app.query_params.get("dataset") == "expo"
    assert any("metric" in df.value.columns and "edition" in df.value.columns for df in app.dataframe)


def test_sources_page_sections(app):
    open_page(app, SOURCES)
    headers = [str(h.value) for h in app.header]
    # The chosen dataset's panel is the page's first section (h2: headings go in order below the title).
    assert headers == [
        "The CGTN article, paragraph by paragraph",
        "Method",  # the method page, with the dates of both fact-checks
        "All datasets",
        "Meeting pack",
        "Embedding",
        "Data changelog",
    ]
    from policylens.changelog import load_changelog

    entries = load_changelog()
    if entries:  # the newest entry first
        assert f"`{entries[-1].version}` · " in texts(app)
    else:
        assert "No changes recorded yet." in texts(app, "info")
    assert "Data version `" in texts(app, "caption")
    assert any("<iframe" in str(c.value) and "/expo?edition=6" in str(c.value) for c in app.code)
    overview = next(df.value for df in app.dataframe if "status" in df.value.columns)
    assert list(overview["dataset"]) == list(DATASET_IDS) and set(overview["status"]) == {"valid"}


def test_a_missing_data_file_is_a_sentence_not_a_traceback(app, tmp_path, monkeypatch):
    broken = copy_data(tmp_path)
    csv_path("expo", broken).unlink()
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(broken))
    open_page(app, SOURCES, dataset="expo")
    assert "expo/expo.csv: the data file is missing." in texts(app, "error").replace("\\", "")
    assert "The data file expo.csv cannot be read, so there is nothing to download." in texts(app, "caption").replace(
        "\\", ""
    )
    overview = next(df.value for df in app.dataframe if "status" in df.value.columns).set_index("dataset")
    assert "the data file is missing" in overview.loc["expo", "status"] and overview.loc["themes", "status"] == "valid"


def test_broken_column_shows_the_sentence_and_other_pages_keep_working(app, tmp_path, monkeypatch):
    broken = copy_data(tmp_path)
    set_cell(broken, "expo", 3, "value", "three thousand")
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(broken))
    app.run()
    # The Overview cites expo rows, so it says what is wrong instead of drawing wrong numbers.
    errors = texts(app, "error").replace("\\", "")  # the sentence is escaped like any text
    assert "expo/expo.csv, row 3 (line 4), column 'value': 'three thousand' is not a number." in errors
    assert not app.exception
    open_page(app, SOURCES, dataset="expo")
    assert "'three thousand' is not a number" in texts(app, "error")
    # Another dataset still shows in full.
    app.selectbox(key="dataset").set_value("themes").run()
    assert not app.exception
    assert any("label" in df.value.columns and len(df.value) == 11 for df in app.dataframe)


def test_renamed_column_is_named(app, tmp_path, monkeypatch):
    broken = copy_data(tmp_path)
    rename_column(broken, "claims", "verdict", "verdikt")
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(broken))
    app.run()
    errors = texts(app, "error").replace("\\", "")  # the sentence is escaped like any text
    assert "claims/claims.csv, column 'verdict': this column is missing from the header row." in errors


def test_overview_offers_every_claim_as_claimreview(app):
    app.run()
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Download every claim as schema.org ClaimReview (JSON-LD)" in labels
