"""Presenting: chart text sized for the screen (policylens.present), the neutral text colour of every chart
(policylens.palette) and what a presented slide shows (policylens.views.story)."""

import json
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from policylens import palette, present
from policylens.views import PAGES, load_deck, page
from policylens.views.base import Chart, Data, Records, Text
from policylens.views.story import StoryParams, presented_blocks

_, SLIDES = load_deck()


@pytest.fixture(scope="module")
def data(frames, provenances):
    return lambda: Data(frames=dict(frames), provenances=dict(provenances), version="test")


@pytest.fixture(scope="module")
def slide_charts(data):
    """Every chart a presented slide shows, by slide number."""
    charts = {}
    for slide in SLIDES:
        for block in presented_blocks(slide.view(data())):
            if isinstance(block, Chart):
                charts[slide.number] = block
    return charts


def as_json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def axes(layout: dict) -> list[dict]:
    return [value for key, value in layout.items() if key[:5] in ("xaxis", "yaxis")]


# ---------------------------------------------------------------------------------------------------- font sizes


def test_font_sizes_follow_the_screen():
    assert present.font_sizes(1920, 1080) == present.FontSizes(title=30, text=20, small=18)
    assert present.font_sizes(1280, 720) == present.FontSizes(title=22, text=18, small=18)  # readable in a room
    # The smaller side decides: a wide but short screen gets the sizes of its height.
    assert present.font_sizes(2560, 720) == present.font_sizes(1280, 720)
    # Never below Plotly's own 12 px, whatever the screen.
    assert present.font_sizes(320, 240).text == 18 and present.font_sizes(0, 0).title == 22


def test_the_large_screen_meets_the_room_minimums():
    sizes = present.font_sizes(*present.SCREENS["large"])
    assert sizes.title >= 28 and sizes.text >= 18 and sizes.small >= 18


def test_the_large_chart_is_shown_from_a_screen_that_fits_it():
    width, height = present.LARGE_FROM
    assert present.SCREENS["small"] < (width, height) <= present.SCREENS["large"]


# ---------------------------------------------------------------------------------------------------- scaling


