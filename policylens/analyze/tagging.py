"""Theme tagging: which themes a block of text and each of its sentences carry, and what explains each tag.

The reader is a curated lexicon (the ``theme-lexicon`` dataset), one per lens (the article's themes, the OECD AI
Principles). Each entry is a word or phrase of one theme with its reason, matched one of three ways:

- ``stem``: every word reduced by the Snowball English stemmer, so "innovative" and "innovations" are "innovation";
- ``word``: the exact words (case-folded), where a stem would say too much ("fairness", not every "fair");
- ``prefix``: the exact words, the last one a prefix ("discriminat" for discrimination, discriminatory).

An entry's ``strength`` is ``strong`` (one occurrence tags the theme), ``weak`` (two different weak words, or one
with a strong one, are needed: "global" alone is not global collaboration, "global" with "cooperation" is) or
``not``: a negative context, a phrase in which the theme's words do not mean the theme ("research institutions" in a
list of signatories is not Research; "data trading" is not Trade & expo). A cue inside a negative context of its own
theme does not count, and the explanation says which context cancelled it.

All phrases of a lens are found in one pass of an Aho-Corasick automaton over the text's stems and one over its
words, so a 100,000-word text is read well within a second (benchmarks/analyze_speed.py).

Where the words are the CGTN article's own, the curated reading applies instead: the article's tags (the themes
dataset's keyword rule and its ``tag_overrides``, ``policylens.themes``) under the article lens, and the reader's tags
with the OECD themes' ``tag_overrides`` under the OECD lens, each override with its written reason.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick
import snowballstemmer

from policylens import themes

# theme -> {"keywords": [...], "reason": "...", "cues": [...], "cancelled": [...]}: what explains each tag
Why = Mapping[str, Mapping[str, object]]
# ``read``'s answer: each theme's score, and what explains it (cues, cancelled cues)
Reading = tuple[dict[str, float], dict[str, dict[str, object]]]

MATCHES = ("stem", "word", "prefix")
STRENGTHS = ("strong", "weak", "not")
WEIGHTS = {"strong": 1.0, "weak": 0.5}
THRESHOLD = 1.0
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball English stem of one lower-case word."""
    return _STEMMER.stemWord(word)


@dataclass(frozen=True)
class Entry:
    """One curated lexicon entry: ``term`` of ``theme``, how it matches and how strong it is, and why."""

    theme: str
    term: str
    match: str
    strength: str
    reason: str


@dataclass(frozen=True)
class Tokens:
    """A text's words (case-folded), their stems and character spans, and both as space-joined strings."""

    text: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    word_line: str
    stem_line: str
    word_starts: tuple[int, ...]  # offset in word_line of each word (after its leading space)
    stem_starts: tuple[int, ...]


def tokens(text: str) -> Tokens:
    found = [(m.group().casefold(), m.span()) for m in _TOKEN.finditer(text)]
    words = tuple(w for w, _ in found)
    stems = [stem(w) for w in words]
    word_line, word_starts = _line(words)
    stem_line, stem_starts = _line(stems)
    return Tokens(text, words, tuple(s for _, s in found), word_line, stem_line, word_starts, stem_starts)


def _line(parts: Sequence[str]) -> tuple[str, tuple[int, ...]]:
    starts = []
    at = 1
    for part in parts:
        starts.append(at)
        at += len(part) + 1
    return " " + " ".join(parts) + " ", tuple(starts)


def _pattern(entry: Entry) -> tuple[str, str]:
    """Which line an entry is looked for in ("stem" or "word") and the pattern, bounded by spaces."""
    words = [w.casefold() for w in _TOKEN.findall(entry.term)]
    if entry.match == "stem":
        return "stem", " " + " ".join(stem(w) for w in words) + " "
    tail = "" if entry.match == "prefix" else " "
    return "word", " " + " ".join(words) + tail


@dataclass(frozen=True)
class Hit:
    entry: Entry
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A lens's compiled lexicon: its themes in order and its entries in two Aho-Corasick automata."""

    lens: str
    theme_ids: tuple[str, ...]
    entries: tuple[Entry, ...]
    automata: Mapping[str, ahocorasick.Automaton] = field(default_factory=dict, repr=False)

    def hits(self, toks: Tokens) -> list[Hit]:
        found: list[Hit] = []
        for line_name, line, starts in (
            ("stem", toks.stem_line, toks.stem_starts),
            ("word", toks.word_line, toks.word_starts),
        ):
            automaton = self.automata.get(line_name)
            if automaton is None or not starts:
                continue
            index = {start: i for i, start in enumerate(starts)}
            for end, (length, entries) in automaton.iter(line):
                first = index.get(end - length + 2)  # the pattern starts with a space
                if first is None:
                    continue
                last = first + entries[0][1] - 1
                found += [Hit(entry, first, last) for entry, _ in entries]
        return found


