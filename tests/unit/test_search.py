"""The statement explorer's core: search with explained matches, filters, highlighting, citations, the theme bars."""

import pandas as pd
import pytest

from policylens import datasets
from policylens.paths import DATA_DIR
from policylens.search import (
    Hit,
    citation,
    filter_statements,
    highlight_markdown,
    match_statement,
    query_terms,
    search_statements,
    speaker_names,
    statement_record,
    statements_per_theme_bars,
    text_spans,
    theme_counts,
    theme_search_words,
)
from policylens.views.base import Chart, Control, Data, Records, Text
from policylens.views.shared import SharedParams
from policylens.views.voices import VoicesParams, build, toggle_theme


@pytest.fixture(scope="module")
def statements():
    return datasets.load_dataset("statements", DATA_DIR)


@pytest.fixture(scope="module")
def themes():
    return datasets.load_dataset("themes", DATA_DIR)


def test_query_terms_are_distinct_lower_case_words_without_edge_punctuation():
    assert query_terms("  Privacy, privacy DATA. ") == ["privacy", "data"]
    assert query_terms(None) == []
    assert query_terms("...") == []
    assert query_terms("<script>alert(1)</script>") == ["<script>alert(1)</script>"]


def test_text_spans_are_case_insensitive_at_word_starts_and_merged():
    text = "Blockchain and a blockchain-based platform"
    assert text_spans(text, ["blockchain"]) == [(0, 10), (17, 27)]
    assert text_spans(text, ["block", "based"]) == [(0, 5), (17, 22), (28, 33)]
    assert text_spans(text, ["chain"]) == []  # inside a word: no match
    assert text_spans(text, ["block", "blockchain"]) == [(0, 10), (17, 27)]  # overlapping spans merge
    assert text_spans(text, ["nothing"]) == []


def test_privacy_matches_tans_sentence_in_text_and_theme(statements, themes):
    matches = search_statements(statements, "privacy", themes)
    assert list(matches) == ["s13"]
    match = matches["s13"]
    text = statements.set_index("id").loc["s13", "text"]
    assert text == "For example, AI-generated content may invade the privacy of personal data."
    assert [text[a:b] for a, b in match.spans] == ["privacy"]
    assert match.hits == (Hit("privacy", "text"), Hit("privacy", "theme", "privacy"))
    labels = dict(zip(themes["id"], themes["label"], strict=True))
    assert match.explanation(labels) == "matched: “privacy” in the text; “privacy” in theme Privacy"


def test_every_word_must_match_somewhere(statements, themes):
    # "tan" is found in the speaker, "privacy" in the text: only the sentence with both is listed.
    both = search_statements(statements, "Tan privacy", themes)
    assert list(both) == ["s13"]
    assert Hit("tan", "speaker") in both["s13"].hits
    assert search_statements(statements, "privacy blockchain", themes) == {}


def test_organisation_and_theme_keyword_matches_are_explained(statements, themes):
    muguo = search_statements(statements, "muguo", themes)
    assert list(muguo) == ["s19", "s20"]
    assert muguo["s19"].spans == ()
    assert muguo["s19"].explanation() == "matched: “muguo” in the organisation"
    # "cognition" is only a keyword of Responsible AI ("public cognition") and a word of s15's text.
    words = theme_search_words(themes)
    s15 = statements.set_index("id").loc["s15"].to_dict() | {"id": "s15"}
    match = match_statement(s15, ["cognition"], words)
    assert match.hits == (Hit("cognition", "text"), Hit("cognition", "theme", "responsible-ai"))


def test_a_hostile_query_matches_nothing(statements, themes):
    assert search_statements(statements, "<script>alert(1)</script>", themes) == {}


def test_filters_combine_speaker_kind_theme_and_search(statements):
    assert len(filter_statements(statements)) == 28
    assert list(filter_statements(statements, speakers=["linhua-dong"])["id"]) == ["s19", "s20"]
    assert list(filter_statements(statements, kinds=["paraphrase"])["id"]) == ["s09", "s22", "s24"]
    # any of the chosen themes
    assert list(filter_statements(statements, themes=["privacy", "blockchain"])["id"]) == ["s13", "s19", "s20"]
    assert list(filter_statements(statements, speakers=["xiaosheng-tan"], themes=["ai-safety"])["id"]) == [
        "s11",
        "s12",
    ]
    assert filter_statements(statements, ids=[]).empty


