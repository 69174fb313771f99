"""Data policy from the entrypoint: pillars, the article and the timeline from the link, with names on controls."""

import json

from tests.app.helpers import open_boxes, open_page

PAGE = "app_pages/policy.py"


def open_policy(app, **params):
    open_page(app, PAGE, **params)
    assert not app.error, [e.value for e in app.error]
    return app


def markdown(app):
    return " ".join(str(m.value) for m in app.markdown).replace("\\", "")


def captions(app):
    return " ".join(str(c.value) for c in app.caption).replace("\\", "")


def timeline_ids(app):
    figs = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    scatter = next(f for f in figs if f["data"][0]["type"] == "scatter")
    return {
        c[0]: colour
        for c, colour in zip(scatter["data"][0]["customdata"], scatter["data"][0]["marker"]["color"], strict=True)
    }


def pills(app):
    return app.get("button_group")[0]


def pill_names(app):
    return [option.content for option in pills(app).proto.options]


def test_governance_pillar_lists_articles_14_to_16(app):
    open_policy(app, pillar="governance")
    assert pills(app).value == ["governance"]
    # The pills show the pillars' names; the link keeps the ids.
    assert pill_names(app) == [
        "Data property rights",
        "Circulation and trading",
        "Income distribution",
        "Security governance",
    ]
    text = markdown(app)
    assert (
        "**14** · 创新政府数据治理机制 · Innovate government data-governance mechanisms *(working translation)*" in text
    )
    assert "Enforce enterprises' data-governance responsibility" in text
    assert "Multi-party collaborative governance by social forces" in text
    assert "**13**" not in text and "**17**" not in text
    assert "Articles of the chosen pillars" in " ".join(str(s.value) for s in app.header)
    # The Data 20 Measures entry of the timeline is highlighted.
    assert timeline_ids(app)["2022-12-data-20-measures"] == "#D55E00"


def test_article_from_link_shows_its_detail(app):
    open_policy(app, article="3")
    select = app.selectbox(key="article")
    assert select.value == 3
    # The select reads the article's number and title; the link keeps the number.
    assert select.format_func(3) == (
        "Article 3: 探索数据产权结构性分置制度 · Explore structural separation of data property rights"
    )
    assert len(select.options) == 20
    assert select.options[13].startswith("Article 14: 创新政府数据治理机制")
    text = markdown(app)
    assert "Article 3: 探索数据产权结构性分置制度" in text
    assert "Explore structural separation of data property rights *(working translation)*" in text
    assert "Pillar:** Data property rights" in text
    assert "三权分置" in text
    assert "(https://dzrgw.cn/?p=5767)" in captions(app)


def test_intro_names_basic_data_systems_not_data_infrastructure(app):
    open_policy(app)
    text = markdown(app)
    # re-check 2026-12-06, 7.7: "data infrastructure" is a translation choice, not an error of the authors
    assert "basic data systems** (数据基础制度); “data infrastructure system” is a common state-media" in text
    assert "a translation choice, not an error of the authors" in text
    assert "China's 2022 guideline on data infrastructure" not in text
    assert "Policy timeline, 2017 to 2024" in " ".join(str(h.value) for h in app.header)


def test_invalid_article_and_pillar_are_dropped(app):
    open_policy(app, article="99", pillar="bogus")
    assert app.selectbox(key="article").value is None
    assert pills(app).value == []
    assert "Articles of the chosen pillars" not in " ".join(str(s.value) for s in app.header)
    assert timeline_ids(app)["2022-12-data-20-measures"] == "#0072B2"
    # One line names what the link asked for that the page ignored, and why.
    said = captions(app)
    assert "Ignored in this link" in said
    assert "article '99': articles run from 1 to 20" in said
    assert "pillar 'bogus': not one of the article's four pillars" in said
    assert dict(app.query_params) == {}  # the link opens canonically: the dropped values leave it


def test_theme_and_type_filter_the_timeline(app):
    open_policy(app, theme="privacy", type="law")
    types = app.multiselect(key="type")
    assert types.value == ["law"]
    assert types.format_func("law") == "Law" and types.format_func("national-plan") == "National plan"
    assert "Party congress" in types.options and "congress" not in types.options
    assert "themes chosen in the sidebar: Privacy." in captions(app)
    ids = set(timeline_ids(app))
    assert ids == {
        "2017-06-cybersecurity-law",
        "2021-06-data-security-law",
        "2021-08-personal-information-protection-law",
    }
    # The chart's data (ids, as downloaded: drawn when "Data behind this chart" is opened) and then the table a
    # person reads (names).
    open_boxes(app, "policy_timeline-data")
    data, table = [d.value for d in app.dataframe if "confidence" in d.value.columns and "issuer" in d.value.columns]
    for frame in (data, table):
        assert list(frame["date"]) == ["2017-06", "2021-06-10", "2021-08-20"]
        # the Data Security Law's row is reported-secondhand since the re-check of 2026-12-06 (7.9)
        assert list(frame["confidence"]) == ["reported-secondhand", "reported-secondhand", "verified-in-source"]
    assert set(data["type"]) == {"law"} and set(table["type"]) == {"Law"}
    assert data["themes"].iloc[0] == "privacy, data-infrastructure"
    assert table["themes"].iloc[0].startswith("Privacy, ") and "data-infrastructure" not in table["themes"].iloc[0]


def test_no_matching_milestone_says_so(app):
    open_policy(app, theme="blockchain")
    assert "No milestone matches" in " ".join(str(i.value) for i in app.info)


def test_picking_an_article_and_a_pillar_shows_them(app):
    # The link itself is written by the frontend (not seen by AppTest): tests/e2e/test_policy.py checks it.
    open_policy(app)
    app.selectbox(key="article").select(15).run()
    assert not app.exception
    assert "Article 15: 压实企业的数据治理责任" in markdown(app)
    pills(app).set_value(["income-distribution"]).run()
    assert not app.exception
    text = markdown(app)
    assert "**12** · " in text and "**13** · " in text and "**14**" not in text
    assert "Article 15: 压实企业的数据治理责任" in text  # the open article stays open


def test_picking_a_type_narrows_the_timeline(app):
    open_policy(app)
    app.multiselect(key="type").select("institution").run()
    assert not app.exception
    assert set(timeline_ids(app)) == {"2023-10-national-data-administration"}
