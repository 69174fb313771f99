"""Analyse a text: any policy text through the same lens as the CGTN article, side by side with it.

The text is private: it never enters the link. ``build`` draws what does not depend on the text (what the page does,
that nothing is stored, the limits, and the slot where the page takes the text); ``analysis_view`` builds the blocks
of one analysis (``policylens.analyze.Analysis``), which the page draws below the text box. The link carries only
view choices: ``show`` (paragraphs or sentences), ``lens`` (the article's themes or the OECD AI Principles) and the
shared theme filter (ids of that lens).
"""

from __future__ import annotations

from dataclasses import dataclass

from policylens import analyze, vocab
from policylens.analyze import Analysis, Reference
from policylens.search import highlight_markdown
from policylens.text import escape_markdown
from policylens.themes import keyword_spans, merge_spans
from policylens.views import expo, policy, research
from policylens.views.base import Block, Chart, Control, Data, Records, Table, Text, View, param
from policylens.views.shared import LENS_LABELS, LENS_WHY, LensParams, all_theme_ids, lenses, toggle_theme

SHOW: tuple[str, ...] = ("paragraphs", "sentences")
SHOW_LABELS = {"paragraphs": "Paragraphs, with the words behind each theme", "sentences": "Sentences, one row each"}
INPUT_KEY = "analyze-input"
PRIVACY_KEY = "analyze-privacy"
SUMMARY_KEY = "analyze-summary"
PROFILE_KEY = "analyze-profile"
PARAGRAPHS_KEY = "analyze-paragraphs"
SENTENCES_KEY = "analyze-sentences"
FIGURES_KEY = "analyze-figures"
QUOTES_KEY = "analyze-quotes"
DOWNLOADS_KEY = "analyze-downloads"
FILTER_KEY = "analyze-filter"
MAX_SHOWN = 200  # paragraph cards drawn at once; the download holds every sentence
MAX_CARDS = 100  # figure and quote cards drawn at once; the JSON download holds them all
FIGURE_KINDS = {"amount": "Amount", "percent": "Share", "count": "Count", "date": "Date"}
# The pages a matched figure opens (policylens.analyze), by id, with their names in the navigation.
PAGE_NAMES = {
    expo.ExpoParams.PAGE: expo.TITLE,
    research.ResearchParams.PAGE: research.TITLE,
    policy.PolicyParams.PAGE: policy.TITLE,
}

PRIVACY = (
    "**Nothing is stored on the server.** The text you paste or upload stays in this browser session's memory and "
    "is gone when you close the tab or press *Forget this text*. A shared link does **not** carry the text, only the "
    "view choices below: to share an analysis, download it (CSV of sentences, JSON of figures and quotes)."
)


TITLE = "Analyse a text"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class AnalyzeParams(LensParams):
    PAGE = "analyze"
    show: str = param("choice", "paragraphs", lambda: SHOW, "show is paragraphs or sentences")
    lens: str = param("choice", "article", lenses, LENS_WHY)
    theme: tuple[str, ...] = param("choices", (), all_theme_ids, "not a theme of the themes or oecd-themes dataset")


def reference(data: Data, lens: str = "article") -> Reference:
    """What a text is compared with under ``lens``: the themes and their reader, the CGTN article and the rows
    figures match."""
    oecd = lens == "oecd"
    return analyze.build_reference(
        theme_frame=data.frame("themes"),
        tag_overrides=data.provenance("themes").get("tag_overrides"),
        paragraphs=data.frame("paragraphs"),
        statements=data.frame("statements"),
        claims=data.frame("claims"),
        expo=data.frame("expo"),
        research=data.frame("ai-research"),
        timeline=data.frame("policy-timeline"),
        metric_labels=vocab.labels("expo", "metric"),
        measure_labels=vocab.labels("ai-research", "measure"),
        lens=lens,
        lexicon=data.frame("theme-lexicon"),
        lens_frame=data.frame("oecd-themes") if oecd else None,
        lens_overrides=data.provenance("oecd-themes").get("tag_overrides") if oecd else None,
    )


