import json

import pytest

from policylens.story import PAGES, load_deck


def test_the_deck_tells_the_story_in_at_least_eight_slides():
    title, slides = load_deck()
    assert title
    assert len(slides) >= 8
    assert [s.number for s in slides] == list(range(1, len(slides) + 1))
    assert {s.page for s in slides} >= {"expo", "research", "policy", "voices"}


def test_slide_links_use_the_link_contract():
    _, slides = load_deck()
    expo = next(s for s in slides if s.page == "expo")
    assert expo.link() == "/expo?metric=exhibitors&edition=6"
    research = next(s for s in slides if s.params.get("area") == ["China", "United States"])
    assert research.link().endswith("area=China&area=United+States")
    assert slides[0].link() == "/"


def test_a_bad_deck_is_named(tmp_path):
    path = tmp_path / "deck.json"
    path.write_text(json.dumps({"title": "t", "slides": [{"page": "weather", "title": "x", "sentence": "y"}]}))
    with pytest.raises(ValueError, match="slide 1 names an unknown page 'weather'"):
        load_deck(path)


def test_every_page_has_a_path():
    assert PAGES["overview"][0] == "" and PAGES["expo"][0] == "expo"


# slide= links are public (product.md): a slide keeps its number for good, so new slides go at the end.
PUBLISHED = [
    ("overview", {}),
    ("expo", {"metric": ["exhibitors"], "edition": ["6"]}),
    ("expo", {"metric": ["intended_deals"], "edition": ["6"]}),
    ("research", {"edition": ["AI Index 2022"], "measure": ["patent-filings"], "area": ["China"]}),
    ("research", {"edition": ["AI Index 2022"], "measure": ["granted-patents"], "area": ["China", "United States"]}),
    (
        "research",
        {"edition": ["AI Index 2022"], "measure": ["repository-publications"], "area": ["China", "United States"]},
    ),
    ("policy", {"pillar": ["property-rights", "circulation-trading", "income-distribution", "governance"]}),
    ("voices", {"q": ["privacy"]}),
    ("themes", {"paragraph": ["12"]}),
    ("sources", {"dataset": ["claims"]}),
]


def test_published_slides_keep_their_numbers():
    _, slides = load_deck()
    assert [(s.page, s.params) for s in slides[: len(PUBLISHED)]] == PUBLISHED
