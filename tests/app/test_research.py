"""Research and patents from the entrypoint: link parameters, widgets and the values a person reads."""

import json

import pytest

from tests.app.helpers import open_page

PAGE = "app_pages/research.py"


def open_research(app, **params):
    """The page opened with a link's parameters."""
    return open_page(app, PAGE, **params)


def figures(app):
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def bar_values(fig):
    return {
        (c[0], c[1]): x for t in fig["data"] if t["type"] == "bar" for x, c in zip(t["x"], t["customdata"], strict=True)
    }


def link(app, key):
    value = app.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def captions(app):
    return " ".join(str(c.value) for c in app.caption).replace("\\", "")


def test_defaults_show_ai_index_2022_patent_filings(app):
    open_research(app)
    edition, measure = app.selectbox(key="edition"), app.selectbox(key="measure")
    assert edition.value == "AI Index 2022" and edition.label == "AI Index edition"
    # The select shows the measure's name; the link and the value keep its id.
    assert measure.value == "patent-filings" and measure.label == "Measure"
    assert measure.options[:2] == ["Patent filings", "Granted patents"]
    assert app.multiselect(key="area").value == []
    share, patents, venues = figures(app)
    assert bar_values(share)[("China", "patent-filings")] == pytest.approx(51.7)
    assert bar_values(patents)[("United States", "granted-patents")] == pytest.approx(39.6)
    assert bar_values(venues)[("China", "journal-publications")] == pytest.approx(31.0)
    assert "AI Index 2022" in share["layout"]["title"]["text"]
    assert "data year 2021" in share["layout"]["title"]["text"]
    assert share["layout"]["barmode"] == "group"
    warning = " ".join(str(w.value) for w in app.warning)
    assert "not one series" in warning and "new patent dataset" in warning
    assert "reported secondhand" in captions(app)
    # re-check 2026-12-06, 7.1: the counting basis was not read, so no caption states one
    assert "the counting basis is not stated" in captions(app)
    assert "were filed in China" not in captions(app) and "China filed" not in captions(app)
    assert not app.query_params  # the default view writes nothing into the link


def test_link_opens_ai_index_2024_granted_patents(app):
    open_research(app, edition="AI Index 2024", measure="granted-patents")
    measure = app.selectbox(key="measure")
    assert measure.value == "granted-patents"
    # Only granted patents are reported in 2024: the select offers nothing else.
    assert measure.options == ["Granted patents"]
    share = figures(app)[0]
    assert bar_values(share)[("China", "granted-patents")] == pytest.approx(61.13)
    assert "AI Index 2024" in share["layout"]["title"]["text"]
    # 2024 holds patents only: the page says so instead of drawing an empty publications chart.
    assert len(figures(app)) == 2
    assert "no publication or citation shares for AI Index 2024" in " ".join(str(i.value) for i in app.info).replace(
        "\\", ""
    )
    assert "may not be on the same basis" in captions(app)


def test_bogus_measure_and_area_are_dropped(app):
    open_research(app, measure="bogus", area="Atlantis")
    assert app.selectbox(key="measure").value == "patent-filings"
    assert app.multiselect(key="area").value == []
    assert "Ignored in this link" in captions(app) and "not a measure of the ai-research dataset" in captions(app)
    assert "not an area of the ai-research dataset" in captions(app)
    # Atlantis is no area: never drawn, only named in the line of ignored values; the link opens canonically.
    assert not any("Atlantis" in json.dumps(figure) for figure in figures(app))
    assert dict(app.query_params) == {}


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
    assert link(app, "edition") == ["AI Index 2024"]
    assert "Journal publications are not reported in AI Index 2024" in captions(app)


def test_choosing_a_measure_writes_its_id_into_the_link(app):
    open_research(app)
    app.selectbox(key="measure").select("granted-patents").run()
    assert not app.exception
    assert link(app, "measure") == ["granted-patents"]
    assert ("United States", "granted-patents") in bar_values(figures(app)[0])
