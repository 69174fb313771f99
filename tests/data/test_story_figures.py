"""Every figure a story slide states is a figure of the datasets, read from the row the slide names."""

import re

import pytest

from policylens.datasets import load_dataset, read_provenance, row_key
from policylens.story import load_deck

NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
YEAR_OR_ORDINAL = re.compile(r"^(19|20)\d\d$|^\d+(st|nd|rd|th)$")
# Names that contain digits but state no figure.
NAMES = re.compile(r"Data 20 Measures|AI Index \d{4}")

_, SLIDES = load_deck()


def stated_numbers(text: str) -> list[str]:
    """Numbers a slide states as figures; years and ordinals (2021, 6th) name things and are not figures."""
    text = NAMES.sub("", text)
    return [
        m.group(0)
        for m in re.finditer(NUMBER.pattern + r"(?:st|nd|rd|th)?", text)
        if not YEAR_OR_ORDINAL.match(m.group(0))
    ]


def figure_value(text: str) -> float:
    return float(NUMBER.search(text).group(0).replace(",", ""))


@pytest.mark.parametrize("slide", SLIDES, ids=[f"slide-{s.number}" for s in SLIDES])
def test_each_stated_figure_is_listed_and_equals_its_row(slide):
    words = slide.title + " " + slide.sentence
    listed = [f["text"] for f in slide.figures]
    for number in stated_numbers(words):
        assert any(number in text for text in listed), f"slide {slide.number} states {number} without its row"
    for figure in slide.figures:
        assert figure["text"] in words, f"slide {slide.number} lists {figure['text']} but does not say it"
        frame = load_dataset(figure["dataset"])
        keys = row_key(frame, read_provenance(figure["dataset"])).tolist()
        assert figure["key"] in keys, f"slide {slide.number}: no {figure['dataset']} row {figure['key']}"
        value = frame.iloc[keys.index(figure["key"])][figure["column"]]
        assert float(value) == figure_value(figure["text"]), (slide.number, figure, value)


def test_a_swapped_or_wrong_figure_would_be_caught():
    granted = next(s for s in SLIDES if s.first("measure") == "granted-patents")
    us = next(f for f in granted.figures if "United States" in f["key"])
    frame = load_dataset("ai-research")
    keys = row_key(frame, read_provenance("ai-research")).tolist()
    china_key = us["key"].replace("United States", "China")
    assert float(frame.iloc[keys.index(china_key)]["share_pct"]) != figure_value(us["text"])
