"""Analyse a text (the /analyze page): any policy text read the way Policy Lens reads the CGTN article.

Pure: no Streamlit. From the text alone this module builds paragraphs and sentences tagged with the themes dataset's
rules (``policylens.themes``: the same keywords and explanations as the curated data), the theme profile (share of
paragraphs per theme), the checkable figures (amounts, percentages, counts, dates) matched to curated rows where
possible, the quoted speech with its speaker, and the exports (CSV of sentences, JSON of figures and quotes).

Reading a file never raises anything but ``InputError``, whose ``sentence`` says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

import pandas as pd
import plotly.graph_objects as go

from policylens import palette, themes
from policylens.expo import METRICS as EXPO_PAGE_METRICS
from policylens.expo import ordinal

# ---------------------------------------------------------------------------------------------------- limits

MAX_BYTES = 5 * 1024 * 1024  # a file or a pasted text, as UTF-8
MAX_WORDS = 200_000
# A .docx is a zip: its parts are checked before any is unpacked. Text compresses about 5 to 20 times; a zip bomb
# (a small file that unpacks to gigabytes) far more.
MAX_DOCX_UNPACKED = 40 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_PARTS = 2_000
MAX_PDF_PAGES = 2_000
EXTENSIONS: tuple[str, ...] = ("txt", "md", "html", "htm", "docx", "pdf")
LIMITS_SENTENCE = (
    f"Paste a text or upload a .txt, .md, .html, .docx or text .pdf file of up to {MAX_BYTES // (1024 * 1024)} MB "
    f"and {MAX_WORDS:,} words."
)


class InputError(ValueError):
    """A text or file that cannot be analysed; ``sentence`` says what is wrong and what to do."""

    def __init__(self, sentence: str):
        super().__init__(sentence)
        self.sentence = sentence


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size: int, what: str = "This file") -> None:
    if size > MAX_BYTES:
        raise InputError(
            f"{what} is {_megabytes(size)} and the limit is {MAX_BYTES // (1024 * 1024)} MB: split it into parts, or "
            "paste the part you want to analyse."
        )


def check_text(text: str, what: str = "") -> str:
    """The text itself, once it is known to hold words and to be within the limits (``what`` names a file)."""
    if not text or not text.strip():
        if what:
            raise InputError(f"{what} holds no words to analyse: upload a file that contains text, or paste the text.")
        raise InputError("There is no text to analyse: paste a text into the box, or upload a file.")
    what = what or "This text"
    check_size(len(text.encode("utf-8", "replace")), what)
    words = count_words(text)
    if words > MAX_WORDS:
        raise InputError(
            f"{what} has {words:,} words and the limit is {MAX_WORDS:,}: split it into parts and analyse them one by "
            "one."
        )
    return text


def count_words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------------------- reading

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def decode_text(content: bytes, name: str = "file") -> str:
    """Text of a file: UTF-8 (with or without a byte-order mark) or UTF-16 with its byte-order mark."""
    for bom, codec in _BOMS:
        if content.startswith(bom):
            try:
                return content.decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"{name} starts like a {codec.upper().replace('-SIG', '')} text but is damaged further on: "
                    "save it again as UTF-8 and upload it again, or paste its text."
                ) from None
    if b"\x00" in content[:65536] or _control_share(content[:65536]) > 0.05:
        raise InputError(
            f"{name} does not hold plain text (it contains binary data), although its name says it does: upload the "
            "document in its own format (.docx or .pdf), or open it and paste its text."
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(
            f"{name} is not in UTF-8 or UTF-16 (the encodings read here), so its letters would come out wrong: save "
            "it as UTF-8 (Save as, Encoding: UTF-8) and upload it again, or paste its text."
        ) from None


def _control_share(sample: bytes) -> float:
    if not sample:
        return 0.0
    return sum(1 for b in sample if b in _CONTROL) / len(sample)


class _VisibleText(HTMLParser):
    """The text a browser shows: no scripts, styles or other invisible parts; block elements become paragraphs."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas"})
    BLOCKS = frozenset(
        {
            "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "section", "article", "header",
            "footer", "main", "aside", "nav", "blockquote", "pre", "hr", "figure", "figcaption", "title",
            "h1", "h2", "h3", "h4", "h5", "h6", "address", "caption", "td", "th",
        }
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.head = False  # inside <head>, only the <title> is text
        self.title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "head":
            self.head = True
        elif tag == "body":
            self.head = False  # a page may leave </head> out
        elif tag == "title":
            self.title = True
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        elif tag == "head":
            self.head = False
        elif tag == "title":
            self.title = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.hidden and (not self.head or self.title):
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML page, paragraph by paragraph (the standard library's parser, not a regex)."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    blocks = re.split(r"\n\s*\n", "".join(parser.parts))
    return "\n\n".join(" ".join(b.split()) for b in blocks if b.strip())


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)")


def markdown_text(source: str) -> str:
    """Markdown as plain text: headings, quotes and list items keep their words, links their labels; no markup."""
    lines = []
    for line in source.splitlines():
        if line.strip().startswith("```") or re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
            lines.append("")
            continue
        heading = re.match(r"^\s{0,3}#{1,6}\s+", line)
        line = _MD_PREFIX.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line)
        # A heading is its own paragraph, whatever surrounds it.
        lines.extend(["", line.rstrip("# ").strip(), ""] if heading else [line])
    return "\n".join(lines)


