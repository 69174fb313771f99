"""Analyse a text from the entrypoint: paste a text into the box, read the parts of its analysis.

The text is typed into the text area and submitted with the "Analyse the pasted text" button, as a person does.
File uploads are driven in the browser tests (AppTest has no file uploader).
"""

from __future__ import annotations

import json

from policylens.paths import DATA_DIR
from tests.app.helpers import open_page
from tests.unit.test_analyze import OTHER_TEXT

PAGE = "app_pages/analyze.py"
ARTICLE = (DATA_DIR / "paragraphs" / "cgtn-article.txt").read_text(encoding="utf-8")


def paste(app, text: str):
    app.text_area(key="analyze-paste").input(text)
    app.button(key="analyze-run").click().run()
    assert not app.exception
    return app


def markdown(app) -> str:
    return " ".join(str(e.value) for e in app.markdown).replace("\\", "")


def captions(app) -> str:
    return " ".join(str(e.value) for e in app.caption).replace("\\", "")


def profile(app) -> dict:
    chart = next(c for c in app.get("plotly_chart") if "analyze-profile" in c.proto.id)
    return json.loads(chart.proto.spec)


def errors(app) -> list[str]:
    return [str(e.value).replace("\\", "") for e in app.error]


def test_before_a_text_the_page_says_what_it_keeps_and_shows_the_articles_profile(app):
    open_page(app, PAGE)
    assert [t.value for t in app.title] == ["Analyse a text"]
    info = app.info[0].value
    assert "**Nothing is stored on the server.**" in info
    assert "A shared link does **not** carry the text" in info
    assert "download it (CSV of sentences, JSON of figures and quotes)" in info
    assert app.text_area(key="analyze-paste").value == ""
    assert app.button(key="analyze-run").label == "Analyse the pasted text"
    bars = profile(app)["data"]
    assert [trace["name"] for trace in bars] == ["CGTN article"]
    assert "Paste a text or upload a file above to see its analysis here." in captions(app)
    assert app.selectbox(key="show").value == "paragraphs"  # the view can be chosen before the text


def test_a_link_chooses_the_view_before_any_text(app):
    open_page(app, PAGE, show="sentences", theme="privacy")
    assert app.selectbox(key="show").value == "sentences"
    assert app.multiselect(key="theme").value == ["privacy"]
    assert dict(app.query_params) in (
        {"show": ["sentences"], "theme": ["privacy"]},
        {"show": "sentences", "theme": "privacy"},
    )


def test_pasting_the_article_reproduces_its_curated_theme_profile(app):
    open_page(app, PAGE)
    paste(app, ARTICLE)
    text, curated = profile(app)["data"]
    assert (text["name"], curated["name"]) == ("This text", "CGTN article")
    assert text["x"] == curated["x"]
    assert dict(zip(text["y"], text["x"], strict=True))["Innovation"] == 42.1  # 8 of 19 paragraphs
    assert (
        "Pasted text: **742 words**, **19 paragraphs** (and 4 headings or notes), **31 sentences**, **7 figures**, "
        "**4 quotes**" in markdown(app)
    )
    assert "19 of its paragraphs are paragraphs of the CGTN article, word for word" in captions(app)
    # The text is not in the link, nor anything of it.
    assert dict(app.query_params) == {}


def test_the_articles_paragraphs_show_their_tags_with_their_reasons(app):
    open_page(app, PAGE)
    paste(app, ARTICLE)
    shown = captions(app)
    assert "¶ 9 · paragraph 9 of the CGTN article" in shown
    assert "**Privacy**: “privacy”, “personal data”" in shown
    assert "**Trade & expo**: curated: Paragraph 11 continues paragraph 10's account of the 6th CIIE" in shown
    assert ":orange-background[**personal data**]" in markdown(app)


def test_the_articles_figures_and_quotes(app):
    open_page(app, PAGE)
    paste(app, ARTICLE)
    text = markdown(app)
    assert "**Over 3400 enterprises · Count** · over 3,400 enterprises" in text
    assert (
        ":material/fact_check: CIIE, 6th edition (2023): Exhibitors (Business Exhibition companies): **3,486**" in text
    )
    assert "*the curated claim c03 cites this row*" in text
    assert "**more than half · Share** · more than 50%" in text
    assert "AI Index 2022 (data year 2021): Patent filings, China: **51.7%**" in text
    assert "**Xiaosheng Tan**, the Founder & CEO of Beijing Genius Cyber Tech Co., Ltd." in text
    assert "**Linhua Dong**, CEO of Beijing Muguo Tech Co., Ltd." in text
    links = [(link.proto.label, link.proto.page, link.proto.query_string) for link in app.get("page_link")]
    assert links[:3] == [
        ("Open in Expo (CIIE)", "expo", "edition=6"),  # the dates are in the edition's detail
        ("Open in Data policy", "policy", "type=expo"),
        ("Open in Expo (CIIE)", "expo", "edition=6&metric=exhibitors"),
    ]
    assert (
        "Open in Research and patents",
        "research",
        "measure=patent-filings&area=China&edition=AI+Index+2022",
    ) in links


