"""The Story's slide keys (server/slidekeys.py): allowed by the CSP, and the same slot rules as a run's."""

import re

from policylens.present import SHOWN_ATTRIBUTE, SLOT, slot_rules, slot_rules_for
from server import headers, slidekeys


def test_the_script_is_allowed_by_its_hash_and_sits_in_every_page_head():
    policy = headers.content_security_policy("'self'")
    assert headers.script_hash(slidekeys.script()) in policy
    assert slidekeys.tag() == f"<script>{slidekeys.script()}</script>"


def hidden(rules: str) -> set[int]:
    return {int(n) for n in re.findall(rf"\.st-key-{SLOT}(\d) \{{ position: absolute", rules)}


def test_a_run_and_the_browser_hide_the_two_other_slots_each_in_its_own_scope():
    for shown in range(3):
        assert hidden(slot_rules(shown)) == {0, 1, 2} - {shown}
        assert all(line.startswith(f"html:not([{SHOWN_ATTRIBUTE}])") for line in slot_rules(shown).splitlines())
        moved = slot_rules_for(f'html[{SHOWN_ATTRIBUTE}="{shown}"]', shown)
        assert moved in slidekeys._style() and hidden(moved) == {0, 1, 2} - {shown}
    # No :has(): with it, every change of the page cost the browser 200 to 400 ms of style (benchmarks/RESULTS.md).
    assert ":has(" not in slidekeys._style() + slot_rules(0)
