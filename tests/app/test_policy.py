"""Data policy from the entrypoint: pillars, the article detail and the timeline from the link."""

import json

from tests.app.helpers import open_page

PAGE = "app_pages/policy.py"


def open_policy(app, **params):
    return open_page(app, PAGE, **params)


def markdown(app):
    return " ".join(str(m.value) for m in app.markdown).replace("\\", "")


def timeline_ids(app):
    figs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    scatter = next(f for f in figs if f["data"][0]["type"] == "scatter")
    return {
        c[0]: colour
        for c, colour in zip(scatter["data"][0]["customdata"], scatter["data"][0]["marker"]["color"], strict=True)
    }


def test_governance_pillar_lists_articles_14_to_16(app):
    open_policy(app, pillar="governance")
    assert app.get("button_group")[0].value == ["governance"]
    text = markdown(app)
    assert (
        "**14** · 创新政府数据治理机制 · Innovate government data-governance mechanisms *(working translation)*" in text
    )
    assert "Enforce enterprises' data-governance responsibility" in text
    assert "Multi-party collaborative governance by social forces" in text
    assert "**13**" not in text and "**17**" not in text
    # The Data 20 Measures entry of the timeline is highlighted.
    assert timeline_ids(app)["2022-12-data-20-measures"] == "#D55E00"


def test_article_from_link_shows_its_detail(app):
    open_policy(app, article="3")
    assert app.selectbox(key="article").value == 3
    text = markdown(app)
    assert "Article 3: 探索数据产权结构性分置制度" in text
    assert "Explore structural separation of data property rights *(working translation)*" in text
    assert "Pillar:** Data property rights" in text
    assert "三权分置" in text
    source = " ".join(str(c.value) for c in app.caption)
    assert "(https://dzrgw.cn/?p=5767)" in source


def test_invalid_article_and_pillar_are_dropped(app):
    open_policy(app, article="99", pillar="bogus")
    assert app.selectbox(key="article").value is None
    assert app.get("button_group")[0].value == []
    assert "Articles of the chosen pillars" not in " ".join(str(s.value) for s in app.subheader)
    assert timeline_ids(app)["2022-12-data-20-measures"] == "#0072B2"


def test_theme_and_type_filter_the_timeline(app):
    open_policy(app, theme="privacy", type="law")
    assert app.multiselect(key="type").value == ["law"]
    ids = set(timeline_ids(app))
    assert ids == {
        "2017-06-cybersecurity-law",
        "2021-06-data-security-law",
        "2021-08-personal-information-protection-law",
    }
    table = next(d.value for d in app.dataframe if "confidence" in d.value.columns and "issuer" in d.value.columns)
    assert list(table["date"]) == ["2017-06", "2021-06-10", "2021-08-20"]
    assert list(table["confidence"]) == ["reported-secondhand", "verified-in-source", "verified-in-source"]


def test_no_matching_milestone_says_so(app):
    open_policy(app, theme="blockchain")
    assert "No milestone matches" in " ".join(str(i.value) for i in app.info)