def test_another_policy_text_shows_its_figures_matched_and_its_quote(app):
    open_page(app, PAGE)
    paste(app, "\n\n".join(OTHER_TEXT))
    text = markdown(app)
    assert "**3,486 exhibitors · Count**" in text and "**3,486 exhibitors · Count** ·" not in text
    assert "**USD 78.41 billion · Amount** · USD 78.41 bn" in text
    assert "CIIE, 6th edition (2023): Intended deals: **USD 78.41 bn**" in text
    assert "**51.7% · Share**" in text
    assert "> “Data security" not in text  # the quote is shown without its quotation marks
    assert "> Data security and the privacy of personal data come first," in text
    assert "**Li Wei**, a deputy minister of commerce" in text
    text_bars, curated_bars = profile(app)["data"]
    assert dict(zip(text_bars["y"], text_bars["x"], strict=True))["Privacy"] == 25.0  # 1 of 4 paragraphs
    assert [b.label for b in app.get("download_button")][-2:] == [
        "Sentences with their themes (CSV)",
        "Figures and quotes (JSON)",
    ]


def test_the_theme_filter_from_the_link_chooses_the_paragraphs(app):
    open_page(app, PAGE, theme="privacy")
    paste(app, ARTICLE)
    assert "Theme filter (Privacy): 1 of 19 paragraphs carry one of these themes." in captions(app)
    headings = [c.value for c in app.caption if str(c.value).endswith("of the CGTN article")]
    assert headings == ["¶ 9 · paragraph 9 of the CGTN article"]
    assert app.multiselect(key="theme").value == ["privacy"]
    assert dict(app.query_params) == {"theme": ["privacy"]} or app.query_params.get("theme") == "privacy"


def test_sentences_with_the_theme_filter(app):
    open_page(app, PAGE, show="sentences", theme="privacy")
    paste(app, ARTICLE)
    assert app.selectbox(key="show").value == "sentences"
    assert app.selectbox(key="show").format_func("sentences") == "Sentences, one row each"
    frame = next(d for d in app.dataframe if "Text" in d.value.columns).value
    assert list(frame["Text"]) == ["For example, AI-generated content may invade the privacy of personal data."]
    assert list(frame["Themes"]) == ["Privacy"]


def test_choosing_sentences_writes_the_id_to_the_link(app):
    open_page(app, PAGE)
    paste(app, ARTICLE)
    app.selectbox(key="show").select("sentences").run()
    assert not app.exception
    assert app.query_params.get("show") in ("sentences", ["sentences"])
    frame = next(d for d in app.dataframe if "Text" in d.value.columns).value
    assert len(frame) == 31


def test_an_empty_paste_gets_its_sentence_and_the_page_stays_usable(app):
    open_page(app, PAGE)
    paste(app, "   \n  ")
    assert errors(app) == ["There is no text to analyse: paste a text into the box, or upload a file."]
    paste(app, "Privacy of personal data matters.")
    assert errors(app) == []
    assert "Pasted text: **5 words**, **1 paragraph**" in markdown(app)


def test_a_text_over_the_word_limit_gets_its_sentence(app):
    open_page(app, PAGE)
    paste(app, "word " * 200_001)
    assert errors(app) == [
        "This text has 200,001 words and the limit is 200,000: split it into parts and analyse them one by one."
    ]
    assert [trace["name"] for trace in profile(app)["data"]] == ["CGTN article"]


def test_forget_this_text_drops_it_from_the_session(app):
    open_page(app, PAGE)
    paste(app, ARTICLE)
    assert "Analysing **pasted text** (742 words), held in this session only." in captions(app)
    app.button(key="analyze-forget").click().run()
    assert not app.exception
    assert app.text_area(key="analyze-paste").value == ""
    assert [trace["name"] for trace in profile(app)["data"]] == ["CGTN article"]
    for key in ("_analyze_source", "_analyze_result", "_analyze_error"):
        assert key not in app.session_state
    assert app.session_state["_analyze_round"] == 1  # the uploader got a fresh key, so no file is held either


def test_a_hostile_text_is_shown_as_text(app):
    open_page(app, PAGE)
    paste(app, "<script>alert(1)</script> [click](javascript:alert(1)) privacy **bold** $x$.")
    text = " ".join(str(e.value) for e in app.markdown)
    assert "<script>" not in text and "](javascript" not in text
    assert r"\<script\>alert\(1\)\</script\>" in text
