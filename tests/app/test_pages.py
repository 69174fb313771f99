"""Each page from the entrypoint, read as a person would read it."""

from tests.helpers import copy_data, rename_column, set_cell


def texts(at, kind="markdown"):
    return " ".join(str(e.value) for e in at.get(kind))


def test_overview_shows_headline_figures_beside_sources(app):
    app.run()
    assert not app.exception
    body = texts(app).replace("\\", "")  # the page escapes data text for Markdown
    assert "Over 3400" in body and "3,486 companies from 128 countries and regions" in body
    assert "China 51.7% of world AI patent filings in 2021" in body


def test_overview_counts_every_claim(app):
    app.run()
    metrics = {m.label: int(m.value) for m in app.metric}
    assert metrics == {"Claims checked": 12, "Consistent": 7, "Source is more precise": 2, "Needs a caveat": 3}


def test_sources_page_selects_dataset_from_link(app):
    app.query_params["dataset"] = "expo"
    app.run()
    app.switch_page("app_pages/sources.py").run()
    assert not app.exception
    assert app.selectbox(key="dataset").value == "expo"
    frames = [df.value for df in app.dataframe]
    expo = next(f for f in frames if "metric" in f.columns and "edition" in f.columns)
    row = expo[(expo["edition"] == 6) & (expo["metric"] == "exhibitors")].iloc[0]
    assert row["value"] == 3486
    assert row["confidence"] == "verified-in-source"


def test_sources_page_ignores_an_unknown_dataset(app):
    app.query_params["dataset"] = "<script>alert(1)</script>"
    app.run()
    app.switch_page("app_pages/sources.py").run()
    assert not app.exception
    assert app.selectbox(key="dataset").value == "paragraphs"


def test_broken_column_shows_the_sentence_and_other_pages_keep_working(app, tmp_path, monkeypatch):
    broken = copy_data(tmp_path)
    set_cell(broken, "expo", 3, "value", "three thousand")
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(broken))
    app.query_params["dataset"] = "expo"
    app.run()
    # The Overview cites expo rows, so it says what is wrong instead of drawing wrong numbers.
    errors = texts(app, "error")
    assert "expo/expo.csv, row 3 (line 4), column 'value': 'three thousand' is not a number." in errors
    assert not app.exception
    app.switch_page("app_pages/sources.py").run()
    assert not app.exception
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
    errors = texts(app, "error")
    assert "claims/claims.csv, column 'verdict': this column is missing from the header row." in errors
