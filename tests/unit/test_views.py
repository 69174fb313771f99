"""The link contract of the view layer, for every page of the registry: what a page writes into a link, it reads back.

Generic over ``policylens.views.PAGES``: a page added to the registry, or a parameter added to a page, is covered
without touching this file. The shared parameters (theme, present) are tested through ``SharedParams``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from policylens import rooms
from policylens.paths import REPO_ROOT
from policylens.views import BY_ID, BY_PATH, PAGES, Page
from policylens.views.base import SHARED_KEYS, Params, clean_text
from policylens.views.shared import SharedParams

# product.md, "Pages and the link contract": the public paths, in the order of its table ("" is the Overview at /).
# /analyze ("Analyse a text") is in product.md but not built yet (README, "Pages and links").
PRODUCT_PATHS = ("", "expo", "research", "policy", "voices", "themes", "sources", "story", "analyze")

PARAMS_CLASSES = [pytest.param(page.params, id=page.id) for page in PAGES] + [pytest.param(SharedParams, id="shared")]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def group(pairs) -> dict[str, list[str]]:
    """Pairs of a link, as a parsed query string: key -> every value, in order."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def choices_of(field: dataclasses.Field) -> list:
    link = field.metadata["link"]
    return list(link.choices()) if link.choices else []


def writes(cls: type[Params], field: dataclasses.Field) -> bool:
    """Whether ``to_query`` of ``cls`` writes this field (a page never writes the shared ones: the router does)."""
    return not (cls.PAGE and field.name in SHARED_KEYS)


def value_strategy(cls: type[Params], field: dataclasses.Field) -> st.SearchStrategy:
    """Valid values of one field, as the page itself would hold them (choices in canonical order, text cleaned)."""
    link = field.metadata["link"]
    if not writes(cls, field):
        return st.just(field.default)
    choices = choices_of(field)
    default = st.just(field.default)
    if link.kind in ("choice", "int"):
        return st.one_of(default, st.sampled_from(choices)) if choices else default
    if link.kind == "choices":
        if not choices:
            return default
        return st.lists(st.sampled_from(choices), unique=True).map(lambda vs: tuple(c for c in choices if c in vs))
    if link.kind == "text":
        return st.one_of(default, st.text(max_size=300).map(clean_text))
    if link.kind == "code":  # the one code of the link contract is a room (policylens/rooms.py)
        assert field.name == "room", field.name
        return st.one_of(default, st.text(rooms.ALPHABET, min_size=rooms.CODE_LENGTH, max_size=rooms.CODE_LENGTH))
    if link.kind == "flag":
        return st.booleans()
    raise AssertionError(f"{cls.__name__}.{field.name}: unknown link kind {link.kind!r}")


def draw_params(data, cls: type[Params]) -> Params:
    values = {f.name: data.draw(value_strategy(cls, f), label=f.name) for f in cls.link_fields()}
    try:
        return cls(**values)
    except (TypeError, ValueError):  # a combination the class itself refuses is not a valid view
        assume(False)
        raise


# ---------------------------------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("cls", PARAMS_CLASSES)
@pytest.mark.parametrize("pinned", [False, True], ids=["short", "pinned"])
@SETTINGS
@given(data=st.data())
def test_every_link_a_page_writes_reads_back_as_the_same_view(cls, pinned, data):
    params = draw_params(data, cls)
    back = cls.from_query(group(params.to_query(pinned)))
    assert back == params
    assert back.dropped == ()


@pytest.mark.parametrize("cls", PARAMS_CLASSES)
@SETTINGS
@given(data=st.data())
def test_to_query_is_canonical(cls, data):
    params = draw_params(data, cls)
    pairs = params.to_query(pinned=True)
    assert pairs == params.to_query(pinned=True) == dataclasses.replace(params).to_query(pinned=True)
    # Keys in the order of the fields, each field's values together.
    order = [f.name for f in cls.link_fields() if writes(cls, f)]
    keys = [key for key, _ in pairs]
    assert keys == sorted(keys, key=order.index)
    # Repeated values in the order of the field's choices.
    for f in cls.link_fields():
        if f.metadata["link"].kind == "choices" and writes(cls, f):
            written = [value for key, value in pairs if key == f.name]
            canonical = [str(c) for c in choices_of(f)]
            assert written == sorted(written, key=canonical.index)
    # The same values in any order, or repeated, make the same link.
    shuffled = data.draw(st.permutations(pairs), label="shuffled")
    doubled = shuffled + [(k, v) for k, v in shuffled if cls.spec(k).kind == "choices"]
    assert cls.from_query(group(doubled)).to_query(pinned=True) == pairs


@pytest.mark.parametrize("cls", PARAMS_CLASSES)
def test_defaults_make_an_empty_short_link(cls):
    assert cls().to_query(pinned=False) == []
    assert cls().is_default()
    assert cls.from_query({}) == cls() and cls.from_query({}).dropped == ()


@pytest.mark.parametrize("cls", PARAMS_CLASSES)
def test_every_field_says_what_a_valid_value_is(cls):
    for f in cls.link_fields():
        link = f.metadata["link"]
        assert link.kind in ("choice", "choices", "int", "text", "code", "flag"), f.name
        assert (link.normal is not None) == (link.kind == "code"), f.name
        assert link.why.strip(), f.name
        if link.kind in ("choice", "choices", "int"):
            choices = choices_of(f)
            assert choices, f"{cls.__name__}.{f.name} has no allowed values"
            assert len(set(choices)) == len(choices), f"{cls.__name__}.{f.name} repeats an allowed value"
            assert all(str(c) == clean_text(str(c)) and str(c) for c in choices), f.name
            if link.kind == "choices":
                assert f.default == () or set(f.default) <= set(choices), f.name
            else:
                # None or "": unset (the data decides, in ``build``), never an id the link could not hold.
                assert f.default in (None, "") or f.default in choices, f.name


# ---------------------------------------------------------------------------------------------------- registry


def test_registry_paths_are_product_md_paths_in_order():
    assert tuple(page.path for page in PAGES) == PRODUCT_PATHS


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_every_page_has_its_script_and_its_own_params(page: Page):
    """The script Streamlit runs for the page is on disk and draws through the app's components, and the page's link
    parameters are a class of its own (two pages sharing one would read each other's links)."""
    script = Path(REPO_ROOT) / page.script
    assert script.is_file(), page.script
    assert re.search(r"^from components\.\w+ import \w+$", script.read_text(encoding="utf-8"), re.M), page.script
    assert issubclass(page.params, Params) and page.params is not Params
    assert [p.id for p in PAGES if p.params is page.params] == [page.id]
    assert page.title.strip() and page.icon.strip()


def test_registry_ids_paths_and_titles_are_unique():
    for attribute in ("id", "path", "title"):
        values = [getattr(page, attribute) for page in PAGES]
        assert len(set(values)) == len(values), attribute


def test_no_page_script_outside_the_registry():
    scripts = {p.name for p in (Path(REPO_ROOT) / "app_pages").glob("*.py") if p.name != "__init__.py"}
    assert scripts == {Path(page.script).name for page in PAGES}


def test_page_link_writes_the_canonical_query():
    page = BY_ID["expo"]
    params = page.params.from_query({"metric": ["visitors"], "edition": ["7", "6"]})
    assert page.link(params.to_query()) == "/expo?edition=6&edition=7&metric=visitors"
    assert BY_PATH[""].link([("theme", "privacy")]) == "/?theme=privacy"
