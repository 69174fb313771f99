"""Analyse a text in a real browser: paste the article, upload real files made here (a .docx, a text PDF, a
non-UTF-8 .txt and every kind of bad file), click the profile chart, download the analysis, and read what is shown.
"""

from __future__ import annotations

import csv
import io
import json
import re

from playwright.sync_api import expect

from policylens.paths import DATA_DIR
from tests.e2e.helpers import act, click_mark, open_page, wait_idle
from tests.unit.test_analyze import OTHER_TEXT, policy_docx, scanned_pdf, text_pdf, zip_bomb_docx

ARTICLE = (DATA_DIR / "paragraphs" / "cgtn-article.txt").read_text(encoding="utf-8")
MIME = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def paste(page, text: str) -> None:
    page.locator(".st-key-analyze-paste textarea").fill(text)
    # act, not settle: a quick run can pass between two frames, and settle would wait 3 s for "running" in vain.
    act(page, lambda: page.get_by_role("button", name="Analyse the pasted text").click())


def upload(page, name: str, content: bytes) -> None:
    files = page.locator(".st-key-analyze-upload input[type=file]")
    # act, not settle: settle waited up to 10 s for a "running" state that a quick run may never show.
    act(
        page,
        lambda: files.set_input_files(
            files=[{"name": name, "mimeType": MIME[name.rsplit(".", 1)[-1]], "buffer": content}]
        ),
        started_within=10_000,
    )


def summary(page):
    return page.locator(".st-key-analyze-summary")


def error(page):
    """The sentence of the error box (its icon's name is text too, so the paragraph alone). Inside the error's own
    content: while a run that brings the box is applied, the container can still hold the elements of the one it
    replaces at its place (the "Forget this text" button of the text analysed before)."""
    return page.locator(".st-key-analyze-error [data-testid=stAlertContentError] [data-testid=stMarkdownContainer]")


def profile_bars(page):
    return page.locator(".st-key-card-analyze-profile g.point path")


def test_the_page_keeps_nothing_and_pasting_the_article_reproduces_its_profile_out_of_the_link(server, page, js_errors):
    open_page(page, server.url + "/analyze")
    # Before any text: what the page keeps, and the article's profile alone (until 2026-12-07 a test of its own
    # opened the page for this; issue 21).
    privacy = page.locator(".st-key-analyze-privacy")
    expect(privacy).to_contain_text("Nothing is stored on the server.")
    expect(privacy).to_contain_text("A shared link does not carry the text")
    expect(privacy).to_contain_text("to share an analysis, download it")
    expect(page.get_by_test_id("stFileUploader").get_by_text("Or upload a file")).to_be_visible()
    expect(profile_bars(page)).to_have_count(11)
    paste(page, ARTICLE)
    expect(summary(page)).to_contain_text("Pasted text: 742 words, 19 paragraphs (and 4 headings or notes)")
    expect(profile_bars(page)).to_have_count(22)  # this text and the article, theme by theme
    card = page.locator(".st-key-card-analyze-profile")
    expect(card.locator("g.legend")).to_contain_text("This text")
    expect(card.locator("g.legend")).to_contain_text("CGTN article")
    labels = "els => els.map(e => e.textContent)"
    text_labels = card.locator("g.trace.bars").nth(0).locator("text").evaluate_all(labels)
    article_labels = card.locator("g.trace.bars").nth(1).locator("text").evaluate_all(labels)
    assert text_labels == article_labels and "42.1% (8)" in text_labels
    # Title, byline and editor's note come first: the fourth block is the article's first paragraph.
    expect(page.locator(".st-key-analyze-paragraph-4")).to_contain_text("¶ 1 · paragraph 1 of the CGTN article")
    assert page.url == server.url + "/analyze"  # no text, no trace of it, in the link
    # A new session from the same link: the text is gone.
    page.reload()
    wait_idle(page)
    expect(summary(page)).to_have_count(0)
    expect(page.get_by_text("Paste a text or upload a file above to see its analysis here.")).to_be_visible()


