"""Theme tagging by keywords: the rule that explains every theme tag in the data.

A keyword matches case-insensitively where a word starts (``\\b`` + keyword, no end boundary), so ``patent``
matches "patents" but ``art`` does not match "start". Keywords are words or phrases: a phrase gives a word its context
("trustworthy trading", not any "trading").

Where no keyword can say it, a tag is curated: the themes dataset's provenance lists ``tag_overrides``, each adding
or removing one theme on one paragraph or statement, with the reason written out. The stored tags of a text are
exactly its keyword tags plus its added tags minus its removed tags (``expected_tags``), and the data tests check it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

OVERRIDE_ACTIONS = ("add", "remove")
# The datasets whose texts carry theme tags, and the column that names an item of each.
TAGGED_DATASETS = {"paragraphs": "paragraph", "statements": "id"}


@lru_cache(maxsize=512)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(keyword), re.IGNORECASE)


def matching_keywords(text: str, keywords: Iterable[str]) -> list[str]:
    """The keywords that occur in ``text``, in the order given."""
    return [kw for kw in keywords if keyword_pattern(kw).search(text)]


def tag_text(text: str, theme_keywords: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Theme id -> the keywords that explain it, for every theme with at least one match."""
    tags = {}
    for theme_id, keywords in theme_keywords.items():
        found = matching_keywords(text, keywords)
        if found:
            tags[theme_id] = found
    return tags


@dataclass(frozen=True)
class TagOverride:
    """One curated tag: ``action`` ("add" or "remove") ``theme`` on item ``key`` of ``dataset``, and why."""

    dataset: str
    key: str
    theme: str
    action: str
    reason: str


def parse_overrides(entries: Iterable[Mapping] | None) -> list[TagOverride]:
    """The ``tag_overrides`` of the themes provenance as TagOverride records (keys as text, blanks kept blank)."""
    return [
        TagOverride(
            str(entry.get("dataset", "")),
            str(entry.get("key", "")),
            str(entry.get("theme", "")),
            str(entry.get("action", "")),
            str(entry.get("reason", "")).strip(),
        )
        for entry in entries or ()
        if isinstance(entry, Mapping)
    ]


def overrides_for(overrides: Iterable[TagOverride], dataset: str, key: object) -> list[TagOverride]:
    """The overrides of one item (a paragraph number or a statement id)."""
    return [o for o in overrides if o.dataset == dataset and o.key == str(key)]


def expected_tags(
    text: str, theme_keywords: Mapping[str, Iterable[str]], overrides: Iterable[TagOverride] = ()
) -> list[str]:
    """The tags a text must carry, in the themes' order: its keyword tags, plus added, minus removed themes."""
    overrides = list(overrides)
    added = {o.theme for o in overrides if o.action == "add"}
    removed = {o.theme for o in overrides if o.action == "remove"}
    found = set(tag_text(text, theme_keywords))
    return [t for t in theme_keywords if (t in found or t in added) and t not in removed]


def tag_explanations(
    text: str,
    tags: Iterable[str],
    theme_keywords: Mapping[str, Iterable[str]],
    overrides: Iterable[TagOverride] = (),
) -> dict[str, dict[str, object]]:
    """Theme id -> what explains the tag: ``{"keywords": [...], "reason": ""}``, or for a curated tag without a
    keyword ``{"keywords": [], "reason": "..."}`` (the override's written reason)."""
    reasons = {o.theme: o.reason for o in overrides if o.action == "add"}
    out: dict[str, dict[str, object]] = {}
    for theme_id in tags:
        found = matching_keywords(text, theme_keywords.get(theme_id, ()))
        out[theme_id] = {"keywords": found, "reason": "" if found else reasons.get(theme_id, "")}
    return out


def keyword_spans(text: str, keywords: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of keyword matches, extended to the end of the matched word."""
    spans = []
    for kw in keywords:
        for match in keyword_pattern(kw).finditer(text):
            end = match.end()
            while end < len(text) and (text[end].isalnum() or text[end] in "-'"):
                end += 1
            spans.append((match.start(), end))
    return merge_spans(spans)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def count_tags(tag_lists: Iterable[Iterable[str]], theme_ids: Iterable[str]) -> dict[str, int]:
    """How many items carry each theme, for every theme id given (0 is a real count); unknown tags are ignored."""
    counts = dict.fromkeys(theme_ids, 0)
    for tags in tag_lists:
        for theme_id in tags or ():
            if theme_id in counts:
                counts[theme_id] += 1
    return counts
