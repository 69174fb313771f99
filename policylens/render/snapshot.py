"""The first paint of a page link: the static drawing of its exact view, sent with the HTML before any script runs.

A shared link's reader would otherwise see nothing until Streamlit's bundle, its websocket and the page's first run
have all arrived (9 to 17 s in Lighthouse's mobile run; benchmarks/RESULTS.md). The server writes this drawing right
after ``<body>``, outside ``#root`` where the app mounts: the view's title, the values of its controls, its text,
each chart as a picture (SVG, light and dark, wide and narrow, each at its own cached address, the browser fetching
the one that fits; ``policylens.render.pictures``) with its alt text and source line, its tables and cards, the line
naming the link's ignored values, and links to the other pages. Readers without JavaScript and crawlers get it too.
A chart whose pictures are not drawn yet is drawn in words; so is every chart of a warm visit's drawing (``in_words``:
the browser has the bundle and draws the live chart within about a second), in the picture's box.

Hand-over (``SCRIPT``, one inline script allowed by its hash): on a browser's first visit, Streamlit's module script and
preloads are made inert (``defer_scripts``) and started once the first paint is on screen, so that nothing competes with
it; a browser that has loaded this build of the bundle before (server/firstpaint.py: a cookie naming it) has it in its
cache, and gets the scripts where Streamlit put them, so its warm load starts them as early as Streamlit's own page does
(benchmarks/RESULTS.md, 2026-12-06 10:00). While
the drawing is in the page, the live app under it is covered (``cover``: ``inert`` keeps focus and screen readers to
one copy, opacity 0 keeps its shifts out of sight and out of CLS); once the app has drawn its first run (the router's
marker at the end of the run, and the first chart drawn by Plotly, which first draws hidden; on a page without a
chart, 300 ms after the marker, as its last elements settle), the drawing is removed for good. An app that fails (an
exception, a lost connection) uncovers itself at once; a chart that never draws, 20 s after the run ended. Pure:
nothing here imports Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from policylens.render import markup
from policylens.render.markup import escape
from policylens.render.pictures import PICTURE_PREFIX, ViewPictures, picture_name
from policylens.views.base import Chart, Control, Records, Table, Text, View, dropped_sentence

ID = "pl-snapshot"
COVERED = "data-pl-covered"  # with ``inert``, on ``#root`` while the drawing is up (``cover``)
MARKER = "pl-drawn"  # the class of the element the router writes at the end of every run
TABLE_ROWS = 12  # rows of a table in the drawing; the live page has the rest
RECORDS_SHOWN = 12  # cards of a list in the drawing

SCRIPT = (
    "(function(){var d=document,started=0;"
    # Streamlit's scripts, started once the first paint is on screen (its paint timing entry: the frame presented,
    # not only drawn), or after the first frame where a browser has no paint timing. A tab that is not shown paints
    # nothing: it starts them at once. A shown page that never paints (an iframe out of sight) starts them after 3 s.
    # (A 300 ms fallback, and then the frame drawn but not yet presented, used to start them before a late first
    # paint, as /policy's is on a loaded machine, and Lighthouse then counted every script as blocking it:
    # benchmarks/RESULTS.md, 2026-12-07 15:24 to 17:50.)
    "function start(){if(started)return;started=1;var h=d.head;"
    "d.querySelectorAll('link[data-pl-preload]').forEach(function(o){var n=d.createElement('link');"
    "n.rel='modulepreload';n.href=o.getAttribute('href');n.crossOrigin='';h.appendChild(n);});"
    "d.querySelectorAll('script[data-pl-module]').forEach(function(o){var n=d.createElement('script');"
    "n.type='module';n.crossOrigin='';n.src=o.getAttribute('data-pl-module');h.appendChild(n);});}"
    "var P=window.PerformanceObserver;if(d.visibilityState==='hidden')start();"
    "else if(P&&(P.supportedEntryTypes||[]).indexOf('paint')>=0)new P(function(l,o){"
    "if(l.getEntriesByName('first-contentful-paint').length){o.disconnect();setTimeout(start,0);}})"
    ".observe({type:'paint',buffered:true});"
    "else requestAnimationFrame(function(){setTimeout(start,0);});setTimeout(start,3000);"
    # The hand-over: once the live app has drawn its first run, the drawing goes.
    "var ended=0;function live(s){var app=d.querySelector('#root [data-testid=stApp]');if(!app)return 0;"
    "if(app.getAttribute('data-test-connection-state')==='DISCONNECTED_FOREVER'"
    "||d.querySelector('#root [data-testid=stException]'))return 1;"
    f"if(!d.querySelector('#root .{MARKER}'))return 0;"
    # A page without a chart settles for a few frames after its run's last element: hand over 300 ms later.
    "ended=ended||Date.now();if(!+s.getAttribute('data-charts'))return Date.now()-ended>300;"
    "var plots=d.querySelectorAll('#root [data-testid=stPlotlyChart] .js-plotly-plot');"
    "for(var i=0;i<plots.length;i++){if(!/visibility/.test(plots[i].getAttribute('style')||''))return 1;}"
    "return Date.now()-ended>20000;}"
    # Handing over uncovers the live app and drops the drawing's rules, so none is left to match (its font's face
    # stays: see ``head``).
    "function uncover(){var r=d.getElementById('root'),st=d.getElementById('pl-snapshot-style');"
    f"if(r){{r.removeAttribute('inert');r.removeAttribute('{COVERED}');}}if(st)st.remove();}}"
    f"function watch(){{var s=d.getElementById('{ID}');if(!s){{uncover();return;}}"
    "var t=setInterval(function(){if(live(s)){clearInterval(t);s.remove();uncover();}},50);}"
    "if(d.readyState==='loading')d.addEventListener('DOMContentLoaded',watch);else watch();})();"
)

# Streamlit 1.67's look: its light and dark backgrounds, text and sidebar colours, its column at each width.
# The live app under the drawing, covered (``cover``): in the page's style whether the drawing is in it or framed.
COVER_STYLE = f"\n#root[{COVERED}] {{ opacity: 0 !important; }}"

STYLE = (
    COVER_STYLE
    + """