def test_uploading_a_docx_then_a_text_pdf_shows_paragraphs_tags_figures_with_matches_and_quotes(
    server, page, js_errors
):
    open_page(page, server.url + "/analyze")
    upload(page, "briefing.docx", policy_docx())
    expect(page.locator(".st-key-analyze-source")).to_contain_text("Analysing briefing.docx (80 words)")
    expect(summary(page)).to_contain_text("briefing.docx: 80 words, 4 paragraphs (and 1 heading or note)")
    first = page.locator(".st-key-analyze-paragraph-2")
    expect(first).to_contain_text("¶ 1")
    expect(first).to_contain_text("The 6th CIIE in Shanghai drew 3,486 exhibitors")
    # The words as written: "intended deals" is one phrase of the lexicon (v2), no longer the weak cue "deals".
    expect(first).to_contain_text("Trade & expo: “CIIE”, “exhibitors”, “intended deals”")
    quote_paragraph = page.locator(".st-key-analyze-paragraph-4")
    expect(quote_paragraph).to_contain_text("Privacy: “privacy”, “personal data”")
    expect(quote_paragraph.locator("[class*='stMarkdownColoredBackground']").first).to_have_text("privacy")
    exhibitors = page.locator(".st-key-analyze-figure-1")
    expect(exhibitors).to_contain_text("3,486 exhibitors · Count")
    expect(exhibitors).to_contain_text("CIIE, 6th edition (2023): Exhibitors (Business Exhibition companies): 3,486")
    expect(exhibitors.get_by_role("link", name="Open in Expo (CIIE)")).to_have_attribute(
        "href", re.compile(r"(^|/)expo\?edition=6&metric=exhibitors$")
    )
    share = page.locator("[class*='st-key-analyze-figure-']").filter(has_text="51.7% · Share")
    expect(share).to_contain_text("AI Index 2022 (data year 2021): Patent filings, China: 51.7%")
    quote = page.locator(".st-key-analyze-quote-1")
    expect(quote).to_contain_text("Data security and the privacy of personal data come first,")
    expect(quote).to_contain_text("Li Wei, a deputy minister of commerce")
    expect(profile_bars(page)).to_have_count(22)
    # The same briefing as a PDF with a text layer, on the same page (until 2026-12-07 a test of its own opened the
    # page anew; issue 21): its paragraphs, figures and quote are read from the PDF.
    upload(page, "briefing.pdf", text_pdf())
    expect(summary(page)).to_contain_text("briefing.pdf: 80 words, 4 paragraphs (and 1 heading or note)")
    expect(page.locator(".st-key-analyze-paragraph-3")).to_contain_text(
        "According to the Stanford AI Index 2022, 51.7% of the world's AI patent filings in 2021 were filed in China."
    )
    deals = page.locator("[class*='st-key-analyze-figure-']").filter(has_text="USD 78.41 billion · Amount")
    expect(deals).to_contain_text("CIIE, 6th edition (2023): Intended deals: USD 78.41 bn")
    expect(page.locator(".st-key-analyze-quote-1")).to_contain_text("Li Wei")