def test_every_slide_with_a_chart_is_covered(slide_charts):
    # Slides 2 to 7 draw a chart (expo, research, policy); 1, 8, 9 and 10 draw cards.
    assert sorted(slide_charts) == [2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize("number", [2, 3, 4, 5, 6, 7])
def test_every_text_of_a_slide_chart_meets_the_minimums_at_1920x1080(slide_charts, number):
    figure = as_json(present.scale_for_screen(slide_charts[number].figure, 1920, 1080))
    layout = figure["layout"]
    assert layout["title"]["font"]["size"] >= 28
    assert layout["font"]["size"] >= 18
    assert "font-size:13px" not in layout["title"]["text"]  # the subtitle line is 18 px too
    for axis in axes(layout):
        assert axis["tickfont"]["size"] >= 18 and axis["title"]["font"]["size"] >= 18
    for annotation in layout.get("annotations", []):
        assert annotation["font"]["size"] >= 18, annotation["text"]
    for trace in figure["data"]:
        if "textfont" in trace:
            assert trace["textfont"]["size"] >= 18, trace.get("name")
    # The screen decides the size, not the builder.
    assert "height" not in layout and "width" not in layout


def test_treemap_labels_are_hidden_rather_than_shrunk_below_the_minimum(slide_charts):
    figure = as_json(present.scale_for_screen(slide_charts[7].figure, 1920, 1080))
    (treemap,) = figure["data"]
    assert treemap["type"] == "treemap"
    assert treemap["textfont"]["size"] == 20
    assert treemap["textfont"]["color"]  # the readable colour of each tile is kept
    assert figure["layout"]["uniformtext"] == {"minsize": 20, "mode": "hide"}


def test_a_small_screen_gets_small_text():
    fig = go.Figure(go.Bar(x=["a"], y=[1], text=["1"]))
    fig.update_layout(title={"text": "T<br><span style='font-size:13px'>sub</span>"}, height=400)
    small = present.scale_for_screen(fig, 1280, 720)
    assert small.layout.title.font.size == 22 and small.layout.xaxis.tickfont.size == 18
    assert small.data[0].textfont.size == 18
    assert "font-size:18px" in small.layout.title.text


def test_scaling_copies_and_grows_the_margins():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(title={"text": "One<br>Two"}, margin={"l": 6, "r": 6, "t": 40, "b": 12}, height=300)
    before = fig.to_json()
    scaled = present.scale_for_screen(fig)
    assert fig.to_json() == before  # the view's own figure is not changed
    assert scaled.layout.margin.l == 10 and scaled.layout.margin.b == 20  # grown with the text (20 / 12)
    assert scaled.layout.margin.t >= 2 * 1.3 * 30  # two title lines at 30 px
    assert scaled.layout.height is None and scaled.layout.autosize is True


def test_every_axis_of_a_figure_with_subplots_is_scaled():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(xaxis2={"domain": [0.5, 1]}, yaxis3={"domain": [0, 0.5]})
    scaled = present.scale_for_screen(fig)
    assert scaled.layout.xaxis2.tickfont.size == 20 and scaled.layout.yaxis3.tickfont.size == 20


def test_annotations_grow_with_the_text_and_keep_larger_sizes():
    fig = go.Figure()
    fig.add_annotation(text="small", font={"size": 12}, x=0, y=0)
    fig.add_annotation(text="large", font={"size": 16}, x=0, y=0)
    fig.add_annotation(text='<span style="font-size:9px">inline</span>', x=0, y=0)
    small, large, inline = present.scale_for_screen(fig).layout.annotations
    assert small.font.size == 20 and large.font.size == round(16 * 20 / 12)
    assert "font-size:20px" in inline.text


# ---------------------------------------------------------------------------------------------------- colours


def test_the_neutral_text_reads_on_white_and_its_dark_twin_on_the_dark_theme():
    assert palette.contrast_ratio(palette.NEUTRAL_TEXT, palette.LIGHT_BACKGROUND) >= 4.5
    assert palette.contrast_ratio(palette.NEUTRAL_TEXT_DARK, palette.DARK_BACKGROUND) >= 4.5
    # Why the app needs both: neither reads on the other background.
    assert palette.contrast_ratio(palette.NEUTRAL_TEXT, palette.DARK_BACKGROUND) < 4.5
    assert palette.contrast_ratio(palette.NEUTRAL_TEXT_DARK, palette.LIGHT_BACKGROUND) < 4.5
    # Streamlit's tick grey and the old grey of "not reported" fail on white.
    assert palette.contrast_ratio("#808495", "#FFFFFF") < 4.5 and palette.contrast_ratio(palette.MUTED, "#FFFFFF") < 3


def test_contrast_ratio_is_symmetric_and_bounded():
    assert palette.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert palette.contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21)
    assert palette.contrast_ratio("#777777", "#777777") == 1


def test_neutral_text_colours_what_has_no_colour_and_keeps_what_has_one():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(
        xaxis2={"domain": [0.5, 1], "tickfont": {"color": "#123456"}},
        legend={"title": {"text": "Legend"}},
    )
    before = fig.to_json()
    out = palette.neutral_text(fig)
    assert fig.to_json() == before  # a copy
    assert out.layout.font.color == palette.NEUTRAL_TEXT
    assert out.layout.xaxis.tickfont.color == palette.NEUTRAL_TEXT
    assert out.layout.yaxis.title.font.color == palette.NEUTRAL_TEXT
    assert out.layout.xaxis2.tickfont.color == "#123456"
    assert out.layout.legend.title.font.color == palette.NEUTRAL_TEXT


def test_the_chart_cards_dict_colouring_colours_what_has_no_colour_and_keeps_what_has_one():
    """A chart card colours the figure's dict (palette.neutral_text_dict), which neutral_text's copy is made from."""
    fig = go.Figure(go.Bar(x=["a"], y=[1])).update_layout(
        xaxis2={"domain": [0.5, 1], "tickfont": {"color": "#123456"}},
        yaxis={"title": {"text": "Share", "font": {"color": "#654321"}}},
        legend={"title": {"text": "Legend"}},
    )
    layout = palette.neutral_text_dict(fig.to_dict())["layout"]
    assert layout["font"]["color"] == palette.NEUTRAL_TEXT
    assert layout["xaxis"]["tickfont"]["color"] == layout["xaxis"]["title"]["font"]["color"] == palette.NEUTRAL_TEXT
    assert layout["xaxis2"]["tickfont"]["color"] == "#123456"
    assert layout["yaxis"]["title"]["font"]["color"] == "#654321"
    assert layout["yaxis"]["title"]["text"] == "Share"
    assert layout["legend"]["title"]["font"]["color"] == palette.NEUTRAL_TEXT
    # A chart without axes gets the x and y axes' colours too (what its copy through Plotly got); a font colour of its
    # own stays, and a legend title without text gets none.
    treemap = palette.neutral_text_dict(go.Figure(go.Treemap(labels=["a", "b"], parents=["", "a"])).to_dict())
    assert treemap["layout"]["yaxis"]["tickfont"]["color"] == palette.NEUTRAL_TEXT
    own = go.Figure(go.Scatter(x=[1], y=[2]), layout={"font": {"color": "#111111"}, "legend": {"title": {"text": ""}}})
    layout = palette.neutral_text_dict(own.to_dict())["layout"]
    assert layout["font"]["color"] == "#111111" and "font" not in layout["legend"]["title"]