def docx_text(content: bytes, name: str = "This .docx file") -> str:
    """The paragraphs (and table cells) of a Word file, after checking the zip it is made of."""
    damaged = (
        f"{name} cannot be opened because it is damaged or is not a Word document: save it again as .docx from Word "
        "or LibreOffice and upload it again, or paste its text."
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise InputError(damaged) from None
    unpacked = sum(max(0, p.file_size) for p in parts)
    packed = sum(max(0, p.compress_size) for p in parts)
    if len(parts) > MAX_DOCX_PARTS or unpacked > MAX_DOCX_UNPACKED or unpacked > MAX_DOCX_RATIO * max(packed, 1):
        raise InputError(
            f"{name} would unpack to {_megabytes(unpacked)} from {_megabytes(len(content))}, more than a Word file "
            "of text ever does, so it is refused as a possible zip bomb: save the text as a plain .docx or .txt, or "
            "paste it."
        )
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(content))
        paragraphs = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(p.text for p in cell.paragraphs)
    except Exception:  # noqa: BLE001  (any failure of a damaged upload is the same sentence, never a traceback)
        raise InputError(damaged) from None
    return "\n\n".join(p.strip() for p in paragraphs if p and p.strip())


def pdf_text(content: bytes, name: str = "This PDF") -> str:
    """The text layer of a PDF, page by page; a scanned PDF (images only) has none."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are encrypted with an empty password, to restrict printing
            except Exception:  # noqa: BLE001
                opened = 0
            if not opened:
                raise InputError(
                    f"{name} is protected by a password: save an unprotected copy and upload that, or paste its text."
                )
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise InputError(
                f"{name} has {len(pages):,} pages and the limit is {MAX_PDF_PAGES:,}: split it into parts."
            )
        texts = []
        for page in pages:
            try:
                texts.append(page.extract_text(extraction_mode="layout") or "")
            except Exception:  # noqa: BLE001  (layout mode fails on some pages; the plain mode still reads them)
                texts.append(page.extract_text() or "")
    except InputError:
        raise
    except Exception:  # noqa: BLE001
        raise InputError(
            f"{name} cannot be read because it is damaged or is not a PDF: export it as PDF again, or paste its text."
        ) from None
    text = "\n\n".join(texts)
    if not text.strip():
        raise InputError(
            f"{name} has no text layer (it looks like a scan, pictures of pages): run it through text recognition "
            "(OCR) first, or paste its text."
        )
    return text


def read_file(name: str, content: bytes) -> str:
    """The text of an uploaded file, by its extension; ``InputError`` with a sentence for anything unusable."""
    shown = shown_name(name)
    extension = shown.rsplit(".", 1)[-1].lower() if "." in shown else ""
    if extension not in EXTENSIONS:
        raise InputError(
            f"“{shown}” is not a file type read here: upload a .txt, .md, .html, .docx or .pdf file, or paste its text."
        )
    check_size(len(content), f"“{shown}”")
    if not content:
        raise InputError(f"“{shown}” is empty: upload a file that contains text, or paste the text.")
    what = f"“{shown}”"
    if extension == "docx":
        text = docx_text(content, what)
    elif extension == "pdf":
        text = pdf_text(content, what)
    else:
        text = decode_text(content, what)
        if extension in ("html", "htm"):
            text = html_text(text)
        elif extension == "md":
            text = markdown_text(text)
    return check_text(text, what)


def shown_name(name: str) -> str:
    """A file name as it may be shown: its last part, control characters removed, cut to 80 characters."""
    last = re.split(r"[\\/]", str(name or "file"))[-1]
    clean = "".join(ch for ch in last if ch.isprintable()).strip() or "file"
    return clean if len(clean) <= 80 else clean[:60] + "…" + clean[-19:]


# ---------------------------------------------------------------------------------------------------- splitting

# Words after which a full stop does not end a sentence (titles, references, Latin abbreviations, initials).
NO_BREAK_AFTER = frozenset(
    "mr mrs ms dr prof sr jr st no nos vs fig figs art arts sec para paras vol pp p gen rep sen gov col lt "
    "e.g i.e etc. cf al u.s u.k u.n approx dept ca".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)")
_FRONT_NOTE = re.compile(r"^(?:editor['’]s note|editors['’] note|note from the editor)\b", re.IGNORECASE)
HEADING_MAX_WORDS = 14


def split_blocks(text: str) -> list[str]:
    """Paragraphs: blocks between blank lines (their lines joined); a text without blank lines, one per line.

    A block whose every line reads as a heading (a title above its byline) stays one block per line. Every run of
    whitespace (no-break spaces included) becomes one space, so the same words compare equal.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    blank_inside = content and any(not lines[i].strip() for i in range(content[0], content[-1]))
    raw = re.split(r"\n[^\S\n]*\n\s*", text) if blank_inside else lines
    blocks = []
    for block in raw:
        rows = [" ".join(line.split()) for line in block.split("\n") if line.strip()]
        if len(rows) > 1 and all(block_kind(row) == "heading" for row in rows):
            blocks += rows
        elif rows:
            blocks.append(" ".join(rows))
    return blocks


