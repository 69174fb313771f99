"""Themes in a real browser: a paragraph opened from the link or from a grid click, the keywords table, 390 px."""

import re

from playwright.sync_api import expect

from policylens import datasets
from policylens.paths import DATA_DIR
from policylens.reader import grid_table
from tests.e2e.helpers import open_page, wait_idle


def test_paragraph_from_link_is_opened(server, page, js_errors):
    open_page(page, server.url + "/themes?paragraph=9")
    opened = page.locator(".st-key-opened-paragraph")
    expect(opened.get_by_role("heading", name="Paragraph 9")).to_be_visible()
    expect(opened).to_contain_text("said Xiaosheng Tan, the Founder & CEO of Beijing Genius Cyber Tech Co., Ltd.")
    expect(opened.locator("mark[data-theme=privacy]").first).to_have_text("privacy")
    expect(opened.locator("[class*='st-key-statement-s']")).to_have_count(5)
    # The picker shows the paragraph's first words; the link keeps the number.
    expect(page.locator(".st-key-paragraph input")).to_have_value(re.compile(r"^Paragraph 9: "))
    expect(page).to_have_url(re.compile(r"[?&]paragraph=9(&|$)"))


def test_clicking_a_grid_cell_opens_its_paragraph(server, page, js_errors):
    cells = grid_table(datasets.load_dataset("paragraphs", DATA_DIR), datasets.load_dataset("themes", DATA_DIR))
    target = next(i for i, row in enumerate(cells.itertuples()) if row.paragraph == 12 and row.theme == "blockchain")
    open_page(page, server.url + "/themes")
    expect(page.locator(".st-key-opened-paragraph")).to_have_count(0)
    points = page.locator(".st-key-card-themes-grid g.points path.point")
    expect(points).to_have_count(len(cells))
    points.nth(target).scroll_into_view_if_needed()  # the Lens control above the grid can push it below the fold
    box = points.nth(target).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"[?&]paragraph=12(&|$)"))
    opened = page.locator(".st-key-opened-paragraph")
    expect(opened.get_by_role("heading", name="Paragraph 12")).to_be_visible()
    expect(opened).to_contain_text("said Linhua Dong")
