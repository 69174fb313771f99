"""Research and patents: Stanford AI Index shares by measure and area, one edition at a time."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from policylens import research, vocab
from policylens import research_figures as figures
from policylens import research_words as words
from policylens.research import DATASET
from policylens.selection import selected_point_ids
from policylens.views.base import Chart, Control, Data, Params, Text, View, param


def _editions() -> tuple[str, ...]:
    return vocab.allowed(DATASET, "edition")


def _measures() -> tuple[str, ...]:
    return vocab.allowed(DATASET, "measure")


def _areas() -> tuple[str, ...]:
    return vocab.allowed(DATASET, "area")


TITLE = "Research and patents"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class ResearchParams(Params):
    """``measure`` left empty means the edition's first measure: the view resolves it (``View.params``)."""

    PAGE = "research"
    measure: str = param("choice", "", _measures, "not a measure of the ai-research dataset")
    area: tuple[str, ...] = param("choices", (), _areas, "not an area of the ai-research dataset")
    edition: str = param("choice", research.DEFAULT_EDITION, _editions, "not an AI Index edition of the dataset")


def _pick_areas(params: ResearchParams, points) -> ResearchParams:
    """A click on bars replaces the highlighted areas with the clicked ones (a click beside the bars keeps them)."""
    clicked = set(selected_point_ids(points))
    picked = tuple(a for a in _areas() if a in clicked)
    return params.replace(area=picked) if picked else params


def resolve_measure(params: ResearchParams, shares) -> tuple[str, str]:
    """The measure the view shows for ``params``, and a note when the link asked for one the edition lacks."""
    reported = research.measures_in(shares, params.edition)
    first = reported[0] if reported else (params.measure or research.measure_order()[0])
    if not params.measure:
        return first, ""
    if params.measure in reported or not reported:
        return params.measure, ""
    return first, words.fallback_note(params.measure, params.edition, first)


def build(params: ResearchParams, data: Data) -> View:
    shares = data.frame(DATASET)
    sources = data.frame("sources")
    edition = params.edition
    measure, note = resolve_measure(params, shares)
    resolved = dataclasses.replace(params, measure=measure)  # keeps ``dropped``: the page says what was ignored
    selected = list(params.area)
    year = research.data_year(shares, edition)
    reported = research.measures_in(shares, edition)

    blocks: list = [
        Text(words.intro_markdown(shares)),
        Text(words.EDITIONS_WARNING, "warning"),
        Control("edition", "AI Index edition", "select", labels={e: e for e in _editions()}),
        # Only the measures the chosen edition reports; a link asking for another falls back with a note.
        Control("measure", "Measure", "select", labels=vocab.labels(DATASET, "measure"), options=tuple(reported)),
        Control(
            "area",
            "Highlight areas (or click a bar)",
            "multiselect",
            labels={a: a for a in _areas()},
            placeholder="No area highlighted",
        ),
        Text(words.setting_caption(shares, measure, edition), "caption", key="research-setting"),
    ]

    by_area = research.shares_table(shares, edition, [measure])
    if len(by_area):
        blocks.append(
            Chart(
                key="research_share",
                figure=figures.share_bars(by_area, edition, year, measure, selected),
                title=f"{words.share_title(measure)}, {words.edition_and_year(shares, edition)}",
                alt=words.share_alt(measure, edition, year),
                source=words.source_line(by_area, sources),
                table=research.sorted_for_bars(by_area, measure),
                csv_name=f"ai-research-{measure}-{edition.replace(' ', '-')}.csv",
                caption=words.share_caption(shares, by_area, edition, measure),
                click=_pick_areas,
                heading="Share of world total by area",
            )
        )
    else:
        blocks.append(Text("Share of world total by area", "header"))
        blocks.append(Text(f"The dataset holds no shares for {edition}.", "info"))

    filings = research.FILINGS_EDITION
    patents = research.shares_table(shares, filings, ["patent-filings", "granted-patents"])
    if len(patents):
        blocks.append(
            Chart(
                key="research_patents",
                figure=figures.filings_vs_grants(patents, filings, research.data_year(shares, filings), selected),
                title=f"Patent filings vs granted patents, {words.edition_and_year(shares, filings)}",
                alt=words.filings_alt(shares),
                source=words.source_line(patents, sources),
                table=patents,
                csv_name=f"ai-research-patents-{filings.replace(' ', '-')}.csv",
                caption=words.filings_caption(shares),
                click=_pick_areas,
                heading="Patent filings vs granted patents",
            )
        )

    pubs = research.shares_table(shares, edition, research.venue_measures("publications"))
    cites = research.shares_table(shares, edition, research.venue_measures("citations"))
    if len(pubs) or len(cites):
        both = research.stack([pubs, cites])
        blocks.append(
            Chart(
                key="research_venues",
                figure=figures.venue_bars(pubs, cites, edition, year, selected),
                title=f"Publications and citations by venue type, {words.edition_and_year(shares, edition)}",
                alt=words.venue_alt(edition, year),
                source=words.source_line(both, sources),
                table=both,
                csv_name=f"ai-research-publications-citations-{edition.replace(' ', '-')}.csv",
                click=_pick_areas,
                heading="Publications and citations by venue type",
            )
        )
    else:
        blocks.append(Text("Publications and citations by venue type", "header"))
        blocks.append(Text(words.no_venues(edition), "info"))

    return View(
        TITLE,
        resolved,
        tuple(blocks),
        summary=words.summary(shares, edition, measure, selected),
        notes=(note,) if note else (),
    )