#pl-snapshot { position: fixed; inset: 0; z-index: 1000100; overflow-y: auto; display: flex;
  background: #fff; color: #31333F; color-scheme: light;
  font-family: "PL Source Sans", "Source Sans Pro", -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 1rem; line-height: 1.6; -webkit-text-size-adjust: 100%; }
#pl-snapshot nav { flex: 0 0 300px; box-sizing: border-box; min-height: 100%; padding: 4.6rem 1.5rem 2rem;
  background: #F8F8F7; }
#pl-snapshot nav ul { list-style: none; margin: 0; padding: 0; }
#pl-snapshot nav a { display: block; padding: .2rem .5rem; margin: .125rem 0; border-radius: .5rem;
  color: inherit; text-decoration: none; font-size: .875rem; line-height: 1.6rem; }
#pl-snapshot nav a[aria-current] { background: rgba(49, 51, 63, .1); font-weight: 600; }
#pl-snapshot main { flex: 1 1 auto; min-width: 0; box-sizing: border-box; padding: 6rem 5rem 4rem; }
#pl-snapshot h1 { font-size: 2.75rem; font-weight: 700; line-height: 1.2; margin: 0; padding: 1.25rem 0 1rem; }
#pl-snapshot h2 { font-size: 2.25rem; font-weight: 600; line-height: 1.2; margin: 1rem 0 .5rem; }
#pl-snapshot h3 { font-size: 1.75rem; font-weight: 600; line-height: 1.2; margin: .75rem 0 .5rem; }
#pl-snapshot h4, #pl-snapshot h5, #pl-snapshot h6 { font-size: 1.25rem; margin: .5rem 0; }
#pl-snapshot p, #pl-snapshot ul { margin: 0 0 1rem; }
#pl-snapshot a { color: #0054A3; }
#pl-snapshot .pl-caption { font-size: .875rem; color: #66635F; }
#pl-snapshot .pl-note { padding: 1rem; border-radius: .5rem; background: rgba(28, 131, 225, .1); }
#pl-snapshot .pl-control { margin: 0 0 1rem; }
#pl-snapshot .pl-control span { display: block; font-size: .875rem; margin-bottom: .25rem; }
#pl-snapshot .pl-control div { box-sizing: border-box; min-height: 2.5rem; padding: .45rem .75rem;
  border-radius: .5rem; background: #F8F8F7; border: 1px solid #E6E5E2; }
