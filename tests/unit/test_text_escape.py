"""Escaped text renders literally in Streamlit's Markdown, bare addresses included (checked in the browser:
GitHub-flavoured Markdown links "https\\://x", "www\\.x" and "a@x\\.y" after reading the escapes)."""

import pytest

from policylens.text import WORD_JOINER, escape_markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("https://evil.example/x", f"https\\:{WORD_JOINER}//evil\\.example/x"),
        ("HTTP://a.b", f"HTTP\\:{WORD_JOINER}//a\\.b"),
        ("www.gov.cn", f"www{WORD_JOINER}\\.gov\\.cn"),
        ("WWW.x", f"WWW{WORD_JOINER}\\.x"),
        ("name@host.example", f"name@{WORD_JOINER}host\\.example"),
        (
            "dzrgw.cn (attributes the text to www.gov.cn)",
            f"dzrgw\\.cn \\(attributes the text to www{WORD_JOINER}\\.gov\\.cn\\)",
        ),
        ("3.5 x: y", "3\\.5 x\\: y"),
    ],
)
def test_bare_addresses_are_broken_so_markdown_does_not_link_them(text, escaped):
    assert escape_markdown(text) == escaped
    # Read back as text (escapes resolved, the invisible joiner dropped), it is the same text.
    assert escape_markdown(text).replace(WORD_JOINER, "").replace("\\", "") == text


def test_a_link_label_keeps_its_address_words_and_no_link_gives_escaped_text():
    from policylens.text import markdown_link

    # Inside a link's text Markdown links nothing else: the label needs no word joiner.
    assert markdown_link("www.gov.cn", "https://www.gov.cn") == "[www\\.gov\\.cn](https://www.gov.cn)"
    # Without an http(s) address the label is plain text, where a bare address would be linked: it is broken.
    assert markdown_link("www.gov.cn", "javascript:alert(1)") == f"www{WORD_JOINER}\\.gov\\.cn"
