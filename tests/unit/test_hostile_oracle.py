"""The oracle of the hostile-link tests finds link text drawn as markup, and passes it drawn as escaped text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from policylens.text import escape_markdown as md
from policylens.views import PAGES
from policylens.views.base import Dropped, dropped_sentence
from tests.hostile_links import MARKER, TEMPLATES, hostile_links, markdown_faults, neutralised

PAYLOADS = [t.format(m=MARKER) for t in TEMPLATES]


def test_neutralised_hides_escaped_characters_only():
    assert neutralised(r"a \*b\* \\*c") == "a ··b·· ··*c"


@pytest.mark.parametrize(
    "source",
    [
        f"**{MARKER}**",
        f"Say **{md('x')} {MARKER}** now",
        f"[{MARKER}](https://evil.example)",
        f"[x](javascript:{MARKER})",
        f"<b>{MARKER}</b>",
        f"text <img src=x> {md(MARKER)}",
        f"${MARKER}$",
        f"a $x + {MARKER}",
        f":red[{MARKER}]",
        f":material/warning: {MARKER}",
        f"# {MARKER}",
        f"> {MARKER}",
        f"- {MARKER}",
        f"`{MARKER}`",
        f"https://evil.example/{MARKER}",
        f"https\\://evil\\.example/{MARKER}",  # escaped, and still a link in the browser
        f"www\\.evil\\.example/{MARKER}",
        f"{MARKER}@evil\\.example",
        f"_{MARKER}_",
        f"~~{MARKER}~~",
    ],
)
def test_markup_around_the_marker_is_found(source):
    assert markdown_faults(source), source


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_escaped_is_plain_text(payload):
    # As the pages show it: escaped, alone, inside a sentence, and in the line of ignored values (quoted, cut).
    assert markdown_faults(md(payload)) == []
    assert markdown_faults(f"No statement matches “{md(payload)}” with these filters.") == []
    assert markdown_faults(md(dropped_sentence([Dropped("q", payload, "not a value")]))) == []


# Payloads that are plain text even unescaped: entities show as characters, escaped stars as stars.
HARMLESS_RAW = {f"&#60;script&#62;{MARKER}", f"\\*\\*{MARKER}\\*\\*"}


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if any(ch in p for ch in "<*_[$`:#>~|")])
def test_every_payload_unescaped_is_found(payload):
    assert markdown_faults(payload) or payload in HARMLESS_RAW, payload


def test_formatting_of_the_app_itself_is_not_a_fault():
    assert markdown_faults(f"**6 of 28 statements** · {md('<b>')} and `code`") == []
    assert markdown_faults(":material/info: a caveat") == []


@settings(max_examples=50, deadline=None)
@given(link=hostile_links())
def test_generated_links_parse_and_name_their_page(link):
    assert link.page in PAGES
    assert isinstance(link.params, dict)
    assert link.url("http://127.0.0.1:1").startswith("http://127.0.0.1:1/")


def test_no_widget_reads_the_link_itself():
    """Link values go through each page's Params (the view layer's parsing), never into a widget that Streamlit
    binds to the link and deserialises (a crafted number there raised inside Streamlit, issue 12)."""
    import re
    from pathlib import Path

    from policylens.paths import REPO_ROOT

    sources = [
        REPO_ROOT / "router.py",
        *Path(REPO_ROOT, "components").glob("*.py"),
        *Path(REPO_ROOT, "app_pages").glob("*.py"),
    ]
    bound = [f"{p.name}: {m.group(0)}" for p in sources for m in re.finditer(r"\bbind\s*=\s*[^,)]+", p.read_text())]
    assert bound == []
