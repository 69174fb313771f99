"""The words of the Research and patents page: intro, captions, alt text, source lines, notes (pure, no Streamlit).

Every figure in a sentence is read from the rows, never written here: the data may change under the words. The
counting basis of the AI Index 2022 filing shares (where filed, or the applicants' origin) was not read, so no
sentence states one; a sentence about who led granted patents always names the edition and its data year, and the
editions are never read as one series (the fact-checks of 2026-11-25 and 2026-12-06, docs/method.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from policylens import vocab
from policylens.research import (
    DATASET,
    FILINGS_EDITION,
    data_year,
    editions_with,
    format_share,
    grant_basis_gap,
    share_of,
)
from policylens.text import escape_markdown

EDITION_CAVEATS: dict[str, str] = {
    "AI Index 2022": "Patent and publication shares as published in AI Index 2022.",
    "AI Index 2023": "AI Index 2023 re-based its publication data with a new methodology (CSET): its shares are not "
    "comparable with AI Index 2022.",
    "AI Index 2024": "AI Index 2024 uses a new patent dataset: its patent shares are not comparable with "
    "AI Index 2022.",
}
EDITIONS_WARNING = (
    "The editions are not one series: AI Index 2023 re-based publications with a new methodology, AI Index 2024 uses "
    "a new patent dataset, and the data years differ. Compare areas within one edition, never across editions."
)
CONFIDENCE_LABELS = {
    "reported-secondhand": "reported secondhand (quoted by a third party, not read in the Stanford PDF)",
    "verified-in-source": "verified in source",
}
REGIONS_CAPTION = (
    "Regions (in italics) overlap the countries: China is part of East Asia & Pacific. A gap is a figure the source "
    "does not report."
)
REST_OF_WORLD = "“Rest of world” is the source's residual for the areas it does not list, not a country."
SECONDHAND_STAR = "* reported secondhand"
# A region this many points above its largest country leaves implausibly many grants to the rest of the region.
BASIS_GAP_POINTS = 5.0


def measure_label(measure: str) -> str:
    return vocab.label(DATASET, "measure", measure)


def edition_heading(df: pd.DataFrame, edition: str) -> str:
    year = data_year(df, edition)
    return f"{edition} · data year {year}" if year is not None else edition


def edition_and_year(df: pd.DataFrame, edition: str) -> str:
    """ "AI Index 2022, data year 2021" (the edition alone when the rows disagree on the year)."""
    year = data_year(df, edition)
    return f"{edition}, data year {year}" if year is not None else edition


def _the(area: str) -> str:
    return "the United States" if area == "United States" else area


def _possessive(area: str) -> str:
    name = _the(area)
    return name + ("'" if name.endswith("s") else "'s")


def intro_markdown(df: pd.DataFrame) -> str:
    """What the article says beside what the AI Index gives, figures read from the rows."""
    filed = share_of(df, FILINGS_EDITION, "patent-filings", "China")
    year = data_year(df, FILINGS_EDITION)
    claim = f"The article says China had *more than half* of the world's AI patent filings in {year or 2021}; "
    if filed is None:
        given = f"the dataset holds no {FILINGS_EDITION} share of filings to check it against. "
    else:
        given = (
            f"the {FILINGS_EDITION} (through a secondhand transcription) gives China "
            f"**{escape_markdown(format_share(filed))}** "
            "of them; the transcription does not state whether filings are counted by the office where they are "
            "filed or by the applicants' origin, so that basis was not read. "
        )
    return (
        claim
        + given
        + "These are the Stanford AI Index shares behind that figure and its neighbours: patents, publications and "
        "citations by area."
    )


def setting_caption(df: pd.DataFrame, measure: str, edition: str) -> str:
    return escape_markdown(
        f"{measure_label(measure)} · {edition_heading(df, edition)}. {EDITION_CAVEATS.get(edition, '')}".strip()
    )


def grants_by_edition(df: pd.DataFrame) -> str:
    """Who led granted patents between the United States and China, one clause per edition, each with its year."""
    clauses = []
    for edition in editions_with(df, "granted-patents"):
        us = share_of(df, edition, "granted-patents", "United States")
        cn = share_of(df, edition, "granted-patents", "China")
        if us is None or cn is None or us == cn:
            continue
        (lead, a), (other, b) = sorted((("United States", us), ("China", cn)), key=lambda p: -p[1])
        clauses.append(
            f"in {edition} (data year {data_year(df, edition)}) {_the(lead)} led granted patents with "
            f"{format_share(a)} against {_possessive(other)} {format_share(b)}"
        )
    return "; ".join(clauses)


def basis_note(df: pd.DataFrame, edition: str) -> str:
    """The note every chart of granted patents by region and by country carries."""
    note = (
        "Region and country shares of granted patents may not be on the same basis: compare regions with regions and "
        "countries with countries."
    )
    pair = grant_basis_gap(df, edition)
    if pair is not None and pair[0] - pair[1] >= BASIS_GAP_POINTS:
        region, country = pair
        note += (
            f" In {edition} (data year {data_year(df, edition)}), North America has {format_share(region)} of grants "
            f"against the United States' {format_share(country)}, which would leave an implausible share to Canada "
            "and Mexico: the region figures may rest on another basis."
        )
    return note


def _all_secondhand(df: pd.DataFrame, edition: str, measures: Sequence[str]) -> bool:
    sub = df[(df["edition"] == edition) & (df["measure"].isin(list(measures)))]
    return len(sub) > 0 and bool((sub["confidence"] == "reported-secondhand").all())


def filings_caption(df: pd.DataFrame) -> str:
    """The article's claim and its caveat: filings in China, and who led grants in each edition and year (plain)."""
    filed = share_of(df, FILINGS_EDITION, "patent-filings", "China")
    where = edition_and_year(df, FILINGS_EDITION)
    if filed is None:
        text = f"The dataset holds no share of AI patent filings in China for {where}."
    else:
        text = (
            f"The article's claim and its caveat side by side: China had {format_share(filed)} of the world's AI "
            f"patent applications ({where}; the counting basis is not stated in the transcription read)."
        )
    grants = grants_by_edition(df)
    if grants:
        text += f" Grants come from different editions and datasets, not one series: {grants}."
    if _all_secondhand(df, FILINGS_EDITION, ["patent-filings", "granted-patents"]):
        text += f" The {FILINGS_EDITION} figures are reported secondhand."
    return text + " " + basis_note(df, FILINGS_EDITION)