#pl-snapshot figure { margin: 0 0 1rem; }
#pl-snapshot figure img { display: block; width: 100%; height: auto; }
#pl-snapshot figcaption { font-size: .875rem; color: #66635F; }
#pl-snapshot .pl-chart-words { border: 1px dashed #C8C7C3; border-radius: .5rem; padding: 1rem; }
#pl-snapshot .pl-chart-words[style] { box-sizing: border-box; margin: 0; overflow: hidden;
  aspect-ratio: var(--pl-wide); }
#pl-snapshot table { border-collapse: collapse; width: 100%; font-size: .875rem; margin: 0 0 1rem; }
#pl-snapshot td, #pl-snapshot th { border: 1px solid #E6E5E2; padding: .25rem .5rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
#pl-snapshot .record { border-left: 4px solid #0072B2; padding-left: .8rem; margin: 0 0 .8rem; }
@media (prefers-color-scheme: dark) {
  #pl-snapshot { background: #171614; color: #FAFAFA; color-scheme: dark; }
  #pl-snapshot nav { background: #1F1E1C; }
  #pl-snapshot nav a[aria-current] { background: rgba(250, 250, 250, .12); }
  #pl-snapshot a { color: #6CB4F5; }
  #pl-snapshot .pl-caption, #pl-snapshot figcaption { color: #A8A5A0; }
  #pl-snapshot .pl-control div { background: #1F1E1C; border-color: #3A3936; }
  #pl-snapshot td, #pl-snapshot th { border-color: #3A3936; }
}
@media (max-width: 767.98px) {
  #pl-snapshot nav { display: none; }
  #pl-snapshot main { padding: 6rem 1rem 3rem; }
  #pl-snapshot h1 { font-size: 2.25rem; }
  #pl-snapshot .pl-chart-words[style] { aspect-ratio: var(--pl-narrow); }
}
#pl-snapshot.pl-present { font-size: 20px; }
#pl-snapshot.pl-present nav { display: none; }
#pl-snapshot.pl-present main { padding: 1.5rem 5rem 2rem; font-size: 20px; }
@media (max-width: 767.98px) { #pl-snapshot.pl-present main { padding: 1.5rem 1rem 2rem; } }
/* A presented slide (components/shell.py's slide style): one screen, below the slide's button row. */
#pl-snapshot.pl-slide main { padding: 3.7rem 2rem .6rem; font-size: clamp(16px, 1.85vh, 28px); }
#pl-snapshot.pl-slide h1 { font-size: clamp(1.4rem, min(5.2vh, 4.2vw), 3.2rem); line-height: 1.15; padding: 0 0 .4rem; }
#pl-snapshot.pl-slide main > :is(h2, h3) { font-size: clamp(1rem, min(2.9vh, 2.4vw), 1.9rem); margin: 0 0 .4rem; }
#pl-snapshot.pl-slide figure img { width: auto; max-width: 100%; max-height: calc(100vh - 15rem); }
#pl-snapshot.pl-slide .pl-chart-words[style] { max-height: calc(100vh - 15rem); }
/* The view's blocks: the browser lays out and paints only those near the screen, the rest when scrolled to
   (``content-visibility``; still in the page for find, screen readers and readers without JavaScript). Laying out
   the whole drawing first was most of what it cost a warm load (benchmarks/RESULTS.md, 2026-12-06 18:00). A block's
   height until then is a guess, remembered once drawn (``auto``). Empty blocks are left alone: containment would
   stop their margins collapsing. */
#pl-snapshot main > :not(:empty) { content-visibility: auto; contain-intrinsic-block-size: auto 4rem; }
#pl-snapshot main > :is(.pl-table, .records) { contain-intrinsic-block-size: auto 40rem; }
#pl-snapshot main > figure { contain-intrinsic-block-size: auto 25rem; }
/* Containment keeps a block's last margin inside it: moved onto the block, so nothing moves. */
#pl-snapshot main > :is(.pl-caption, .records) > :last-child { margin-bottom: 0; }
#pl-snapshot main > div.pl-caption { margin-bottom: 1rem; }
#pl-snapshot main > .records { margin-bottom: .8rem; }
#pl-snapshot main > .pl-table { margin-bottom: 1rem; overflow-x: auto; }  /* containment clips: scroll instead */
#pl-snapshot .pl-table > table { margin: 0; }
"""
)

_PRELOAD = re.compile(rb'<link rel="modulepreload" (crossorigin )?href="([^"]+)">')
_MODULE = re.compile(rb'<script type="module" crossorigin src="([^"]+)"></script>')
_FONT = re.compile(rb'<link\s+rel="preload"\s+href="([^"]+\.woff2)"', re.DOTALL)


def bundle_name(index_html: bytes) -> str:
    """The file name of Streamlit's module script (its content hash is in it: a new build is a new name); '' if none."""
    found = _MODULE.search(index_html)
    return found.group(1).decode("ascii", "replace").rsplit("/", 1)[-1] if found else ""


def defer_scripts(index_html: bytes) -> bytes:
    """Streamlit's index.html with its module script and preloads made inert (``SCRIPT`` starts them)."""
    index_html = _MODULE.sub(
        lambda m: b'<script type="text/plain" data-pl-module="' + m.group(1) + b'"></script>', index_html
    )
    return _PRELOAD.sub(lambda m: b'<link data-pl-preload href="' + m.group(2) + b'">', index_html)


def cover(index_html: bytes) -> bytes:
    """``#root`` made inert and transparent until the hand-over: one copy of the page for focus, screen readers and
    the eye. Opacity, not ``visibility``, because Streamlit sets some of its elements visible, and one attribute rule,
    not a rule on every descendant: a ``#root *`` rule (or ``body:has(...)``) costs every style pass of the live page
    (benchmarks/RESULTS.md, 2026-12-06 07:00)."""
    return index_html.replace(b'<div id="root">', f'<div id="root" inert {COVERED}>'.encode("ascii"), 1)


FONT_STYLE_ID = "pl-snapshot-font"

# A warm visit's page around the drawing's own document (``framed``): the live app covered, the frame over it.
FRAME_STYLE = (
    COVER_STYLE
    + """
iframe#pl-snapshot { position: fixed; inset: 0; z-index: 1000100; display: block; width: 100%; height: 100%;
  border: 0; padding: 0; margin: 0; background: #fff; }
@media (prefers-color-scheme: dark) { iframe#pl-snapshot { background: #171614; } }
"""
)


def font_face(index_html: bytes) -> str:
    """Streamlit's own font (which its HTML preloads), under the drawing's own family name, in a ``<style>`` of its
    own; '' when the HTML names no font."""
    font = _FONT.search(index_html)
    if not font:
        return ""
    return (
        f'<style id="{FONT_STYLE_ID}">@font-face {{ font-family: "PL Source Sans"; font-display: optional; '
        f'font-weight: 200 900; src: url("{font.group(1).decode("ascii")}") format("woff2"); }}</style>'
    )


def head(index_html: bytes, script_tag: str, *, framed: bool = False) -> str:
    """The style, Streamlit's own font and the hand-over script, for ``<head>``. The font's ``@font-face`` has a
    ``<style>`` of its own, which the hand-over leaves: removing an ``@font-face`` makes the browser lay out every
    text of the live page again (17 to 35 ms on a warm load; benchmarks/RESULTS.md, 2026-12-06 18:00), and a face no
    rule names costs nothing. A page whose drawing is ``framed`` carries its style and font in the frame's document,
    and only the frame's place here."""
    if framed:
        return f'<style id="pl-snapshot-style">{FRAME_STYLE}</style>{script_tag}'
    return f'{font_face(index_html)}<style id="pl-snapshot-style">{STYLE}</style>{script_tag}'


def framed(drawing: str, title: str, charts: int, face: str) -> str:
    """``drawing`` in a document of its own (an ``<iframe srcdoc>``), for a warm visit. In the page, the drawing's
    text was laid out and styled again each time the live app's fonts and stylesheets arrived under it: two to five
    frames of a warm load's main thread. In a document of its own, the browser lays out its first screen once, and
    the live page's fonts and rules never reach it (benchmarks/RESULTS.md, 2026-12-07 20:28). Its links open in the
    page (``<base target="_parent">``: the app's page, not the window of a site that embeds it) and resolve against
    the page's address; the frame is named after the view, and is removed at the hand-over like the drawing itself.
    No script runs in it."""
    document = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><base target="_parent">'
        f"<title>{escape(title)}</title>{face}<style>html, body {{ margin: 0; }}</style>"
        f'<style id="pl-snapshot-style">{STYLE}</style></head><body>{drawing}</body></html>'
    )
    return f'<iframe id="{ID}" data-charts="{charts}" title="{escape(title)}" srcdoc="{escape(document)}"></iframe>'


