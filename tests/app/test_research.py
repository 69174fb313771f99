"""Research and patents from the entrypoint: link parameters, widgets and the values a person reads."""

import json

import pytest

from tests.app.helpers import open_page

PAGE = "app_pages/research.py"


def open_research(app, **params):
    return open_page(app, PAGE, **params)


def figures(app):
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def bar_values(fig):
    return {
        (c[0], c[1]): x for t in fig["data"] if t["type"] == "bar" for x, c in zip(t["x"], t["customdata"], strict=True)
    }


def captions(app):
    return " ".join(str(c.value) for c in app.caption).replace("\\", "")


def test_defaults_show_ai_index_2022_patent_filings(app):
    open_research(app)
    assert app.selectbox(key="edition").value == "AI Index 2022"
    assert app.selectbox(key="measure").value == "patent-filings"
    assert app.multiselect(key="area").value == []
    share, patents, venues = figures(app)
    assert bar_values(share)[("China", "patent-filings")] == pytest.approx(51.7)
    assert bar_values(patents)[("United States", "granted-patents")] == pytest.approx(39.6)
    assert bar_values(venues)[("China", "journal-publications")] == pytest.approx(31.0)
    assert "AI Index 2022" in share["layout"]["title"]["text"]
    assert "data year 2021" in share["layout"]["title"]["text"]
    warning = " ".join(str(w.value) for w in app.warning)
    assert "not one series" in warning and "new patent dataset" in warning
    assert "reported secondhand" in captions(app)


def test_link_opens_ai_index_2024_granted_patents(app):
    open_research(app, edition="AI Index 2024", measure="granted-patents")
    assert app.selectbox(key="measure").options == ["granted-patents"]
    share = figures(app)[0]
    assert bar_values(share)[("China", "granted-patents")] == pytest.approx(61.13)
    assert "AI Index 2024" in share["layout"]["title"]["text"]
    # 2024 holds patents only: the page says so instead of drawing an empty publications chart.
    assert len(figures(app)) == 2
    assert "no publication or citation shares for AI Index 2024" in " ".join(str(i.value) for i in app.info).replace(
        "\\", ""
    )


def test_bogus_measure_and_area_are_dropped(app):
    open_research(app, measure="bogus", area="Atlantis")
    assert app.selectbox(key="measure").value == "patent-filings"
    assert app.multiselect(key="area").value == []


def test_area_from_link_is_highlighted_in_every_chart(app):
    open_research(app, area=["China", "Atlantis"])
    assert app.multiselect(key="area").value == ["China"]
    for fig in figures(app):
        assert "<b>China</b>" in fig["layout"]["yaxis"]["ticktext"]
        for trace in (t for t in fig["data"] if t["type"] == "bar"):
            for i, custom in enumerate(trace["customdata"]):
                if custom[0] == "China":
                    assert trace["marker"]["opacity"][i] == 1.0
                elif custom[0] == "United States":
                    assert trace["marker"]["opacity"][i] < 1.0


def test_changing_edition_keeps_measure_valid(app):
    open_research(app, measure="journal-publications")
    assert app.selectbox(key="measure").value == "journal-publications"
    app.selectbox(key="edition").set_value("AI Index 2024").run()
    assert not app.exception
    assert app.selectbox(key="measure").value == "granted-patents"
