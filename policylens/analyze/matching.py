"""Matching a figure to the curated rows it may be checked against: the row a curated claim cites, or rows of the
expo, research and policy-timeline datasets with the same value, narrowed by what the paragraph names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property

from policylens.analyze.figures import NUMBER, Figure, Match, decimal_places, format_count, written_places
from policylens.analyze.reference import Claim, Reference
from policylens.expo import METRICS as EXPO_PAGE_METRICS
from policylens.expo import ordinal

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10,
}  # fmt: skip
_EXPO_WORDS = re.compile(r"(?i)\b(?:CIIE|import expo|China International Import Expo)\b")
_EDITION = re.compile(
    r"(?i)\b(?P<n>\d{1,2})(?:st|nd|rd|th)\b|\b(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth)\b"
)
_EDITION_AFTER = re.compile(
    r"(?i)^(?:\s+\S+){0,3}?\s+(?:CIIE|China International Import Expo|import expo|expo|edition)"
)
# The counted noun -> the expo metrics it can be (the first word decides).
EXPO_NOUNS: dict[str, tuple[str, ...]] = {
    "exhibitor": ("exhibitors",),
    "exhibitors": ("exhibitors",),
    "enterprises": ("exhibitors",),
    "companies": ("exhibitors", "fortune500_and_leaders"),
    "firms": ("exhibitors",),
    "businesses": ("exhibitors",),
    "countries": ("exhibitor_countries_regions", "countries_regions_ios"),
    "nations": ("exhibitor_countries_regions", "countries_regions_ios"),
    "visitors": ("visitors",),
    "people": ("visitors",),
    "attendees": ("visitors",),
    "buyers": ("visitors",),
    "products": ("new_products",),
    "new": ("new_products",),
    "debuts": ("new_products",),
    "square": ("exhibition_area", "business_exhibition_area"),
    "sq": ("exhibition_area", "business_exhibition_area"),
    "m2": ("exhibition_area", "business_exhibition_area"),
    "m²": ("exhibition_area", "business_exhibition_area"),
}
AREA_WORDS: dict[str, tuple[str, ...]] = {
    "China": ("china", "chinese"),
    "United States": ("united states", "u.s.", "usa", "america", "american"),
    "EU + UK": ("eu + uk", "european union", "europe", "european"),
    "India": ("india", "indian"),
    "East Asia & Pacific": ("east asia",),
    "North America": ("north america",),
    "Europe & Central Asia": ("central asia",),
    "Rest of world": ("rest of the world", "rest of world"),
}
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    "patent-filings": ("patent filing", "patent application", "filing", "applications", "patent"),
    "granted-patents": ("granted", "grant", "patent"),
    "journal-publications": ("journal",),
    "conference-publications": ("conference",),
    "repository-publications": ("repository", "arxiv", "preprint"),
    "journal-citations": ("journal citation", "citation"),
    "conference-citations": ("conference citation", "citation"),
    "repository-citations": ("repository citation", "citation"),
}
_RESEARCH_WORDS = re.compile(
    r"(?i)\b(?:patent|publication|journal|conference|citation|AI Index|Stanford|research|paper|repository)"
)


def mentions_expo(text: str) -> bool:
    """Whether a text speaks of the CIIE anywhere: only then are its counts and amounts matched to expo rows."""
    return bool(_EXPO_WORDS.search(text))


def _edition_hints(paragraph: str) -> set[int]:
    """CIIE editions a paragraph names: "the 6th CIIE", "sixth edition", or a year of an edition (2018 = 1st)."""
    hints: set[int] = set()
    for m in _EDITION.finditer(paragraph):
        number = int(m.group("n")) if m.group("n") else ORDINAL_WORDS[m.group("w").lower()]
        if _EDITION_AFTER.match(paragraph[m.end() : m.end() + 60]):
            hints.add(number)
    if _EXPO_WORDS.search(paragraph):
        for year in re.findall(r"\b(20(?:1[89]|2\d))\b", paragraph):
            hints.add(int(year) - 2017)
    return hints


def _close(value: float, target: float, qualifier: str) -> bool:
    """Whether a row's ``target`` fits a figure given as ``qualifier`` ``value`` ("over 3400" fits 3,486)."""
    if qualifier in ("over", "more than", "above", "exceeding", "at least"):
        return value <= target <= value * 1.15
    if qualifier in ("less than", "fewer than", "under", "below", "up to"):
        return value * 0.85 <= target <= value
    return abs(target - value) <= 0.1 * value


def _same(value: float, target: float, written: str) -> bool:
    """Equal at the precision the text writes (51.7 equals 51.70; 52 equals 51.7 only as 'about')."""
    return _same_as(value, written)(target)


