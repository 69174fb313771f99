"""Story: one slide of the deck at a time, the slide page's own view in its compact layout, and speaker notes.

In presentation mode (``present=true``) a slide is what fits one screen: its title, its sentence and one block of
its page's view (the first chart, drawn with its fonts sized for the screen by ``policylens.present``, or else the
first card list, in its short form); the full page is one click away.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go

from policylens import palette, present, rooms
from policylens.text import escape_markdown
from policylens.views import deck
from policylens.views.base import (
    Block,
    Chart,
    Data,
    Page,
    Params,
    Records,
    Text,
    View,
    param,
)
from policylens.views.notes import notes_of

# Read once from the deck: the number of slides is part of the sentence a dropped slide= value gets.
SLIDES = deck.deck_length()


def _slide_numbers() -> tuple[int, ...]:
    return tuple(range(1, deck.deck_length() + 1))


TITLE = "Story"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class StoryParams(Params):
    PAGE = "story"
    slide: int = param("int", 1, _slide_numbers, f"the deck has {SLIDES} slides")
    notes: bool = param("flag", False)
    # The shared presentation mode (the router writes it; the link copies it in): a slide then fits one screen.
    present: bool = param("flag", False)
    # The presenter view (notes, next slide, clock, slide list; components/presenter.py) and the room a window
    # follows or, in the presenter view, owns. A room code is not a secret: what moves a room is kept in the
    # presenter's session and never written into a link.
    presenter: bool = param("flag", False)
    room: str = param(
        "code", "", why=f"not a room code ({rooms.CODE_LENGTH} letters and digits)", normal=rooms.normal_code
    )

    def __post_init__(self):
        # Only a room code (or none) is a room: any other text would write a link that reads back as another view.
        if self.room and rooms.normal_code(self.room) != self.room:
            raise ValueError(f"not a room code: {self.room!r}")

    def view_key(self) -> StoryParams:
        # The slide does not depend on the room a window follows or owns, and the presenter view's slide is the slide
        # with its notes: every follower of every room, and every presenter, share the slide kept for the deck
        # (a room's followers used to build each slide again for their room, one build per room and slide).
        return dataclasses.replace(self, room="", presenter=False, notes=self.notes or self.presenter, dropped=())

    def with_link_of(self, asked: Params) -> StoryParams:
        assert isinstance(asked, StoryParams)
        return dataclasses.replace(
            self, room=asked.room, presenter=asked.presenter, notes=asked.notes, dropped=asked.dropped
        )

    def to_query(self, pinned: bool = False) -> list[tuple[str, str]]:
        # A pinned link writes the presenter view and the room only when they are asked for: pinned links made
        # before they existed stay as they were, and an empty ``room=`` would say nothing.
        return [(k, v) for k, v in super().to_query(pinned) if (k, v) not in (("presenter", "false"), ("room", ""))]


def _speaker_notes(slide: deck.Slide, page_view: View) -> list[Text]:
    """The deck's notes for the slide: what to say, the summary of what is on screen, each figure with its row."""
    blocks = [Text("Speaker notes", "header", key="speaker-notes")]
    written = notes_of(slide)  # the one place notes come from (policylens/views/notes.py), as in the .pptx
    say, figures = written.say, written.figures
    if say:
        blocks.append(Text(escape_markdown(say), key="speaker-notes-text"))
    if figures:
        lines = "\n".join("- " + escape_markdown(line.removeprefix("- ")) for line in figures)
        blocks.append(Text(escape_markdown(deck.NOTES_FIGURES) + "\n\n" + lines, key="speaker-notes-rows"))
    elif slide.notes:
        blocks.append(Text(escape_markdown(deck.NO_FIGURES), "caption", key="speaker-notes-rows"))
    if len(blocks) == 1:
        blocks.append(Text("No notes for this slide: the sentence above is what to say.", key="speaker-notes-text"))
    return blocks


def _short(records: Records) -> Records:
    """A card list in the form a slide on a screen shows: an opened paragraph without its statement cards (the
    full page has them). Other kinds are shown as they are."""
    if records.kind == "opened-paragraph":
        rows = tuple({**row, "statements": (), "statements_heading": ""} for row in records.rows)
        return dataclasses.replace(records, rows=rows)
    return records


def _provenance_text(records: Records) -> list[Block]:
    """A dataset's provenance panel on a slide: its title, description and facts (the full page has the caveats,
    the table and the downloads)."""
    blocks: list[Block] = []
    for row in records.rows:
        if row.get("prov_error"):
            blocks.append(Text(escape_markdown(row["prov_error"]), "warning"))
            continue
        blocks += [
            Text(escape_markdown(row["title"]), "header", key="slide-provenance-title"),
            Text(escape_markdown(row["description"]), key="slide-provenance-description"),
            Text(row["facts_md"], key="slide-provenance-facts"),
        ]
    return blocks


def screens(figure) -> tuple[tuple[str, go.Figure], ...]:
    """``figure`` on each screen of ``present.SCREENS``: its text in the neutral colour the app's CSS fits to the
    theme (as every chart card draws it) and sized for that screen (15 to 20 ms of Plotly each)."""
    # neutral_text makes its copy from the figure's dict: the page's view shares this figure, and copying a Figure
    # itself reorders the keys of the original's JSON (Plotly 7).
    coloured = palette.neutral_text(figure)
    return tuple((name, present.scale_for_screen(coloured, w, h)) for name, (w, h) in present.SCREENS.items())


def presented_blocks(page_view: View) -> tuple[Block, ...]:
    """The one block of the slide page's compact view that a presented slide shows: the first chart, without its
    caption (its source line stays; the drawing sizes its text for the screen with ``present.scale_for_screen``),
    or else the first card list, short."""
    compact = page_view.compact_blocks()
    for block in compact:
        if isinstance(block, Chart):
            return (dataclasses.replace(block, caption="", heading="", screens=screens(block.figure)),)
    for block in compact:
        if isinstance(block, Records):
            if block.kind == "provenance":
                return tuple(_provenance_text(block))
            return (dataclasses.replace(_short(block), heading=""),)
    return compact


def build(params: StoryParams, data: Data, *, pages: Mapping[str, Page]) -> View:
    """The slide ``params`` names, drawn from its page's view. ``pages`` are the pages a slide may show (the registry
    binds them: this module is one of its pages, so it cannot import it)."""
    title, slides = deck.read_deck(pages)
    slide = slide_of(params, slides)
    number = slide.number
    page_view = slide.view(data)
    # The sentence is the slide's second heading: the page's cards and sections below it keep their levels in order.
    sentence = Text("## " + escape_markdown(slide.sentence), key="slide-sentence")
    if params.present:
        blocks: list = [
            Text(escape_markdown(slide.title), "title", key="slide-title"),
            sentence,
            *presented_blocks(page_view),
        ]
    else:
        blocks = [
            Text(escape_markdown(title), "caption", key="deck-title"),
            Text(escape_markdown(slide.title), "title", key="slide-title"),
            sentence,
            *page_view.compact_blocks(),
        ]
    if params.notes or params.presenter:
        blocks += _speaker_notes(slide, page_view)
    summary = f"Slide {number} of {len(slides)} of “{title}”: {slide.title}."
    if page_view.summary:
        summary += " " + page_view.summary
    return View(title, params, tuple(blocks), summary, page_view.notes)


def slide_of(params: Params, slides: list[deck.Slide]) -> deck.Slide:
    """The slide of ``slides`` these parameters show."""
    number = getattr(params, "slide", 1)
    return slides[min(max(number, 1), len(slides)) - 1]