def as_sent(figure: dict) -> dict:
    """The figure as the browser gets it (Plotly's JSON, read back)."""
    return json.loads(pio.to_json(figure, validate=False))


def test_every_views_chart_keeps_its_traces_and_gets_the_neutral_text_where_it_has_no_colour(data):
    for entry in PAGES:
        for block in entry.build(entry.params(), data()).blocks:
            if getattr(block, "figure", None) is None:
                continue
            before = as_sent(block.figure.to_dict())
            after = as_sent(palette.neutral_text_dict(block.figure.to_dict()))
            assert after["data"] == before["data"], block.key
            for name, axis in after["layout"].items():
                if not re.fullmatch(r"[xy]axis\d*", name):
                    continue
                own = before["layout"].get(name, {})
                tick = own.get("tickfont", {}).get("color", palette.NEUTRAL_TEXT)
                title = own.get("title", {}).get("font", {}).get("color", palette.NEUTRAL_TEXT)
                assert axis["tickfont"]["color"] == tick and axis["title"]["font"]["color"] == title, (block.key, name)


def test_not_reported_labels_use_the_neutral_text(data):
    research = page("research").build(page("research").params.from_query({}), data())
    labels = [t for c in research.charts for t in c.figure.data if t.name == palette.NOT_REPORTED]
    assert labels and all(t.textfont.color == palette.NEUTRAL_TEXT for t in labels)


# ---------------------------------------------------------------------------------------------------- the slide


def test_story_params_read_the_shared_presentation_flag():
    assert StoryParams.from_query({"present": ["true"]}).present is True
    assert StoryParams.from_query({}).present is False
    (dropped,) = StoryParams.from_query({"present": ["yes"]}).dropped
    assert (dropped.name, dropped.reason) == ("present", "must be true or false")
    # The router writes present=; the story's own link never repeats it.
    assert StoryParams(slide=3, present=True).to_query(pinned=True) == [("slide", "3"), ("notes", "false")]


def test_every_room_and_presenter_shares_the_kept_slide_and_keeps_its_own_link(data):
    """A slide's view does not depend on the room a window follows or owns: every follower of every room and every
    presenter get the one view kept for the slide, each with its own link's parameters."""
    from policylens.views.kept import built, kept

    story, source = page("story"), data()
    kept.clear()
    asked = [
        StoryParams(slide=2, present=True),
        StoryParams(slide=2, present=True, room="ABC234"),
        StoryParams(slide=2, present=True, room="XYZ789"),
    ]
    views = [built(story, params, source) for params in asked]
    assert (kept.builds, kept.hits) == (2, 2)  # the slide and, inside its build, its page's view; then the slide twice
    assert len({id(v.blocks) for v in views}) == 1
    assert [v.params for v in views] == asked
    assert all(v.params.room == p.room for v, p in zip(views, asked, strict=True))
    # The presenter view's slide is the slide with its notes (notes=true): one view for both, links apart.
    with_notes = built(story, StoryParams(slide=2, notes=True), source)
    presenter = built(story, StoryParams(slide=2, presenter=True, room="ABC234"), source)
    assert presenter.blocks is with_notes.blocks and kept.builds == 3  # one more: the slide with notes, its page kept
    assert presenter.params == StoryParams(slide=2, presenter=True, room="ABC234")
    assert presenter.params.to_query() == [("slide", "2"), ("presenter", "true"), ("room", "ABC234")]
    assert any(getattr(b, "key", "") == "speaker-notes" for b in presenter.blocks)
    kept.clear()


