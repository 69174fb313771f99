"""A Story slide change shown at the key press: the browser moves to the neighbour slide it already has.

The Story draws the current slide and its neighbours, each in a slot of its own, only the current one shown
(components/story.py ``slides_in_slots``). A change still goes through Streamlit: the button (or its key) reruns the
page, which writes ``slide=`` into the link and draws the new neighbour. This script, in the HTML of every page, shows
the neighbour at once instead of after that run: on Next, Previous, or their keys, when the slot of the slide asked
for holds that slide with its charts drawn, it marks the page (``data-pl-shown`` on ``<html>``, whose rules win over
the run's) and updates the "3 / 10" line. When a run ends showing that slide, the mark goes and the run's own style
shows the same slot. A change the server did not make (its run shows another slide, or no run comes) is undone after
``SETTLE_MS``: the page then shows what the server drew. Without the slide asked for in its slot (a jump, a double
press faster than a run, a first paint), nothing happens here and the run draws the change as before.

The keys are those of the Story's buttons (``shortcut=``), and only when Streamlit would take them (its shortcuts
match the modifiers exactly): not with Shift, Ctrl, Alt or Meta, not in a text field, and only when that button is
on the page and enabled. Once a page has its slots, the script shows the next slot and back in one task (``warm``: no
frame shows it), so that the browser has matched these rules once before the first change. The script's text is
fixed, so the Content-Security-Policy allows it by its hash (server/headers.py).
"""

from __future__ import annotations

import json
from functools import lru_cache

from policylens.present import HELD, SHOWN_ATTRIBUTE, SLOT, STEP_KEYS, slot_rules_for

SETTLE_MS = 3000


def _style() -> str:
    """The slot rules for each value of the page's mark: they apply only while it is set (the run's rules only while
    it is not)."""
    return "\n".join(slot_rules_for(f'html[{SHOWN_ATTRIBUTE}="{shown}"]', shown) for shown in range(3))


@lru_cache(maxsize=1)
def script() -> str:
    # The browser's key -> [the button it presses, slides moved] (policylens/present.py ``STEP_KEYS``).
    keys = ",".join(f"{_js(key)}:[{_js(button)},{delta}]" for button, (_, key, delta) in STEP_KEYS.items())
    return (
        "(function(){var d=document,root=d.documentElement,pending=0,wrote='',timer=0;"
        f"var KEYS={{{keys}}};"
        f"var st=d.createElement('style');st.textContent={_js(_style())};d.head.appendChild(st);"
        "function q(s){return d.querySelector('#root '+s);}"
        f"function current(){{var h=q('.{HELD}[data-current]');return h?+h.getAttribute('data-slide'):0;}}"
        # The slot of slide n, when it holds n and each of its charts is drawn.
        f"function ready(n){{var slot=q('.st-key-{SLOT}'+(n%3));if(!slot)return null;"
        f"var h=slot.querySelector('.{HELD}');if(!h||+h.getAttribute('data-slide')!==n)return null;"
        "var c=slot.querySelectorAll('[data-testid=stPlotlyChart]');"
        "for(var i=0;i<c.length;i++){if(!c[i].querySelector('.main-svg'))return null;}return slot;}"
        "function position(){return q('.st-key-slide-position p');}"
        "function go(delta){var from=pending||current();if(!from||!ready(from+delta))return;"
        f"pending=from+delta;root.setAttribute('{SHOWN_ATTRIBUTE}',String(pending%3));"
        "var p=position();if(p){wrote=p.textContent.replace(/^\\s*\\d+/,String(pending));p.textContent=wrote;}"
        f"clearTimeout(timer);timer=setTimeout(function(){{settle(true);}},{SETTLE_MS});}}"
        # The run agrees (or, forced, the server's slide stands): the run's own style shows the slot.
        "function settle(force){if(!pending||(!force&&current()!==pending))return;"
        f"root.removeAttribute('{SHOWN_ATTRIBUTE}');"
        "var p=position();if(force&&p&&p.textContent===wrote&&current())"
        "p.textContent=p.textContent.replace(/^\\s*\\d+/,String(current()));"
        "pending=0;wrote='';clearTimeout(timer);}"
        "function enabled(name){var b=q('.st-key-'+name+' button');return b&&!b.disabled;}"
        "d.addEventListener('keydown',function(e){var k=KEYS[e.key];"
        "if(!k||e.ctrlKey||e.altKey||e.metaKey||e.shiftKey||e.defaultPrevented)return;var t=e.target;"
        "if(t&&(t.isContentEditable||/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))return;"
        "if(enabled(k[0]))go(k[1]);},true);"
        "d.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest("
        "'.st-key-next button,.st-key-prev button');"
        "if(b&&!b.disabled)go(b.closest('.st-key-next')?1:-1);},true);"
        # Once a page has slots: show the next one and back in one task (no frame shows it), so that the browser
        # has matched these rules once and the first change is as quick as the later ones (benchmarks/RESULTS.md).
        # A neighbour's chart may still be drawing when the run ends: try again for a few seconds.
        "var warmed=0,tries=0;function warm(){var n=current();if(warmed||pending||!n)return;"
        "var to=ready(n+1)?n+1:ready(n-1)?n-1:0;if(!to){if(tries++<40)setTimeout(warm,100);return;}warmed=1;"
        f"root.setAttribute('{SHOWN_ATTRIBUTE}',String(to%3));void d.body.offsetHeight;"
        f"root.removeAttribute('{SHOWN_ATTRIBUTE}');}}"
        "new MutationObserver(function(rs){for(var i=0;i<rs.length;i++){var a=rs[i].target;"
        "if(a.getAttribute('data-test-script-state')==='notRunning'){settle(false);warm();}}})"
        ".observe(d,{subtree:true,attributes:true,attributeFilter:['data-test-script-state']});})();"
    )


def _js(value: str) -> str:
    return json.dumps(value)


def tag() -> str:
    """The script element, for the HTML head."""
    return f"<script>{script()}</script>"
