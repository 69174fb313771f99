"""The analysis of one text: its blocks and sentences with their themes, its figures with their matches, its quotes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from policylens import themes
from policylens.analyze.figures import Figure, extract_figures
from policylens.analyze.limits import check_text, count_words
from policylens.analyze.matching import Context, match_figures, mentions_expo
from policylens.analyze.quotes import Quote, extract_quotes
from policylens.analyze.reference import Reference
from policylens.analyze.splitting import block_kind, split_blocks, split_sentences
from policylens.analyze.tagging import Why, tag_block


@dataclass(frozen=True)
class Sentence:
    number: int  # 1-based, across the whole text
    paragraph: int  # the body paragraph's number; 0 for a heading or a note
    part: str  # "paragraph", "heading" or "note"
    text: str
    tags: tuple[str, ...]
    why: Why


@dataclass(frozen=True)
class Paragraph:
    position: int  # 1-based position among every block of the text
    number: int  # 1-based among body paragraphs; 0 for a heading or a note
    kind: str
    text: str
    tags: tuple[str, ...]
    why: Why
    sentences: tuple[Sentence, ...]
    article_paragraph: int | None = None  # the CGTN paragraph with the same words, whose curated tags apply


@dataclass(frozen=True)
class Analysis:
    source: str  # "pasted text" or the file's name
    paragraphs: tuple[Paragraph, ...]  # every block in order: body paragraphs, headings, notes
    figures: tuple[Figure, ...]
    quotes: tuple[Quote, ...]
    words: int
    theme_ids: tuple[str, ...]

    @property
    def body(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == "paragraph")

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    def profile(self) -> dict[str, int]:
        """Theme -> how many body paragraphs carry it (headings and editor's notes are not paragraphs)."""
        return themes.count_tags((p.tags for p in self.body), self.theme_ids)

    @property
    def article_paragraphs(self) -> int:
        return sum(1 for p in self.body if p.article_paragraph is not None)


def analyze(text: str, ref: Reference, source: str = "pasted text") -> Analysis:
    """Everything /analyze shows of one text, from the text alone and the curated reference. Fast: a 100,000-word
    text takes about a second on a 2-core machine (benchmarks/analyze_speed.py)."""
    check_text(text)
    expo_text = mentions_expo(text)
    paragraphs: list[Paragraph] = []
    figures: list[Figure] = []
    quotes: list[Quote] = []
    body = 0
    sentence_number = 0
    for position, block in enumerate(split_blocks(text), start=1):
        kind = block_kind(block)
        is_body = kind == "paragraph"
        if is_body:
            body += 1
        number = body if is_body else 0
        texts = split_sentences(block) if is_body else [block]
        tagged = tag_block(block, texts, ref, body=is_body)
        context = Context(block, ref, expo_text) if is_body else None
        sentences = []
        for text_of_sentence, (tags, why) in zip(texts, tagged.sentences, strict=True):
            sentence_number += 1
            sentences.append(Sentence(sentence_number, number, kind, text_of_sentence, tags, why))
            if context is not None:
                figures += match_figures(extract_figures(text_of_sentence, number, sentence_number), context)
        if is_body:
            quotes += extract_quotes(block, number)
        paragraphs.append(
            Paragraph(
                position, number, kind, block, tagged.tags, tagged.why, tuple(sentences), tagged.article_paragraph
            )
        )
    return Analysis(source, tuple(paragraphs), tuple(figures), tuple(quotes), count_words(text), ref.theme_ids)


def fingerprint(text: str) -> str:
    """A short digest of a text, to keep one analysis per text in the session (never shown, never linked)."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]
