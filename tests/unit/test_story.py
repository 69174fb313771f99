"""The story deck and the Story view: slides are pages of the registry with a query; slide= is parsed once."""

import json

import plotly.io as pio
import pytest

from policylens.text import escape_markdown
from policylens.views import load_deck, page
from policylens.views.base import Chart, Data, Text
from policylens.views.story import StoryParams

_, SLIDES = load_deck()
COUNT = len(SLIDES)


def test_the_deck_tells_the_story_in_at_least_eight_slides():
    title, slides = load_deck()
    assert title
    assert len(slides) >= 8
    assert [s.number for s in slides] == list(range(1, len(slides) + 1))
    assert {s.page for s in slides} >= {"expo", "research", "policy", "voices"}


def test_slide_links_use_the_link_contract():
    expo = next(s for s in SLIDES if s.page == "expo")
    assert expo.link() == "/expo?metric=exhibitors&edition=6"
    assert expo.script == "app_pages/expo.py"
    research = next(s for s in SLIDES if s.params.get("area") == ["China", "United States"])
    assert research.link().endswith("area=China&area=United+States")
    assert SLIDES[0].link() == "/"
    assert SLIDES[-1].link("https://lens.example") == "https://lens.example/sources?dataset=claims"


def test_a_bad_deck_is_named(tmp_path):
    path = tmp_path / "deck.json"
    path.write_text(json.dumps({"title": "t", "slides": [{"page": "weather", "title": "x", "sentence": "y"}]}))
    with pytest.raises(ValueError, match="slide 1 names an unknown page 'weather'"):
        load_deck(path)


def test_a_slide_cannot_show_the_story_itself(tmp_path):
    path = tmp_path / "deck.json"
    path.write_text(json.dumps({"title": "t", "slides": [{"page": "story", "title": "x", "sentence": "y"}]}))
    with pytest.raises(ValueError, match="slide 1 shows the Story itself; a slide shows one of the other pages"):
        load_deck(path)


def test_a_slide_shows_its_page_of_the_registry_with_its_query(tmp_path):
    path = tmp_path / "deck.json"
    slide = {"page": "voices", "title": "x", "sentence": "y", "params": {"theme": ["privacy", "talent"]}}
    path.write_text(json.dumps({"title": "t", "slides": [slide]}))
    _, (read,) = load_deck(path)
    assert read.link() == "/voices?theme=privacy&theme=talent"
    assert read.script == "app_pages/voices.py"
    assert SLIDES[0].path == "/" and SLIDES[1].path == "/expo"


@pytest.mark.parametrize("slide", SLIDES, ids=[f"slide-{s.number}" for s in SLIDES])
def test_every_slide_query_is_read_whole_by_its_page(slide):
    """A slide's query is a link of its page: nothing in it may be dropped (else the slide shows something else)."""
    params = slide.page_params()
    assert params.dropped == (), [d.sentence() for d in params.dropped]
    assert isinstance(params, page(slide.page).params)


# slide= links are public (product.md): a slide keeps its number for good, so new slides go at the end.
PUBLISHED = [
    ("overview", {}),
    ("expo", {"metric": ["exhibitors"], "edition": ["6"]}),
    ("expo", {"metric": ["intended_deals"], "edition": ["6"]}),
    ("research", {"edition": ["AI Index 2022"], "measure": ["patent-filings"], "area": ["China"]}),
    ("research", {"edition": ["AI Index 2022"], "measure": ["granted-patents"], "area": ["China", "United States"]}),
    (
        "research",
        {"edition": ["AI Index 2022"], "measure": ["repository-publications"], "area": ["China", "United States"]},
    ),
    ("policy", {"pillar": ["property-rights", "circulation-trading", "income-distribution", "governance"]}),
    ("voices", {"q": ["privacy"]}),
    ("themes", {"paragraph": ["12"]}),
    ("sources", {"dataset": ["claims"]}),
]


def test_published_slides_keep_their_numbers():
    assert [(s.page, s.params) for s in SLIDES[: len(PUBLISHED)]] == PUBLISHED


# ---------------------------------------------------------------------------------------------------- StoryParams

DECK = f"the deck has {COUNT} slides"
LONG = "7" * 10_000

