"""The labelled policy corpus (issue 19): its test part covers every theme of both lenses, and the contract says so."""

from __future__ import annotations

import shutil

import pytest

from policylens.contracts import CORPUS_MIN_TEST, contract_problems, corpus_problems
from policylens.datasets import DATASET_IDS, csv_path, load_dataset, read_provenance


@pytest.fixture(scope="module")
def corpus():
    return load_dataset("policy-corpus")


def _ids(cell):
    return [x for x in cell.split(";") if x] if isinstance(cell, str) else list(cell or [])


def test_the_corpus_is_a_registered_dataset():
    assert "policy-corpus" in DATASET_IDS
    assert csv_path("policy-corpus").is_file()


def test_size_documents_and_split(corpus):
    assert len(corpus) >= 220
    assert corpus["document_id"].nunique() >= 14
    test = corpus[corpus["split"] == "test"]
    # A fifth to a half of the rows: each held-out part moves to dev once it is read (120 of 492 since 2026-12-06).
    assert len(test) >= 100 and 0.2 <= len(test) / len(corpus) <= 0.5
    assert set(corpus["split"]) == {"dev", "test"}


def test_the_test_part_is_held_out_by_document(corpus):
    # The test part (rows pc-373 on, the third one labelled, issue 19) comes from documents the development part has
    # none of, so a score on it says how the reader does on documents it was never written from.
    parts = corpus.groupby("document_id")["split"].nunique()
    assert list(parts[parts > 1].index) == []
    assert corpus[corpus["split"] == "test"]["document_id"].nunique() >= 12


@pytest.mark.parametrize("lens", ["article_themes", "oecd_themes"])
def test_every_theme_of_each_lens_has_enough_test_paragraphs(corpus, lens):
    if lens == "article_themes":
        ids = list(load_dataset("themes")["id"])
    else:
        ids = next(c for c in read_provenance("policy-corpus")["columns"] if c["name"] == lens)["allowed"]
    test = corpus[corpus["split"] == "test"]
    counts = {t: sum(t in _ids(cell) for cell in test[lens]) for t in ids}
    assert min(counts.values()) >= CORPUS_MIN_TEST, counts


def test_origins_cover_the_kinds_the_issue_names(corpus):
    needed = {"china-government", "china-state-media", "eu", "us-government", "uk-government", "oecd", "un"}
    needed |= {"g7-g20", "standards-body", "company"}
    assert needed <= set(corpus["origin"])


def test_the_contract_names_a_theme_short_of_test_paragraphs(corpus):
    themes = load_dataset("themes")
    assert corpus_problems(corpus, themes) == []
    thin = corpus.copy()
    thin.loc[thin["article_themes"].map(lambda c: "blockchain" in _ids(c)), "split"] = "dev"
    [problem] = [p for p in corpus_problems(thin, themes) if p.column == "article_themes"]
    assert "'blockchain' has 0 test paragraphs" in problem.message


def test_the_contract_names_a_document_whose_rows_disagree(corpus):
    themes = load_dataset("themes")
    broken = corpus.copy()
    first = broken.index[broken["document_id"] == broken["document_id"].iloc[0]][-1]
    broken.loc[first, "publisher"] = "someone else"
    [problem] = corpus_problems(broken, themes)
    assert "more than one publisher" in problem.message


def test_the_real_data_folder_passes_the_corpus_contract(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(csv_path("policy-corpus").parents[1], data)
    assert contract_problems(data) == []