# A chart's pictures in a ``<picture>``: the browser fetches only the first source whose media query fits (then the
# ``<img>``, the wide light one), so the HTML carries four addresses, not four pictures.
SOURCES = (
    ("narrow-dark", "(max-width: 767.98px) and (prefers-color-scheme: dark)"),
    ("narrow", "(max-width: 767.98px)"),
    ("wide-dark", "(prefers-color-scheme: dark)"),
)


def picture_src(variant: str, svg: bytes) -> str:
    """A picture's address relative to the page (a host's path prefix kept), served by server/firstpaint.py."""
    return "./" + PICTURE_PREFIX + picture_name(variant, svg)


def _chart(chart: Chart, pictures: Mapping[str, bytes] | None, eager: bool, in_words: bool = False) -> str:
    heading = f"<h2>{markup.escape(chart.heading)}</h2>" if chart.heading else ""
    alt = escape(chart.alt or chart.title)
    if pictures and "wide" in pictures and not in_words:
        sources = []
        for name, media in SOURCES:
            if name in pictures:
                width, height = _svg_size(pictures[name])
                sources.append(
                    f'<source media="{media}" srcset="{escape(picture_src(name, pictures[name]))}" '
                    f'width="{width}" height="{height}">'
                )
        width, height = _svg_size(pictures["wide"])
        # The first chart is the view's largest paint: fetched first, before the fonts and Streamlit's scripts.
        loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
        body = (
            f'<picture>{"".join(sources)}<img src="{escape(picture_src("wide", pictures["wide"]))}" alt="{alt}" '
            f'width="{width}" height="{height}"{loading}></picture>'
        )
    else:  # not drawn yet (or no browser here), or a warm visit: the chart in words
        # Drawn but left out (a warm visit): the words keep the picture's place, so nothing below them moves when
        # the live chart takes over (the STYLE's ``aspect-ratio``, wide or narrow).
        place = ""
        if pictures and "wide" in pictures:
            wide = _svg_size(pictures["wide"])
            narrow = _svg_size(pictures["narrow"]) if "narrow" in pictures else wide
            place = f' style="--pl-wide: {wide[0]} / {wide[1]}; --pl-narrow: {narrow[0]} / {narrow[1]}"'
        body = (
            f'<p class="pl-chart-words" role="img" aria-label="{alt}"{place}><strong>{escape(chart.title)}</strong>'
            f"<br>{escape(chart.alt)}</p>"
        )
    caption = f'<p class="pl-caption">{markup.markdown_html(chart.caption)}</p>' if chart.caption else ""
    return f"{heading}<figure>{body}<figcaption>Source: {escape(chart.source)}</figcaption></figure>{caption}"


