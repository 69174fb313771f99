"""The Expo page from the entrypoint: link values seed the widgets, the detail reads the chosen editions."""

from __future__ import annotations

import json

from policylens import palette
from tests.app.helpers import open_page

PAGE = "app_pages/expo.py"


def open_expo(app, **params):
    return open_page(app, PAGE, **params)


def markdown(app) -> str:
    return " ".join(str(e.value) for e in app.markdown).replace("\\", "")


def chart(app, key):
    return json.loads(next(c for c in app.get("plotly_chart") if key in c.proto.id).proto.spec)


def test_defaults_show_intended_deals_and_ask_for_a_pick(app):
    open_expo(app)
    assert app.selectbox(key="metric").value == "intended_deals"
    assert app.multiselect(key="edition").value == []
    bars = chart(app, "expo_bars")["data"][0]
    assert bars["y"] == [57.83, 71.13, 72.62, 70.72, 73.52, 78.41, 80.01, 83.49]
    assert "Click bars or points" in " ".join(str(i.value) for i in app.info)


def test_link_editions_fill_the_detail(app):
    open_expo(app, edition=["6", "7"], metric="exhibitors")
    assert app.multiselect(key="edition").value == [6, 7]
    assert app.selectbox(key="metric").value == "exhibitors"
    text = markdown(app)
    assert "6th CIIE, 2023" in text and "7th CIIE, 2024" in text
    assert "3,486" in text and "USD 78.41 bn" in text and "3,496" in text
    assert "Shanghai Daily (shine.cn)](https://www.shine.cn/" in text
    colours = chart(app, "expo_bars")["data"][0]["marker"]["color"]
    assert [i + 1 for i, c in enumerate(colours) if c == palette.SELECTED] == [6, 7]


def test_invalid_link_values_are_dropped_without_error(app):
    open_expo(app, edition=["6", "99", "x"], metric="bogus")
    assert app.multiselect(key="edition").value == [6]
    assert app.selectbox(key="metric").value == "intended_deals"
    assert "bogus" not in markdown(app) and "99" not in str(app.multiselect(key="edition").value)
    # One line names what the link asked for that the page ignored, and why; the link opens canonically.
    ignored = " ".join(c.value for c in app.caption).replace("\\", "")
    assert "Ignored in this link" in ignored and "edition '99': editions run from 1 to 8" in ignored
    assert "metric 'bogus'" in ignored
    assert dict(app.query_params) == {"edition": "6"}


def test_visitors_gaps_and_differing_definitions(app):
    open_expo(app, metric="visitors")
    spec = chart(app, "expo_bars")
    assert spec["data"][0]["y"][2:5] == [None, 480000, 461000]  # 4th and 5th: dossier 6.8
    assert sum(a["text"] == "not reported" for a in spec["layout"]["annotations"]) == 1
    warning = " ".join(str(w.value) for w in app.warning).replace("\\", "")
    assert "Definitions differ between editions" in warning
    assert "registered professional visitors (pre-opening)" in warning


def test_gap_in_the_detail_reads_not_reported(app):
    open_expo(app, edition="3")
    text = markdown(app)
    assert "3rd CIIE, 2020" in text
    assert "**Visitors:** *not reported*" in text
    assert "~2,600" in text and "reported-secondhand" in text


def test_picking_in_the_multiselect_shows_that_edition(app):
    # The link itself is written by the frontend (not seen by AppTest): tests/e2e/test_expo.py checks it.
    open_expo(app)
    app.multiselect(key="edition").select(8).run()
    assert "8th CIIE, 2025" in markdown(app) and "4,108" in markdown(app)
    colours = chart(app, "expo_bars")["data"][0]["marker"]["color"]
    assert colours[7] == palette.SELECTED and colours[0] == palette.BASE
