from policylens.text import escape_markdown
from policylens.themes import keyword_spans, matching_keywords, tag_text


def test_keywords_match_at_word_start_only():
    assert matching_keywords("AI patent applications", ["patent"]) == ["patent"]
    assert matching_keywords("Patents filed", ["patent"]) == ["patent"]
    assert matching_keywords("competent people", ["patent"]) == []


def test_tag_text_explains_each_tag():
    tags = tag_text(
        "AI-generated content may invade the privacy of personal data.",
        {"privacy": ["privacy", "personal data"], "talent": ["talent"]},
    )
    assert tags == {"privacy": ["privacy", "personal data"]}


def test_keyword_spans_cover_whole_words_and_merge():
    text = "Patents and patent filings"
    spans = keyword_spans(text, ["patent"])
    assert [text[s:e] for s, e in spans] == ["Patents", "patent"]


def test_escape_markdown_keeps_text_literal():
    assert escape_markdown("<script>alert(1)</script>") == r"\<script\>alert\(1\)\</script\>"
    assert escape_markdown("$78.41 bn") == r"\$78\.41 bn"


def test_count_tags_lists_every_theme_and_ignores_unknown_tags():
    from policylens.themes import count_tags

    assert count_tags([("privacy", "talent"), ("talent", "weather"), ()], ["talent", "privacy", "blockchain"]) == {
        "talent": 2,
        "privacy": 1,
        "blockchain": 0,
    }