def block_kind(block: str) -> str:
    """The kind of a block: "note" (an editor's note), "heading" (a short line ending without a full stop) or
    "paragraph"."""
    if _FRONT_NOTE.match(block):
        return "note"
    if len(block.split()) <= HEADING_MAX_WORDS and not re.search(r"[.!?:;…\"”’)]$", block):
        return "heading"
    return "paragraph"


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph: a break after . ! ? (and closing quotes) before a capital, digit or quote."""
    out: list[str] = []
    start = 0
    size = len(paragraph)
    for match in _SENTENCE_END.finditer(paragraph):
        after = match.end()
        while after < size and paragraph[after].isspace():
            after += 1
        if after >= size:
            break
        following = paragraph[after]
        if not (following.isupper() or following.isdigit() or following in "\"“‘'([¿¡"):
            continue
        if match.group().startswith(".") and match.group() == "." * len(match.group()):
            space = paragraph.rfind(" ", start, match.start())
            word = paragraph[space + 1 : match.start()].lstrip("\"“‘'([").lower()
            if word in NO_BREAK_AFTER or word + "." in NO_BREAK_AFTER or (len(word) == 1 and word.isalpha()):
                continue
        out.append(paragraph[start : match.end()].strip())
        start = after
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return out


def normalise(text: str) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------------------------------------------- reference


@dataclass(frozen=True)
class Claim:
    id: str
    text: str
    dataset: str
    key: str
    topic: str


@dataclass(frozen=True)
class Reference:
    """What the analysis compares a text with, from the curated data: the themes and their rules, the CGTN article's
    paragraphs and statements (whose curated tags apply to the same words), its claims and the rows figures match."""

    keywords: dict[str, tuple[str, ...]]
    labels: dict[str, str]
    colours: dict[str, str]
    overrides: tuple[themes.TagOverride, ...]
    article_paragraphs: dict[str, int]  # normalised text -> paragraph number
    article_statements: dict[str, str]  # normalised text -> statement id
    article_tags: tuple[tuple[str, ...], ...]  # the curated tags of each article paragraph
    claims: tuple[Claim, ...]
    expo: tuple[dict, ...]
    research: tuple[dict, ...]
    timeline: tuple[dict, ...]
    metric_labels: dict[str, str] = field(default_factory=dict)
    measure_labels: dict[str, str] = field(default_factory=dict)
    expo_by_metric: dict[str, tuple[dict, ...]] = field(default_factory=dict)  # reported rows only

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(self.keywords)

    def article_profile(self) -> dict[str, int]:
        return themes.count_tags(self.article_tags, self.theme_ids)


def _records(frame: pd.DataFrame | None) -> tuple[dict, ...]:
    if frame is None:
        return ()
    return tuple({k: (None if _missing(v) else v) for k, v in row.items()} for row in frame.to_dict("records"))


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value)) if not isinstance(value, (tuple, list)) else False
    except (TypeError, ValueError):
        return False


def build_reference(
    *,
    theme_frame: pd.DataFrame,
    tag_overrides: Iterable[Mapping] | None,
    paragraphs: pd.DataFrame,
    statements: pd.DataFrame,
    claims: pd.DataFrame,
    expo: pd.DataFrame,
    research: pd.DataFrame,
    timeline: pd.DataFrame,
    metric_labels: Mapping[str, str] | None = None,
    measure_labels: Mapping[str, str] | None = None,
) -> Reference:
    keywords = {str(r["id"]): tuple(r["keywords"] or ()) for r in theme_frame.to_dict("records")}
    expo_rows = _records(expo)
    by_metric: dict[str, list[dict]] = {}
    for row in expo_rows:
        if row.get("value") is not None:
            by_metric.setdefault(str(row["metric"]), []).append(row)
    return Reference(
        keywords=keywords,
        labels={str(r["id"]): str(r["label"]) for r in theme_frame.to_dict("records")},
        colours={str(r["id"]): str(r["colour"]) for r in theme_frame.to_dict("records")},
        overrides=tuple(themes.parse_overrides(tag_overrides)),
        article_paragraphs={normalise(r["text"]): int(r["paragraph"]) for r in paragraphs.to_dict("records")},
        article_statements={normalise(r["text"]): str(r["id"]) for r in statements.to_dict("records")},
        article_tags=tuple(tuple(r["themes"] or ()) for r in paragraphs.to_dict("records")),
        claims=tuple(
            Claim(str(r["id"]), normalise(r["claim_text"]), str(r["source_dataset"]), str(r["source_key"]), r["topic"])
            for r in claims.to_dict("records")
            if r.get("source_dataset") and r.get("source_key") and str(r.get("claim_text") or "").strip()
        ),
        expo=expo_rows,
        research=_records(research),
        timeline=_records(timeline),
        metric_labels=dict(metric_labels or {}),
        measure_labels=dict(measure_labels or {}),
        expo_by_metric={metric: tuple(rows) for metric, rows in by_metric.items()},
    )


# ---------------------------------------------------------------------------------------------------- tagging


@dataclass(frozen=True)
class Sentence:
    number: int  # 1-based, across the whole text
    paragraph: int  # the body paragraph's number; 0 for a heading or a note
    part: str  # "paragraph", "heading" or "note"
    text: str
    tags: tuple[str, ...]
    why: Mapping[str, Mapping[str, object]]  # theme -> {"keywords": [...], "reason": "..."} (themes.tag_explanations)


@dataclass(frozen=True)
class Paragraph:
    position: int  # 1-based position among every block of the text
    number: int  # 1-based among body paragraphs; 0 for a heading or a note
    kind: str
    text: str
    tags: tuple[str, ...]
    why: Mapping[str, Mapping[str, object]]
    sentences: tuple[Sentence, ...]
    article_paragraph: int | None = None  # the CGTN paragraph with the same words, whose curated tags apply


def tag(
    text: str, keywords: Mapping[str, Sequence[str]], overrides: Sequence[themes.TagOverride] = ()
) -> tuple[tuple[str, ...], dict[str, dict[str, object]]]:
    """The themes of one text and what explains each, by the themes dataset's own rules (``policylens.themes``).

    The rules are handed only the keywords that occur in the text as a substring (case-folded: every word-start
    match is one) and the themes of curated tags: the same tags and explanations, without searching for the rest.
    """
    folded = text.casefold()
    added = {o.theme for o in overrides if o.action == "add"}
    possible: dict[str, tuple[str, ...]] = {}
    for theme_id, kws in keywords.items():
        present = tuple(kw for kw in kws if kw.casefold() in folded)
        if present or theme_id in added:
            possible[theme_id] = present
    if not possible:
        return (), {}
    tags = themes.expected_tags(text, possible, overrides)
    return tuple(tags), themes.tag_explanations(text, tags, possible, overrides)


# ---------------------------------------------------------------------------------------------------- figures

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
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
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
            rf"(?P<cur>US\$|U\.S\.\s?\$|HK\$|\$|USD|RMB|CNY|¥|€|EUR|£|GBP)\s?(?P<num>{_NUM}){_SCALE}"
            r"(?![\w%])"
        ),
        _HAS_CURRENCY,
    ),
    (
        "amount",
        re.compile(
            rf"(?<![\w.,])(?P<num>{_NUM}){_SCALE}\s+(?P<cur>U\.S\.\s?dollars|US\s?dollars|dollars|yuan|"
            r"renminbi|euros?|pounds|USD|RMB|CNY)\b"
        ),
        _HAS_CURRENCY,
    ),
    (
        "percent",
        re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s?(?P<pct>%|percent\b|per\s?cent\b|percentage points?\b)"),
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
            rf"(?<![\w.,$€£¥-])(?P<num>{_NUM}){_SCALE}(?![\w%]|[.,]\d)(?:\s+(?P<noun>(?:new\s+)?[a-z][a-z-]+"
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


def _decimals(text: str) -> int:
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


def extract_figures(sentence: str, paragraph: int = 0, number: int = 0, context: Context | None = None) -> list[Figure]:
    """The checkable figures of one sentence, in reading order; a span is never counted twice. With the ``context``
    of its paragraph, each figure comes with the curated rows it may be checked against."""
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
                scale = SCALES.get((groups.get("scale") or "").lower(), 1.0)
                value = _number(groups["num"]) * scale
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
                scale = SCALES.get((groups.get("scale") or "").lower(), 1.0)
                value = _number(groups["num"]) * scale
                stop = (
                    m.start("noun") + len(noun) if noun else (m.end("scale") if groups.get("scale") else m.end("num"))
                )
                text = sentence[start:stop]
                end = start + len(text)
                shown = f"{_qualified(qualifier)}{_count(value)}" + (f" {noun}" if noun else "")
                figure = Figure(kind, text, value, noun, qualifier, shown, paragraph, number, sentence, start, end)
            taken.append((figure.start, figure.end))
            if context is not None:
                matches = match_figure(figure, context)
                if matches:
                    f = figure
                    figure = Figure(
                        f.kind, f.text, f.value, f.unit, f.qualifier, f.normalised, f.paragraph, f.sentence,
                        f.sentence_text, f.start, f.end, matches,
                    )  # fmt: skip
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


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _short_amount(value: float) -> str:
    for word, scale in (("tn", 1e12), ("bn", 1e9), ("mn", 1e6)):
        if abs(value) >= scale:
            return f"{value / scale:,.{_places(value / scale)}f} {word}"
    return _count(value)


def _places(value: float) -> int:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".", 1)[1]) if "." in text else 0


# ---------------------------------------------------------------------------------------------------- matching

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
    places = _decimals(written)
    return round(target, places) == round(value, places)


def _expo_row_words(row: Mapping, ref: Reference) -> str:
    label = ref.metric_labels.get(row["metric"], str(row["metric"]).replace("_", " "))
    return f"CIIE, {ordinal(int(row['edition']))} edition ({int(row['year'])}): {label}"


def _expo_match(row: Mapping, ref: Reference, how: str) -> Match:
    return Match(
        "expo",
        f"{int(row['edition'])}|{row['metric']}",
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
        f"{row['edition']}|{row['measure']}|{row['area']}",
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
            if f"{int(row['edition'])}|{row['metric']}" == key:
                return _expo_match(row, ref, how)
    elif dataset == "ai-research":
        for row in ref.research:
            if f"{row['edition']}|{row['measure']}|{row['area']}" == key:
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


def _expo_candidates(figure: Figure, context: Context) -> list[Match]:
    ref = context.ref
    if figure.kind == "amount":
        if figure.unit != "USD":
            return []
        metrics: tuple[str, ...] = ("intended_deals",)
        value = figure.value / 1e9  # the dataset counts deals in USD bn
        written = f"{value:.{_places(value)}f}"
    else:
        first = figure.unit.split(" ")[0] if figure.unit else ""
        metrics = EXPO_NOUNS.get(first, ())
        value, written = figure.value, _count(figure.value).replace(",", "")
        if not metrics:
            return []
    rows = [row for metric in metrics for row in ref.expo_by_metric.get(metric, ())]
    if not rows:
        return []
    hints = context.hints
    exact, close = [], []
    for row in rows:
        target = float(row["value"])
        if _same(value, target, written) and not figure.qualifier:
            exact.append(_expo_match(row, ref, "same value"))
        elif (figure.qualifier or not _same(value, target, written)) and _close(value, target, figure.qualifier):
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
    number = re.search(_NUM, figure.text)
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


# ---------------------------------------------------------------------------------------------------- quotes

_QUOTE_PAIRS = re.compile(
    r"“(?P<a>[^“”]{2,3000})”|\"(?P<b>[^\"]{2,3000})\"|«(?P<c>[^«»]{2,3000})»|「(?P<d>[^「」]{2,3000})」"
)
_VERBS = (
    r"(?i:said|says|say|told|tells|added|adds|noted|notes|stated|states|explained|explains|emphasi[sz]ed|emphasi[sz]es|"
    r"stressed|stresses|remarked|wrote|writes|argued|argues|asked|asks|insisted|declared|announced|continued|"
    r"commented|observed|warned|urged|recalled|pointed out|according to)"
)
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_NAME = rf"(?P<name>{_CAP}(?:\s+(?:{_CAP}|de|da|van|von|bin|al|del|la|le)){{0,3}})"
_AFTER_VERB_NAME = re.compile(rf"^\s*[,.]?\s*{_VERBS}\s+{_NAME}")
_AFTER_NAME_VERB = re.compile(rf"^\s*[,.]?\s*{_NAME}\s+{_VERBS}\b")
_BEFORE_NAME_VERB = re.compile(rf"{_NAME}(?:,[^,\"“]{{1,120}},)?\s+{_VERBS}(?:\s+\w+){{0,2}}\s*[,:]?\s*$")
_BEFORE_VERB_NAME = re.compile(rf"{_VERBS}\s+{_NAME}(?:,[^\"“]{{1,150}})?[,:]\s*$")
NOT_NAMES = frozenset(
    "The This That These Those It Its We Our I You He She They There Here A An In On At As But And Or If When While "
    "Besides For From To With Over More Some Many Most All Even Although Though However Also".split()
)
QUOTE_MIN_WORDS = 8  # a quotation with no speaker counts as speech only when this long or ending like a sentence


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str  # "" when no sentence names one
    role: str
    paragraph: int
    how: str  # "named after the quote", "named before the quote", "continues <name>'s quote", "speaker not named"

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "role": self.role,
            "paragraph": self.paragraph,
            "how": self.how,
        }


def _clean_name(name: str) -> str:
    words = name.split()
    while words and (words[0] in NOT_NAMES):
        words = words[1:]
    while words and words[-1].lower() in ("de", "da", "van", "von", "bin", "al", "del", "la", "le"):
        words = words[:-1]
    return " ".join(words).rstrip(".,'’")


def _role(rest: str) -> str:
    """The role after a speaker's name: ", the Founder & CEO of ..." up to the next quote or the end of the sentence."""
    if not rest.startswith(","):
        return ""
    text = re.split(r"[\"“«「]", rest[1:], maxsplit=1)[0]
    sentences = split_sentences(text.strip())
    role = (sentences[0] if sentences else "").strip().rstrip(",;:").strip()
    last = role.rsplit(" ", 1)[-1]
    if last.endswith(".") and last[:-1].isalpha() and last[:-1].islower():
        role = role[:-1]  # the full stop of the sentence, not of an abbreviation such as "Ltd."
    return role[:150]


