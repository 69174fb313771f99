"""Every slide's speaker notes say no more than its sources: each number said is a figure the slide lists, and each
figure is written out with its dataset row and that row's source, as the datasets hold them."""

import dataclasses

import pytest

from policylens.datasets import load_dataset, read_provenance
from policylens.slides_pptx import speaker_notes
from policylens.views import load_deck
from policylens.views.deck import NO_FIGURES, NOTES_FIGURES, figure_line, figure_source, split_notes
from tests.data.test_story_figures import stated_numbers

_, SLIDES = load_deck()
IDS = [f"slide-{s.number}" for s in SLIDES]


@pytest.fixture(scope="module")
def rows():
    """(frame, provenance) per dataset a figure cites, and the sources list."""
    cited = {f["dataset"] for s in SLIDES for f in s.figures}
    return {d: (load_dataset(d), read_provenance(d)) for d in cited}, load_dataset("sources")


def unlisted_numbers(say: str, figures) -> list[str]:
    """Numbers the notes' words say that no figure of the slide lists (years, ordinals and names excepted)."""
    listed = [f["text"] for f in figures]
    return [n for n in stated_numbers(say) if not any(n in text for text in listed)]


@pytest.mark.parametrize("slide", SLIDES, ids=IDS)
def test_every_slide_has_notes_that_say_what_to_say(slide):
    say, _ = split_notes(slide.notes)
    assert len(say.split()) >= 12, f"slide {slide.number}: the notes say too little"


@pytest.mark.parametrize("slide", SLIDES, ids=IDS)
def test_the_notes_say_no_number_the_slide_does_not_list(slide):
    say, _ = split_notes(slide.notes)
    assert unlisted_numbers(say, slide.figures) == [], f"slide {slide.number}"


@pytest.mark.parametrize("slide", SLIDES, ids=IDS)
def test_each_figure_is_written_with_its_row_and_source(slide, rows):
    frames, sources = rows
    say, lines = split_notes(slide.notes)
    expected = [figure_line(f, figure_source(f, *frames[f["dataset"]], sources)) for f in slide.figures]
    assert lines == expected, f"slide {slide.number}: the notes' figure lines must be exactly {expected}"
    if slide.figures:
        assert NOTES_FIGURES in slide.notes
    else:
        assert slide.notes.endswith(NO_FIGURES)


def test_a_figure_line_names_the_row_and_where_it_comes_from(rows):
    frames, sources = rows
    exhibitors = next(f for s in SLIDES for f in s.figures if f["key"] == "6|exhibitors")
    line = figure_line(exhibitors, figure_source(exhibitors, *frames["expo"], sources))
    assert line == (
        "- “3,486 exhibitors”: expo row 6|exhibitors, column value; "
        "source: 6th CIIE closing report (Shanghai Daily (shine.cn)), verified-in-source"
    )
    said = next(f for s in SLIDES for f in s.figures if f["dataset"] == "claims")
    assert figure_source(said, *frames["claims"], sources) == "the CGTN article, paragraph 1"


def test_a_number_beyond_the_figures_would_be_caught():
    slide = next(s for s in SLIDES if s.figures)
    say, _ = split_notes(slide.notes)
    assert unlisted_numbers(say + " Attendance reached 410,000 visitors.", slide.figures) == ["410,000"]
    assert unlisted_numbers(say + " It rose 17.4 points.", slide.figures) == ["17.4"]
    # Years, ordinals and names state no figure.
    assert unlisted_numbers("In 2023 the 6th edition; see AI Index 2024 and the Data 20 Measures.", []) == []


def test_a_wrong_row_or_source_would_be_caught(rows):
    frames, sources = rows
    figure = next(f for s in SLIDES for f in s.figures if f["dataset"] == "ai-research")
    with pytest.raises(KeyError):
        figure_source({**figure, "key": "AI Index 2022|patent-filings|Atlantis"}, *frames["ai-research"], sources)
    slide = next(s for s in SLIDES if s.figures)
    say, lines = split_notes(slide.notes)
    tampered = dataclasses.replace(slide, notes=slide.notes.replace("verified-in-source", "reported-secondhand"))
    assert split_notes(tampered.notes)[1] != lines


@pytest.mark.parametrize("slide", SLIDES, ids=IDS)
def test_the_pptx_carries_the_deck_notes(slide):
    assert speaker_notes(slide) == slide.notes
