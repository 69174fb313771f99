"""Story from the entrypoint: the slide in the link, "3 / 10", previous and next, the slide page's own figure."""

import json
import re
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from components.story import WARMUP_KEY
from policylens.present import HELD, SLOT
from policylens.text import escape_markdown
from policylens.views import load_deck
from tests.app.helpers import APP, open_page

_, SLIDES = load_deck()
COUNT = len(SLIDES)


def open_story(app, slide=None, **extra):
    return open_page(app, "app_pages/story.py", **({} if slide is None else {"slide": slide}), **extra)


def position(app) -> str:
    return next(m.value for m in app.markdown if m.value.replace(" ", "").replace("/", "").isdigit())


def held(app) -> dict[int, int]:
    """Slot -> the slide it holds, as each slot's marker says (on screen; the browser reads the same markers)."""
    out = {}
    for slot in range(3):
        found = re.findall(
            rf'class="{HELD}" data-slide="(\d+)"',
            " ".join(h.proto.body for h in app.container(f"{SLOT}{slot}").get("html")),
        )
        if found:
            out[slot] = int(found[0])
    return out


def shown(app):
    """The slide on show: on screen, the slot of the current slide (its neighbours are drawn unseen in theirs);
    presented (or another page), the page."""
    try:
        return app.container(f"{SLOT}{int(position(app).split('/')[0]) % 3}")
    except (StopIteration, KeyError):
        return app


def charts_by_slot(app) -> dict[int, list[tuple[str, str]]]:
    """Slot -> its charts' element ids and figures (the browser keeps an element whose id is the same)."""
    return {
        slot: [(c.proto.id, c.proto.spec) for c in app.container(f"{SLOT}{slot}").get("plotly_chart")]
        for slot in range(3)
    }


def titles(app):
    """The shown slide's titles as markdown source (the story escapes data text, so compare with the escaped title)."""
    return [t.value for t in shown(app).title]


def _is_unseen(chart) -> bool:
    """Whether ``chart`` is one a presented slide without a chart draws unseen: the next slide's charts or a tiny
    stand-in."""
    return WARMUP_KEY in chart.proto.id


def specs(app) -> list[dict]:
    """The shown slide's charts (not the charts drawn unseen: its neighbours' on screen, the next slide's or a tiny
    stand-in presented)."""
    return [json.loads(chart.proto.spec) for chart in shown(app).get("plotly_chart") if not _is_unseen(chart)]


def unseen(app) -> list:
    """The chart elements a slide without a chart draws unseen (the next slide's chart, or a tiny stand-in)."""
    return [chart for chart in app.get("plotly_chart") if _is_unseen(chart)]


def test_slide_two_is_the_exhibitors_slide_drawn_live(app):
    open_story(app, "2")
    assert position(app) == f"2 / {COUNT}"
    assert titles(app)[-1] == escape_markdown(SLIDES[1].title)
    assert any(m.value == "## " + escape_markdown(SLIDES[1].sentence) for m in app.markdown)
    assert "3486" in json.dumps(specs(app)[0])  # the Expo page's own figure, with the 6th edition's exhibitors
    assert not app.number_input  # no Streamlit widget is bound to slide= any more
    # nor any control of the Expo page (only the sidebar's theme filter): a slide is shown, not worked
    assert not app.selectbox and [w.key for w in app.multiselect] == ["theme"]


def test_next_and_previous_move_one_slide_and_write_it_in_the_link(app):
    open_story(app, "3")
    assert position(app) == f"3 / {COUNT}"
    app.button(key="next").click().run()
    assert position(app) == f"4 / {COUNT}"
    assert app.query_params["slide"] == "4"
    assert titles(app)[-1] == escape_markdown(SLIDES[3].title)
    for _ in range(3):
        app.button(key="prev").click().run()
    assert position(app) == f"1 / {COUNT}"
    assert app.button(key="prev").disabled
    assert "slide" not in app.query_params  # slide 1 is the default, which links leave out


def test_the_session_remembers_the_link_its_view_is_at_the_one_a_pushed_rerun_takes(app):
    """components/link.py ``query_string``, with which components/follow_push.py reruns a follower: the link the run
    wrote (a dropped value, a click's move), not only the one it was asked with."""
    open_story(app, "99", presenter="true")
    remembered = dict(parse_qsl(app.session_state["_link_query"]))
    assert remembered == dict(app.query_params) and "slide" not in remembered and remembered["room"]
    app.button(key="next").click().run()
    remembered = dict(parse_qsl(app.session_state["_link_query"]))
    assert remembered == dict(app.query_params) and remembered["slide"] == "2"


def test_next_stops_at_the_last_slide(app):
    open_story(app, str(COUNT))
    assert position(app) == f"{COUNT} / {COUNT}"
    assert app.button(key="next").disabled


@pytest.mark.parametrize("value", ["99", "-0", "1e9", "NaN", "３", "2&slide=3"])
def test_an_invalid_slide_falls_back_to_the_first_and_says_why(app, value):
    open_story(app, value)
    assert position(app) == f"1 / {COUNT}"
    assert titles(app)[-1] == escape_markdown(SLIDES[0].title)
    said = " ".join(c.value for c in app.caption)
    assert f"the deck has {COUNT} slides" in said


def test_every_slide_draws_without_error(app):
    open_story(app)
    for slide in SLIDES:
        if slide.number > 1:
            app.button(key="next").click().run()
        assert not app.exception, slide
        assert titles(app)[-1] == escape_markdown(slide.title)
        assert position(app) == f"{slide.number} / {COUNT}"


