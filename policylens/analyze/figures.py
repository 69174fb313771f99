"""The checkable figures of a sentence: amounts, percentages, counts and dates, each in a standard form."""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_TO = r"\s*(?:-|–|—|to|until|and)\s*"
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn)\b)?"
# A qualifier before a figure ("over 3400", "more than half"), looked for only where a figure was found.
_QUAL_BEFORE = re.compile(
    r"(?i)\b(?P<qual>over|more than|nearly|almost|about|around|approximately|roughly|some|at least|up to|less than|"
    r"fewer than|close to|above|below|under|exceeding)\s+$"
)
SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}
CURRENCIES = {
    "us$": "USD", "u.s.$": "USD", "u.s. $": "USD", "$": "USD", "usd": "USD", "dollars": "USD", "us dollars": "USD",
    "u.s. dollars": "USD", "usdollars": "USD", "rmb": "CNY", "cny": "CNY", "¥": "CNY", "yuan": "CNY",
    "renminbi": "CNY", "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP",
    "pounds": "GBP", "hk$": "HKD",
}  # fmt: skip
FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3,
    "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0,
    "three quarters": 75.0, "three-quarters": 75.0,
}  # fmt: skip

# What a sentence must hold before a pattern is tried on it (most sentences hold no month, currency or percent).
_HAS_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_HAS_ISO = re.compile(r"\d-\d")
_HAS_CURRENCY = re.compile(r"[$¥€£]|USD|RMB|CNY|EUR|GBP|(?i:dollars|yuan|renminbi|euro|pounds)")
_HAS_PERCENT = re.compile(r"%|(?i:per\s?cent|percentage)")
_HAS_FRACTION = re.compile(r"(?i:half|third|quarter)")
_PATTERNS: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    (
        "date",
        re.compile(
            rf"\b(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:{_TO}(?:(?P<m2>{_MONTH})\s+)?(?P<d2>{_DAY}))?,?\s+(?P<y>{_YEAR})\b"
        ),
        _HAS_MONTH,
    ),
    (
        "date",
        re.compile(rf"\b(?P<d1>{_DAY})(?:{_TO}(?P<d2>{_DAY}))?\s+(?P<m1>{_MONTH})\s+(?P<y>{_YEAR})\b"),
        _HAS_MONTH,
    ),
    (
        "date",
        re.compile(
            r"\b(?P<iso>(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))"
            r"(?:\s*(?:to|–|—|until)\s*(?P<iso2>(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])))?\b"
        ),
        _HAS_ISO,
    ),
    ("date", re.compile(rf"\b(?P<m1>{_MONTH})\s+(?P<y>{_YEAR})\b"), _HAS_MONTH),
    (
        "amount",
        re.compile(
            rf"(?P<cur>US\$|U\.S\.\s?\$|HK\$|\$|USD|RMB|CNY|¥|€|EUR|£|GBP)\s?(?P<num>{NUMBER}){_SCALE}"
            r"(?![\w%])"
        ),
        _HAS_CURRENCY,
    ),
    (
        "amount",
        re.compile(
            rf"(?<![\w.,])(?P<num>{NUMBER}){_SCALE}\s+(?P<cur>U\.S\.\s?dollars|US\s?dollars|dollars|yuan|"
            r"renminbi|euros?|pounds|USD|RMB|CNY)\b"
        ),
        _HAS_CURRENCY,
    ),
    (
        "percent",
        re.compile(rf"(?<![\w.,])(?P<num>{NUMBER})\s?(?P<pct>%|percent\b|per\s?cent\b|percentage points?\b)"),
        _HAS_PERCENT,
    ),
    (
        "percent",
        re.compile(
            r"\b(?P<frac>(?i:a half|one half|half|a third|one third|two[- ]thirds|a quarter|one quarter|"
            r"three[- ]quarters))\b(?=\s+(?:of\b|the\b|their\b|its\b|all\b))"
        ),
        _HAS_FRACTION,
    ),
    (
        "count",
        re.compile(
            rf"(?<![\w.,$€£¥-])(?P<num>{NUMBER}){_SCALE}(?![\w%]|[.,]\d)(?:\s+(?P<noun>(?:new\s+)?[a-z][a-z-]+"
            r"(?:\s+(?:and|or|&)\s+[a-z][a-z-]+)?))?"
        ),
        None,
    ),
    ("date", re.compile(rf"(?<![\w.,$€£¥-])\b(?P<y>{_YEAR})\b(?![\w%]|[.,]\d)"), None),
)
# Words that follow a number without counting anything ("3 of them", "in 2021 and").
_NOT_NOUNS = frozenset(
    "and or the of in to for from with by on at is are was were has have had per which that as than a an it its "
    "this these those be been will would can could may might also percent per cent times".split()
)
_REFERENCE_WORDS = re.compile(
    r"(?i)(?:article|art|section|sec|chapter|figure|fig|table|no|part|page|pp|paragraph|para|order|item|annex|"
    r"point|step|version|phase|level|grade|room|number|¶|#)\.?\s*$"
)


