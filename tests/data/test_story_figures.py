"""Every figure in a story sentence is a figure of the datasets: slides must not carry numbers of their own."""

import re

from policylens.datasets import DATASET_IDS, csv_path
from policylens.story import load_deck

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def test_every_number_in_a_slide_sentence_is_in_the_data():
    cells = set()
    for dataset_id in DATASET_IDS:
        for token in NUMBER.findall(csv_path(dataset_id).read_text(encoding="utf-8")):
            cells.add(token.replace(",", ""))
    _, slides = load_deck()
    missing = [
        (slide.number, number)
        for slide in slides
        for number in NUMBER.findall(slide.sentence + " " + slide.title)
        if number.replace(",", "").rstrip(".") not in cells
    ]
    assert missing == []