def extract_quotes(paragraph: str, number: int) -> list[Quote]:
    """Quotations of one paragraph, with the speaker when the text around them names one."""
    quotes: list[Quote] = []
    matches = list(_QUOTE_PAIRS.finditer(paragraph))
    for i, m in enumerate(matches):
        said = next(g for g in m.groups() if g is not None).strip()
        after_end = matches[i + 1].start() if i + 1 < len(matches) else len(paragraph)
        after = paragraph[m.end() : after_end]
        sentence_start = max(paragraph.rfind(". ", 0, m.start()) + 1, matches[i - 1].end() if i else 0)
        before = paragraph[sentence_start : m.start()]
        speaker, role, how = "", "", ""
        found = _AFTER_VERB_NAME.match(after) or _AFTER_NAME_VERB.match(after)
        if found and _clean_name(found.group("name")):
            speaker, how = _clean_name(found.group("name")), "named after the quote"
            role = _role(after[found.end("name") :]) if _AFTER_VERB_NAME.match(after) else ""
        else:
            found = _BEFORE_VERB_NAME.search(before) or _BEFORE_NAME_VERB.search(before)
            if found and _clean_name(found.group("name")):
                speaker, how = _clean_name(found.group("name")), "named before the quote"
                role = _role(before[found.end("name") :].rstrip(" ,:"))
        if not speaker and quotes and quotes[-1].speaker:
            # "…," he said: the person the paragraph last quoted; a quotation alone goes on with that person too.
            speaker, role = quotes[-1].speaker, quotes[-1].role
            how = f"continues {speaker}'s quotation in the same paragraph"
        speech = bool(speaker) or len(said.split()) >= QUOTE_MIN_WORDS or said.rstrip("”\"'’ ")[-1:] in ".,!?…"
        if not speech:
            continue
        quotes.append(Quote(said, speaker, role, number, how or "speaker not named"))
    return quotes