def filings_alt(df: pd.DataFrame) -> str:
    def share(measure: str, area: str) -> str:
        return format_share(share_of(df, FILINGS_EDITION, measure, area))

    return (
        "Grouped horizontal bars per area: patent filings beside granted patents, share of world, "
        f"{FILINGS_EDITION} (data year {data_year(df, FILINGS_EDITION)}). China: "
        f"{share('patent-filings', 'China')} of filings but {share('granted-patents', 'China')} of grants; United "
        f"States: {share('patent-filings', 'United States')} of filings and "
        f"{share('granted-patents', 'United States')} of grants."
    )


def share_caption(df: pd.DataFrame, table: pd.DataFrame, edition: str, measure: str) -> str:
    """How to read the share chart; grants by region and country carry the basis note (plain text)."""
    parts = [REGIONS_CAPTION]
    if "Rest of world" in set(table["area"]) or "residual" in set(table["area_type"]):
        parts.append(REST_OF_WORLD)
    if measure == "granted-patents" and {"country", "region"} <= set(table["area_type"]):
        parts.append(basis_note(df, edition))
    return " ".join(parts)


def share_title(measure: str) -> str:
    return f"{measure_label(measure)}: share of world total"


def share_alt(measure: str, edition: str, year: int | None) -> str:
    return (
        f"Horizontal bars: {measure_label(measure)}, share of world total by area, {edition} (data year {year}). "
        "Countries first, then regions."
    )


def venue_alt(edition: str, year: int | None) -> str:
    return (
        "Grouped horizontal bars per area: shares of journal, conference and repository publications and citations, "
        f"{edition} (data year {year})."
    )


def no_venues(edition: str) -> str:
    return escape_markdown(
        f"The dataset holds no publication or citation shares for {edition}: the sources read give only its patent "
        "figures."
    )


def fallback_note(asked: str, edition: str, shown: str) -> str:
    return (
        f"{measure_label(asked)} are not reported in {edition}: the view shows {measure_label(shown)}, the edition's "
        "first measure."
    )


def summary(df: pd.DataFrame, edition: str, measure: str, selected: Sequence[str]) -> str:
    text = f"Stanford AI Index, {edition_and_year(df, edition)}: {measure_label(measure)}, share of world total by area"
    return text + (f"; highlighted: {', '.join(selected)}." if selected else ".")


def source_line(table: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Dataset, each source (publisher) and its confidence; secondhand figures say so."""
    reported = table[table["status"] == "reported"]
    publishers = dict(zip(sources["id"], sources["publisher"], strict=True))
    parts = []
    for (source_id, confidence), _ in reported.groupby(["source_id", "confidence"], sort=False):
        who = publishers.get(source_id) or source_id
        parts.append(f"{who} [{source_id}], {CONFIDENCE_LABELS.get(confidence, confidence)}")
    editions_seen = ", ".join(sorted(table["edition"].unique()))
    return f"dataset ai-research ({editions_seen}; Stanford AI Index, Ch. 1) · " + "; ".join(parts)