_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)"[^>]*?height="([\d.]+)"')


def _svg_size(svg: bytes) -> tuple[int, int]:
    found = _SIZE.search(svg[:2000])
    return (round(float(found.group(1))), round(float(found.group(2)))) if found else (900, 450)


def _text(block: Text) -> str:
    if block.style == "caption":
        return f'<div class="pl-caption">{markup.markdown_html(block.text)}</div>'
    if block.style in ("info", "warning"):
        return f'<div class="pl-note">{markup.markdown_html(block.text)}</div>'
    level = {"title": 1, "header": 2, "subheader": 3}.get(block.style)
    if level:
        words = markup.plain_text(block.text).lstrip("#").strip()
        return f"<h{level}>{escape(words)}</h{level}>"
    return markup.markdown_html(block.text, heading_shift=1)


def _control(block: Control, view: View) -> str:
    value = getattr(view.params, block.name, None)
    values = value if isinstance(value, tuple) else () if value in (None, "") else (value,)
    words = ", ".join(str(block.labels.get(v, v)) for v in values) or (block.placeholder or "None chosen")
    return f'<div class="pl-control"><span>{escape(block.label)}</span><div>{escape(words)}</div></div>'


def _table(block: Table) -> str:
    # In a block of its own: ``content-visibility`` does not apply to a table box (size containment does not), so a
    # table below the first screen was laid out with it (a third of ``/policy``'s drawing's layout; RESULTS.md,
    # 2026-12-07 20:28).
    shown = f'<div class="pl-table">{markup.table_html(block, TABLE_ROWS)}</div>'
    more = len(block.frame) - TABLE_ROWS
    note = f'<p class="pl-caption">The first {TABLE_ROWS} of {len(block.frame)} rows.</p>' if more > 0 else ""
    return shown + note


