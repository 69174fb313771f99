"""Story: one slide of the deck at a time, the slide page's own view in its compact layout, and speaker notes."""

from __future__ import annotations

from dataclasses import dataclass

from policylens import story as deck
from policylens.text import escape_markdown as md
from policylens.views.base import Data, Params, Text, View, param

# Read once from the deck: the number of slides is part of the sentence a dropped slide= value gets.
SLIDES = deck.deck_length()


def _slide_numbers() -> tuple[int, ...]:
    return tuple(range(1, deck.deck_length() + 1))


@dataclass(frozen=True)
class StoryParams(Params):
    PAGE = "story"
    slide: int = param("int", 1, _slide_numbers, f"the deck has {SLIDES} slides")
    notes: bool = param("flag", False)


def _speaker_notes(slide: deck.Slide, page_view: View) -> list[Text]:
    blocks = [Text("Speaker notes", "subheader", key="speaker-notes")]
    if slide.notes:
        blocks.append(Text(md(slide.notes), key="speaker-notes-text"))
    if page_view.summary:
        blocks.append(Text("On screen: " + md(page_view.summary), key="speaker-notes-screen"))
    if slide.figures:
        lines = [
            f"- “{md(f['text'])}”: {md(f['dataset'])} row {md(f['key'])}, column {md(f['column'])}"
            for f in slide.figures
        ]
        blocks.append(
            Text("Figures said on this slide, and their rows:\n" + "\n".join(lines), key="speaker-notes-rows")
        )
    if len(blocks) == 1:
        blocks.append(Text("No notes for this slide: the sentence above is what to say.", key="speaker-notes-text"))
    return blocks


def build(params: StoryParams, data: Data) -> View:
    title, slides = deck.load_deck()
    number = min(max(params.slide, 1), len(slides))
    slide = slides[number - 1]
    page_view = slide.view(data)
    blocks: list = [
        Text(md(title), "caption", key="deck-title"),
        Text(md(slide.title), "title", key="slide-title"),
        Text("#### " + md(slide.sentence), key="slide-sentence"),
        *page_view.compact_blocks(),
    ]
    if params.notes:
        blocks += _speaker_notes(slide, page_view)
    summary = f"Slide {number} of {len(slides)} of “{title}”: {slide.title}."
    if page_view.summary:
        summary += " " + page_view.summary
    return View("story", title, params, tuple(blocks), summary, page_view.notes)


def slide_of(params: Params) -> deck.Slide:
    """The deck's slide these parameters show."""
    _, slides = deck.load_deck()
    number = getattr(params, "slide", 1)
    return slides[min(max(number, 1), len(slides)) - 1]