def _same_as(value: float, written: str) -> Callable[[float], bool]:
    """``_same`` for one figure against many rows: the figure's precision and rounded value worked out once."""
    places = written_places(written)
    shown = round(value, places)
    return lambda target: round(target, places) == shown


def _expo_key(row: Mapping) -> str:
    """An expo row's key as the claims dataset cites it: "edition|metric"."""
    return f"{int(row['edition'])}|{row['metric']}"


def _research_key(row: Mapping) -> str:
    """A research row's key as the claims dataset cites it: "edition|measure|area"."""
    return f"{row['edition']}|{row['measure']}|{row['area']}"


def _expo_row_words(row: Mapping, ref: Reference) -> str:
    label = ref.metric_labels.get(row["metric"], str(row["metric"]).replace("_", " "))
    return f"CIIE, {ordinal(int(row['edition']))} edition ({int(row['year'])}): {label}"


def _expo_match(row: Mapping, ref: Reference, how: str) -> Match:
    return Match(
        "expo",
        _expo_key(row),
        _expo_row_words(row, ref),
        str(row.get("value_text") or ""),
        str(row.get("confidence") or ""),
        how,
        "expo",
        (("edition", str(int(row["edition"]))), ("metric", str(row["metric"])))
        if row["metric"] in EXPO_PAGE_METRICS  # the page's metric choice (dates and theme are in its detail only)
        else (("edition", str(int(row["edition"]))),),
    )


def _research_match(row: Mapping, ref: Reference, how: str) -> Match:
    label = ref.measure_labels.get(row["measure"], str(row["measure"]))
    share = row["share_pct"]
    return Match(
        "ai-research",
        _research_key(row),
        f"{row['edition']} (data year {int(row['data_year'])}): {label}, {row['area']}",
        f"{share:g}%",
        str(row.get("confidence") or ""),
        how,
        "research",
        (("measure", str(row["measure"])), ("area", str(row["area"])), ("edition", str(row["edition"]))),
    )


def _timeline_match(row: Mapping, how: str) -> Match:
    return Match(
        "policy-timeline",
        str(row["id"]),
        f"{row['date']}: {row['title_en']}",
        str(row["date"]),
        str(row.get("confidence") or ""),
        how,
        "policy",
        (("type", str(row["type"])),) if row.get("type") else (),
    )


def _row_match(dataset: str, key: str, ref: Reference, how: str) -> Match | None:
    """The Match of one cited row (a claim's ``source_dataset`` and ``source_key``), or None when it is not here."""
    if dataset == "expo":
        for row in ref.expo:
            if _expo_key(row) == key:
                return _expo_match(row, ref, how)
    elif dataset == "ai-research":
        for row in ref.research:
            if _research_key(row) == key:
                return _research_match(row, ref, how)
    elif dataset == "policy-timeline":
        for row in ref.timeline:
            if str(row["id"]) == key:
                return _timeline_match(row, how)
    elif dataset == "data-policy":
        return Match(dataset, key, f"Data 20 Measures, article {key}", "", "", how, "policy", (("article", key),))
    return None


class Context:
    """One paragraph, as the matching of its figures reads it; what it names is worked out once, when first asked."""

    def __init__(self, paragraph: str, ref: Reference, expo_text: bool):
        self.paragraph = paragraph
        self.ref = ref
        self.expo_text = expo_text  # the text speaks of the CIIE somewhere

    @cached_property
    def hints(self) -> set[int]:
        return _edition_hints(self.paragraph)

    @cached_property
    def research(self) -> bool:
        return bool(_RESEARCH_WORDS.search(self.paragraph))

    @cached_property
    def claims(self) -> list[tuple[int, int, Claim]]:
        """Where each curated claim's words occur in the paragraph."""
        spans = []
        for claim in self.ref.claims:
            at = self.paragraph.find(claim.text) if claim.text else -1
            while at >= 0:
                spans.append((at, at + len(claim.text), claim))
                at = self.paragraph.find(claim.text, at + 1)
        return spans


def match_figure(figure: Figure, context: Context) -> tuple[Match, ...]:
    """The curated rows a figure may be checked against, best first (at most three).

    A curated claim whose words hold the figure cites its row first; then rows with the same value (or a close one,
    for "over 3400"), narrowed by what the paragraph names (the CIIE edition, the area, the measure, the year).
    """
    ref = context.ref
    found: list[Match] = []
    if context.claims:
        offset = max(context.paragraph.find(figure.sentence_text), 0)
        begin, end = offset + figure.start, offset + figure.end
        for start, stop, claim in context.claims:
            if start <= begin and end <= stop:
                match = _row_match(claim.dataset, claim.key, ref, f"the curated claim {claim.id} cites this row")
                if match:
                    found.append(match)
    if figure.kind in ("count", "amount") and figure.value is not None and context.expo_text:
        found += _expo_candidates(figure, context)
    elif figure.kind == "percent" and figure.value is not None and figure.unit == "%" and context.research:
        found += _research_candidates(figure, ref)
    elif figure.kind == "date":
        found += _date_candidates(figure, ref, context.expo_text)
    unique: list[Match] = []
    for match in found:
        if all((m.dataset, m.key) != (match.dataset, match.key) for m in unique):
            unique.append(match)
    return tuple(unique[:3])


