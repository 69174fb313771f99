"""Story from the entrypoint: the slide in the link, previous and next, the live view of the slide's page."""

from policylens.story import load_deck
from policylens.text import escape_markdown
from tests.app.helpers import open_page


def open_story(app, slide=None):
    return open_page(app, "app_pages/story.py", **({} if slide is None else {"slide": slide}))


def titles(app):
    """Titles as the page's markdown source (the story escapes data text, so compare with the escaped title)."""
    return [t.value for t in app.title]


def test_slide_two_is_the_exhibitors_slide_drawn_live(app):
    _, slides = load_deck()
    open_story(app, "2")
    assert app.number_input(key="slide").value == 2
    assert titles(app)[-1] == escape_markdown(slides[1].title)
    chart = app.get("plotly_chart")[0].proto.spec
    assert "3486" in chart  # the Expo page's own figure builder, with the 6th edition's exhibitors


def test_next_and_previous_move_one_slide(app):
    open_story(app, "2")
    app.button(key="next").click().run()
    assert app.number_input(key="slide").value == 3
    app.button(key="prev").click().run()
    app.button(key="prev").click().run()
    assert app.number_input(key="slide").value == 1
    assert app.button(key="prev").disabled


def test_an_invalid_slide_falls_back_to_the_first(app):
    _, slides = load_deck()
    open_story(app, "99")
    assert app.number_input(key="slide").value == 1
    assert titles(app)[-1] == escape_markdown(slides[0].title)


def test_every_slide_draws_without_error(app):
    _, slides = load_deck()
    open_story(app)
    for slide in slides:
        app.number_input(key="slide").set_value(slide.number).run()
        assert not app.exception, slide
        assert titles(app)[-1] == escape_markdown(slide.title)


def test_every_page_of_the_deck_has_a_live_view():
    from components.story import VIEWS
    from policylens.story import PAGES

    _, slides = load_deck()
    assert {s.page for s in slides} <= set(VIEWS)
    assert set(VIEWS) == set(PAGES)


def test_the_filings_slide_draws_the_research_chart_with_china_highlighted(app):
    _, slides = load_deck()
    number = next(s.number for s in slides if s.first("measure") == "patent-filings")
    open_story(app, str(number))
    spec = app.get("plotly_chart")[0].proto.spec
    assert "51.7" in spec and "#D55E00" in spec  # China's filing share, in the selection colour
