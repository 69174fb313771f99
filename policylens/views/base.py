"""The view layer's building blocks: link parameters, views as data, and the data a view is built from.

A page is described once: its ``Params`` (a frozen dataclass whose fields are its link parameters), and
``build(params, data) -> View``. Pages, the story, the meeting pack and anything later draw ``View``s; none of them
builds a figure or parses a link parameter itself. Pure: no Streamlit.
"""

from __future__ import annotations

import dataclasses
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from policylens.paths import DATA_DIR

# Link parameters every page shares (the router owns them) and the ones Streamlit itself reads. A page's Params
# neither reports them as unknown nor writes them.
SHARED_KEYS = ("theme", "present")
FRAMEWORK_KEYS = ("v", "embed", "embed_options")
MAX_TEXT = 200  # characters kept of a free-text parameter (a search box)
MAX_VALUES = 64  # values kept of one repeated parameter; a choice list is shorter than this anyway


# ---------------------------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Dropped:
    """One link value that was not used, and why, in words a person reads ("slide 999: the deck has 10 slides")."""

    name: str
    value: str
    reason: str

    def sentence(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"{self.name} {shown!r}: {self.reason}" if shown else f"{self.name}: {self.reason}"


@dataclass(frozen=True)
class Link:
    """How one Params field reads and writes the link.

    ``kind`` is "choice" (one id of ``choices``), "choices" (repeated ids, canonical order = ``choices`` order),
    "int" (one whole number of ``choices``), "text" (free text, cleaned and cut), "code" (a token of a fixed form,
    read through ``normal``; anything else is dropped) or "flag" (true or false).
    ``choices`` is a function, so the allowed ids can come from the data contracts. ``why`` says in words what a
    valid value is ("editions run from 1 to 8").
    """

    kind: str
    choices: Callable[[], Sequence[Any]] | None = None
    why: str = "not a value this page knows"
    # For "code" (a short token with a fixed form, such as a room code): the value in its one written form, or None
    # when the text is not such a token.
    normal: Callable[[str], str | None] | None = None


def param(
    kind: str,
    default: Any,
    choices: Callable[[], Sequence[Any]] | None = None,
    why: str = "",
    normal: Callable[[str], str | None] | None = None,
) -> Any:
    """A Params field bound to the link parameter of the same name."""
    link = Link(kind, choices, why or Link.why, normal)
    return field(default=default, metadata={"link": link})


def clean_text(value: str) -> str:
    """Free text from a link: control and format characters (NUL, bidi marks) removed, spaces folded, cut."""
    kept = "".join(" " if ch.isspace() else ch for ch in value if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())[:MAX_TEXT].rstrip()


def _as_int(text: str) -> int | None:
    text = text.strip()
    if not (1 <= len(text) <= 6) or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def _choice(link: Link, text: str) -> Any:
    """The allowed id ``text`` stands for, or None."""
    allowed = list(link.choices()) if link.choices else []
    if link.kind == "int" or (allowed and isinstance(allowed[0], int)):
        number = _as_int(text)
        return number if number in allowed else None
    return text if text in allowed else None


@dataclass(frozen=True)
class Params:
    """Base of every page's parameters. Subclasses are frozen dataclasses whose fields are made with ``param``.

    ``dropped`` remembers the link values that were not used; it is not part of the view (not compared).
    """

    dropped: tuple[Dropped, ...] = field(default=(), compare=False, repr=False)

    PAGE: ClassVar[str] = ""
    REPORT_UNKNOWN: ClassVar[bool] = True

    @classmethod
    def link_fields(cls) -> list[dataclasses.Field]:
        return [f for f in dataclasses.fields(cls) if "link" in f.metadata]

    @classmethod
    def link_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in cls.link_fields())

    @classmethod
    def spec(cls, name: str) -> Link:
        for f in cls.link_fields():
            if f.name == name:
                return f.metadata["link"]
        raise KeyError(name)

    @classmethod
    def from_query(cls, query: Mapping[str, Sequence[str]]) -> Params:
        """The parameters a link asks for. Invalid and unknown values are dropped and remembered; never raises."""
        values: dict[str, Any] = {}
        dropped: list[Dropped] = []
        own = set(cls.link_names())
        for key in query if cls.REPORT_UNKNOWN else ():
            if key not in own and key not in SHARED_KEYS and key not in FRAMEWORK_KEYS:
                dropped.append(Dropped(clean_text(str(key))[:40], "", "not a parameter of this page"))
        for f in cls.link_fields():
            link: Link = f.metadata["link"]
            raw = [str(v) for v in values_of(query, f.name)]
            if not raw:
                continue
            if link.kind == "choices":
                picked = []
                for text in raw[: MAX_VALUES * 4]:
                    value = _choice(link, text)
                    if value is None:
                        dropped.append(Dropped(f.name, clean_text(text), link.why))
                    elif value not in picked:
                        picked.append(value)
                order = {value: i for i, value in enumerate(link.choices() if link.choices else [])}
                values[f.name] = tuple(sorted(picked, key=lambda v: order.get(v, math.inf)))[:MAX_VALUES]
                continue
            first, rest = raw[0], raw[1:]
            if rest:
                dropped.append(Dropped(f.name, clean_text(rest[0]), "given more than once; the first value is used"))
            if link.kind == "text":
                values[f.name] = clean_text(first)
            elif link.kind == "code":
                text = clean_text(first)
                code = link.normal(text) if text and link.normal else None
                if code is not None:
                    values[f.name] = code
                elif text:
                    dropped.append(Dropped(f.name, text, link.why))
            elif link.kind == "flag":
                lowered = first.strip().lower()
                if lowered in ("true", "false"):
                    values[f.name] = lowered == "true"
                else:
                    dropped.append(Dropped(f.name, clean_text(first), "must be true or false"))
            else:
                value = _choice(link, first)
                if value is None:
                    dropped.append(Dropped(f.name, clean_text(first), link.why))
                else:
                    values[f.name] = value
        try:
            return cls(**values, dropped=tuple(dropped))
        except (TypeError, ValueError):  # a subclass's own check refused the combination: fall back to defaults
            return cls(dropped=tuple(dropped))

    def to_query(self, pinned: bool = False) -> list[tuple[str, str]]:
        """The link parameters in canonical order; ``pinned`` writes every parameter, defaults included."""
        pairs: list[tuple[str, str]] = []
        for f in self.link_fields():
            if self.PAGE and f.name in SHARED_KEYS:
                continue  # a page reads the shared filter; the router writes it
            value = getattr(self, f.name)
            if not pinned and value == f.default:
                continue
            if isinstance(value, tuple):
                pairs += [(f.name, str(v)) for v in value]
            elif isinstance(value, bool):
                pairs.append((f.name, "true" if value else "false"))
            elif value is None or value == "":
                if pinned and f.metadata["link"].kind == "text":
                    pairs.append((f.name, ""))
            else:
                pairs.append((f.name, str(value)))
        return pairs

    def with_shared(self, shared: Params) -> Params:
        """These parameters with the shared ones (theme, present) copied in, for a page whose view reads them."""
        changes = {n: getattr(shared, n) for n in self.link_names() if n in SHARED_KEYS and n in shared.link_names()}
        for name, value in changes.items():  # a repeated choice keeps only the ids this page allows
            link = self.spec(name)
            if link.kind == "choices" and link.choices is not None and isinstance(value, tuple):
                allowed = set(link.choices())
                changes[name] = tuple(v for v in value if v in allowed)
        return dataclasses.replace(self, **changes) if changes else self

    def replace(self, **changes: Any) -> Params:
        """These parameters with some changed (``dropped`` is cleared: the new value was chosen, not read)."""
        return dataclasses.replace(self, **changes, dropped=())

    def is_default(self) -> bool:
        return not self.to_query(pinned=False)

    def view_key(self) -> Params:
        """The parameters the view is built from. Links that differ only in what a page's view does not read share
        one built view (policylens/views/kept.py); ``with_link_of`` puts the rest back. All of them, unless a page
        says otherwise."""
        return self

    def with_link_of(self, asked: Params) -> Params:
        """These parameters (a view built from ``asked.view_key()``) with what that key left out of ``asked``."""
        return self