def build(params: AnalyzeParams, data: Data) -> View:
    blocks: list[Block] = [
        Text(
            "Bring any policy text (an op-ed, a speech, a ministry notice) and read it the way Policy Lens reads the "
            "CGTN article: its paragraphs and sentences tagged with the article's themes or, under the Lens control, "
            "the OECD AI Principles, each tag with the words behind it; its theme profile beside the article's; the "
            "figures in it matched to the curated data where possible; and the people it quotes."
        ),
        Text(PRIVACY, "info", key=PRIVACY_KEY),
        Text(
            escape_markdown(analyze.LIMITS_SENTENCE)
            + " Scanned PDFs (pictures of pages) have no text to read: run them through text recognition first.",
            "caption",
            key="analyze-limits",
        ),
        # Where the page takes the text (components.analyze) and draws its analysis (``analysis_view``).
        Records("text-analysis", (), key=INPUT_KEY, options={"params": params}),
    ]
    return View(TITLE, params, tuple(blocks), summary=summary(params, data))


def summary(params: AnalyzeParams, data: Data) -> str:
    said = (
        "Analyse a text: any policy text read through the CGTN article's themes, figures and quotes (the text itself "
        f"is never in the link); showing {SHOW_LABELS[params.show].split(',')[0].lower()}; lens: "
        f"{LENS_LABELS[params.lens]}"
    )
    if params.theme:
        themes = data.frame("oecd-themes" if params.lens == "oecd" else "themes")
        labels = dict(zip(themes["id"], themes["label"], strict=True))
        said += "; theme filter: " + ", ".join(labels.get(t, t) for t in params.theme)
    return said + "."


# ---------------------------------------------------------------------------------------------------- the analysis


def analysis_view(
    analysis: Analysis | None, params: AnalyzeParams, data: Data, *, version: str = ""
) -> tuple[Block, ...]:
    """The blocks of one analysis, drawn below the text box: summary, profile chart, the text, figures, quotes and
    the downloads. Without an analysis: the CGTN article's profile alone, to compare a text with."""
    ref = reference(data, params.lens)
    labels = ref.labels
    table = analyze.profile_table(analysis, ref)
    chart = Chart(
        key=PROFILE_KEY,
        figure=analyze.profile_bars(table, params.theme),
        title="Theme profile: share of paragraphs per theme",
        heading="Theme profile beside the CGTN article" if analysis else "The CGTN article's theme profile",
        alt=analyze.profile_alt(table),
        source=(
            "this text: analysed in your session, not stored · the CGTN article: dataset paragraphs (19 body "
            "paragraphs) · tags: "
            + (
                "the OECD AI Principles (dataset oecd-themes) read by the lexicon (theme-lexicon), with curated "
                "overrides for the article"
                if params.lens == "oecd"
                else "the article's themes read by the lexicon (theme-lexicon); the article's own paragraphs keep the "
                "themes dataset's keywords and curated overrides"
            )
            + " · confidence: mechanical tags, measured on a labelled corpus (make eval-themes)"
        ),
        table=table.drop(columns=["theme"]),
        csv_name="theme-profile.csv" if analysis else "cgtn-theme-profile.csv",
        caption="Click a bar to add its theme to the theme filter (click again to remove it); the filter chooses "
        "the paragraphs and sentences listed below.",
        click=toggle_theme,
        click_shared=True,
    )
    show = Control("show", "Show", "select", labels=SHOW_LABELS)
    lens = Control(
        "lens",
        "Lens",
        "select",
        labels=LENS_LABELS,
        help="Read the text with the CGTN article's themes or with the ten OECD AI Principles (2024).",
    )
    if analysis is None:
        return (
            Text("Paste a text or upload a file above to see its analysis here.", "caption", key="analyze-empty"),
            lens,
            show,
            chart,
        )
    body = analysis.body
    blocks: list[Block] = [Text(_summary_line(analysis), key=SUMMARY_KEY)]
    if analysis.article_paragraphs and params.lens == "article":
        blocks.append(
            Text(
                f"{analysis.article_paragraphs} of its paragraphs are paragraphs of the CGTN article, word for word: "
                "their curated tags apply (a curated tag names its reason instead of a keyword).",
                "caption",
                key="analyze-article-note",
            )
        )
    blocks.append(lens)
    blocks.append(chart)
    blocks.append(Text("The text", "subheader"))
    blocks.append(show)
    chosen = set(params.theme)
    if chosen:
        names = ", ".join(labels.get(t, t) for t in params.theme)
        if params.show == "sentences":
            kept = sum(1 for s in analysis.sentences if chosen & set(s.tags))
            said = f"Theme filter ({names}): {kept} of {len(analysis.sentences)} sentences carry one of these themes."
        else:
            kept = sum(1 for p in body if chosen & set(p.tags))
            said = f"Theme filter ({names}): {kept} of {len(body)} paragraphs carry one of these themes."
        blocks.append(Text(escape_markdown(said), "caption", key=FILTER_KEY))
    if params.show == "sentences":
        blocks.append(_sentences_table(analysis, labels, chosen))
    else:
        blocks += _paragraph_records(analysis, ref, chosen)
    blocks += [
        Text("Figures to check", "subheader"),
        Text(
            "Amounts, percentages, counts and dates, each with its sentence, and the curated rows it may be checked "
            "against (candidates: a match says where to look, not that the figure is right).",
            "caption",
        ),
        Records(
            "analysis-figure",
            tuple(_figure_row(i, f) for i, f in enumerate(analysis.figures[:MAX_CARDS], start=1)),
            key=FIGURES_KEY,
            empty="No figures (amounts, percentages, counts or dates) in this text.",
        ),
        *_more(len(analysis.figures), "figures"),
        Text("Quotes", "subheader"),
        Records(
            "analysis-quote",
            tuple(_quote_row(i, q) for i, q in enumerate(analysis.quotes[:MAX_CARDS], start=1)),
            key=QUOTES_KEY,
            empty="No quoted speech in this text (quotation marks around a sentence, or around words a sentence "
            "attributes to someone).",
        ),
        *_more(len(analysis.quotes), "quotes"),
        Text("Download the analysis", "subheader"),
        Text(
            "A shared link never carries your text: the downloads are the way to share this analysis.",
            "caption",
        ),
        Records("analysis-download", _downloads(analysis, ref, version), key=DOWNLOADS_KEY),
    ]
    return tuple(blocks)