@pytest.mark.parametrize("slide", SLIDES, ids=[f"slide-{s.number}" for s in SLIDES])
def test_a_presented_slide_is_its_title_its_sentence_and_one_block(slide, data):
    view = page("story").build(StoryParams(slide=slide.number, present=True), data())
    keys = [getattr(b, "key", "") for b in view.blocks]
    assert keys[:2] == ["slide-title", "slide-sentence"]
    assert "deck-title" not in keys
    body = view.blocks[2:]
    charts = [b for b in body if isinstance(b, Chart)]
    assert len(charts) <= 1
    if charts:
        (chart,) = charts
        assert len(body) == 1 and not chart.caption and not chart.heading and chart.source
        # The page's own figure: the drawing sizes its text for the screen.
        same = slide.view(data()).chart(chart.key)
        assert pio.to_json(chart.figure) == pio.to_json(same.figure)
    else:
        assert body, slide.number


def test_a_presented_paragraph_leaves_its_statements_to_the_full_page(data):
    number = next(s.number for s in SLIDES if s.page == "themes")
    (records,) = page("story").build(StoryParams(slide=number, present=True), data()).blocks[2:]
    assert isinstance(records, Records) and records.kind == "opened-paragraph"
    (row,) = records.rows
    assert row["statements"] == () and row["paragraph"] == 12
    full = page("story").build(StoryParams(slide=number), data())
    assert any(isinstance(b, Records) and b.rows[0]["statements"] for b in full.blocks if getattr(b, "rows", None))


def test_a_presented_dataset_is_its_title_description_and_facts(data):
    number = next(s.number for s in SLIDES if s.page == "sources")
    body = page("story").build(StoryParams(slide=number, present=True), data()).blocks[2:]
    assert [b.key for b in body] == [
        "slide-provenance-title",
        "slide-provenance-description",
        "slide-provenance-facts",
    ]
    assert all(isinstance(b, Text) for b in body)
    assert body[0].style == "header" and "claims" in body[0].text.lower()


def test_the_sentence_is_the_second_heading_in_both_modes(data):
    for present_mode in (False, True):
        view = page("story").build(StoryParams(slide=2, present=present_mode), data())
        sentence = next(b for b in view.blocks if getattr(b, "key", "") == "slide-sentence")
        assert sentence.text.startswith("## ")


def test_presented_notes_follow_the_slide(data):
    view = page("story").build(StoryParams(slide=2, present=True, notes=True), data())
    keys = [getattr(b, "key", "") for b in view.blocks]
    assert keys.index("speaker-notes") > keys.index("slide-sentence")
    rows = next(b for b in view.blocks if getattr(b, "key", "") == "speaker-notes-rows")
    assert "6th CIIE closing report" in rows.text and "3,486 exhibitors" in rows.text


def test_a_slide_draws_from_its_pages_kept_view_and_threads_building_slides_at_once_never_wait_on_each_other(data):
    """A slide's page view is the page's own kept view (built once for the slide on screen, presented and with its
    notes, and for the page's link). A slide's build asks for its page's view inside its own: eight threads building
    every slide at once, each variant, all finish (a thread holding one build's lock never waits for another's). The
    builds run in threads the test waits for with a time limit, so that a lock waiting forever fails the test."""
    import threading

    from policylens.views.kept import built, kept

    story, source = page("story"), data()
    slide = SLIDES[1]
    errors: list[BaseException] = []

    def in_threads(*orders: list) -> None:
        def build_all(order: list) -> None:
            try:
                for entry, params in order:
                    built(entry, params, source)
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=build_all, args=(order,), daemon=True) for order in orders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads), "builds wait on each other"
        assert errors == []

    kept.clear()
    slide_views = [
        (story, StoryParams(slide=2, present=p, notes=n)) for p, n in ((False, False), (True, False), (False, True))
    ]
    in_threads([(slide.entry, slide.page_params()), *slide_views])
    assert kept.builds == 4  # the page, then the slide three ways, each from the page's kept view
    assert slide.view(source) is built(slide.entry, slide.page_params(), source)

    kept.clear()
    variants = [
        (story, StoryParams(slide=n, present=p, notes=not p)) for n in range(1, len(SLIDES) + 1) for p in (False, True)
    ]
    in_threads(*(variants[i:] + variants[:i] for i in range(0, 16, 2)))
    kept.clear()