BAD_FILES = [
    (
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        "“photo.txt” does not hold plain text (it contains binary data), although its name says it does: upload "
        "the document in its own format (.docx or .pdf), or open it and paste its text.",
    ),
    (
        "scan.pdf",
        scanned_pdf(),
        "“scan.pdf” has no text layer (it looks like a scan, pictures of pages): run it through text recognition "
        "(OCR) first, or paste its text.",
    ),
    (
        "broken.docx",
        b"PK\x03\x04" + b"\x00" * 200,
        "“broken.docx” cannot be opened because it is damaged or is not a Word document: save it again as .docx "
        "from Word or LibreOffice and upload it again, or paste its text.",
    ),
    (
        "bomb.docx",
        zip_bomb_docx(60),
        "“bomb.docx” would unpack to 60.0 MB from 0.1 MB, more than a Word file of text ever does, so it is "
        "refused as a possible zip bomb: save the text as a plain .docx or .txt, or paste it.",
    ),
    (
        "huge.txt",
        b"policy " * (6 * 1024 * 1024 // 7),
        "“huge.txt” is 6.0 MB and the limit is 5 MB: split it into parts, or paste the part you want to analyse.",
    ),
    (
        "empty.md",
        b"",
        "“empty.md” is empty: upload a file that contains text, or paste the text.",
    ),
]


def test_every_bad_file_and_a_file_not_in_utf8_get_their_sentences_and_the_page_stays_usable(server, page, js_errors):
    """Each kind of bad file in turn on one page (a binary .txt, a scanned PDF, a damaged .docx, a zip bomb, a file
    over the limit, an empty file): its sentence, no exception box, no analysis; then a pasted text is analysed,
    so the page stays usable after each; then a text file not in UTF-8 gets its sentence and the same text saved as
    UTF-8 is read; last, an empty paste. (Until 2026-12-06 each case, and the empty paste, opened the page anew, and
    the file not in UTF-8 until 2026-12-07: eight page loads for what one shows.)"""
    open_page(page, server.url + "/analyze")
    for name, content, sentence in BAD_FILES:
        upload(page, name, content)
        expect(error(page)).to_have_text(sentence)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(summary(page)).to_have_count(0)
        paste(page, "Privacy of personal data matters.")
        expect(error(page)).to_have_count(0)
        expect(summary(page)).to_contain_text("Pasted text: 5 words, 1 paragraph")
    # A text file in another encoding (Windows' cp1252) is refused with its sentence; saved as UTF-8, it is read.
    upload(page, "notes.txt", "Données économiques: la vie privée.".encode("cp1252"))
    expect(error(page)).to_have_text(
        "“notes.txt” is not in UTF-8 or UTF-16 (the encodings read here), so its letters would come out wrong: save "
        "it as UTF-8 (Save as, Encoding: UTF-8) and upload it again, or paste its text."
    )
    expect(page.get_by_test_id("stException")).to_have_count(0)
    upload(page, "notes.txt", "\ufeffDonnées économiques: la vie privée, privacy of personal data.".encode())
    expect(error(page)).to_have_count(0)
    expect(summary(page)).to_contain_text("notes.txt: 9 words, 1 paragraph")
    # And an empty paste gets its own sentence.
    paste(page, "   ")
    expect(error(page)).to_have_text("There is no text to analyse: paste a text into the box, or upload a file.")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_clicking_a_profile_bar_sets_the_theme_filter_of_the_sentence_list(server, page, js_errors):
    open_page(page, server.url + "/analyze")
    paste(page, ARTICLE)
    privacy_bar = profile_bars(page).nth(1)  # this text's bars first, in the taxonomy's order: ai-safety, privacy
    click_mark(page, privacy_bar)
    expect(page).to_have_url(re.compile(r"[?&]theme=privacy(&|$)"))
    expect(page.locator(".st-key-analyze-filter")).to_have_text(
        "Theme filter (Privacy): 1 of 19 paragraphs carry one of these themes."
    )
    listed = page.locator(".st-key-analyze-paragraphs [class*='st-key-analyze-paragraph-']")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("¶ 9 · paragraph 9 of the CGTN article")
    expect(page.get_by_test_id("stSidebar").get_by_text("Privacy", exact=True)).to_be_visible()
    # The sentences view follows the same filter, and its choice lands in the link by id.
    select = page.locator(".st-key-show").get_by_role("combobox")
    expect(select).to_have_value("Paragraphs, with the words behind each theme")
    # A mouse click where the select is once the page has stopped moving (the chart above settles its height).
    select.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = select.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] / 2)
    act(page, lambda: page.get_by_role("option", name="Sentences, one row each").click())
    expect(page).to_have_url(re.compile(r"[?&]show=sentences(&|$)"))
    expect(page.locator(".st-key-analyze-filter")).to_have_text(
        "Theme filter (Privacy): 1 of 31 sentences carry one of these themes."
    )
    table = page.locator("[data-testid=stDataFrame]:visible")
    expect(table).to_have_count(1)
    expect(table).to_contain_text("For example, AI-generated content may invade the privacy of personal data.")


def test_the_downloads_hold_the_sentences_and_the_figures_and_quotes(server, page, js_errors):
    open_page(page, server.url + "/analyze")
    paste(page, "\n\n".join(OTHER_TEXT))
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Sentences with their themes (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "analysis-sentences.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert len(rows) == 5
    assert rows[3]["theme_labels"] == "Privacy"
    assert rows[3]["explained_by"] == "Privacy: “privacy”, “personal data”"
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Figures and quotes (JSON)").click()
    document = json.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert [q["speaker"] for q in document["quotes"]] == ["Li Wei"]
    exhibitors = next(f for f in document["figures"] if f["text"] == "3,486 exhibitors")
    assert [(m["dataset"], m["key"]) for m in exhibitors["matches"]] == [("expo", "6|exhibitors")]


def test_a_phone_sees_the_text_box_the_chart_and_the_cards(server, page, js_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, server.url + "/analyze")
    paste(page, "\n\n".join(OTHER_TEXT))
    expect(summary(page)).to_be_visible()
    expect(profile_bars(page)).to_have_count(22)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
