"""Hostile links: a hypothesis strategy for link queries nobody should trust, and the oracle that reads what a page
drew from one (AppTest here; the browser test reads the DOM with the same marker).

Every hostile payload carries ``MARKER`` (a word no page shows by itself), so a test can find where a page echoes the
link and check that the echo is escaped text: never HTML, never inside Markdown formatting (bold, a link, LaTeX,
a Streamlit directive), never in an element's id, address or chart. Other values (random text, numbers as text,
valid ids, huge and repeated values, percent-encoding tricks) exercise the parsing: no exception, no error box.

A query is generated as the raw query string a browser sends (percent-encoded, with tricks), then parsed the way
Streamlit parses it (``urllib.parse.parse_qs`` with blank values kept), so AppTest sees what a server would.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from hypothesis import strategies as st

from policylens.views import PAGES, Page
from policylens.views.base import FRAMEWORK_KEYS, SHARED_KEYS

MARKER = "ZQX"

# Payload templates: {m} is the marker. Each tries one way to turn link text into markup.
TEMPLATES: tuple[str, ...] = (
    # HTML and script
    "<script>alert('{m}')</script>",
    "<img src=x onerror=alert('{m}')>",
    '"><img src=x onerror=alert("{m}")>',
    "<svg onload=alert('{m}')>",
    "<iframe src=\"javascript:alert('{m}')\"></iframe>",
    "<a href=\"javascript:alert('{m}')\">{m}</a>",
    "<b onmouseover=alert('{m}')>{m}</b>",
    "<style>*{{display:none}}</style>{m}",
    "</textarea><script>{m}</script>",
    "'--><script>{m}</script>",
    "<scr\x00ipt>{m}</scr\x00ipt>",
    "\u202e<script>{m}</script>",
    "＜script＞{m}＜/script＞",
    "&lt;b&gt;{m}&lt;/b&gt;",
    "&#60;script&#62;{m}",
    # URLs
    "javascript:alert('{m}')",
    "JaVaScRiPt:alert('{m}')",
    "data:text/html,<b>{m}</b>",
    "https://evil.example/{m}",
    "www.evil.example/{m}",
    "//evil.example/{m}",
    # Markdown
    "**{m}**",
    "__{m}__",
    "*{m}*",
    "_{m}_",
    "~~{m}~~",
    "`{m}`",
    "[{m}](javascript:alert(1))",
    "[{m}](https://evil.example)",
    "![{m}](https://evil.example/x.png)",
    "<https://evil.example/{m}>",
    "# {m}",
    "> {m}",
    "- {m}",
    "1. {m}",
    "| {m} | x |",
    "{m}\n\n# heading",
    "\\*\\*{m}\\*\\*",
    # LaTeX and Streamlit's own Markdown
    "${m}$",
    "$${m}$$",
    "$\\href{{javascript:alert(1)}}{{{m}}}$",
    ":red[{m}]",
    ":blue-background[{m}]",
    ":material/warning: {m}",
    ":streamlit: {m}",
    # Templates and traversal
    "{{{{{m}}}}}",
    "${{{m}}}",
    "../../{m}/etc/passwd",
    "..\\..\\{m}",
    "%2e%2e%2f{m}",
    "/{m}/../../",
    # SQL and friends
    "' OR '{m}'='{m}",
    '{m}"; DROP TABLE x; --',
)

# Values that are numbers in disguise, for the parameters that take whole numbers.
NUMBERS: tuple[str, ...] = (
    "-0",
    "+0",
    "0",
    "00",
    "-1",
    "1e9",
    "1E3",
    "6.0",
    "6.",
    ".6",
    "0x6",
    "0o6",
    "0b110",
    "1_000",
    "NaN",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "99999999999999999999999999",
    "９",
    "٦",
    "⁶",
    "6\x00",
    " 6",
    "6 ",
    "\u200b6",
    "6\u202e",
    "true",
    "True",
    "null",
    "None",
    "[]",
    "{}",
    "[6, 7]",
)

# Raw pieces of a query string a hand-edited or mangled link may hold.
RAW_TRICKS: tuple[str, ...] = (
    "&",
    "&&",
    "=",
    "==",
    "=x",
    "%",
    "%2",
    "%zz",
    "%00",
    "%C0%AE%C0%AE%2F",
    "%E2%80%AE",
    "%ED%A0%80",
    "%FF%FE",
    "%252e%252e%252f",
    "%26edition%3D6",
    "edition",
    "edition=",
    "edition=6=7",
    "+",
    "a+b=c+d",
    ";edition=6",
    "#edition=6",
    "?edition=6",
)


@dataclass(frozen=True)
class HostileLink:
    """One generated link: the page, the raw query string, and what a server parses from it."""

    page: Page
    query: str
    unknown_page: bool = False

    @property
    def params(self) -> dict[str, list[str]]:
        """What Streamlit's server parses from the query string (it ignores one over 512 Ki characters or 1,000
        fields as a whole)."""
        from streamlit.runtime.state.query_params import _parse_query_string

        return _parse_query_string(self.query)

    def url(self, base: str) -> str:
        return f"{base}{self.page.url}" + (f"?{self.query}" if self.query else "")

    def __repr__(self) -> str:  # hypothesis prints this on failure: keep it readable
        shown = self.query if len(self.query) <= 300 else self.query[:300] + f"…({len(self.query)} chars)"
        return f"HostileLink(page={self.page.id!r}, unknown_page={self.unknown_page}, query={shown!r})"


def allowed_values(page: Page, key: str) -> list[str]:
    """The ids a link may hold for ``key`` on ``page`` (as written in a link), or [] for free text and flags."""
    from policylens.views.shared import SharedParams

    for cls in (page.params, SharedParams):
        if key in cls.link_names():
            link = cls.spec(key)
            if link.kind == "flag":
                return ["true", "false"]
            return [str(v) for v in link.choices()] if link.choices else []
    return []


def keys_of(page: Page) -> list[str]:
    return [*page.params.link_names(), *SHARED_KEYS, *FRAMEWORK_KEYS]


payloads = st.builds(lambda template: template.format(m=MARKER), st.sampled_from(TEMPLATES))


def values(page: Page, key: str) -> st.SearchStrategy[str]:
    """One value for ``key``: a valid id, a payload, a number in disguise, random text, or a huge value."""
    return _values_from(tuple(allowed_values(page, key)))


# The strategies are made once per set of valid ids and per page, not at every draw: making them was a fifth of the
# generator's time (issue 21).
@functools.cache
def _values_from(valid: tuple[str, ...]) -> st.SearchStrategy[str]:
    options = [
        payloads,
        st.sampled_from(NUMBERS),
        st.text(max_size=40),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(lambda x: repr(x) if not math.isnan(x) else "NaN"),
        st.builds(lambda p, n: (p + " ") * n, payloads, st.integers(300, 400)),  # about 10,000 characters
        st.builds(lambda c, n: c * n, st.characters(), st.integers(9_000, 11_000)),
    ]
    if valid:
        options = [st.sampled_from(valid), st.sampled_from(valid), *options]
    return st.one_of(options)


@functools.cache
def _keys(page: Page) -> st.SearchStrategy[str]:
    own = keys_of(page)
    return st.one_of(
        st.sampled_from(own),
        st.sampled_from(own),
        st.sampled_from(own),
        payloads,
        st.text(min_size=1, max_size=20),
        st.sampled_from(["page", "__proto__", "constructor", "embed_options", "_stcore", "v", "theme[]"]),
    )


_REPEATS = st.one_of(st.just(1), st.just(1), st.integers(2, 4), st.integers(100, 400))
_HOW = st.sampled_from(["plus", "quote", "quote", "raw", "double", "lower"])


def _encode(draw, text: str) -> str:
    """``text`` as a browser or a person may write it in a link: percent-encoded in one of several ways."""
    how = draw(_HOW)
    data = text.encode("utf-8", "surrogatepass")
    if how == "plus":
        return quote_plus(data, safe="")
    if how == "quote":
        return quote(data, safe="")
    if how == "raw":  # only what would end the value is encoded; the rest is left as typed
        typed = data.decode("utf-8", "replace")
        return "".join(quote(ch, safe="") if ch in "&=#%+" else ch for ch in typed)
    if how == "double":
        return quote(quote(data, safe=""), safe="")
    return quote(data, safe="").lower()


@st.composite
def hostile_links(draw, pages: tuple[Page, ...] = PAGES) -> HostileLink:
    """A link to one of ``pages`` with a hostile query string."""
    page = draw(st.sampled_from(pages))
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        key = draw(_keys(page))
        repeats = draw(_REPEATS)
        if repeats > 4:  # hundreds of repeats: of one value, or of a few mixed ones, each written one way
            pool = draw(st.lists(values(page, key), min_size=1, max_size=3))
            # hundreds of 10,000-character values would be megabytes
            written = [_encode(draw, value[:200]) for value in pool]
            # One draw per value of the pool, not per repeat: drawing an encoding for each of hundreds of repeats
            # was most of the strategy's time (32 ms a link; issue 21).
            encoded = [written[i % len(written)] for i in range(repeats)]
        else:
            encoded = [_encode(draw, draw(values(page, key))) for _ in range(repeats)]
        encoded_key = _encode(draw, key)
        parts += [f"{encoded_key}={value}" for value in encoded]
    for _ in range(draw(st.integers(0, 2))):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(RAW_TRICKS)))
    return HostileLink(page, "&".join(parts), unknown_page=draw(st.integers(0, 19)) == 0)


# ---------------------------------------------------------------------------------------------------- the oracle

# Fields of Streamlit's element protos that are drawn as Markdown (escaped data is fine, formatting is not).
MARKDOWN_FIELDS = ("body", "label", "help", "options", "caption", "title")
# Fields drawn as literal text: the value of a text box, a code block (the share link holds the q= text).
LITERAL_FIELDS = ("value", "default", "code_text", "placeholder")
_SPECIAL = set("\\`*_{}[]<>()#+-.!|$~:")


def neutralised(source: str) -> str:
    """``source`` with every backslash-escaped character replaced by '·' (an escaped character is only text)."""
    out = []
    i = 0
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source):
            out.append("··")
            i += 2
        else:
            out.append(source[i])
            i += 1
    return "".join(out)


_HTML_TAG = re.compile(r"<[A-Za-z!/?]")
# A bare address GitHub-flavoured Markdown links even when every character of it is escaped: it finds addresses in
# the text after escapes are read (seen in the browser: "https\\://x" became a link).
_BARE_ADDRESS = re.compile(r"(?i)(https?://|www\.)|[\w.+-]@[\w-]+\.")
_DIRECTIVE = re.compile(r":[a-z-]+\[[^\]\n]*$")
_AUTOLINK = re.compile(r"(https?://|www\.)\S*$", re.IGNORECASE)


def markdown_faults(source: str) -> list[str]:
    """How a Markdown source lets link text act as markup: raw HTML anywhere, and around each marker any unescaped
    formatting that encloses or touches it. Empty when the source is safe."""
    text = neutralised(source)
    faults = []
    if _HTML_TAG.search(text):
        faults.append("raw HTML tag")
    resolved = re.sub(r"\\(.)", r"\1", source)  # the text once Markdown has read the escapes
    for word in resolved.split():
        if MARKER in word and _BARE_ADDRESS.search(word):
            faults.append(f"marker in a bare address Markdown links: {word[:60]!r}")
    for match in re.finditer(MARKER, text):
        start, end = match.start(), match.end()
        paragraph_start = text.rfind("\n\n", 0, start) + 1
        before = text[paragraph_start:start]
        line = before[before.rfind("\n") + 1 :]
        near = (before[-3:] + text[end : end + 3]).replace(" ", "")
        touching = sorted(set(near) & _SPECIAL)
        if touching:
            faults.append(f"unescaped {''.join(touching)!r} next to the marker")
        if before.count("**") % 2 or before.count("__") % 2 or before.count("~~") % 2:
            faults.append("marker inside bold or strike-through")
        if before.count("$") % 2:
            faults.append("marker inside LaTeX")
        if before.count("`") % 2:
            faults.append("marker inside a code span")
        if before.rfind("[") > before.rfind("]") or before.rfind("](") > before.rfind(")"):
            faults.append("marker inside a link")
        if before.rfind("<") > before.rfind(">"):
            faults.append("marker inside an HTML tag")
        if _DIRECTIVE.search(before):
            faults.append("marker inside a Streamlit directive")
        if _AUTOLINK.search(before):
            faults.append("marker inside a bare address (autolink)")
        if re.fullmatch(r"\s{0,3}(#{1,6}|>|[-+*]|\d+[.)]|\|)\s*", line):
            faults.append("marker opens a Markdown block (heading, quote, list, table)")
    return faults


def _strings(message, path: str = ""):
    """Every (field path, text) of a protobuf message, nested messages included."""
    from google.protobuf.message import Message

    for fd, value in message.ListFields():
        items = value if fd.is_repeated else [value]
        for item in items:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}.{fd.name}")
            elif isinstance(item, str):
                yield f"{path}.{fd.name}", item


def element_faults(at) -> list[str]:
    """Every place the app drew a marker (or raw HTML in Markdown) where it could act as markup, for one AppTest run.

    Markdown fields may hold the marker escaped; literal fields (a text box's value, a code block) may hold it as
    it is; an HTML element, a chart, an id or an address may not hold it at all.
    """
    faults = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        html = node.type == "html" or bool(getattr(proto, "allow_html", False))
        for path, text in _strings(proto):
            field = path.rsplit(".", 1)[-1]
            where = f"{node.type}{path}: {text[:160]!r}"
            if field in LITERAL_FIELDS:
                continue
            if html or field not in MARKDOWN_FIELDS:
                if MARKER in text:
                    faults.append(f"{where}: the marker is in {'HTML' if html else 'a field that is not text'}")
                continue
            faults += [f"{where}: {fault}" for fault in markdown_faults(text)]
    return faults


def shows_marker(at) -> bool:
    """Whether the page drew the link's marker somewhere as text (escaped): the escaping was exercised."""
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is not None and any(
            MARKER in text for path, text in _strings(proto) if path.endswith(MARKDOWN_FIELDS)
        ):
            return True
    return False