def _records(block: Records) -> str:
    if not block.rows and block.empty:
        return f'<div class="pl-note">{markup.markdown_html(block.empty)}</div>'
    shown = Records(block.kind, block.rows[:RECORDS_SHOWN], block.key)
    more = len(block.rows) - RECORDS_SHOWN
    note = f'<p class="pl-caption">{more} more in the live page.</p>' if more > 0 else ""
    return markup.records_html(shown) + note


def page_links(pages: Sequence, current: str, shared_query: Sequence[tuple[str, str]]) -> str:
    """The other pages, as the sidebar lists them, with the link's shared settings kept; relative, so a prefix (a
    host's path, ``server.baseUrlPath``) keeps working."""
    items = []
    for entry in pages:
        href = entry.link(shared_query, base=".")  # ./<path>?<query>
        here = ' aria-current="page"' if entry.id == current else ""
        items.append(f'<li><a href="{escape(href)}"{here}>{escape(entry.title)}</a></li>')
    return f'<nav aria-label="Pages"><ul>{"".join(items)}</ul></nav>'


def snapshot_html(
    view: View,
    pages: Sequence,
    shared_query: Sequence[tuple[str, str]],
    pictures: ViewPictures | None,
    *,
    present: bool = False,
    changed_since: str = "",
    in_words: bool = False,
    frame_face: str | None = None,
) -> str:
    """The drawing of ``view`` for the top of ``<body>``. ``pictures`` maps chart keys to their SVGs (None: not drawn
    yet); ``in_words`` draws every chart in words, in its picture's place (a warm visit: the live chart follows within
    about a second); ``changed_since`` is the line about a link whose data version is not the current one. With
    ``frame_face`` (the font's ``<style>``, ``font_face``) the drawing comes in a document of its own (``framed``)."""
    parts: list[str] = []
    if not any(isinstance(b, Text) and b.style == "title" for b in view.blocks):
        parts.append(f"<h1>{escape(markup.plain_text(view.title))}</h1>")
    notes = [dropped_sentence(view.params.dropped), *view.notes, changed_since]
    parts += [f'<div class="pl-caption">{markup.markdown_html(n)}</div>' for n in notes if n]
    charts = 0
    for block in view.blocks:
        if isinstance(block, Chart):
            charts += 1
            parts.append(_chart(block, (pictures or {}).get(block.key), eager=charts == 1, in_words=in_words))
        elif isinstance(block, Text):
            parts.append(_text(block))
        elif isinstance(block, Control):
            parts.append(_control(block, view))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Records):
            if block.heading:
                parts.append(f"<h2>{escape(block.heading)}</h2>")
            parts.append(_records(block))
    slide = present and view.page == "story"
    classes = f' class="pl-present{" pl-slide" if slide else ""}"' if present else ""
    drawing = (
        f'<div id="{ID}"{classes} data-charts="{charts}">{page_links(pages, view.page, shared_query)}'
        f"<main>{''.join(parts)}</main></div>"
    )
    if frame_face is None:
        return drawing
    return framed(drawing, markup.plain_text(view.title), charts, frame_face)