def test_speaker_notes_come_with_notes_true(app):
    open_story(app, "2", notes="true")
    assert any(s.value == "Speaker notes" for s in app.header)
    assert any("claims row c03" in m.value for m in app.markdown)
    # The deck's notes: what to say, and each figure with its row and source.
    # re-check 2026-12-06, 7.11: the article mixes two pre-opening updates
    assert any("mix two pre-opening updates" in m.value.replace("\\", "") for m in app.markdown)
    assert any("6th CIIE closing report" in m.value and "3,486 exhibitors" in m.value for m in app.markdown)


@pytest.mark.parametrize("slide", SLIDES, ids=[f"slide-{s.number}" for s in SLIDES])
def test_the_slide_figure_is_the_figure_of_the_page_at_the_slide_link(app, slide):
    """The issue's test through the app: every plotly_chart of slide N is drawn, the same, on the page at its link."""
    open_story(app, str(slide.number))
    on_slide = specs(app)
    fresh = AppTest.from_file(APP, default_timeout=30)
    open_page(fresh, slide.script, **{k: v if len(v) > 1 else v[0] for k, v in slide.params.items()})
    on_page = specs(fresh)
    for spec in on_slide:
        assert spec in on_page, f"slide {slide.number}: a chart not drawn on {slide.link()}"


def test_the_filings_slide_draws_the_research_chart_with_china_highlighted(app):
    number = next(s.number for s in SLIDES if s.first("measure") == "patent-filings")
    open_story(app, str(number))
    spec = json.dumps(specs(app)[0])
    assert "51.7" in spec and "#D55E00" in spec  # China's filing share, in the selection colour


def test_the_pack_and_the_slides_name_a_broken_dataset_and_come_back_with_valid_data(tmp_path, monkeypatch):
    """The meeting pack and the slides are offered only when every dataset reads; else each says which do not."""
    from tests.helpers import copy_data, set_cell

    def captions(app) -> str:
        return " ".join(c.value for c in app.caption)

    valid = AppTest.from_file(APP, default_timeout=30)
    open_story(valid)
    assert "unavailable while" not in captions(valid)
    assert any(b.label == "Download the meeting pack (zip)" for b in valid.get("download_button"))
    broken = copy_data(tmp_path)
    set_cell(broken, "expo", 3, "value", "three thousand")
    monkeypatch.setenv("POLICYLENS_DATA_DIR", str(broken))
    app = AppTest.from_file(APP, default_timeout=30)
    open_story(app, "3")
    said = captions(app)
    assert "The meeting pack is unavailable while these datasets are invalid: expo." in said
    assert "The slides (.pptx) are unavailable while these datasets are invalid: expo." in said
    assert not app.get("download_button")


def test_a_presented_slide_without_a_chart_draws_the_next_slides_chart_unseen_and_a_chart_slide_does_not(app):
    """The first change to a chart slide must not wait for Plotly's bundle nor measure the chart's text (issue 22): a
    presented slide without a chart draws the next slide's charts unseen as that slide draws them (the same figures
    and options); a slide with a chart draws only its own."""
    open_story(app, "1", present="true")
    assert not specs(app)
    warm = unseen(app)
    open_story(app, "2", present="true")
    slide_two = app.get("plotly_chart")
    assert slide_two and not unseen(app)
    assert [c.proto.spec for c in warm] == [c.proto.spec for c in slide_two]
    assert [c.proto.config for c in warm] == [c.proto.config for c in slide_two]


def test_on_screen_a_slide_and_its_neighbours_are_drawn_each_in_its_slot_and_kept_across_a_change(app):
    """Slide n in slot n % 3, beside n - 1 and n + 1 in theirs, only the current one marked current; after Next,
    the new slide's elements are the ones drawn before (the same ids and figures: the browser keeps them drawn and the
    change only shows them), and the slide beyond it fills the slot the old previous slide left (issue 22)."""
    open_story(app, "1")
    assert held(app) == {1: 1, 2: 2} and not app.container(f"{SLOT}0").get("plotly_chart")
    open_story(app, "3")
    assert held(app) == {2: 2, 0: 3, 1: 4}  # the last run drew the Story: the previous slide too
    current = [h.proto.body for h in app.get("html") if "data-current" in h.proto.body]
    assert len(current) == 1 and 'data-slide="3"' in current[0]
    before = charts_by_slot(app)
    assert all(before.values())  # slides 2, 3 and 4 each have a chart
    app.button(key="next").click().run()
    assert position(app) == f"4 / {COUNT}" and held(app) == {0: 3, 1: 4, 2: 5}
    after = charts_by_slot(app)
    assert after[1] == before[1] and after[0] == before[0]  # slides 4 (now shown) and 3 kept as they were
    assert after[2] != before[2]  # slide 5 drawn where slide 2 was
    assert titles(app)[-1] == escape_markdown(SLIDES[3].title)
    open_story(app, str(COUNT))
    assert held(app) == {(COUNT - 1) % 3: COUNT - 1, COUNT % 3: COUNT}


def test_a_link_just_opened_draws_the_slide_and_the_next_one_and_the_next_run_the_previous_one_too():
    """A load draws one slide more than its own (each slide a chart to draw): the next, which a presenter moves to."""
    app = AppTest.from_file(APP, default_timeout=30)
    open_story(app, "3")
    assert held(app) == {0: 3, 1: 4} and len(app.get("plotly_chart")) == 2
    app.run()
    assert held(app) == {2: 2, 0: 3, 1: 4} and len(app.get("plotly_chart")) == 3


def test_the_last_slide_presented_without_a_chart_draws_a_small_stand_in(app):
    """No next slide: a tiny chart without a mode bar starts Plotly."""
    open_story(app, str(COUNT), present="true")
    warm = unseen(app)
    assert not specs(app)
    assert len(warm) == 1 and json.loads(warm[0].proto.config) == {"displayModeBar": False}