# ---------------------------------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Analysis:
    source: str  # "pasted text" or the file's name
    paragraphs: tuple[Paragraph, ...]  # every block in order: body paragraphs, headings, notes
    figures: tuple[Figure, ...]
    quotes: tuple[Quote, ...]
    words: int
    theme_ids: tuple[str, ...]

    @property
    def body(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == "paragraph")

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    def profile(self) -> dict[str, int]:
        """Theme -> how many body paragraphs carry it (headings and editor's notes are not paragraphs)."""
        return themes.count_tags((p.tags for p in self.body), self.theme_ids)

    @property
    def article_paragraphs(self) -> int:
        return sum(1 for p in self.body if p.article_paragraph is not None)


def analyze(text: str, ref: Reference, source: str = "pasted text") -> Analysis:
    """Everything /analyze shows of one text, from the text alone and the curated reference. Fast: a 100,000-word
    text takes well under a second (benchmarks/analyze_speed.py)."""
    check_text(text)
    keywords = ref.keywords
    expo_text = bool(_EXPO_WORDS.search(text))
    paragraphs: list[Paragraph] = []
    figures: list[Figure] = []
    quotes: list[Quote] = []
    body = 0
    sentence_number = 0
    for position, block in enumerate(split_blocks(text), start=1):
        kind = block_kind(block)
        if kind == "paragraph":
            body += 1
        number = body if kind == "paragraph" else 0
        article = ref.article_paragraphs.get(block) if kind == "paragraph" else None
        overrides = themes.overrides_for(ref.overrides, "paragraphs", article) if article else []
        tags, why = tag(block, keywords, overrides)
        # A sentence carries only themes whose keywords occur in its paragraph: look only for those.
        own = {t: keywords[t] for t in tags if t in keywords}
        sentences = []
        context = None
        for text_of_sentence in split_sentences(block) if kind == "paragraph" else [block]:
            sentence_number += 1
            statement = ref.article_statements.get(text_of_sentence) if article else None
            if statement:
                extra = themes.overrides_for(ref.overrides, "statements", statement)
                s_tags, s_why = tag(text_of_sentence, keywords, extra)
            elif text_of_sentence == block and not overrides:
                s_tags, s_why = tags, why  # a paragraph of one sentence: the same words, the same tags
            else:
                s_tags, s_why = tag(text_of_sentence, own) if own else ((), {})
            sentences.append(Sentence(sentence_number, number, kind, text_of_sentence, s_tags, s_why))
            if kind == "paragraph":
                context = context or Context(block, ref, expo_text)
                figures += extract_figures(text_of_sentence, number, sentence_number, context)
        if kind == "paragraph" and ('"' in block or "“" in block or "«" in block or "「" in block):
            quotes += extract_quotes(block, number)
        paragraphs.append(Paragraph(position, number, kind, block, tags, why, tuple(sentences), article))
    return Analysis(source, tuple(paragraphs), tuple(figures), tuple(quotes), count_words(text), ref.theme_ids)