# A figure carries its matches, so their type lives here; matching.py finds them.
@dataclass(frozen=True)
class Match:
    """A curated row a figure may be checked against, and how it was found."""

    dataset: str
    key: str  # the row's primary-key values joined by "|", as the claims dataset cites rows
    what: str  # the row in words
    value: str  # the row's value as its source reports it
    confidence: str
    how: str  # why this row: "same value", "the curated claim c03 cites it", ...
    page: str = ""  # the page that shows the row, and its link parameters
    query: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "key": self.key,
            "row": self.what,
            "value": self.value,
            "confidence": self.confidence,
            "how": self.how,
            "page": self.page,
            "query": [list(pair) for pair in self.query],
        }


@dataclass(frozen=True)
class Figure:
    kind: str  # "amount", "percent", "count", "date"
    text: str  # as written
    value: float | None  # the number (an amount in its currency's units, a share in percent); None for a date
    unit: str  # "%", a currency code, the counted noun, "date"
    qualifier: str  # "over", "more than", "nearly", ... ("" when exact)
    normalised: str  # the figure in a standard form: "3,486 exhibitors", "51.7%", "USD 78.41 bn", "2023-11-05"
    paragraph: int
    sentence: int
    sentence_text: str
    start: int  # where the figure is in its sentence
    end: int
    matches: tuple[Match, ...] = ()

    def with_matches(self, matches: tuple[Match, ...]) -> Figure:
        """The same figure with the curated rows it may be checked against."""
        # Built field by field: dataclasses.replace costs about six times as much, on thousands of figures a text.
        f = self
        return Figure(
            f.kind, f.text, f.value, f.unit, f.qualifier, f.normalised, f.paragraph, f.sentence, f.sentence_text,
            f.start, f.end, matches,
        )  # fmt: skip

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "normalised": self.normalised,
            "paragraph": self.paragraph,
            "sentence": self.sentence,
            "sentence_text": self.sentence_text,
            "matches": [m.as_dict() for m in self.matches],
        }


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _scaled(groups: dict[str, str | None]) -> float:
    """The number of an amount or a count times its scale word ("78.41 billion")."""
    return _number(groups["num"]) * SCALES.get((groups.get("scale") or "").lower(), 1.0)