def values_of(query: Mapping[str, Sequence[str]], key: str) -> list[str]:
    """The values of ``key`` as strings, whatever shape a caller hands in (one string, a list, anything else)."""
    raw = query.get(key, [])
    if raw is None:
        return []
    if isinstance(raw, (str, int, float, bytes)):
        raw = [raw]
    try:
        items = list(raw)
    except TypeError:
        items = [raw]
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in items]


# ---------------------------------------------------------------------------------------------------- views


Click = Callable[[Params, Sequence[Mapping[str, Any]]], Params]


@dataclass(frozen=True, eq=False)
class Chart:
    """One chart of a view, with everything every output needs to draw it and say where it comes from.

    ``click`` maps the points a person clicked (Streamlit's selection points) to the page's new parameters; None
    means the chart is not clickable.
    """

    key: str
    figure: go.Figure
    title: str
    alt: str
    source: str
    table: pd.DataFrame
    csv_name: str
    caption: str = ""
    click: Click | None = None
    heading: str = ""  # a section heading drawn above the chart on its page
    click_shared: bool = False  # ``click`` maps the shared parameters (the theme filter), not the page's own
    # A presented slide's chart as each screen of ``present.SCREENS`` shows it (name, figure), coloured and sized with
    # the view: built once and kept, so no window sizes it again. Empty outside presentation.
    screens: tuple[tuple[str, go.Figure], ...] = ()


