"""Every figure a story slide states is a figure of the datasets, read from the row the slide names."""

import dataclasses
import re

import pytest

from policylens.datasets import load_dataset, read_provenance, row_key
from policylens.views import load_deck

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


def figure_problems(slide) -> list[str]:
    """What is wrong with the figures a slide states: a number without its row, a listed figure the slide does not
    say, a row that does not exist, a value that differs from its row."""
    problems = []
    words = slide.title + " " + slide.sentence
    listed = [f["text"] for f in slide.figures]
    for number in stated_numbers(words):
        if not any(number in text for text in listed):
            problems.append(f"slide {slide.number} states {number} without its row")
    for figure in slide.figures:
        if figure["text"] not in words:
            problems.append(f"slide {slide.number} lists {figure['text']} but does not say it")
        frame = load_dataset(figure["dataset"])
        keys = row_key(frame, read_provenance(figure["dataset"])).tolist()
        if figure["key"] not in keys:
            problems.append(f"slide {slide.number}: no {figure['dataset']} row {figure['key']}")
            continue
        value = frame.iloc[keys.index(figure["key"])][figure["column"]]
        if float(value) != figure_value(figure["text"]):
            problems.append(f"slide {slide.number}: {figure['text']} but row {figure['key']} says {value}")
    return problems


@pytest.mark.parametrize("slide", SLIDES, ids=[f"slide-{s.number}" for s in SLIDES])
def test_each_stated_figure_is_listed_and_equals_its_row(slide):
    assert figure_problems(slide) == []


def test_a_swapped_or_wrong_figure_would_be_caught():
    """The check itself, on slides made wrong on purpose: a figure pointed at another area's row, a changed number,
    a number the slide states without a row."""
    granted = next(s for s in SLIDES if s.first("measure") == "granted-patents")
    us = next(f for f in granted.figures if "United States" in f["key"])
    swapped = dict(us, key=us["key"].replace("United States", "China"))
    figures = tuple(swapped if f is us else f for f in granted.figures)
    assert any("but row" in p for p in figure_problems(dataclasses.replace(granted, figures=figures)))
    wrong = dict(us, text=us["text"].replace(NUMBER.search(us["text"]).group(0), "12.3"))
    figures = tuple(wrong if f is us else f for f in granted.figures)
    sentence = granted.sentence.replace(us["text"], wrong["text"])
    assert any(
        "but row" in p for p in figure_problems(dataclasses.replace(granted, figures=figures, sentence=sentence))
    )
    unlisted = dataclasses.replace(granted, sentence=granted.sentence + " It rose by 99.9 points.")
    assert any("states 99.9 without its row" in p for p in figure_problems(unlisted))