HOSTILE = [
    # (query, slide, notes, [(name, value as remembered, reason)])
    ({}, 1, False, []),
    ({"slide": ["3"]}, 3, False, []),
    ({"slide": [str(COUNT)]}, COUNT, False, []),
    ({"slide": [" 3 "]}, 3, False, []),
    ({"slide": ["999"]}, 1, False, [("slide", "999", DECK)]),
    ({"slide": [str(COUNT + 1)]}, 1, False, [("slide", str(COUNT + 1), DECK)]),
    ({"slide": ["0"]}, 1, False, [("slide", "0", DECK)]),
    ({"slide": ["-0"]}, 1, False, [("slide", "-0", DECK)]),
    ({"slide": ["-3"]}, 1, False, [("slide", "-3", DECK)]),
    ({"slide": ["1e9"]}, 1, False, [("slide", "1e9", DECK)]),
    ({"slide": ["1000000000"]}, 1, False, [("slide", "1000000000", DECK)]),
    ({"slide": ["NaN"]}, 1, False, [("slide", "NaN", DECK)]),
    ({"slide": ["inf"]}, 1, False, [("slide", "inf", DECK)]),
    ({"slide": ["2.0"]}, 1, False, [("slide", "2.0", DECK)]),
    ({"slide": ["３"]}, 1, False, [("slide", "３", DECK)]),  # a full-width digit is not the slide 3 of a link
    ({"slide": ["٣"]}, 1, False, [("slide", "٣", DECK)]),  # Arabic-Indic three
    ({"slide": ["\u202e3"]}, 1, False, [("slide", "3", DECK)]),  # a bidi override is removed from what is echoed
    ({"slide": ["3\x00"]}, 1, False, [("slide", "3", DECK)]),
    ({"slide": ["2&slide=3"]}, 1, False, [("slide", "2&slide=3", DECK)]),
    ({"slide": ["<b>2</b>"]}, 1, False, [("slide", "<b>2</b>", DECK)]),
    ({"slide": ["javascript:alert(1)"]}, 1, False, [("slide", "javascript:alert(1)", DECK)]),
    ({"slide": [""]}, 1, False, [("slide", "", DECK)]),
    ({"slide": ["4", "5"]}, 4, False, [("slide", "5", "given more than once; the first value is used")]),
    ({"slide": ["2"] * 300}, 2, False, [("slide", "2", "given more than once; the first value is used")]),
    ({"notes": ["true"]}, 1, True, []),
    ({"notes": ["TRUE"], "slide": ["2"]}, 2, True, []),
    ({"notes": ["false"]}, 1, False, []),
    ({"notes": ["1"]}, 1, False, [("notes", "1", "must be true or false")]),
    ({"notes": ["yes"]}, 1, False, [("notes", "yes", "must be true or false")]),
    ({"weather": ["sunny"]}, 1, False, [("weather", "", "not a parameter of this page")]),
    ({"theme": ["privacy"], "present": ["true"], "v": ["abc"]}, 1, False, []),  # shared and framework keys
]


@pytest.mark.parametrize(("query", "slide", "notes", "dropped"), HOSTILE)
def test_story_params_read_only_what_a_link_may_say(query, slide, notes, dropped):
    params = StoryParams.from_query(query)
    assert (params.slide, params.notes) == (slide, notes)
    assert [(d.name, d.value, d.reason) for d in params.dropped] == dropped


def test_a_ten_thousand_character_slide_is_dropped_and_not_echoed_whole():
    params = StoryParams.from_query({"slide": [LONG]})
    assert params.slide == 1
    (dropped,) = params.dropped
    assert dropped.reason == DECK and len(dropped.sentence()) < 100


def test_the_dropped_sentence_says_how_many_slides_there_are():
    (dropped,) = StoryParams.from_query({"slide": ["999"]}).dropped
    assert dropped.sentence() == f"slide '999': the deck has {COUNT} slides"
    assert COUNT == 10


def test_story_params_write_the_slide_and_the_notes_flag():
    assert StoryParams().to_query() == []
    assert StoryParams(slide=4).to_query() == [("slide", "4")]
    assert StoryParams(slide=4, notes=True).to_query() == [("slide", "4"), ("notes", "true")]
    assert StoryParams().to_query(pinned=True) == [("slide", "1"), ("notes", "false")]


# ---------------------------------------------------------------------------------------------------- the view


def traces(figure) -> list[dict]:
    """A figure's traces as plain JSON (``fig.to_plotly_json()["data"]``, arrays written out), comparable with ==."""
    return json.loads(pio.to_json(figure, validate=False))["data"]


@pytest.fixture(scope="module")
def data(frames, provenances):
    return lambda: Data(frames=dict(frames), provenances=dict(provenances), version="test")


def test_slide_two_is_its_title_sentence_and_the_expo_chart_of_its_link(data):
    view = page("story").build(StoryParams.from_query({"slide": ["2"]}), data())
    texts = [b for b in view.blocks if isinstance(b, Text)]
    assert texts[1] == Text(escape_markdown(SLIDES[1].title), "title", key="slide-title")
    assert texts[2].text == "## " + escape_markdown(SLIDES[1].sentence)  # the slide's second heading
    (chart,) = view.charts
    expo_view = page("expo").build(page("expo").params.from_query({"metric": ["exhibitors"], "edition": ["6"]}), data())
    assert chart.key == "expo_bars"
    assert traces(chart.figure) == traces(expo_view.chart("expo_bars").figure)
    assert 3486 in list(chart.figure.data[0].y)
    assert not any(b.__class__.__name__ == "Control" for b in view.blocks)  # a slide has no widgets
    assert view.summary.startswith("Slide 2 of 10")


def test_speaker_notes_only_with_notes_true(data):
    plain = page("story").build(StoryParams.from_query({"slide": ["2"]}), data())
    noted = page("story").build(StoryParams.from_query({"slide": ["2"], "notes": ["true"]}), data())
    keys = [getattr(b, "key", "") for b in noted.blocks]
    assert "speaker-notes" not in [getattr(b, "key", "") for b in plain.blocks]
    assert "speaker-notes" in keys
    rows = next(b for b in noted.blocks if getattr(b, "key", "") == "speaker-notes-rows")
    assert "claims row c03" in rows.text and "3,486 exhibitors" in rows.text


@pytest.mark.parametrize("slide", SLIDES, ids=[f"slide-{s.number}" for s in SLIDES])
def test_every_slide_shows_its_page_compact_view(slide, data):
    view = page("story").build(StoryParams(slide=slide.number), data())
    page_view = slide.view(data())
    compact = page_view.compact_blocks()
    assert [getattr(b, "key", "") for b in view.blocks[3:]] == [getattr(b, "key", "") for b in compact]
    for chart in (b for b in view.blocks if isinstance(b, Chart)):
        same = page_view.chart(chart.key)
        assert traces(chart.figure) == traces(same.figure)