@dataclass(frozen=True)
class Text:
    """A text block. ``text`` is Markdown whose data parts are already escaped (``policylens.text.escape_markdown``).

    ``style``: "markdown", "caption", "info", "warning", "header", "subheader".
    """

    text: str
    style: str = "markdown"
    key: str = ""


@dataclass(frozen=True, eq=False)
class Table:
    """A table drawn as it is (a dataframe), with headings for its columns."""

    key: str
    frame: pd.DataFrame
    headings: Mapping[str, str] = field(default_factory=dict)
    heading: str = ""
    links: tuple[str, ...] = ()  # columns that hold addresses


@dataclass(frozen=True, eq=False)
class Records:
    """Rows a page draws as cards of a kind ("claim", "statement", "edition", "paragraph", ...)."""

    kind: str
    rows: tuple[Mapping[str, Any], ...]
    key: str = ""
    heading: str = ""
    empty: str = ""  # what to say when there are no rows
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Control:
    """Where the page draws the widget of one of its parameters, and what it reads.

    ``labels`` maps each allowed id to the words a person reads; the link keeps the id.
    """

    name: str
    label: str
    widget: str  # "select", "multiselect", "pills", "text", "slide"
    labels: Mapping[Any, str] = field(default_factory=dict)
    help: str = ""
    placeholder: str = ""
    optional: bool = False  # a select that may be left empty
    options: tuple[Any, ...] = ()  # the ids this view offers, when fewer than the parameter allows (empty: all)


Block = Text | Chart | Table | Records | Control