def compile_lexicon(lens: str, theme_ids: Sequence[str], entries: Iterable[Entry]) -> Lexicon:
    kept = tuple(e for e in entries if e.theme in theme_ids and e.match in MATCHES and e.strength in STRENGTHS)
    patterns: dict[str, dict[str, list]] = {"stem": {}, "word": {}}
    for entry in kept:
        line, pattern = _pattern(entry)
        if pattern.strip():
            patterns[line].setdefault(pattern, []).append((entry, len(pattern.split())))
    automata = {}
    for line, by_pattern in patterns.items():
        if not by_pattern:
            continue
        automaton = ahocorasick.Automaton()
        for pattern, items in by_pattern.items():
            automaton.add_word(pattern, (len(pattern), tuple(items)))
        automaton.make_automaton()
        automata[line] = automaton
    return Lexicon(lens, tuple(theme_ids), kept, automata)


def entries_from_frame(lens: str, frame) -> list[Entry]:
    """The entries of ``lens`` among the rows of the theme-lexicon dataset (the other lens's rows are left out)."""
    rows = frame[frame["lens"] == lens].to_dict("records") if frame is not None else []
    return [Entry(str(r["theme"]), str(r["term"]), str(r["match"]), str(r["strength"]), str(r["reason"])) for r in rows]


def lexicon_from_frame(lens: str, theme_ids: Sequence[str], frame) -> Lexicon:
    """The lexicon of ``lens`` from the rows of the theme-lexicon dataset (the other lens's rows are left out)."""
    return compile_lexicon(lens, theme_ids, entries_from_frame(lens, frame))


def read(text: str, lexicon: Lexicon) -> Reading:
    """Each theme's score and what explains it: the cues found (words as written, the entry and its reason) and the
    cues a negative context cancelled (with that context). Themes with no cue are left out."""
    toks = tokens(text)
    return _explain(toks, lexicon.hits(toks))


def _explain(toks: Tokens, hits: list[Hit]) -> Reading:
    """``read``'s scores and explanations from the cues ``hits`` found in ``toks``."""
    if not hits:
        return {}, {}
    negatives = [h for h in hits if h.entry.strength == "not"]
    cues = [h for h in hits if h.entry.strength != "not"]
    # A cue inside a longer cue of the same theme is that cue's word, not a second cue ("international" in
    # "international cooperation").
    hits = [
        h
        for h in cues
        if not any(
            o is not h
            and o.entry.theme == h.entry.theme
            and o.first <= h.first
            and h.last <= o.last
            and (o.last - o.first, len(o.entry.term)) > (h.last - h.first, len(h.entry.term))
            for o in cues
        )
    ]
    scores: dict[str, float] = {}
    why: dict[str, dict[str, object]] = {}
    seen: set[tuple[str, str]] = set()
    for hit in sorted(hits, key=lambda h: (h.first, -h.last)):
        entry = hit.entry
        words = toks.text[toks.spans[hit.first][0] : toks.spans[hit.last][1]]
        explained = why.setdefault(entry.theme, {"keywords": [], "reason": "", "cues": [], "cancelled": []})
        context = next(
            (n for n in negatives if n.entry.theme == entry.theme and n.first <= hit.first and hit.last <= n.last),
            None,
        )
        if context is not None:
            said = toks.text[toks.spans[context.first][0] : toks.spans[context.last][1]]
            explained["cancelled"].append({"words": words, "context": said, "reason": context.entry.reason})
            continue
        cue = {"words": words, "term": entry.term, "strength": entry.strength, "reason": entry.reason}
        explained["cues"].append(cue)
        if words not in explained["keywords"]:
            explained["keywords"].append(words)
        if (entry.theme, entry.term) not in seen:  # the same entry counts once, however often it occurs
            seen.add((entry.theme, entry.term))
            scores[entry.theme] = scores.get(entry.theme, 0.0) + WEIGHTS[entry.strength]
    return scores, why


def tag(
    text: str, lexicon: Lexicon, overrides: Sequence[themes.TagOverride] = ()
) -> tuple[tuple[str, ...], dict[str, dict[str, object]]]:
    """The themes of one text in the lens's order, and what explains each: the cues of the reader (``keywords``:
    the words as written; ``cues``: each with its entry and reason; ``cancelled``: words a negative context
    cancelled), or for a curated tag without cues the override's written ``reason``."""
    return _decide(read(text, lexicon), lexicon.theme_ids, overrides)


def _decide(
    reading: Reading,
    theme_ids: Sequence[str],
    overrides: Sequence[themes.TagOverride],
) -> tuple[tuple[str, ...], dict[str, dict[str, object]]]:
    """``tag``'s themes and explanations from ``read``'s scores and cues and the overrides."""
    scores, found = reading
    added = {o.theme: o.reason for o in overrides if o.action == "add"}
    removed = {o.theme for o in overrides if o.action == "remove"}
    tags = tuple(t for t in theme_ids if (scores.get(t, 0.0) >= THRESHOLD or t in added) and t not in removed)
    why: dict[str, dict[str, object]] = {}
    for theme_id in tags:
        explained = dict(found.get(theme_id) or {"keywords": [], "reason": "", "cues": [], "cancelled": []})
        if scores.get(theme_id, 0.0) < THRESHOLD:  # a curated tag: its reason explains it
            explained = {"keywords": [], "reason": added.get(theme_id, ""), "cues": [], "cancelled": []}
        why[theme_id] = explained
    return tags, why