def written_places(text: str) -> int:
    """The decimal places a number is written with ("51.70": 2)."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def _month(name: str | None) -> int | None:
    if not name:
        return None
    return MONTHS.get(name.rstrip(".").lower())


def _day(text: str | None) -> int | None:
    return int(re.match(r"\d+", text).group()) if text else None


def _date_figure(m: re.Match[str]) -> tuple[str, str] | None:
    """(normalised ISO date or range, qualifier) of a date match, or None when it is not a real date."""
    groups = m.groupdict()
    if groups.get("iso"):
        return (groups["iso"] + (f" to {groups['iso2']}" if groups.get("iso2") else ""), "")
    year = groups.get("y")
    month = _month(groups.get("m1"))
    if month is None:
        return (year, "") if year else None
    day = _day(groups.get("d1"))
    if day is None:
        return (f"{year}-{month:02d}", "")
    end_day, end_month = _day(groups.get("d2")), _month(groups.get("m2")) or month
    start = f"{year}-{month:02d}-{day:02d}"
    if end_day is None:
        return (start, "")
    return (f"{start} to {year}-{end_month:02d}-{end_day:02d}", "")


# Every figure pattern needs a digit, except shares in words ("more than half").
_MAY_HOLD_FIGURE = re.compile(r"\d|(?i:half|third|quarter)")


def extract_figures(sentence: str, paragraph: int = 0, number: int = 0) -> list[Figure]:
    """The checkable figures of one sentence, in reading order; a span is never counted twice. They come without
    the curated rows they may be checked against: ``matching.match_figures`` adds those."""
    if not _MAY_HOLD_FIGURE.search(sentence):
        return []
    taken: list[tuple[int, int]] = []
    found: list[Figure] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind, pattern, needs in _PATTERNS:
        if needs is not None and not needs.search(sentence):
            continue
        for m in pattern.finditer(sentence):
            start, end = m.span()
            qualifier = ""
            if kind != "date":
                before = _QUAL_BEFORE.search(sentence, max(0, start - 24), start)
                if before:
                    qualifier, start = before.group("qual").lower(), before.start()
            if start == end or not free(start, end):
                continue
            written = sentence[start:end]
            groups = m.groupdict()
            if kind == "date":
                date = _date_figure(m)
                if date is None:
                    continue
                figure = Figure(kind, written, None, "date", "", date[0], paragraph, number, sentence, start, end)
            elif kind == "percent" and groups.get("frac"):
                share = FRACTIONS[groups["frac"].lower().replace("-", " ")]
                figure = Figure(
                    kind, written, round(share, 2), "%", qualifier, f"{_qualified(qualifier)}{share:.4g}%",
                    paragraph, number, sentence, start, end,
                )  # fmt: skip
            elif kind == "percent":
                value = _number(groups["num"])
                points = "point" in groups["pct"]
                unit = "percentage points" if points else "%"
                shown = f"{_qualified(qualifier)}{groups['num']}{'' if not points else ' '}{unit}"
                figure = Figure(kind, written, value, unit, qualifier, shown, paragraph, number, sentence, start, end)
            elif kind == "amount":
                code = CURRENCIES.get(re.sub(r"\s+", " ", groups["cur"].lower()), groups["cur"].upper())
                value = _scaled(groups)
                shown = f"{_qualified(qualifier)}{code} {_short_amount(value)}"
                figure = Figure(kind, written, value, code, qualifier, shown, paragraph, number, sentence, start, end)
            else:
                noun = _counted_noun(groups.get("noun") or "")
                if _YEAR_LIKE.fullmatch(groups["num"]) and not groups.get("scale") and not noun.endswith("s"):
                    continue  # "in 2021 China", "2023 saw": a year, read by the year pattern below
                if _REFERENCE_WORDS.search(sentence[max(0, start - 12) : start]):
                    continue
                if not noun and not groups.get("scale"):
                    continue  # a bare number counts nothing a reader could check
                value = _scaled(groups)
                stop = (
                    m.start("noun") + len(noun) if noun else (m.end("scale") if groups.get("scale") else m.end("num"))
                )
                text = sentence[start:stop]
                end = start + len(text)
                shown = f"{_qualified(qualifier)}{format_count(value)}" + (f" {noun}" if noun else "")
                figure = Figure(kind, text, value, noun, qualifier, shown, paragraph, number, sentence, start, end)
            taken.append((figure.start, figure.end))
            found.append(figure)
    return sorted(found, key=lambda f: f.start)


_YEAR_LIKE = re.compile(r"(?:19|20)\d{2}")


def _counted_noun(words: str) -> str:
    """The noun a number counts ("countries and regions", "new products"), without words that count nothing."""
    parts = words.strip().split(" ")
    if not parts[0] or parts[0] in _NOT_NOUNS:
        return ""
    if len(parts) > 1 and parts[-1] in _NOT_NOUNS:  # "products and the ...": the noun alone
        parts = parts[:2] if parts[0] == "new" else parts[:1]
    return " ".join(parts)


def _qualified(qualifier: str) -> str:
    return f"{qualifier} " if qualifier else ""


def format_count(value: float) -> str:
    """A count as a reader writes it: 3,486; 1,234.5."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _short_amount(value: float) -> str:
    for word, scale in (("tn", 1e12), ("bn", 1e9), ("mn", 1e6)):
        if abs(value) >= scale:
            return f"{value / scale:,.{decimal_places(value / scale)}f} {word}"
    return format_count(value)


def decimal_places(value: float) -> int:
    """The decimal places a value needs, up to six (78.41: 2)."""
    return written_places(f"{value:.6f}".rstrip("0").rstrip("."))
