"""Voices from the entrypoint: the link's q, speaker, kind and theme land in the widgets and in what is shown."""

import json

from tests.app.helpers import open_boxes, open_page

VOICES = "app_pages/voices.py"


def open_voices(app, **params):
    return open_page(app, VOICES, **params)


def shown(widget) -> list[str]:
    """What a person reads in a multiselect: the labels of its chosen ids."""
    return [widget.format_func(value) for value in widget.value]


def count_line(app):
    return next(m.value for m in app.markdown if m.value.endswith("statements**"))


def markdown(app):
    return " ".join(str(m.value) for m in app.markdown)


def test_search_from_link_highlights_and_explains(app, frames):
    open_voices(app, q="privacy")
    assert app.text_input(key="q").value == "privacy"
    assert count_line(app) == "**1 of 28 statements**"
    assert (
        r"> For example, AI\-generated content may invade the :orange-background[**privacy**] of personal data\."
        in markdown(app)
    )
    captions = [c.value for c in app.caption]
    assert r"matched\: “privacy” in the text; “privacy” in theme Privacy" in captions
    assert not app.code  # citations are drawn when their card's "Copy citation" is opened
    open_boxes(app, *(f"cite-{sid}" for sid in frames["statements"]["id"]))
    citations = [c.value for c in app.code if c.value.startswith("Xiaosheng Tan")]
    assert citations == [
        'Xiaosheng Tan: "For example, AI-generated content may invade the privacy of personal data.", in Keke Gai '
        "and Jing Yu, 'China's efforts in global technological collaboration', CGTN, 9 November 2023, paragraph 9."
    ]


def test_hostile_query_is_shown_as_escaped_text(app):
    open_voices(app, q="<script>alert(1)</script>")
    assert count_line(app) == "**0 of 28 statements**"
    info = app.info[0].value
    assert info == r"No statement matches “\<script\>alert\(1\)\</script\>” with these filters."


def test_speaker_from_link_shows_linhua_dongs_two_sentences(app):
    open_voices(app, speaker=["linhua-dong"])
    assert app.multiselect(key="speaker").value == ["linhua-dong"]
    assert shown(app.multiselect(key="speaker")) == ["Linhua Dong"]
    assert count_line(app) == "**2 of 28 statements**"
    assert dict(app.query_params) == {"speaker": "linhua-dong"}  # the control shows the name, the link keeps the id
    assert r"We are always trying to utilize new technologies, blockchain" in markdown(app)


def test_invalid_kind_is_dropped_and_valid_kind_kept(app):
    open_voices(app, kind=["foo", "paraphrase"])
    assert app.multiselect(key="kind").value == ["paraphrase"]
    assert shown(app.multiselect(key="kind")) == ["Paraphrase"]
    assert count_line(app) == "**3 of 28 statements**"
    assert any("kind 'foo'" in c.value for c in app.caption)  # the ignored value is named, escaped
    assert dict(app.query_params) == {"kind": "paraphrase"}  # the link opens canonically


def test_only_invalid_kind_shows_everything(app):
    open_voices(app, kind="foo")
    assert app.multiselect(key="kind").value == []
    assert count_line(app) == "**28 of 28 statements**"


def test_shared_theme_filter_keeps_statements_with_any_chosen_theme(app):
    open_voices(app, theme=["privacy", "blockchain"])
    assert count_line(app) == "**3 of 28 statements**"
    chart = app.get("plotly_chart")[0]
    bar = json.loads(chart.proto.spec)["data"][0]
    i = bar["y"].index("Privacy")
    assert bar["marker"]["color"][i] == "#CC79A7"
    assert bar["marker"]["opacity"][i] == 1.0
    assert bar["marker"]["opacity"][bar["y"].index("Talent")] < 1.0
    # the bars count what the search and speaker/kind filters keep, not the theme filter itself
    assert bar["x"][bar["y"].index("Talent")] == 5


def test_controls_show_names_while_the_link_keeps_ids(app):
    open_voices(app, speaker=["xiaosheng-tan"], kind=["direct-quote"])
    speaker = app.multiselect(key="speaker")
    assert speaker.value == ["xiaosheng-tan"]
    assert shown(speaker) == ["Xiaosheng Tan"]
    assert speaker.options == [
        "Keke Gai and Jing Yu (authors)",
        "Xiaosheng Tan",
        "Linhua Dong",
        "Stanford AI Index report",
        "Xi Jinping",  # the report's speaker, not the Congress (re-check 2026-12-06, 7.13)
        "2023 document on young talents",
    ]
    kind = app.multiselect(key="kind")
    assert kind.options == ["Direct quote", "Paraphrase", "Authors' view"]
    assert shown(kind) == ["Direct quote"]
    assert app.query_params["speaker"] == "xiaosheng-tan" and app.query_params["kind"] == "direct-quote"
    assert count_line(app) == "**5 of 28 statements**"


def test_statement_card_links_to_its_paragraph_in_the_reader(app):
    open_voices(app, q="privacy")
    links = [p for p in app.get("page_link") if "Paragraph" in p.proto.label]
    assert [p.proto.label for p in links] == ["Paragraph 9 in the article reader"]
    assert (links[0].proto.page, links[0].proto.query_string) == ("themes", "paragraph=9")


def test_markdown_in_a_query_is_shown_as_text(app):
    open_voices(app, q="**x** $x$")
    assert count_line(app) == "**0 of 28 statements**"
    assert app.info[0].value == r"No statement matches “\*\*x\*\* \$x\$” with these filters."