def tag_keywords(
    text: str, keywords: Mapping[str, Sequence[str]], overrides: Sequence[themes.TagOverride] = ()
) -> tuple[tuple[str, ...], dict[str, dict[str, object]]]:
    """The themes dataset's own keyword rule (``policylens.themes``): the CGTN article's curated reading, and the
    old reader that ``make eval-themes`` measures the lexicon against."""
    folded = text.casefold()
    added = {o.theme for o in overrides if o.action == "add"}
    possible: dict[str, tuple[str, ...]] = {}
    for theme_id, kws in keywords.items():
        present = tuple(kw for kw in kws if kw.casefold() in folded)
        if present or theme_id in added:
            possible[theme_id] = present
    if not possible:
        return (), {}
    tags = themes.expected_tags(text, possible, overrides)
    return tuple(tags), themes.tag_explanations(text, tags, possible, overrides)


@dataclass(frozen=True)
class BlockTags:
    """The themes of one block and of each of its sentences, with what explains every tag."""

    tags: tuple[str, ...]
    why: Why
    sentences: tuple[tuple[tuple[str, ...], Why], ...]  # (tags, why) of each sentence, in order
    article_paragraph: int | None  # the CGTN paragraph with the same words, whose curated tags apply


def tag_block(block: str, sentences: Sequence[str], ref, *, body: bool) -> BlockTags:
    """The themes of a block (``body``: a body paragraph, not a heading or a note) and of its ``sentences``.

    Under the article lens a body paragraph with the words of a CGTN article paragraph takes the article's curated
    reading (keywords and tag overrides), and each of its sentences with the words of a curated statement takes the
    statement's. Every other block, and every block under the OECD lens, is read by the lens's lexicon (with the
    lens's tag overrides for an article paragraph). A sentence carries those of its paragraph's themes whose cues it
    holds.
    """
    article = ref.article_paragraphs.get(block) if body else None
    overrides = themes.overrides_for(ref.overrides, "paragraphs", article) if article else []
    if ref.lens == "article" and article:
        return _curated_block(block, sentences, ref, article, overrides)
    # The block's words and cues are found once; each sentence's are those within it (``_within``), which is what
    # reading the sentence alone finds (the same words, and every phrase the automaton reports, sub-phrases
    # included), at a third of the time of a 100,000-word text (benchmarks/analyze_speed.py).
    toks = tokens(block)
    hits = ref.lexicon.hits(toks)
    tags, why = _decide(_explain(toks, hits), ref.lexicon.theme_ids, overrides)
    tagged: list[tuple[tuple[str, ...], Why]] = []
    at = 0
    for sentence in sentences:
        start = block.find(sentence, at)
        if start >= 0:
            at = start + len(sentence)
        if sentence == block:
            tagged.append((tags, why))  # a paragraph of one sentence: the same words, the same tags
        elif not tags:
            tagged.append(((), {}))
        else:
            found = _within(toks, hits, start, start + len(sentence)) if start >= 0 else None
            tagged.append(_sentence_tags(found if found is not None else read(sentence, ref.lexicon), tags))
    return BlockTags(tags, why, tuple(tagged), article)


def _within(toks: Tokens, hits: list[Hit], start: int, end: int) -> Reading | None:
    """``read`` of the text's characters ``start`` to ``end`` from the whole text's words and cues: the cues whose
    words all lie there. None when a word runs across either end (then the words would differ: read it alone)."""
    spans = toks.spans
    first = bisect.bisect_left(spans, (start, start))
    last = bisect.bisect_left(spans, (end, end)) - 1
    if (first > 0 and spans[first - 1][1] > start) or (last >= 0 and spans[last][1] > end):
        return None
    return _explain(toks, [h for h in hits if first <= h.first and h.last <= last])


def _sentence_tags(reading: Reading, allowed: Sequence[str]) -> tuple[tuple[str, ...], Why]:
    scores, found = reading
    own = tuple(t for t in allowed if scores.get(t, 0.0) > 0)
    return own, {t: found[t] for t in own}


def _curated_block(block, sentences, ref, article: int, overrides) -> BlockTags:
    keywords = ref.keywords
    tags, why = tag_keywords(block, keywords, overrides)
    own = {t: keywords[t] for t in tags if t in keywords}  # a sentence carries only its paragraph's themes
    tagged: list[tuple[tuple[str, ...], Why]] = []
    for sentence in sentences:
        statement = ref.article_statements.get(sentence)
        if statement:
            extra = themes.overrides_for(ref.overrides, "statements", statement)
            tagged.append(tag_keywords(sentence, keywords, extra))
        elif sentence == block and not overrides:
            tagged.append((tags, why))
        else:
            tagged.append(tag_keywords(sentence, own) if own else ((), {}))
    return BlockTags(tags, why, tuple(tagged), article)
