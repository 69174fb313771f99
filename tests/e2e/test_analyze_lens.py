"""Analyse a text under both theme lenses in a real browser (issue 19): paste a public text no one here wrote, see
its tags explained by the words behind them, switch the Lens control to the OECD AI Principles and see them again."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import act, open_page

# The Global AI Governance Initiative (Cyberspace Administration of China, 18 October 2023) and the OECD AI
# Principles (OECD/LEGAL/0449, 2024), two short public passages.
PUBLIC_TEXT = (
    "We should increase the representation and voice of developing countries in global AI governance. Efforts "
    "should be made to conduct international cooperation with and provide assistance to developing countries.\n\n"
    "Governments should work closely with stakeholders to prepare for the transformation of the world of work. "
    "They should empower people to use AI systems by equipping them with the necessary skills.\n\n"
    "AI systems should be robust, secure and safe throughout their entire lifecycle, and AI actors should be "
    "accountable for their proper functioning."
)


def paste(page, text: str) -> None:
    page.locator(".st-key-analyze-paste textarea").fill(text)
    # act, not settle: a quick run can pass between two frames, and settle would wait 3 s for "running" in vain.
    act(page, lambda: page.get_by_role("button", name="Analyse the pasted text").click())


def choose(page, key: str, option: str) -> None:
    select = page.locator(f".st-key-{key}").get_by_role("combobox")
    select.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = select.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + box["height"] / 2)
    act(page, lambda: page.get_by_role("option", name=option).click())


def test_a_public_text_gets_explained_tags_under_both_lenses(server, page, js_errors):
    open_page(page, server.url + "/analyze")
    paste(page, PUBLIC_TEXT)
    first = page.locator(".st-key-analyze-paragraph-1")
    expect(first).to_contain_text("Global collaboration")
    expect(first).to_contain_text("“developing countries”")
    expect(first).to_contain_text("“international cooperation”")
    second = page.locator(".st-key-analyze-paragraph-2")
    expect(second).to_contain_text("Talent")
    expect(second).to_contain_text("“skills”")
    third = page.locator(".st-key-analyze-paragraph-3")
    expect(third).to_contain_text("AI safety")
    expect(third).to_contain_text("“robust”")
    expect(page.locator(".st-key-lens").get_by_role("combobox")).to_have_value("The article's themes")

    choose(page, "lens", "OECD AI Principles (2024)")
    expect(page).to_have_url(re.compile(r"[?&]lens=oecd(&|$)"))
    expect(first).to_contain_text("International co-operation")
    expect(first).to_contain_text("“developing countries”")
    expect(second).to_contain_text("Human capacity and labour market")
    expect(second).to_contain_text("“world of work”")
    expect(third).to_contain_text("Robustness, security and safety")
    expect(third).to_contain_text("Accountability")
    expect(third).to_contain_text("“accountable”")
    # The profile chart still compares the text with the CGTN article, now under the OECD principles.
    expect(page.locator(".st-key-card-analyze-profile")).to_contain_text("CGTN article")
