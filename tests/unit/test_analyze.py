"""Analyse a text: reading files, splitting, tagging, figures and their matches, quotes, exports, and the view.

The makers of test files (a .docx through python-docx, a text PDF written by hand, a scanned PDF, a zip bomb) live
here and are used by the browser tests too.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import zipfile

import pytest

from policylens import analyze
from policylens.analyze import InputError
from policylens.paths import DATA_DIR
from policylens.views.analyze import AnalyzeParams, analysis_view, build, reference, toggle_theme
from policylens.views.base import Chart, Control, Data, Records, Table, Text
from policylens.views.shared import SharedParams

ARTICLE = (DATA_DIR / "paragraphs" / "cgtn-article.txt").read_text(encoding="utf-8")
# Another policy text, made up for the tests, with figures the curated data holds and a quote.
OTHER_TEXT = [
    "Commerce ministry briefing on the import expo",
    "The 6th CIIE in Shanghai drew 3,486 exhibitors from 128 countries and regions, and intended deals reached "
    "USD 78.41 billion.",
    "According to the Stanford AI Index 2022, 51.7% of the world's AI patent filings in 2021 were filed in China.",
    "“Data security and the privacy of personal data come first,” said Li Wei, a deputy minister of commerce.",
    "The ministry will train 10,000 skilled technicians by December 2025 to support talent and innovation.",
]


# ---------------------------------------------------------------------------------------------------- test files


def policy_docx(paragraphs=OTHER_TEXT, table_rows=()) -> bytes:
    """A real Word file made with python-docx: the first paragraph as a heading, the rest as paragraphs."""
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for r, row in enumerate(table_rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(content: bytes, font: bool = True) -> bytes:
    """A one-page PDF around a content stream, with a correct cross-reference table (the format, written out)."""
    resources = b"<< /Font << /F1 5 0 R >> >>" if font else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources " + resources + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_pdf(paragraphs=OTHER_TEXT, width: int = 78) -> bytes:
    """A text PDF: each paragraph wrapped into lines of Helvetica, a blank line between paragraphs."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += textwrap.wrap(paragraph, width) + [""]

    def escaped(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT /F1 11 Tf 56 750 Td 14 TL"] + [f"({escaped(line)}) Tj T*" for line in lines] + ["ET"]
    # WinAnsi (cp1252) holds the curly quotes the text uses.
    return _pdf("\n".join(ops).encode("cp1252"))


def scanned_pdf() -> bytes:
    """A PDF page that draws shapes only, as a scan is pictures only: no text layer."""
    return _pdf(b"0.9 g 56 600 500 150 re f 0 g 56 560 500 20 re f", font=False)


def zip_bomb_docx(megabytes: int = 60) -> bytes:
    """A file named .docx whose document part unpacks to ``megabytes`` of zeros from a few kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (megabytes * 1024 * 1024))
    return out.getvalue()


def one_sentence(sentence: str) -> bool:
    """One sentence: no full stop, question or exclamation mark followed by a new sentence inside it."""
    return sentence.endswith(".") and not re.search(r"[.!?] [A-Z]", sentence)


# ---------------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data(frames, provenances) -> Data:
    return Data(frames=dict(frames), provenances=dict(provenances), version="test")


@pytest.fixture(scope="module")
def ref(data):
    return reference(data)


@pytest.fixture(scope="module")
def article(ref):
    return analyze.analyze(ARTICLE, ref)


@pytest.fixture(scope="module")
def other(ref):
    return analyze.analyze("\n\n".join(OTHER_TEXT), ref, source="briefing.docx")


# ---------------------------------------------------------------------------------------------------- params

SHOW_WHY = "show is paragraphs or sentences"
THEME_WHY = "not a theme of the themes or oecd-themes dataset"
LONG = "x" * 10_000


def dropped(params) -> list[tuple[str, str, str]]:
    return [(d.name, d.value, d.reason) for d in params.dropped]


@pytest.mark.parametrize(
    ("query", "expected", "reasons"),
    [
        ({}, {}, []),
        ({"show": ["sentences"]}, {"show": "sentences"}, []),
        ({"show": "sentences"}, {"show": "sentences"}, []),
        ({"show": ["paragraphs"]}, {}, []),
        ({"show": ["Sentences"]}, {}, [("show", "Sentences", SHOW_WHY)]),  # ids are case-sensitive
        ({"show": ["Sentences, one row each"]}, {}, [("show", "Sentences, one row each", SHOW_WHY)]),  # a label
        (
            {"show": ["sentences", "paragraphs"]},
            {"show": "sentences"},
            [("show", "paragraphs", "given more than once; the first value is used")],
        ),  # fmt: skip
        ({"show": ["-0"]}, {}, [("show", "-0", SHOW_WHY)]),
        ({"show": ["1e9"]}, {}, [("show", "1e9", SHOW_WHY)]),
        ({"show": ["NaN"]}, {}, [("show", "NaN", SHOW_WHY)]),
        ({"show": [3]}, {}, [("show", "3", SHOW_WHY)]),
        ({"show": [None]}, {}, [("show", "None", SHOW_WHY)]),
        ({"show": ["sentences\x00"]}, {}, [("show", "sentences", SHOW_WHY)]),  # NUL removed from the report
        ({"show": ["\u202esentences"]}, {}, [("show", "sentences", SHOW_WHY)]),  # a bidi mark
        ({"show": ["sentences\u200b"]}, {}, [("show", "sentences", SHOW_WHY)]),  # a zero-width space
        ({"show": [LONG]}, {}, [("show", "x" * 200, SHOW_WHY)]),  # a 10,000-character value, cut
        ({"show": ["<script>alert(1)</script>"]}, {}, [("show", "<script>alert(1)</script>", SHOW_WHY)]),
        ({"show": ["javascript:alert(1)"]}, {}, [("show", "javascript:alert(1)", SHOW_WHY)]),
        ({"theme": ["privacy"]}, {"theme": ("privacy",)}, []),
        ({"theme": ["talent", "privacy"]}, {"theme": ("privacy", "talent")}, []),  # the taxonomy's order
        ({"theme": ["privacy"] * 300}, {"theme": ("privacy",)}, []),  # hundreds of repeats: one value
        ({"theme": ["Privacy"]}, {}, [("theme", "Privacy", THEME_WHY)]),
        ({"theme": ["[x](javascript:alert(1))"]}, {}, [("theme", "[x](javascript:alert(1))", THEME_WHY)]),
        # The text is never a link parameter: a link that tries to carry one has it dropped, unread.
        ({"text": ["secret draft"]}, {}, [("text", "", "not a parameter of this page")]),
        ({"q": ["privacy"]}, {}, [("q", "", "not a parameter of this page")]),
        ({"present": ["true"], "v": ["abc"], "embed": ["true"]}, {}, []),  # shared and framework keys
    ],
)
def test_params_from_hostile_links(query, expected, reasons):
    params = AnalyzeParams.from_query(query)
    assert params == AnalyzeParams(**expected)
    assert dropped(params) == reasons


def test_links_carry_only_view_choices():
    assert AnalyzeParams.link_names() == ("show", "lens", "theme")
    params = AnalyzeParams(show="sentences", theme=("privacy",))
    # The page writes its own choice; the router writes the shared theme filter.
    assert params.to_query() == [("show", "sentences")]
    assert AnalyzeParams().to_query(pinned=True) == [("show", "paragraphs"), ("lens", "article")]
    assert AnalyzeParams.from_query({"show": ["sentences"], "theme": ["privacy"]}) == params


def test_a_bar_click_toggles_the_shared_theme_filter():
    shared = SharedParams(theme=("talent",))
    added = toggle_theme(shared, [{"customdata": ["privacy", "1"]}])
    assert added.theme == ("privacy", "talent")
    assert toggle_theme(added, [{"customdata": ["privacy", "1"]}]).theme == ("talent",)
    assert toggle_theme(shared, [{"customdata": ["<script>", "1"]}]) == shared
    assert toggle_theme(shared, []) == shared


# ---------------------------------------------------------------------------------------------------- the view


def test_build_says_nothing_is_stored_and_holds_no_text(data):
    view = build(AnalyzeParams(theme=("privacy",)), data)
    texts = " ".join(b.text for b in view.blocks if isinstance(b, Text))
    assert "Nothing is stored on the server" in texts
    assert "A shared link does **not** carry the text" in texts
    assert "to share an analysis, download it" in texts
    assert "5 MB and 200,000 words" in texts.replace("\\", "")
    slot = [b for b in view.blocks if isinstance(b, Records)]
    assert [(b.kind, b.key, b.rows) for b in slot] == [("text-analysis", "analyze-input", ())]
    assert slot[0].options["params"] == view.params
    assert view.summary == (
        "Analyse a text: any policy text read through the CGTN article's themes, figures and quotes (the text itself "
        "is never in the link); showing paragraphs; lens: The article's themes; theme filter: Privacy."
    )


def test_without_a_text_the_view_shows_the_articles_profile(data):
    blocks = analysis_view(None, AnalyzeParams(), data)
    chart = next(b for b in blocks if isinstance(b, Chart))
    assert chart.key == "analyze-profile" and chart.click_shared and chart.click is not None
    assert [trace.name for trace in chart.figure.data] == ["CGTN article"]
    bars = chart.figure.data[0]
    assert dict(zip(bars.y, bars.x, strict=True))["Innovation"] == pytest.approx(42.1)  # 8 of 19 paragraphs
    assert "Innovation 42.1%" in chart.alt


def test_the_view_of_the_article_sets_its_profile_beside_the_curated_one(article, data):
    blocks = analysis_view(article, AnalyzeParams(), data)
    chart = next(b for b in blocks if isinstance(b, Chart))
    text, curated = chart.figure.data
    assert (text.name, curated.name) == ("This text", "CGTN article")
    assert list(text.x) == list(curated.x)
    assert [c[0] for c in text.customdata] == list(analyze.profile_table(article, reference(data))["theme"])
    assert list(chart.table.columns) == [
        "Theme",
        "This text: paragraphs",
        "This text: share (%)",
        "CGTN article: paragraphs",
        "CGTN article: share (%)",
    ]
    summary = next(b for b in blocks if isinstance(b, Text) and b.key == "analyze-summary").text
    assert summary.startswith("Pasted text: **742 words**, **19 paragraphs** (and 4 headings or notes)")
    controls = [b for b in blocks if isinstance(b, Control)]
    assert [(c.name, c.label, dict(c.labels)) for c in controls] == [
        ("lens", "Lens", {"article": "The article's themes", "oecd": "OECD AI Principles (2024)"}),
        (
            "show",
            "Show",
            {"paragraphs": "Paragraphs, with the words behind each theme", "sentences": "Sentences, one row each"},
        ),  # fmt: skip
    ]
    paragraphs = next(b for b in blocks if isinstance(b, Records) and b.kind == "analysis-paragraph")
    assert len(paragraphs.rows) == 23
    eleventh = next(r for r in paragraphs.rows if r["heading"] == "¶ 11 · paragraph 11 of the CGTN article")
    assert "**Trade & expo**: curated: Paragraph 11 continues" in eleventh["why"]
    assert all(row["plain"] for block in blocks if isinstance(block, Records) for row in block.rows)


def test_the_theme_filter_chooses_paragraphs_and_sentences(article, data):
    blocks = analysis_view(article, AnalyzeParams(theme=("privacy",)), data)
    paragraphs = next(b for b in blocks if isinstance(b, Records) and b.kind == "analysis-paragraph")
    assert [r["heading"] for r in paragraphs.rows] == ["¶ 9 · paragraph 9 of the CGTN article"]
    assert ":orange-background[**privacy**]" in paragraphs.rows[0]["text"]
    said = next(b for b in blocks if isinstance(b, Text) and b.key == "analyze-filter").text
    assert said.replace("\\", "") == "Theme filter (Privacy): 1 of 19 paragraphs carry one of these themes."
    blocks = analysis_view(article, AnalyzeParams(show="sentences", theme=("privacy",)), data)
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.key == "analyze-sentences"
    assert list(table.frame["Text"]) == ["For example, AI-generated content may invade the privacy of personal data."]
    assert list(table.frame["Why (the words behind each theme)"]) == ["Privacy: “privacy”, “personal data”"]


def test_figure_and_quote_cards_and_downloads(other, data):
    blocks = analysis_view(other, AnalyzeParams(), data, version="v1")
    figures = next(b for b in blocks if isinstance(b, Records) and b.kind == "analysis-figure")
    exhibitors = next(r for r in figures.rows if r["heading"].startswith("3,486 exhibitors"))
    assert (
        exhibitors["matches"][0]["text"] == r"CIIE, 6th edition \(2023\)\: Exhibitors \(Business Exhibition companies\)"
    )
    assert exhibitors["matches"][0]["page"] == "expo"
    assert exhibitors["matches"][0]["query"] == {"edition": ["6"], "metric": ["exhibitors"]}
    assert ":orange-background[**3,486 exhibitors**]" in exhibitors["sentence"]
    quotes = next(b for b in blocks if isinstance(b, Records) and b.kind == "analysis-quote")
    assert [(r["speaker"], r["role"]) for r in quotes.rows] == [("Li Wei", "a deputy minister of commerce")]
    downloads = next(b for b in blocks if isinstance(b, Records) and b.kind == "analysis-download")
    assert [r["file_name"] for r in downloads.rows] == ["analysis-sentences.csv", "analysis-figures-quotes.json"]
    assert json.loads(downloads.rows[1]["data"])["data_version"] == "v1"


# ---------------------------------------------------------------------------------------------------- the CGTN article


def test_the_articles_tags_agree_with_the_curated_paragraphs(article, frames):
    curated = frames["paragraphs"]
    body = article.body
    assert [p.number for p in body] == list(curated["paragraph"])
    assert [p.article_paragraph for p in body] == list(curated["paragraph"])
    assert [p.tags for p in body] == [tuple(t) for t in curated["themes"]]
    assert [p.text for p in body] == [analyze.normalise(t) for t in curated["text"]]


def test_pasting_the_article_reproduces_its_theme_profile(article, ref):
    assert article.profile() == ref.article_profile()
    table = analyze.profile_table(article, ref)
    assert list(table["This text: share (%)"]) == list(table["CGTN article: share (%)"])
    assert table.set_index("theme").loc["innovation", "This text: paragraphs"] == 8
    # 4 of 19: paragraph 12's trading platform is not an expo item (re-check 2026-12-06, 7.8); was 26.3, 5 of 19
    assert table.set_index("theme").loc["trade-expo", "This text: share (%)"] == 21.1


def test_title_byline_editors_note_and_debris_are_not_paragraphs(article):
    others = [(p.kind, p.text) for p in article.paragraphs if p.kind != "paragraph"]
    assert others[:3] == [
        ("heading", "China's efforts in global technological collaboration"),
        ("heading", "Keke Gai, Jing Yu"),
        ("note", others[2][1]),
    ]
    assert others[2][1].startswith("Editor's note: Keke Gai is a professor")
    assert others[3] == ("heading", "Search Trends")


def test_the_articles_sentences_carry_their_statements_themes(article, frames):
    rows = frames["statements"]
    statements = {analyze.normalise(t): tuple(th) for t, th in zip(rows["text"], rows["themes"], strict=True)}
    matched = [s for s in article.sentences if s.text in statements]
    assert len(matched) >= 23
    assert all(s.tags == statements[s.text] for s in matched)


def test_paragraph_11_keeps_its_curated_tag_with_its_reason(article, ref):
    eleventh = next(p for p in article.body if p.number == 11)
    assert eleventh.tags == ("innovation", "trade-expo")
    assert eleventh.why["innovation"] == {"keywords": ["new ai"], "reason": ""}
    assert eleventh.why["trade-expo"]["keywords"] == []
    assert eleventh.why["trade-expo"]["reason"].startswith("Paragraph 11 continues paragraph 10's account")
    # The same words in another text carry no curated tag: the override belongs to the article's paragraph.
    alone = analyze.analyze("Some words first.\n\n" + eleventh.text + " And more.", ref)
    assert alone.body[1].tags == ("innovation",)


def test_the_articles_figures_are_matched_through_its_curated_claims(article):
    found = {f.text: [(m.dataset, m.key) for m in f.matches] for f in article.figures}
    assert found["November 5 to 10, 2023"][0] == ("expo", "6|dates")
    assert found["Over 3400 enterprises"] == [("expo", "6|exhibitors")]
    assert found["more than 120 countries and regions"] == [("expo", "6|exhibitor_countries_regions")]
    assert found["more than half"] == [("ai-research", "AI Index 2022|patent-filings|China")]
    assert found["2022"] == [("policy-timeline", "2022-12-data-20-measures")]
    over = next(f for f in article.figures if f.text == "Over 3400 enterprises")
    assert (over.kind, over.value, over.unit, over.qualifier) == ("count", 3400.0, "enterprises", "over")
    assert over.matches[0].how == "the curated claim c03 cites this row"
    assert over.matches[0].value == "3,486"


def test_the_articles_quotes_name_their_speakers(article):
    quotes = [(q.speaker, q.role, q.paragraph, q.text.split()[:3]) for q in article.quotes]
    assert quotes == [
        ("Xiaosheng Tan", "the Founder & CEO of Beijing Genius Cyber Tech Co., Ltd.", 9, ["Besides", "the", "booming"]),
        ("Xiaosheng Tan", "the Founder & CEO of Beijing Genius Cyber Tech Co., Ltd.", 9, ["We", "need", "to"]),
        ("Linhua Dong", "CEO of Beijing Muguo Tech Co., Ltd.", 12, ["We", "are", "always"]),
        ("Linhua Dong", "CEO of Beijing Muguo Tech Co., Ltd.", 12, ["Even", "though", "the"]),
    ]
    assert article.quotes[1].how == "continues Xiaosheng Tan's quotation in the same paragraph"
    # The expo's theme in quotation marks is a name, not speech.
    assert all("New Era" not in q.text for q in article.quotes)


# ---------------------------------------------------------------------------------------------------- splitting


def test_paragraphs_are_blocks_between_blank_lines():
    text = "First line\nof one paragraph.\r\n\r\n  Second\u00a0 paragraph.  \n\n\n\nThird."
    assert analyze.split_blocks(text) == ["First line of one paragraph.", "Second paragraph.", "Third."]


def test_without_blank_lines_each_line_is_a_paragraph():
    assert analyze.split_blocks("One sentence.\nAnother one.\n") == ["One sentence.", "Another one."]


def test_a_title_above_its_byline_stays_two_headings():
    assert analyze.split_blocks("A title\nBy Someone\n\nBody text.") == ["A title", "By Someone", "Body text."]


@pytest.mark.parametrize(
    ("block", "kind"),
    [
        ("China's efforts in global technological collaboration", "heading"),
        ("Search Trends", "heading"),
        ("Editor's note: the authors' views.", "note"),
        ("Editor’s Note: curly apostrophe.", "note"),
        ("A short sentence.", "paragraph"),
        ("What is next?", "paragraph"),
        (" ".join(["word"] * 20), "paragraph"),  # a long line without a full stop is still text
    ],
)
def test_block_kinds(block, kind):
    assert analyze.block_kind(block) == kind


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("China filed 51.7% of them. The U.S. filed 16.9%.", ["China filed 51.7% of them.", "The U.S. filed 16.9%."]),
        ("Dr. Li met Mr. Wang. They spoke.", ["Dr. Li met Mr. Wang.", "They spoke."]),
        ("Data, e.g. Tables, count. Yes.", ["Data, e.g. Tables, count.", "Yes."]),
        ("J. Smith wrote it. Then.", ["J. Smith wrote it.", "Then."]),
        ('"We grow." said Dong. "We win."', ['"We grow." said Dong.', '"We win."']),
        ("It ends in 2023. 2024 starts.", ["It ends in 2023.", "2024 starts."]),
        ("Co., Ltd. \u201cWe need it.\u201d", ["Co., Ltd.", "\u201cWe need it.\u201d"]),
        ("lower case. continues here", ["lower case. continues here"]),
        ("", []),
    ],
)
def test_sentences(paragraph, sentences):
    assert analyze.split_sentences(paragraph) == sentences


# ---------------------------------------------------------------------------------------------------- tagging


def test_tags_carry_the_keywords_that_explain_them(ref):
    tags, why = analyze.tag_keywords("AI may invade the Privacy of personal data and patents.", ref.keywords)
    assert tags == ("privacy", "research")
    assert why == {
        "privacy": {"keywords": ["privacy", "personal data"], "reason": ""},
        "research": {"keywords": ["patent"], "reason": ""},
    }


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Business either domestically or globally.", ()),  # 'global' is not a keyword (themes provenance)
        ("Data element circulation and trading.", ("data-infrastructure",)),  # 'trading' alone is not trade-expo
        ("The importance of the start.", ()),  # 'import' and 'art' are not keywords
        ("A blockchain-based platform for trustworthy trading.", ("blockchain",)),  # not trade-expo (re-check 7.8)
        ("SAFETY FIRST", ("ai-safety",)),  # case-insensitive
        ("unsafe", ()),  # at the start of a word only
    ],
)
def test_tagging_follows_the_themes_rules(ref, text, tags):
    assert analyze.tag_keywords(text, ref.keywords)[0] == tags


def test_tag_gives_the_same_result_as_the_themes_module(ref):
    from policylens import themes

    for paragraph in analyze.split_blocks(ARTICLE):
        expected = themes.expected_tags(paragraph, ref.keywords)
        assert list(analyze.tag_keywords(paragraph, ref.keywords)[0]) == expected
        explained = themes.tag_explanations(paragraph, expected, ref.keywords)
        assert analyze.tag_keywords(paragraph, ref.keywords)[1] == explained


# ---------------------------------------------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It drew 3,486 exhibitors.", [("count", "3,486 exhibitors", "3,486 exhibitors")]),
        ("Over 3400 enterprises came.", [("count", "Over 3400 enterprises", "over 3,400 enterprises")]),
        ("China had 51.7% of filings.", [("percent", "51.7%", "51.7%")]),
        ("Up 6.7 percent on last year.", [("percent", "6.7 percent", "6.7%")]),
        ("Deals of USD 78.41 billion were made.", [("amount", "USD 78.41 billion", "USD 78.41 bn")]),
        ("Deals of $78.41bn were made.", [("amount", "$78.41bn", "USD 78.41 bn")]),
        ("About 80 billion U.S. dollars.", [("amount", "About 80 billion U.S. dollars", "about USD 80 bn")]),
        ("RMB 150 billion by 2020.", [("amount", "RMB 150 billion", "CNY 150 bn"), ("date", "2020", "2020")]),
        (
            "From November 5 to 10, 2023 in Shanghai.",
            [("date", "November 5 to 10, 2023", "2023-11-05 to 2023-11-10")],
        ),  # fmt: skip
        ("Dated 2 December 2022.", [("date", "2 December 2022", "2022-12-02")]),
        ("Released in December 2022.", [("date", "December 2022", "2022-12")]),
        ("In force on 2023-08-15.", [("date", "2023-08-15", "2023-08-15")]),
        ("In 2021, China ranked first.", [("date", "2021", "2021")]),
        ("more than half the world's filings", [("percent", "more than half", "more than 50%")]),
        ("a third of the budget", [("percent", "a third", "33.33%")]),
        ("It trains 1.2 million people.", [("count", "1.2 million people", "1,200,000 people")]),
        ("See Article 5 and page 12 of it.", []),  # references count nothing
        ("The 6th CIIE and the 20th Congress.", []),  # ordinals are not counts
        ("Version 3 of 5G rules.", []),
        ("No figures here.", []),
    ],
)
def test_figures_in_a_sentence(sentence, expected):
    found = [(f.kind, f.text, f.normalised) for f in analyze.extract_figures(sentence)]
    assert found == expected


def test_each_figure_keeps_its_sentence_and_place():
    sentence = "It drew 3,486 exhibitors from 128 countries and regions."
    first, second = analyze.extract_figures(sentence, paragraph=4, number=17)
    assert (first.paragraph, first.sentence, first.sentence_text) == (4, 17, sentence)
    assert sentence[first.start : first.end] == "3,486 exhibitors"
    assert (second.text, second.unit, second.value) == ("128 countries and regions", "countries and regions", 128.0)


def _matches(ref, text: str) -> dict[str, list[tuple[str, str, str]]]:
    result = analyze.analyze(text, ref)
    return {f.text: [(m.dataset, m.key, m.how) for m in f.matches] for f in result.figures}


def test_a_count_with_the_same_value_matches_its_expo_row(ref):
    found = _matches(ref, "At the CIIE in Shanghai, 3,486 exhibitors took part.")
    assert found["3,486 exhibitors"] == [("expo", "6|exhibitors", "same value")]


def test_a_share_with_the_same_value_matches_its_ai_research_row(ref):
    found = _matches(ref, "China held 51.7% of the world's AI patent filings, a Stanford report said.")
    how = "same value; the sentence names its area and measure"
    assert found["51.7%"] == [("ai-research", "AI Index 2022|patent-filings|China", how)]


def test_a_deal_amount_matches_its_edition(ref):
    found = _matches(ref, "Intended deals at the import expo reached $78.41 billion.")
    assert found["$78.41 billion"] == [("expo", "6|intended_deals", "same value")]


def test_a_rounded_count_matches_the_edition_the_paragraph_names(ref):
    found = _matches(ref, "The 7th CIIE had over 3,400 companies.")
    assert found["over 3,400 companies"] == [
        ("expo", "7|exhibitors", "close: the text says over 3,400 companies, and names the 7th edition")
    ]


def test_expo_counts_are_matched_only_in_a_text_about_the_expo(ref):
    assert _matches(ref, "The city has 3,486 exhibitors of art.")["3,486 exhibitors"] == []


def test_figures_without_a_curated_row_have_no_match(ref):
    found = _matches(ref, "The ministry will train 10,000 skilled technicians.")
    assert found == {"10,000 skilled technicians": []} or found == {"10,000 skilled": []}


def test_match_words_and_links(other):
    exhibitors = next(f for f in other.figures if f.text == "3,486 exhibitors")
    match = exhibitors.matches[0]
    assert (match.what, match.value, match.confidence) == (
        "CIIE, 6th edition (2023): Exhibitors (Business Exhibition companies)",
        "3,486",
        "verified-in-source",
    )
    assert (match.page, match.query) == ("expo", (("edition", "6"), ("metric", "exhibitors")))
    share = next(f for f in other.figures if f.text == "51.7%").matches[0]
    assert share.what == "AI Index 2022 (data year 2021): Patent filings, China"
    assert share.query == (("measure", "patent-filings"), ("area", "China"), ("edition", "AI Index 2022"))


# ---------------------------------------------------------------------------------------------------- quotes


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("“We will grow,” said Li Wei, a minister. Then more.", [("We will grow,", "Li Wei", "a minister")]),
        ("“We will grow,” Li Wei said.", [("We will grow,", "Li Wei", "")]),
        ("Li Wei told reporters: “Growth comes first.”", [("Growth comes first.", "Li Wei", "")]),
        ("According to Anna Smith, “growth is near.”", [("growth is near.", "Anna Smith", "")]),
        ('"First part," said Ma Jun. "Second part."', [("First part,", "Ma Jun", ""), ("Second part.", "Ma Jun", "")]),
        ("It was called “New Era, Shared Future” by all.", []),  # a name in quotation marks is not speech
        (
            "“A quotation that is long enough to be speech without a name”",
            [("A quotation that is long enough to be speech without a name", "", "")],
        ),  # fmt: skip
    ],
)
def test_quotes_and_their_speakers(paragraph, expected):
    found = [(q.text, q.speaker, q.role) for q in analyze.extract_quotes(paragraph, 1)]
    assert found == expected


# ---------------------------------------------------------------------------------------------------- reading files


def test_text_files_in_utf8_utf8_bom_and_utf16_with_bom():
    text = "Données et vie privée: “privacy” matters."
    assert analyze.read_file("a.txt", text.encode("utf-8")) == text
    assert analyze.read_file("a.txt", text.encode("utf-8-sig")) == text
    assert analyze.read_file("a.txt", text.encode("utf-16")) == text  # with its byte-order mark
    assert analyze.read_file("a.txt", b"\xfe\xff" + text.encode("utf-16-be")) == text


def test_a_text_in_another_encoding_gets_its_sentence():
    with pytest.raises(InputError) as err:
        analyze.read_file("notes.txt", "Données économiques".encode("cp1252"))
    assert err.value.sentence == (
        "“notes.txt” is not in UTF-8 or UTF-16 (the encodings read here), so its letters would come out wrong: save it "
        "as UTF-8 (Save as, Encoding: UTF-8) and upload it again, or paste its text."
    )


def test_a_binary_file_with_a_text_extension_gets_its_sentence():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(InputError) as err:
        analyze.read_file("report.txt", png)
    assert err.value.sentence.startswith("“report.txt” does not hold plain text (it contains binary data)")


@pytest.mark.parametrize(
    ("name", "content", "start"),
    [
        ("empty.txt", b"", "“empty.txt” is empty"),
        ("blank.md", b"  \n\n ", "“blank.md” holds no words to analyse"),
        ("big.txt", b"word " * (1024 * 1024 + 1), "“big.txt” is 5.0 MB and the limit is 5 MB"),
        ("long.txt", b"w " * 200_001, "“long.txt” has 200,001 words and the limit is 200,000"),
        ("old.doc", b"text", "“old.doc” is not a file type read here"),
        ("noextension", b"text", "“noextension” is not a file type read here"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "“broken.docx” cannot be opened because it is damaged"),
        ("broken.pdf", b"%PDF-1.4 garbage", "“broken.pdf” cannot be read because it is damaged"),
        ("../../etc/passwd.txt", b"\x00\x01", "“passwd.txt” does not hold plain text"),
    ],
)
def test_bad_files_get_one_sentence(name, content, start):
    with pytest.raises(InputError) as err:
        analyze.read_file(name, content)
    assert err.value.sentence.startswith(start)
    assert one_sentence(err.value.sentence), err.value.sentence


def test_an_empty_text_gets_its_sentence():
    for text in ("", "   \n\t "):
        with pytest.raises(InputError) as err:
            analyze.check_text(text)
        assert err.value.sentence == "There is no text to analyse: paste a text into the box, or upload a file."


def test_html_keeps_the_visible_text_only():
    page = (
        "<html><head><title>Notice</title><style>p{color:red}</style><script>alert('x')</script></head>"
        "<body><h1>Data &amp; privacy</h1><p>First <b>bold</b> paragraph.</p><div>Second<br>line.</div>"
        "<noscript>Enable JS</noscript><p>Caf&eacute; &#8220;quoted&#8221;.</p><svg><text>chart</text></svg>"
        "</body></html>"
    )
    text = analyze.read_file("notice.html", page.encode("utf-8"))
    assert analyze.split_blocks(text) == [
        "Notice",
        "Data & privacy",
        "First bold paragraph.",
        "Second",
        "line.",
        "Café “quoted”.",
    ]


def test_html_without_closing_head_still_has_its_body():
    assert analyze.html_text("<head><title>T</title><body><p>Body text.</p>") == "T\n\nBody text."


def test_markdown_reads_as_plain_text():
    source = "# A *notice*\nIntro with a [link](https://example.org) and **bold** text.\n\n- item one\n- item two\n"
    assert analyze.split_blocks(analyze.read_file("n.md", source.encode("utf-8"))) == [
        "A notice",
        "Intro with a link and bold text.",
        "item one",
        "item two",
    ]


def test_docx_paragraphs_and_tables(ref):
    content = policy_docx(table_rows=[("Edition", "Exhibitors"), ("6th", "3,486")])
    text = analyze.read_file("briefing.docx", content)
    blocks = analyze.split_blocks(text)
    assert blocks[: len(OTHER_TEXT)] == OTHER_TEXT
    assert blocks[len(OTHER_TEXT) :] == ["Edition", "Exhibitors", "6th", "3,486"]
    result = analyze.analyze(text, ref, source="briefing.docx")
    assert [q.speaker for q in result.quotes] == ["Li Wei"]


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked():
    with pytest.raises(InputError) as err:
        analyze.read_file("bomb.docx", zip_bomb_docx(60))
    assert err.value.sentence.startswith("“bomb.docx” would unpack to 60.0 MB from 0.1 MB")
    assert "refused as a possible zip bomb" in err.value.sentence and one_sentence(err.value.sentence)


def test_a_docx_packed_too_tightly_is_refused_even_when_small():
    with pytest.raises(InputError) as err:
        analyze.read_file("tight.docx", zip_bomb_docx(5))
    assert "refused as a possible zip bomb" in err.value.sentence


def test_a_zip_that_is_not_a_word_document_is_damaged():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(InputError) as err:
        analyze.read_file("other.docx", out.getvalue())
    assert err.value.sentence.startswith("“other.docx” cannot be opened because it is damaged")


def test_a_text_pdf_is_read_paragraph_by_paragraph(ref):
    text = analyze.read_file("briefing.pdf", text_pdf())
    assert analyze.split_blocks(text) == OTHER_TEXT
    result = analyze.analyze(text, ref, source="briefing.pdf")
    assert [f.text for f in result.figures][:3] == [
        "3,486 exhibitors",
        "128 countries and regions",
        "USD 78.41 billion",
    ]


def test_a_scanned_pdf_gets_its_sentence():
    with pytest.raises(InputError) as err:
        analyze.read_file("scan.pdf", scanned_pdf())
    assert err.value.sentence == (
        "“scan.pdf” has no text layer (it looks like a scan, pictures of pages): run it through text recognition "
        "(OCR) first, or paste its text."
    )


# ---------------------------------------------------------------------------------------------------- exports


def test_the_csv_holds_every_sentence_with_its_themes(article, ref):
    rows = list(csv.DictReader(io.StringIO(analyze.sentences_csv(article, ref.labels).decode("utf-8-sig"))))
    assert len(rows) == len(article.sentences) == 31
    privacy = next(r for r in rows if r["text"].startswith("For example, AI-generated content"))
    assert privacy == {
        "sentence": privacy["sentence"],
        "paragraph": "9",
        "part": "paragraph",
        "text": "For example, AI-generated content may invade the privacy of personal data.",
        "themes": "privacy",
        "theme_labels": "Privacy",
        "explained_by": "Privacy: “privacy”, “personal data”",
    }


def test_csv_cells_never_start_a_spreadsheet_formula(ref):
    result = analyze.analyze('=HYPERLINK("http://x") is a formula.\n\n@SUM(A1) too.\n\n+1 more.', ref)
    text = analyze.sentences_csv(result, ref.labels).decode("utf-8-sig")
    cells = [row["text"] for row in csv.DictReader(io.StringIO(text))]
    assert cells == ['\'=HYPERLINK("http://x") is a formula.', "'@SUM(A1) too.", "'+1 more."]


def test_the_json_holds_figures_with_matches_quotes_and_the_profile(other, ref):
    document = json.loads(analyze.analysis_json(other, ref, "v9"))
    assert (document["source"], document["data_version"], document["paragraphs"]) == ("briefing.docx", "v9", 4)
    exhibitors = next(f for f in document["figures"] if f["text"] == "3,486 exhibitors")
    assert exhibitors["matches"][0]["key"] == "6|exhibitors"
    assert exhibitors["sentence_text"].startswith("The 6th CIIE in Shanghai drew 3,486 exhibitors")
    assert document["quotes"] == [
        {
            "text": "Data security and the privacy of personal data come first,",
            "speaker": "Li Wei",
            "role": "a deputy minister of commerce",
            "paragraph": 3,
            "how": "named after the quote",
        }
    ]
    privacy = next(t for t in document["theme_profile"] if t["theme"] == "privacy")
    assert privacy == {
        "theme": "privacy",
        "label": "Privacy",
        "paragraphs": 1,
        "share_pct": 25.0,
        "cgtn_article_paragraphs": 1,
        "cgtn_article_share_pct": 5.3,
    }


def test_a_100000_word_text_is_analysed(ref):
    """The benchmark (benchmarks/analyze_speed.py) times it; here: it is analysed, and within the limits."""
    paragraphs = analyze.split_blocks(ARTICLE)
    text = "\n\n".join(paragraphs * (100_000 // analyze.count_words(ARTICLE) + 1))
    result = analyze.analyze(text, ref)
    assert result.words >= 100_000
    assert len(result.body) % 19 == 0
