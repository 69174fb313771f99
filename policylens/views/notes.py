"""A slide's speaker notes, written in one place: the ``notes`` of each slide in ``policylens/deck.json``.

The Story page (``notes=true``), the presenter view (``presenter=true``) and the .pptx (each slide's notes) all read
them through ``notes_of``/``notes_text``; none of them composes its own. A slide without notes says its sentence
and each figure with its row, in the same words everywhere. Pure: no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

from policylens.views import deck


@dataclass(frozen=True)
class Notes:
    say: str  # what to say
    figures: tuple[str, ...]  # one line per figure, as ``deck.figure_line`` writes it ("- “…”: dataset row …")


def notes_of(slide: deck.Slide) -> Notes:
    """What to say on ``slide`` and the lines of its figures."""
    if slide.notes:
        say, lines = deck.split_notes(slide.notes)
        return Notes(say, tuple(lines))
    lines = tuple(f"- “{f['text']}”: {f['dataset']} row {f['key']}, column {f['column']}" for f in slide.figures)
    return Notes(slide.sentence, lines)


def notes_text(slide: deck.Slide) -> str:
    """The notes as one text (the .pptx's notes): the deck's own words when it has them."""
    if slide.notes:
        return slide.notes
    notes = notes_of(slide)
    if not notes.figures:
        return notes.say
    return "\n".join([notes.say, "", deck.NOTES_FIGURES, *notes.figures])