def test_speaker_names_in_article_order(statements):
    names = speaker_names(statements)
    assert list(names)[:3] == ["authors", "stanford-ai-index", "xiaosheng-tan"]
    assert names["linhua-dong"] == "Linhua Dong"


def test_highlight_escapes_markdown_inside_and_outside_the_directive():
    text = "a *b* [privacy](x) <i>"
    start = text.index("privacy")
    out = highlight_markdown(text, [(start, start + len("privacy"))])
    assert out == r"a \*b\* \[:orange-background[**privacy**]\]\(x\) \<i\>"
    assert highlight_markdown("AI-generated", [(0, 2)], "blue") == r":blue-background[**AI**]\-generated"


def test_citation_names_speaker_sentence_article_and_paragraph(statements):
    s13 = statements.set_index("id").loc["s13"].to_dict()
    assert citation(s13) == (
        'Xiaosheng Tan: "For example, AI-generated content may invade the privacy of personal data.", '
        "in Keke Gai and Jing Yu, 'China's efforts in global technological collaboration', CGTN, 9 November 2023, "
        "paragraph 9."
    )


def test_theme_counts_list_every_theme(statements, themes):
    counts = theme_counts(statements, themes).set_index("theme")
    assert len(counts) == len(themes)
    assert counts.loc["privacy", "statements"] == 1
    assert counts.loc["blockchain", "statements"] == 2
    assert counts.loc["talent", "statements"] == 5  # s21, s22, s23, s24, s27
    dong = theme_counts(filter_statements(statements, speakers=["linhua-dong"]), themes).set_index("theme")
    assert dong.loc["privacy", "statements"] == 0


def test_bars_use_theme_colours_string_ids_and_fade_unselected(statements, themes):
    counts = theme_counts(statements, themes)
    fig = statements_per_theme_bars(counts, ["privacy"])
    bar = fig.data[0]
    i = list(bar.y).index("Privacy")
    assert bar.x[i] == 1
    assert bar.marker.color[i] == "#CC79A7"
    assert bar.customdata[i] == ["privacy"] or list(bar.customdata[i]) == ["privacy"]
    assert all(isinstance(c[0], str) for c in bar.customdata)
    assert bar.marker.opacity[i] == 1.0
    assert max(o for j, o in enumerate(bar.marker.opacity) if j != i) < 1.0
    unselected = statements_per_theme_bars(counts).data[0]
    assert set(unselected.marker.opacity) == {1.0}


def test_empty_counts_frame_still_builds(themes):
    empty = pd.DataFrame({"themes": pd.Series([], dtype=object)})
    counts = theme_counts(empty, themes)
    assert set(counts["statements"]) == {0}
    assert statements_per_theme_bars(counts).data[0].x == tuple([0] * len(themes))


def test_bars_declare_selection_styles(statements, themes):
    # Without them plotly.js throws when a bar is clicked (browser test: the click never reaches the app).
    bar = statements_per_theme_bars(theme_counts(statements, themes)).data[0]
    assert bar.selected.marker.opacity == 1.0
    assert bar.unselected.marker.opacity < 1.0


def test_query_words_match_at_word_starts_only(statements, themes):
    matches = search_statements(statements, "tan", themes)
    assert set(matches) == set(statements[statements["speaker_id"] == "xiaosheng-tan"]["id"])  # not Stanford
    assert search_statements(statements, "ivacy", themes) == {}


# ---------------------------------------------------------------------------------------------------- statement cards


def test_statement_record_is_escaped_markdown_with_a_plain_twin(statements, themes):
    labels = dict(zip(themes["id"], themes["label"], strict=True))
    s13 = statements.set_index("id").loc["s13"].to_dict() | {"id": "s13"}
    match = search_statements(statements, "privacy", themes)["s13"]
    row = statement_record(s13, labels, match)
    assert row["id"] == "s13" and row["kind"] == "direct-quote" and row["kind_label"] == "Direct quote"
    assert row["speaker"] == "Xiaosheng Tan"
    assert row["quote"] == (
        r"For example, AI\-generated content may invade the :orange-background[**privacy**] of personal data\."
    )
    assert row["why"] == r"matched\: “privacy” in the text; “privacy” in theme Privacy"
    assert row["reader_label"] == "Paragraph 9 in the article reader"
    assert row["reader_query"] == {"paragraph": "9"}
    assert row["citation"] == citation(s13)
    assert "“For example, AI-generated content may invade the privacy of personal data.”" in row["plain"]
    assert "**" not in row["plain"] and "\\" not in row["plain"]
    bare = statement_record(s13, labels, link_to_paragraph=False)
    assert bare["why"] == "" and bare["reader_label"] == "" and "background" not in bare["quote"]


