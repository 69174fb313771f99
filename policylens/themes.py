"""Theme tagging by keywords: the rule that explains every theme tag in the data.

A keyword matches case-insensitively where a word starts (``\\b`` + keyword, no end boundary), so ``patent``
matches "patents" but ``art`` does not match "start".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache


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
