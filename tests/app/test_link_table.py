"""Today's link table (tests/links.json), frozen: every link opens from the entrypoint and shows what it showed.

Each row is a link a person may have shared, what it means (its parsed parameters) and one thing the person sees:
the widget of that parameter (widget keys equal parameter names) showing the value, or a text on the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import streamlit

from policylens.paths import REPO_ROOT
from policylens.views import BY_PATH, PAGES
from policylens.views.base import SHARED_KEYS
from policylens.views.shared import SharedParams
from tests.app.helpers import open_page

TABLE = json.loads((Path(__file__).parents[1] / "links.json").read_text(encoding="utf-8"))["links"]


def split(link: str):
    parts = urlsplit(link)
    query: dict[str, list[str]] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(key, []).append(value)
    return BY_PATH[parts.path.lstrip("/")], query


def same(actual, expected) -> bool:
    """Repeated values are compared as a set of ids: the link's meaning, not the order a page lists them in."""
    if isinstance(expected, list):
        actual = list(actual) if isinstance(actual, list | tuple) else actual
        return isinstance(actual, list) and sorted(map(str, actual)) == sorted(map(str, expected))
    return actual == expected


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def widget(app, key: str):
    found = [n for root in (app.main, app.sidebar) for n in walk(root) if getattr(n, "key", None) == key]
    assert found, f"no widget with key {key!r} on the page"
    return found[0]


def visible_text(app) -> str:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error", "text")
    return " ".join(str(e.value) for kind in kinds for e in getattr(app, kind)).replace("\\", "")


# ---------------------------------------------------------------------------------------------------- the table


@pytest.mark.parametrize("row", TABLE, ids=[row["link"] for row in TABLE])
def test_link_means_what_it_meant(row):
    page, query = split(row["link"])
    params = page.params.from_query(query)
    shared = SharedParams.from_query(query)
    assert params.dropped == () and shared.dropped == (), [d.sentence() for d in (*params.dropped, *shared.dropped)]
    for name, expected in row["params"].items():
        parsed = shared if name in SHARED_KEYS else params
        assert same(getattr(parsed, name), expected), (name, getattr(parsed, name))
    if not row["params"]:
        assert params == page.params()
    # The link the view writes when pinned holds every value of this link.
    pinned = [*params.to_query(pinned=True), *shared.to_query(pinned=True)]
    for key, values in query.items():
        assert sorted(values) == sorted(v for k, v in pinned if k == key), key


@pytest.mark.parametrize("row", TABLE, ids=[row["link"] for row in TABLE])
def test_link_shows_what_it_showed(app, row):
    page, query = split(row["link"])
    open_page(app, page.script, **{k: v[0] if len(v) == 1 else v for k, v in query.items()})
    sees = row["sees"]
    if "text" in sees:
        assert sees["text"] in visible_text(app)
    else:
        shown = widget(app, sees["key"]).value
        assert same(shown, sees["value"]), (sees["key"], shown)
    # The link stays as it was (a default may be left out: it shows the same view).
    defaults = {**{f.name: f.default for f in page.params.link_fields()}, "theme": (), "present": False}
    for key, values in query.items():
        kept = app.query_params.get(key, [])
        kept = [kept] if isinstance(kept, str) else list(kept)
        assert sorted(kept) == sorted(values) or (not kept and same_default(row, key, defaults)), (key, kept)


def same_default(row, key, defaults) -> bool:
    expected = row["params"].get(key)
    default = defaults.get(key)
    return expected == default or (isinstance(default, tuple) and expected == list(default))


# ---------------------------------------------------------------------------------------------------- coverage


def readme_parameters() -> dict[str, set[str]]:
    """README.md, "Pages and links": path -> its link parameters."""
    text = (Path(REPO_ROOT) / "README.md").read_text(encoding="utf-8")
    section = text.split("## Pages and links", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`/"):
            table[cells[1].strip("`").lstrip("/")] = set(re.findall(r"`([a-z_]+)`", cells[2]))
    return table


def test_readme_lists_every_registry_page():
    assert set(readme_parameters()) == {page.path for page in PAGES}


def test_table_has_a_link_for_every_readme_parameter_and_page():
    covered: dict[str, set[str]] = {}
    for row in TABLE:
        page, query = split(row["link"])
        covered.setdefault(page.path, set()).update(query)
    for path, names in readme_parameters().items():
        assert path in covered, path
        assert names <= covered[path], (path, names - covered[path])
    shared = {name for names in covered.values() for name in names} & set(SHARED_KEYS)
    assert shared == set(SHARED_KEYS)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_registry_params_are_readme_params(page):
    """Every parameter a page reads is public (README), and every public parameter is read by its page."""
    own = set(page.params.link_names()) - set(SHARED_KEYS)
    assert own == readme_parameters()[page.path]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_table_has_a_link_for_every_allowed_value(page):
    """Each allowed id of a parameter has its row (new ids get new rows; a row never goes away)."""
    linked: dict[str, set[str]] = {}
    for row in TABLE:
        row_page, query = split(row["link"])
        if row_page is page:
            for key, values in query.items():
                linked.setdefault(key, set()).update(values)
    for f in page.params.link_fields():
        link = f.metadata["link"]
        if link.kind in ("choice", "choices", "int") and f.name not in SHARED_KEYS:
            missing = {str(c) for c in link.choices()} - linked.get(f.name, set())
            assert not missing, (f.name, sorted(missing))


# ---------------------------------------------------------------------------------------------------- navigation


def test_navigation_is_the_registry(app, monkeypatch):
    """app.py builds the sidebar navigation from policylens.views.PAGES: one entry per page, in order."""
    seen = []
    original = streamlit.navigation

    def recording(pages, *args, **kwargs):
        seen.append(list(pages))
        return original(pages, *args, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", recording)
    app.run()
    assert not app.exception
    assert seen, "app.py did not call st.navigation"
    pages = seen[-1]
    assert [p.title for p in pages] == [page.title for page in PAGES]
    assert [p.url_path for p in pages] == [page.path for page in PAGES]
    assert [p.icon for p in pages] == [f":material/{page.icon}:" for page in PAGES]
    scripts = [(Path(REPO_ROOT) / page.script).resolve() for page in PAGES]
    assert [Path(str(p._page)).resolve() for p in pages] == scripts