def test_statement_record_escapes_hostile_data(themes):
    hostile = {
        "id": "x1",
        "paragraph": 3,
        "text": "<script>alert(1)</script> [x](javascript:alert(1)) **b** $x$",
        "speaker": "<b>Eve</b>",
        "role": "*role*",
        "organisation": "[org](http://e.vil)",
        "kind": "paraphrase",
        "themes": ("privacy",),
        "note": "$$ \u202e",
    }
    row = statement_record(hostile, {"privacy": "Privacy"})
    for key in ("speaker", "capacity", "quote", "themes", "note"):
        assert "<b>" not in row[key] and "<script>" not in row[key] and "](" not in row[key]
    assert row["quote"].count("*") == row["quote"].count(r"\*")
    assert r"\$x\$" in row["quote"]


# ---------------------------------------------------------------------------------------------------- voices params

LONG = "privacy " * 1250  # 10,000 characters

HOSTILE = [
    # (link, expected params, expected dropped (name, reason start))
    ({"q": ["privacy"]}, {"q": "privacy"}, []),
    ({"q": [LONG]}, {"q": " ".join(LONG.split())[:200].rstrip()}, []),  # cut, then no trailing space
    ({"q": ["pri\x00vacy"]}, {"q": "privacy"}, []),
    ({"q": ["\u202eprivacy\u2066"]}, {"q": "privacy"}, []),
    ({"q": ["<script>alert(1)</script>"]}, {"q": "<script>alert(1)</script>"}, []),
    ({"q": ["**x** $x$"]}, {"q": "**x** $x$"}, []),
    ({"q": ["a", "b"]}, {"q": "a"}, [("q", "given more than once")]),
    ({"speaker": ["xiaosheng-tan"]}, {"speaker": ("xiaosheng-tan",)}, []),
    ({"speaker": ["Xiaosheng Tan"]}, {"speaker": ()}, [("speaker", "not a speaker")]),
    ({"speaker": ["linhua-dong", "xiaosheng-tan"]}, {"speaker": ("xiaosheng-tan", "linhua-dong")}, []),
    ({"speaker": ["xiaosheng-tan"] * 500}, {"speaker": ("xiaosheng-tan",)}, []),
    ({"speaker": ["javascript:alert(1)"]}, {"speaker": ()}, [("speaker", "not a speaker")]),
    ({"speaker": ["xiaosheng-tan\u202e"]}, {"speaker": ()}, [("speaker", "not a speaker")]),
    ({"kind": ["foo", "paraphrase"]}, {"kind": ("paraphrase",)}, [("kind", "not a kind")]),
    ({"kind": ["Direct quote"]}, {"kind": ()}, [("kind", "not a kind")]),
    ({"kind": ["1e9"]}, {"kind": ()}, [("kind", "not a kind")]),
    ({"kind": ["NaN"]}, {"kind": ()}, [("kind", "not a kind")]),
    ({"kind": ["-0"]}, {"kind": ()}, [("kind", "not a kind")]),
    ({"kind": ["<b>x</b>"]}, {"kind": ()}, [("kind", "not a kind")]),
    ({"theme": ["privacy", "bogus"]}, {"theme": ("privacy",)}, [("theme", "not a theme")]),
    ({"bogus": ["1"]}, {}, [("bogus", "not a parameter")]),
    ({"present": ["true"], "v": ["x"], "embed": ["true"]}, {}, []),
]


