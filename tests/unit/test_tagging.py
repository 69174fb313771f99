"""The theme reader (issue 19): a curated lexicon per lens, every tag explained by its words and their reasons."""

from __future__ import annotations

import pytest

from benchmarks.analyze_speed import benchmark_text
from policylens.analyze import split_blocks, split_sentences, tag_block
from policylens.analyze.tagging import Entry, _sentence_tags, compile_lexicon, lexicon_from_frame, read, stem, tag
from policylens.datasets import load_dataset
from policylens.themes import TagOverride
from policylens.views.analyze import reference
from policylens.views.base import Data


@pytest.fixture(scope="module")
def lexicon_frame():
    return load_dataset("theme-lexicon")


@pytest.fixture(scope="module")
def article(lexicon_frame):
    return lexicon_from_frame("article", tuple(load_dataset("themes")["id"]), lexicon_frame)


@pytest.fixture(scope="module")
def oecd(lexicon_frame):
    return lexicon_from_frame("oecd", tuple(load_dataset("oecd-themes")["id"]), lexicon_frame)


# ------------------------------------------------------------------------------------------------- the misses


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Countries should strengthen international cooperation on AI.", "global-collaboration"),
        ("We will help developing countries build AI capacity.", "global-collaboration"),
        ("The Global South must benefit equally from AI.", "global-collaboration"),
        ("Dialogue with other countries on AI is welcome.", "global-collaboration"),
        ("Generative AI spreads disinformation.", "responsible-ai"),
        ("Some use AI for manipulating public opinion.", "responsible-ai"),
        ("Providers must protect personal information.", "privacy"),
        ("Is AI-generated art protected by copyright?", "intellectual-property"),
        ("AI should be secure, reliable, controllable.", "ai-safety"),
    ],
)
def test_the_reader_finds_what_the_keyword_list_missed(article, text, theme):
    tags, why = tag(text, article)
    assert theme in tags
    assert why[theme]["keywords"], why  # explained by words of the text
    assert all(cue["reason"] for cue in why[theme]["cues"])  # each with the entry's reason


def test_every_tag_says_which_words_made_it_and_why(article):
    tags, why = tag("Providers must protect personal information and respect copyright.", article)
    assert tags == ("privacy", "intellectual-property")
    assert why["privacy"]["keywords"] == ["personal information"]
    cue = why["privacy"]["cues"][0]
    assert cue["words"] == "personal information" and cue["strength"] == "strong"
    assert "personal" in cue["reason"].lower()
    assert why["intellectual-property"]["keywords"] == ["copyright"]


# ---------------------------------------------------------------------------------------------------- negative contexts


def test_research_institutions_in_a_list_are_not_research(article):
    text = "The measures do not apply to enterprises, universities and research institutions."
    tags, _ = tag(text, article)
    assert "research" not in tags
    _, found = read(text, article)
    cancelled = found["research"]["cancelled"]
    assert cancelled and cancelled[0]["context"] == "research institutions" and cancelled[0]["reason"]


def test_data_trading_is_not_trade_and_expo(article):
    tags, why = tag("A circulation and trading system for data, and data trading platforms.", article)
    assert "trade-expo" not in tags
    assert "data-infrastructure" in tags and why["data-infrastructure"]["keywords"]
    assert tag("Buyers signed deals at the expo's trade pavilion.", article)[0] == ("trade-expo",)


def test_researchers_are_talent_not_research(article):
    tags, _ = tag("The plan trains young scientists and attracts researchers from abroad.", article)
    assert "talent" in tags and "research" not in tags


def test_training_data_is_not_training_people(article):
    assert "talent" not in tag("Providers must label training data and training datasets.", article)[0]


# ------------------------------------------------------------------------------------------------- stems and strength


def test_stems_match_other_forms_of_a_word(article):
    assert stem("innovations") == stem("innovation")
    assert "innovation" in tag("Two breakthroughs were announced.", article)[0]  # "breakthrough"
    assert "ai-safety" in tag("The model behaves reliably and is reliable.", article)[0]


def test_word_entries_do_not_match_other_words_of_the_same_stem(article):
    # "fairness" is a word entry: the stem "fair" would tag a fair transition for workers.
    assert "responsible-ai" not in tag("A fair transition for workers.", article)[0]
    assert "responsible-ai" in tag("Fairness in hiring algorithms.", article)[0]


def test_a_weak_cue_alone_does_not_tag_and_two_do(article):
    assert "global-collaboration" not in tag("The firm sells globally.", article)[0]
    assert "global-collaboration" in tag("Global dialogue and cooperation.", article)[0]


def test_a_cue_inside_a_longer_cue_counts_once():
    lexicon = compile_lexicon(
        "t",
        ("x",),
        [Entry("x", "international", "stem", "weak", "w"), Entry("x", "international community", "stem", "weak", "w")],
    )
    assert tag("The international community.", lexicon)[0] == ()


def test_curated_overrides_add_and_remove_with_their_reason(oecd):
    text = "We are trying to build a trustworthy and secure business."
    assert "oecd-robustness" in tag(text, oecd)[0]
    removed = [TagOverride("paragraphs", "12", "oecd-robustness", "remove", "not about AI systems")]
    assert "oecd-robustness" not in tag(text, oecd, removed)[0]
    added = [TagOverride("paragraphs", "1", "oecd-accountability", "add", "curated reason")]
    tags, why = tag("Nothing here.", oecd, added)
    assert tags == ("oecd-accountability",) and why["oecd-accountability"]["reason"] == "curated reason"


def test_the_oecd_lens_reads_its_own_principles(oecd):
    tags, why = tag(
        "AI actors should be accountable, and systems robust, secure and safe, with explanations people can use.",
        oecd,
    )
    assert {"oecd-accountability", "oecd-robustness", "oecd-transparency"} <= set(tags)
    assert all(why[t]["keywords"] for t in tags)
    assert tag("Workers need new skills for the labour market.", oecd)[0] == ("oecd-human-capacity",)


# ------------------------------------------------------------------------------- sentences read within their block


@pytest.mark.parametrize("lens", ["article", "oecd"])
def test_each_sentence_gets_the_tags_and_cues_of_reading_it_alone(frames, provenances, lens):
    """``tag_block`` reads a block once and gives each sentence the cues within it (a third of /analyze's time on a
    long text): the same tags, cues, cancelled cues and reasons as reading the sentence alone, on every paragraph of
    the labelled corpus and of the benchmark text (the article's paragraphs under the OECD lens too)."""
    ref = reference(Data(frames=dict(frames), provenances=dict(provenances)), lens)
    blocks = list(frames["policy-corpus"]["text"]) + list(split_blocks(benchmark_text(20_000)))
    compared = 0
    for block in blocks:
        sentences = split_sentences(block)
        tagged = tag_block(block, sentences, ref, body=lens == "oecd")  # the article's own reading is curated
        for sentence, got in zip(sentences, tagged.sentences, strict=True):
            if sentence == block or not tagged.tags:
                continue
            assert got == _sentence_tags(read(sentence, ref.lexicon), tagged.tags), sentence
            compared += 1
    assert compared > 500
