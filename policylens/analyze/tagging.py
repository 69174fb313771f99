"""Theme tagging: which themes a block of text and each of its sentences carry, and what explains each tag.

The tags come from the themes dataset's own rules (``policylens.themes``): the same keywords and explanations as the
curated data, and the curated tag overrides where the words are the CGTN article's own. The rest of the analysis
needs only ``tag`` and ``tag_block``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from policylens import themes
from policylens.analyze.reference import Reference

# theme -> {"keywords": [...], "reason": "..."}: what explains each tag (themes.tag_explanations)
Why = Mapping[str, Mapping[str, object]]


@dataclass(frozen=True)
class BlockTags:
    """The themes of one block and of each of its sentences, with what explains every tag."""

    tags: tuple[str, ...]
    why: Why
    sentences: tuple[tuple[tuple[str, ...], Why], ...]  # (tags, why) of each sentence, in order
    article_paragraph: int | None  # the CGTN paragraph with the same words, whose curated tags apply


def tag(
    text: str, keywords: Mapping[str, Sequence[str]], overrides: Sequence[themes.TagOverride] = ()
) -> tuple[tuple[str, ...], dict[str, dict[str, object]]]:
    """The themes of one text and what explains each, by the themes dataset's own rules (``policylens.themes``).

    The rules are handed only the keywords that occur in the text as a substring (case-folded: every word-start
    match is one) and the themes of curated tags: the same tags and explanations, without searching for the rest.
    """
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


def tag_block(block: str, sentences: Sequence[str], ref: Reference, *, body: bool) -> BlockTags:
    """The themes of a block (``body``: a body paragraph, not a heading or a note) and of its ``sentences``.

    A body paragraph with the words of a CGTN article paragraph takes that paragraph's curated tag overrides, and
    each of its sentences with the words of a curated statement takes the statement's.
    """
    keywords = ref.keywords
    article = ref.article_paragraphs.get(block) if body else None
    overrides = themes.overrides_for(ref.overrides, "paragraphs", article) if article else []
    tags, why = tag(block, keywords, overrides)
    # A sentence carries only themes whose keywords occur in its paragraph: look only for those.
    own = {t: keywords[t] for t in tags if t in keywords}
    tagged: list[tuple[tuple[str, ...], Why]] = []
    for sentence in sentences:
        statement = ref.article_statements.get(sentence) if article else None
        if statement:
            extra = themes.overrides_for(ref.overrides, "statements", statement)
            tagged.append(tag(sentence, keywords, extra))
        elif sentence == block and not overrides:
            tagged.append((tags, why))  # a paragraph of one sentence: the same words, the same tags
        else:
            tagged.append(tag(sentence, own) if own else ((), {}))
    return BlockTags(tags, why, tuple(tagged), article)