def _more(count: int, what: str) -> list[Block]:
    if count <= MAX_CARDS:
        return []
    return [Text(f"The first {MAX_CARDS} of {count:,} {what} are shown; the JSON download holds them all.", "caption")]


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _summary_line(analysis: Analysis) -> str:
    body = analysis.body
    other = len(analysis.paragraphs) - len(body)
    parts = [
        f"**{_count(analysis.words, 'word', 'words')}**",
        f"**{_count(len(body), 'paragraph', 'paragraphs')}**"
        + (f" (and {_count(other, 'heading or note', 'headings or notes')})" if other else ""),
        f"**{_count(len(analysis.sentences), 'sentence', 'sentences')}**",
        f"**{_count(len(analysis.figures), 'figure', 'figures')}**",
        f"**{_count(len(analysis.quotes), 'quote', 'quotes')}**",
    ]
    source = "Pasted text" if analysis.source == "pasted text" else analysis.source
    return f"{escape_markdown(source)}: " + ", ".join(parts)


def _why_markdown(why, labels) -> str:
    """Each tag with the words behind it (a weak cue is marked "weak"), the words a negative context cancelled, or
    a curated tag's reason."""
    parts = []
    for theme_id, explained in why.items():
        cues = explained.get("cues") or ()
        if cues:
            seen: dict[str, str] = {}
            for cue in cues:
                seen.setdefault(str(cue["words"]), " (weak)" if cue.get("strength") == "weak" else "")
            words = ", ".join(f"“{escape_markdown(w)}”{weak}" for w, weak in seen.items())
        else:
            words = ", ".join(f"“{escape_markdown(k)}”" for k in explained.get("keywords") or ())
        cancelled = explained.get("cancelled") or ()
        if cancelled:
            words += " — not counted: " + ", ".join(
                f"“{escape_markdown(str(c['words']))}” in “{escape_markdown(str(c['context']))}”" for c in cancelled
            )
        reason = str(explained.get("reason") or "")
        parts.append(
            f"**{escape_markdown(labels.get(theme_id, theme_id))}**: "
            + (words or f"curated: {escape_markdown(reason)}")
        )
    return " · ".join(parts) if parts else "No theme: no word of any theme's lexicon occurs in it."


