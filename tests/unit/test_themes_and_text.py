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


def test_a_phrase_gives_a_keyword_its_context():
    keywords = {"trade-expo": ["expo", "trustworthy trading"], "global-collaboration": ["collaboration"]}
    assert tag_text("data element circulation and trading", keywords) == {}
    assert tag_text("a platform for forming trustworthy trading", keywords) == {"trade-expo": ["trustworthy trading"]}
    assert tag_text("business either domestically or globally", keywords) == {}


def test_expected_tags_are_keyword_tags_plus_added_minus_removed_in_theme_order():
    from policylens.themes import TagOverride, expected_tags

    keywords = {"innovation": ["new ai"], "trade-expo": ["ciie"], "talent": ["talent"]}
    text = "Chinese entrepreneurs have shared new AI-centric solutions."
    assert expected_tags(text, keywords) == ["innovation"]
    add = TagOverride("paragraphs", "11", "trade-expo", "add", "continues the CIIE account of paragraph 10")
    assert expected_tags(text, keywords, [add]) == ["innovation", "trade-expo"]
    remove = TagOverride("paragraphs", "11", "innovation", "remove", "a reason written out in a sentence")
    assert expected_tags(text, keywords, [add, remove]) == ["trade-expo"]


def test_overrides_are_parsed_and_found_by_item():
    from policylens.themes import overrides_for, parse_overrides

    overrides = parse_overrides(
        [
            {"dataset": "paragraphs", "key": 11, "theme": "trade-expo", "action": "add", "reason": " why "},
            {"dataset": "statements", "key": "s18", "theme": "trade-expo", "action": "add", "reason": "why"},
            "not an entry",
        ]
    )
    assert len(overrides) == 2 and overrides[0].key == "11" and overrides[0].reason == "why"
    assert [o.key for o in overrides_for(overrides, "paragraphs", 11)] == ["11"]
    assert overrides_for(overrides, "paragraphs", "s18") == []
    assert parse_overrides(None) == []


def test_tag_explanations_give_keywords_or_the_curated_reason():
    from policylens.themes import TagOverride, tag_explanations

    keywords = {"innovation": ["new ai"], "trade-expo": ["ciie"]}
    add = TagOverride("paragraphs", "11", "trade-expo", "add", "It continues paragraph 10's account of the CIIE.")
    explained = tag_explanations("shared new AI-centric solutions", ["innovation", "trade-expo"], keywords, [add])
    assert explained == {
        "innovation": {"keywords": ["new ai"], "reason": ""},
        "trade-expo": {"keywords": [], "reason": "It continues paragraph 10's account of the CIIE."},
    }