@dataclass(frozen=True, eq=False)
class View:
    """A page's view for one set of parameters: its blocks in order, and the parameters as resolved.

    ``params`` may differ from what was asked where the data decides (a measure the chosen edition lacks falls back
    to the edition's first); ``notes`` then says so. ``summary`` is the view in words (link previews, citations).
    """

    title: str
    params: Params
    blocks: tuple[Block, ...]
    summary: str = ""
    notes: tuple[str, ...] = ()
    # The keys of the blocks a slide of this view shows (its compact layout); empty: the first chart.
    slide_keys: tuple[str, ...] = ()

    @property
    def page(self) -> str:
        """The id of the page this is a view of."""
        return self.params.PAGE

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]

    def chart(self, key: str) -> Chart:
        for chart in self.charts:
            if chart.key == key:
                return chart
        raise KeyError(key)

    @property
    def main_chart(self) -> Chart | None:
        charts = self.charts
        return charts[0] if charts else None

    def compact_blocks(self) -> tuple[Block, ...]:
        """The blocks a slide of this view shows: those named in ``slide_keys``, in order (default: first chart)."""
        if not self.slide_keys:
            main = self.main_chart
            return (main,) if main is not None else ()
        return tuple(b for b in self.blocks if getattr(b, "key", "") in self.slide_keys)


# ---------------------------------------------------------------------------------------------------- data


class Unavailable(Exception):
    """A dataset a view needs cannot be read; ``sentence`` says what is wrong (file, row, column)."""

    def __init__(self, dataset_id: str, sentence: str):
        super().__init__(sentence)
        self.dataset_id = dataset_id
        self.sentence = sentence


@dataclass
class Data:
    """The datasets a view is built from: frames and provenance by dataset id, and the data version.

    ``loader`` (dataset id -> (frame or None, error sentence or None)) fills gaps lazily, so a page reads only what
    it needs; the app passes its cached loader, tests and the pack pass frames.
    """

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    provenances: dict[str, dict] = field(default_factory=dict)
    version: str = ""
    loader: Callable[[str], tuple[pd.DataFrame | None, str | None]] | None = None
    provenance_loader: Callable[[str], tuple[dict | None, str | None]] | None = None
    data_dir: Path = DATA_DIR  # the folder the data comes from (its changelog lives there too)

    def frame(self, dataset_id: str) -> pd.DataFrame:
        return _cached(self.frames, self.loader, dataset_id, f"The {dataset_id} dataset")

    def provenance(self, dataset_id: str) -> dict:
        return _cached(self.provenances, self.provenance_loader, dataset_id, f"The provenance of {dataset_id}")


def _cached(store: dict, loader, dataset_id: str, what: str):
    """``store[dataset_id]``, loaded once through ``loader``; ``Unavailable`` with the loader's sentence otherwise."""
    if dataset_id not in store:
        if loader is None:
            raise Unavailable(dataset_id, f"{what} was not loaded.")
        value, error = loader(dataset_id)
        if value is None:
            raise Unavailable(dataset_id, error or f"{what} cannot be read.")
        store[dataset_id] = value
    return store[dataset_id]


def dropped_sentence(dropped: Iterable[Dropped]) -> str:
    """One line for the values a link carried that were not used ('' when none)."""
    items = [d.sentence() for d in dropped]
    if not items:
        return ""
    return "Ignored in this link: " + "; ".join(items) + "."


# ---------------------------------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Page:
    """One page of the registry (``policylens.views.PAGES``): its link path, its title in the navigation, its icon,
    its ``Params`` and its ``build``. Its id is its ``Params.PAGE``."""

    path: str  # "" for the Overview at "/"
    title: str
    icon: str  # a Material icon name
    params: type[Params]
    build: Callable[[Params, Data], View]

    @property
    def id(self) -> str:
        return self.params.PAGE

    @property
    def script(self) -> str:
        """The page's script, relative to the repository root."""
        return f"app_pages/{self.id}.py"

    @property
    def url(self) -> str:
        return "/" + self.path

    def link(self, query: Iterable[tuple[str, str]] = (), base: str = "") -> str:
        """The one way a link to a view is written: ``base``, the page's path, then ``query`` in the order given."""
        encoded = urlencode(list(query))
        return f"{base}{self.url}" + (f"?{encoded}" if encoded else "")