def _paragraph_records(analysis: Analysis, ref: Reference, chosen: set[str]) -> list[Block]:
    labels = ref.labels
    shown = [p for p in analysis.paragraphs if not chosen or chosen & set(p.tags)]
    rows = []
    for p in shown[:MAX_SHOWN]:
        spans = [span for t in p.why for span in keyword_spans(p.text, p.why[t].get("keywords") or ())]
        if p.kind == "paragraph":
            heading = f"¶ {p.number}" + (
                f" · paragraph {p.article_paragraph} of the CGTN article" if p.article_paragraph else ""
            )
        else:
            heading = "Editor's note" if p.kind == "note" else "Heading"
        rows.append(
            {
                "key": f"analyze-paragraph-{p.position}",
                "kind": p.kind,
                "heading": heading,
                "text": highlight_markdown(p.text, merge_spans(spans)),
                "why": _why_markdown(p.why, labels),
                "plain": f"{heading}: {p.text}\nThemes: {analyze.explanation_words(p.why, labels) or 'none'}",
            }
        )
    blocks: list[Block] = [
        Records(
            "analysis-paragraph",
            tuple(rows),
            key=PARAGRAPHS_KEY,
            empty="No paragraph carries the themes chosen in the sidebar.",
        )
    ]
    if len(shown) > MAX_SHOWN:
        blocks.append(
            Text(
                f"The first {MAX_SHOWN} of {len(shown):,} paragraphs are shown; the CSV download holds every sentence.",
                "caption",
            )
        )
    return blocks


def _sentences_table(analysis: Analysis, labels, chosen: set[str]) -> Table:
    frame = analyze.sentences_frame(analysis, labels)
    if chosen:
        keep = [bool(chosen & set(s.tags)) for s in analysis.sentences]
        frame = frame[keep]
    frame = frame.drop(columns=["themes"]).rename(
        columns={
            "sentence": "Sentence",
            "paragraph": "¶",
            "part": "Part",
            "text": "Text",
            "theme_labels": "Themes",
            "explained_by": "Why (the words behind each theme)",
        }
    )
    return Table(SENTENCES_KEY, frame.reset_index(drop=True))


def _figure_row(index: int, figure: analyze.Figure) -> dict:
    kind = FIGURE_KINDS.get(figure.kind, figure.kind)
    where = f"¶ {figure.paragraph}, sentence {figure.sentence}"
    matches = [
        {
            "text": escape_markdown(m.what),
            "value": escape_markdown(m.value),
            "how": escape_markdown(m.how),
            "confidence": escape_markdown(m.confidence),
            "page": m.page,
            "page_label": f"Open in {PAGE_NAMES.get(m.page, m.page)}",
            "query": _grouped(m.query),
        }
        for m in figure.matches
    ]
    plain_matches = [f"  candidate: {m.what}: {m.value} ({m.confidence}; {m.how})" for m in figure.matches]
    return {
        "key": f"analyze-figure-{index}",
        "heading": f"{escape_markdown(figure.text)} · {kind}",
        # The figure in a standard form, when it reads differently from the text ("over 3,400" for "Over 3400").
        "normalised": "" if figure.normalised.lower() == figure.text.lower() else escape_markdown(figure.normalised),
        "sentence": highlight_markdown(figure.sentence_text, [(figure.start, figure.end)]),
        "where": where,
        "matches": matches,
        "plain": "\n".join(
            [f"{figure.text} ({kind}, {figure.normalised}), {where}: {figure.sentence_text}"]
            + (plain_matches or ["  no curated row matches it"])
        ),
    }


def _grouped(pairs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _quote_row(index: int, quote: analyze.Quote) -> dict:
    speaker = quote.speaker or "Speaker not named"
    return {
        "key": f"analyze-quote-{index}",
        "speaker": escape_markdown(speaker),
        "named": bool(quote.speaker),
        "role": escape_markdown(quote.role),
        "quote": escape_markdown(quote.text),
        "how": escape_markdown(f"¶ {quote.paragraph} · {quote.how}"),
        "plain": f"{speaker}" + (f", {quote.role}" if quote.role else "") + f": “{quote.text}” (¶ {quote.paragraph})",
    }


def _downloads(analysis: Analysis, ref: Reference, version: str) -> tuple[dict, ...]:
    return (
        {
            "key": "analyze-csv",
            "label": "Sentences with their themes (CSV)",
            "data": analyze.sentences_csv(analysis, ref.labels),
            "file_name": "analysis-sentences.csv",
            "mime": "text/csv",
            "plain": f"Sentences with their themes (CSV): {len(analysis.sentences)} sentences.",
        },
        {
            "key": "analyze-json",
            "label": "Figures and quotes (JSON)",
            "data": analyze.analysis_json(analysis, ref, version),
            "file_name": "analysis-figures-quotes.json",
            "mime": "application/json",
            "plain": f"Figures and quotes (JSON): {len(analysis.figures)} figures, {len(analysis.quotes)} quotes.",
        },
    )