def fingerprint(text: str) -> str:
    """A short digest of a text, to keep one analysis per text in the session (never shown, never linked)."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------------- profile


def profile_table(analysis: Analysis | None, ref: Reference) -> pd.DataFrame:
    """One row per theme: paragraphs carrying it and their share, in this text and in the CGTN article."""
    article = ref.article_profile()
    article_total = len(ref.article_tags)
    rows = []
    own = analysis.profile() if analysis else {}
    own_total = len(analysis.body) if analysis else 0
    for theme_id in ref.theme_ids:
        row = {"theme": theme_id, "Theme": ref.labels.get(theme_id, theme_id)}
        if analysis is not None:
            row["This text: paragraphs"] = own.get(theme_id, 0)
            row["This text: share (%)"] = _share(own.get(theme_id, 0), own_total)
        row["CGTN article: paragraphs"] = article.get(theme_id, 0)
        row["CGTN article: share (%)"] = _share(article.get(theme_id, 0), article_total)
        rows.append(row)
    return pd.DataFrame(rows)


def _share(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


TEXT_COLOUR = palette.BASE
ARTICLE_COLOUR = palette.MUTED


def profile_bars(table: pd.DataFrame, selected: Iterable[str] = ()) -> go.Figure:
    """Horizontal bars: the share of paragraphs per theme in this text beside the CGTN article's.

    Both bars of a theme carry its id in ``custom_data``, so a click on either toggles that theme in the filter.
    """
    chosen = set(selected)
    ids = [str(t) for t in table["theme"]]
    labels = list(table["Theme"])
    opacity = [1.0 if not chosen or t in chosen else palette.UNSELECTED_OPACITY for t in ids]
    fig = go.Figure()
    series = [("CGTN article", "CGTN article", ARTICLE_COLOUR, "")]
    if "This text: share (%)" in table:
        series.insert(0, ("This text", "This text", TEXT_COLOUR, ""))
    for name, prefix, colour, _ in series:
        shares = [float(v) for v in table[f"{prefix}: share (%)"]]
        counts = [int(v) for v in table[f"{prefix}: paragraphs"]]
        fig.add_trace(
            go.Bar(
                name=name,
                x=shares,
                y=labels,
                orientation="h",
                marker={"color": colour, "opacity": opacity},
                customdata=[[t, str(c)] for t, c in zip(ids, counts, strict=True)],
                text=[f"{s:g}% ({c})" for s, c in zip(shares, counts, strict=True)],
                textposition="outside",
                cliponaxis=False,
                hovertemplate=f"{name}: %{{y}}, %{{x:g}}% of paragraphs (%{{customdata[1]}})<extra></extra>",
                # Plotly's select step reads both styles, text included (streamlit-notes.md).
                selected={"marker": {"opacity": 1.0}, "textfont": {}},
                unselected={"marker": {"opacity": palette.UNSELECTED_OPACITY}, "textfont": {}},
            )
        )
    top = max([0.0, *(float(v) for c in table.columns if c.endswith("share (%)") for v in table[c])])
    fig.update_layout(
        barmode="group",
        height=140 + (44 if len(series) > 1 else 26) * len(labels),
        margin={"l": 8, "r": 24, "t": 8, "b": 40},
        xaxis={"title": {"text": "share of paragraphs (%)"}, "range": [0, max(10.0, top * 1.25)]},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        clickmode="event+select",
        dragmode=False,
    )
    return fig


def profile_alt(table: pd.DataFrame) -> str:
    parts = []
    for _, row in table.iterrows():
        if "This text: share (%)" in table:
            parts.append(f"{row['Theme']} {row['This text: share (%)']:g}% against {row['CGTN article: share (%)']:g}%")
        else:
            parts.append(f"{row['Theme']} {row['CGTN article: share (%)']:g}%")
    if "This text: share (%)" in table:
        head = "Share of paragraphs per theme, this text against the CGTN article: "
    else:
        head = "Share of the CGTN article's paragraphs per theme: "
    return head + "; ".join(parts) + "."


# ---------------------------------------------------------------------------------------------------- exports

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: object) -> str:
    """A text cell that a spreadsheet will not run as a formula (a leading = + - @ gets a quote mark)."""
    value = str(text)
    return "'" + value if value.startswith(_FORMULA_START) else value


def explanation_words(why: Mapping[str, Mapping[str, object]], labels: Mapping[str, str]) -> str:
    """What explains each tag, in one line: 'AI safety: “safety”, “reliability”; Trade & expo: curated: …'."""
    parts = []
    for theme_id, explained in why.items():
        words = ", ".join(f"“{k}”" for k in explained.get("keywords") or ())
        reason = str(explained.get("reason") or "")
        parts.append(f"{labels.get(theme_id, theme_id)}: {words or 'curated: ' + reason}")
    return "; ".join(parts)


SENTENCE_COLUMNS = ("sentence", "paragraph", "part", "text", "themes", "theme_labels", "explained_by")


def sentences_frame(analysis: Analysis, labels: Mapping[str, str]) -> pd.DataFrame:
    rows = [
        {
            "sentence": s.number,
            "paragraph": s.paragraph if s.paragraph else "",
            "part": s.part,
            "text": s.text,
            "themes": ";".join(s.tags),
            "theme_labels": "; ".join(labels.get(t, t) for t in s.tags),
            "explained_by": explanation_words(s.why, labels),
        }
        for s in analysis.sentences
    ]
    return pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS))


def sentences_csv(analysis: Analysis, labels: Mapping[str, str]) -> bytes:
    """Every sentence with its paragraph, themes and the keywords that explain them (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SENTENCE_COLUMNS)
    for row in sentences_frame(analysis, labels).itertuples(index=False):
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def analysis_json(analysis: Analysis, ref: Reference, data_version: str = "") -> bytes:
    """The figures (with their candidate rows) and quotes of the text, with its theme profile, as JSON."""
    table = profile_table(analysis, ref)
    document = {
        "made_by": "Policy Lens, Analyse a text (/analyze)",
        "data_version": data_version,
        "source": analysis.source,
        "words": analysis.words,
        "paragraphs": len(analysis.body),
        "sentences": len(analysis.sentences),
        "theme_profile": [
            {
                "theme": row["theme"],
                "label": row["Theme"],
                "paragraphs": int(row["This text: paragraphs"]),
                "share_pct": float(row["This text: share (%)"]),
                "cgtn_article_paragraphs": int(row["CGTN article: paragraphs"]),
                "cgtn_article_share_pct": float(row["CGTN article: share (%)"]),
            }
            for _, row in table.iterrows()
        ],
        "figures": [f.as_dict() for f in analysis.figures],
        "quotes": [q.as_dict() for q in analysis.quotes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