def match_figures(figures: Iterable[Figure], context: Context) -> list[Figure]:
    """The figures of one paragraph's sentence, each with the curated rows it may be checked against."""
    matched = []
    for figure in figures:
        matches = match_figure(figure, context)
        matched.append(figure.with_matches(matches) if matches else figure)
    return matched


def _expo_candidates(figure: Figure, context: Context) -> list[Match]:
    ref = context.ref
    if figure.kind == "amount":
        if figure.unit != "USD":
            return []
        metrics: tuple[str, ...] = ("intended_deals",)
        value = figure.value / 1e9  # the dataset counts deals in USD bn
        written = f"{value:.{decimal_places(value)}f}"
    else:
        first = figure.unit.split(" ")[0] if figure.unit else ""
        metrics = EXPO_NOUNS.get(first, ())
        value, written = figure.value, format_count(figure.value).replace(",", "")
        if not metrics:
            return []
    rows = [row for metric in metrics for row in ref.expo_by_metric.get(metric, ())]
    if not rows:
        return []
    hints = context.hints
    same_as_figure = _same_as(value, written)
    exact, close = [], []
    for row in rows:
        target = float(row["value"])
        same = same_as_figure(target)
        if same and not figure.qualifier:
            exact.append(_expo_match(row, ref, "same value"))
        elif (figure.qualifier or not same) and _close(value, target, figure.qualifier):
            if not hints or int(row["edition"]) in hints:
                how = f"close: the text says {figure.normalised}" + (
                    f", and names the {ordinal(int(row['edition']))} edition" if hints else ""
                )
                close.append((abs(target - value), _expo_match(row, ref, how)))
    if exact:
        return sorted(exact, key=lambda m: int(m.key.split("|")[0]) not in hints)
    return [m for _, m in sorted(close, key=lambda pair: pair[0])][: 3 if hints else 2]


def _research_candidates(figure: Figure, ref: Reference) -> list[Match]:
    sentence = figure.sentence_text.lower()
    number = re.search(NUMBER, figure.text)
    written = number.group() if number else f"{figure.value:g}"
    scored = []
    for row in ref.research:
        share = row.get("share_pct")
        if share is None:
            continue
        if abs(float(share) - figure.value) > 0.2 * figure.value + 1:
            continue  # far from the figure whatever the precision or qualifier
        if figure.qualifier:
            fits = _close(figure.value, float(share), figure.qualifier if figure.qualifier != "about" else "")
        else:
            fits = _same(figure.value, float(share), written)
        if not fits:
            continue
        score = 0
        if any(word in sentence for word in AREA_WORDS.get(row["area"], (row["area"].lower(),))):
            score += 3
        words = MEASURE_WORDS.get(row["measure"], ())
        if any(word in sentence for word in words[:-1] or words):
            score += 2
        elif words and words[-1] in sentence:
            score += 1
        if str(int(row["data_year"])) in sentence or str(row["edition"]).lower() in sentence:
            score += 1
        if figure.qualifier and score < 3:
            continue  # "more than half" fits many rows: only those the sentence itself points to
        scored.append((score, row))
    if not scored:
        return []
    top = max(score for score, _ in scored)
    how = "same value" if not figure.qualifier else f"fits “{figure.text}”"
    best = [row for score, row in scored if score == top]
    return [_research_match(row, ref, how + _reasons(top)) for row in best[:3]]


def _reasons(score: int) -> str:
    if score >= 5:
        return "; the sentence names its area and measure"
    return "; the sentence names its area" if score >= 3 else ""


def _date_candidates(figure: Figure, ref: Reference, expo_text: bool) -> list[Match]:
    date = figure.normalised
    out = []
    if expo_text and " to " in date:
        for row in ref.expo:
            if row["metric"] == "dates" and str(row.get("value_text") or "") == date:
                out.append(_expo_match(row, ref, "same dates"))
    first = date.split(" to ")[0]
    if len(first) >= 7:  # a month or a day: a year alone matches too many milestones to say
        for row in ref.timeline:
            when = str(row["date"])
            same_month = (len(first) == 7 and when.startswith(first)) or (len(when) == 7 and first.startswith(when))
            if when == first or same_month:
                out.append(_timeline_match(row, "same date" if when == first else "same month"))
    return out