@pytest.mark.parametrize(("query", "expected", "dropped"), HOSTILE)
def test_voices_params_from_hostile_links(query, expected, dropped):
    params = VoicesParams.from_query(query)
    for name, value in expected.items():
        assert getattr(params, name) == value
    assert [d.name for d in params.dropped] == [name for name, _ in dropped]
    for d, (_, reason) in zip(params.dropped, dropped, strict=True):
        assert d.reason.startswith(reason)
    for d in params.dropped:
        assert "\x00" not in d.value and "\u202e" not in d.value and len(d.value) <= 200


def test_a_10000_character_query_is_cut_to_200_characters():
    params = VoicesParams.from_query({"q": ["x" * 10_000]})
    assert params.q == "x" * 200


def test_voices_params_round_trip_through_the_link():
    params = VoicesParams.from_query({"q": ["privacy"], "kind": ["paraphrase"], "speaker": ["linhua-dong"]})
    assert params.to_query() == [("q", "privacy"), ("speaker", "linhua-dong"), ("kind", "paraphrase")]
    assert VoicesParams().to_query() == []
    assert VoicesParams().to_query(pinned=True) == [("q", "")]


def test_a_bar_click_toggles_its_theme_in_the_shared_filter():
    click = [{"customdata": ["privacy"]}]
    on = toggle_theme(SharedParams(), click)
    assert on.theme == ("privacy",)
    both = toggle_theme(on, [{"customdata": ["ai-safety"]}])
    assert both.theme == ("ai-safety", "privacy")  # canonical order, as the sidebar writes it
    assert toggle_theme(both, click).theme == ("ai-safety",)
    assert toggle_theme(on, [{"customdata": ["<script>"]}]) == on
    assert toggle_theme(on, []) == on


# ---------------------------------------------------------------------------------------------------- voices view


@pytest.fixture(scope="module")
def data(statements, themes):
    return Data(frames={"statements": statements, "themes": themes})


def test_voices_view_for_privacy(data):
    view = build(VoicesParams.from_query({"q": ["privacy"]}), data)
    assert view.title == "Voices"
    controls = {b.name: b for b in view.blocks if isinstance(b, Control)}
    assert list(controls) == ["q", "speaker", "kind"]
    assert controls["speaker"].labels["xiaosheng-tan"] == "Xiaosheng Tan"
    assert controls["kind"].labels == {
        "direct-quote": "Direct quote",
        "paraphrase": "Paraphrase",
        "authors-view": "Authors' view",
    }
    count = next(b for b in view.blocks if isinstance(b, Text) and b.key == "voices-count")
    assert count.text == "**1 of 28 statements**"
    chart = view.chart("voices-theme-bars")
    assert chart.click_shared and chart.click is toggle_theme
    assert chart.heading == "Statements per theme"
    records = next(b for b in view.blocks if isinstance(b, Records))
    assert records.kind == "statement" and [r["id"] for r in records.rows] == ["s13"]
    assert all(r["plain"] for r in records.rows)
    assert view.summary == "Voices: 1 of 28 statements of the article, matching “privacy”."
    assert [getattr(b, "key", "") for b in view.compact_blocks()] == ["voices-count", "voices-statements"]


def test_voices_view_with_filters_and_the_shared_theme(data):
    params = VoicesParams.from_query({"speaker": ["linhua-dong"], "kind": ["direct-quote"]}).replace(
        theme=("blockchain",)
    )
    view = build(params, data)
    records = next(b for b in view.blocks if isinstance(b, Records))
    assert [r["id"] for r in records.rows] == ["s19", "s20"]
    captions = [b.text for b in view.blocks if isinstance(b, Text) and b.style == "caption"]
    assert captions == [r"Theme filter \(sidebar\)\: Blockchain"]
    assert view.summary == (
        "Voices: 2 of 28 statements of the article, by Linhua Dong, of kind Direct quote, on Blockchain."
    )


def test_voices_view_says_when_nothing_matches_in_escaped_words(data):
    view = build(VoicesParams.from_query({"q": ["<b>**x**</b>"]}), data)
    records = next(b for b in view.blocks if isinstance(b, Records))
    assert records.rows == ()
    assert records.empty == r"No statement matches “\<b\>\*\*x\*\*\</b\>” with these filters."
    assert build(VoicesParams(kind=("paraphrase",), speaker=("linhua-dong",)), data).blocks[-1].empty == (
        "No statement matches these filters."
    )
    assert isinstance(view.blocks[0], Text) and isinstance(view.main_chart, Chart)
