"""Themes: the article as a reader with theme highlights, a paragraph-by-theme grid and the keywords behind each tag.

The reader's HTML comes from ``policylens.reader``, built from the curated paragraphs and themes only; the link only
chooses which paragraph is opened (a whole number checked against the article's paragraphs) and the lens: the
article's themes (its curated tags) or the OECD AI Principles (``lens=oecd``: the theme reader's tags with the OECD
themes' curated overrides, each tag with the words behind it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from policylens import article
from policylens.analyze.tagging import tag
from policylens.reader import (
    ARTICLE_PARAGRAPHS,
    PARAGRAPHS_HEADING,
    curated_reasons,
    grid_table,
    keyword_rows,
    opening_words,
    paragraph_has_any,
    paragraph_html,
    paragraph_label,
    paragraph_tags,
    paragraph_theme_grid,
    theme_highlight_spans,
    theme_infos,
)
from policylens.search import statement_record
from policylens.selection import selected_point_ids
from policylens.text import escape_markdown
from policylens.views.base import Chart, Control, Data, Records, Text, View, param
from policylens.views.shared import LENS_LABELS, LENS_WHY, LensParams, all_theme_ids, lenses

GRID_KEY = "themes-grid"
OPENED_KEY = "opened-paragraph"
ARTICLE_KEY = "article"
KEYWORDS_KEY = "keyword-table"


def paragraph_numbers() -> tuple[int, ...]:
    return ARTICLE_PARAGRAPHS


TITLE = "Themes"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class ThemesParams(LensParams):
    PAGE = "themes"
    paragraph: int | None = param(
        "int", None, paragraph_numbers, f"the article has paragraphs 1 to {ARTICLE_PARAGRAPHS[-1]}"
    )
    lens: str = param("choice", "article", lenses, LENS_WHY)
    theme: tuple[str, ...] = param("choices", (), all_theme_ids, "not a theme of the themes or oecd-themes dataset")


def oecd_reading(data: Data) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, dict[str, str]], dict[int, dict]]:
    """The article under the OECD lens: the OECD themes (their ``keywords``: the words that explain a tag somewhere in
    the article), the paragraphs with their OECD tags, the curated reasons by paragraph, and each paragraph's words
    behind each tag."""
    from policylens.views.analyze import reference

    ref = reference(data, "oecd")
    paragraphs = data.frame("paragraphs").copy()
    words: dict[int, dict] = {}
    tags = []
    curated: dict[str, dict[str, str]] = {}
    for row in paragraphs.to_dict("records"):
        number = int(row["paragraph"])
        overrides = [o for o in ref.overrides if o.dataset == "paragraphs" and o.key == str(number)]
        found, why = tag(str(row["text"]), ref.lexicon, overrides)
        tags.append(found)
        words[number] = {t: list(why[t].get("keywords") or ()) for t in found}
        for o in overrides:
            if o.action == "add":
                curated.setdefault(str(number), {})[o.theme] = o.reason
    paragraphs["themes"] = tags
    frame = data.frame("oecd-themes").copy()
    union = {t: [] for t in frame["id"]}
    for by_theme in words.values():
        for t, ws in by_theme.items():
            union[t] += [w for w in ws if w not in union[t]]
    frame["keywords"] = [tuple(union[t]) for t in frame["id"]]
    return frame, paragraphs, curated, words


def _lexicon_terms(data: Data, theme_ids) -> dict[str, tuple[str, ...]]:
    lexicon = data.frame("theme-lexicon")
    rows = lexicon[(lexicon["lens"] == "oecd") & (lexicon["strength"] != "not")]
    return {t: tuple(rows[rows["theme"] == t]["term"]) for t in theme_ids}


def open_clicked(params: ThemesParams, points) -> ThemesParams:
    """A grid click opens the clicked square's paragraph (the last one, when several are selected)."""
    picked = [
        int(p) for p in selected_point_ids(points) if p.isascii() and p.isdigit() and int(p) in ARTICLE_PARAGRAPHS
    ]
    return params.replace(paragraph=picked[-1]) if picked else params


def build(params: ThemesParams, data: Data) -> View:
    oecd = params.lens == "oecd"
    statements = data.frame("statements")
    words_by_paragraph: dict[int, dict] = {}
    if oecd:
        themes, paragraphs, curated, words_by_paragraph = oecd_reading(data)
    else:
        paragraphs = data.frame("paragraphs")
        themes = data.frame("themes")
        # Tags added by hand, with their written reason (themes provenance tag_overrides), keyed by paragraph number.
        curated = curated_reasons(data.provenance("themes"))
    infos = theme_infos(themes)

    def infos_of(number: int):
        """Under the OECD lens each paragraph's highlights are its own words behind each tag."""
        if not oecd:
            return infos
        own = words_by_paragraph.get(number, {})
        return {t: replace(i, keywords=tuple(own.get(t, ()))) for t, i in infos.items()}

    labels = {theme_id: info.label for theme_id, info in infos.items()}
    by_number = {int(p["paragraph"]): p for p in paragraphs.to_dict("records")}
    notes: list[str] = []
    opened = params.paragraph
    if opened is not None and opened not in by_number:
        notes.append(f"Paragraph {opened} is not in the article's data; no paragraph is opened.")
        opened = None
        params = params.replace(paragraph=None)
    blocks: list = [
        Text(
            "The article paragraph by paragraph. Each paragraph shows the themes it carries and, beside each theme, "
            "the keywords that explain the tag; those keywords are highlighted in the text in the theme's colour."
            + (
                " Lens: the OECD AI Principles (2024), read by the same theme reader as any text on Analyse a text, "
                "with curated overrides where a word does not mean the principle here."
                if oecd
                else ""
            )
        ),
        Control(
            "lens",
            "Lens",
            "select",
            labels=LENS_LABELS,
            help="The article's own themes, or the ten OECD AI Principles (2024).",
        ),
        Control(
            "paragraph",
            "Open a paragraph",
            "select",
            labels={n: paragraph_label(n, p["text"]) for n, p in by_number.items()},
            placeholder="Choose a paragraph, or click a square of the grid",
            optional=True,
        ),
    ]
    if opened is not None:
        paragraph = by_number[opened]
        own = statements[statements["paragraph"] == opened]
        # Statements carry the article's own themes under either lens.
        article_labels = dict(zip(data.frame("themes")["id"], data.frame("themes")["label"], strict=True))
        rows = tuple(statement_record(s, article_labels, link_to_paragraph=False) for s in own.to_dict("records"))
        blocks.append(
            Records(
                "opened-paragraph",
                (
                    {
                        "paragraph": opened,
                        "heading": f"Paragraph {opened}",
                        "html": paragraph_html(
                            opened,
                            paragraph["text"],
                            paragraph["themes"],
                            infos_of(opened),
                            opened=True,
                            curated=curated.get(str(opened)),
                        ),
                        # The same paragraph as data, for drawings that are not HTML (a slide): its text, its
                        # tags as the chips say them, and the highlighted keywords as (start, end, theme id).
                        "text": str(paragraph["text"]),
                        "tags": paragraph_tags(
                            str(paragraph["text"]), paragraph["themes"], infos_of(opened), curated.get(str(opened))
                        ),
                        "marks": tuple(
                            theme_highlight_spans(str(paragraph["text"]), paragraph["themes"], infos_of(opened))
                        ),
                        "statements_heading": f"**Its statements ({len(rows)})**",
                        "statements": rows,
                        "plain": "\n\n".join(
                            [f"Paragraph {opened}", str(paragraph["text"]), f"Its statements ({len(rows)}):"]
                            + [row["plain"] for row in rows]
                        ),
                    },
                ),
                key=OPENED_KEY,
            )
        )
    # Under the OECD lens each row names the words the reader found in that paragraph (not the theme's words from
    # elsewhere in the article, which "safe" inside "safety" would match).
    cells = grid_table(
        paragraphs,
        themes,
        {int(k): v for k, v in curated.items() if k.isdigit()},
        words_by_paragraph if oecd else None,
    )
    blocks.append(
        Chart(
            key=GRID_KEY,
            figure=paragraph_theme_grid(cells, themes, len(paragraphs), opened),
            title="Paragraphs by theme",
            heading="Paragraphs by theme",
            alt="A grid with one column per theme and one row per paragraph (1 at the top); a square in the theme's "
            "colour marks each paragraph that carries the theme.",
            source="dataset paragraphs (the article, paragraph by paragraph) · source: "
            f"{article.SHORT_CITATION} · confidence: verified-in-source for the text; "
            + (
                "tags: the OECD AI Principles (dataset oecd-themes) read by the lexicon (theme-lexicon), with curated "
                "overrides and their reasons"
                if oecd
                else "tags are keyword matches, and curated tags give their reason (themes dataset)"
            ),
            table=cells,
            csv_name="paragraph-themes.csv",
            caption="Click a square to open its paragraph at the top of the page.",
            click=open_clicked,
        )
    )
    blocks.append(Text("The article", "header"))
    chosen = params.theme
    if chosen:
        blocks.append(
            Text(
                escape_markdown(
                    "Paragraphs without any of the themes chosen in the sidebar ("
                    + ", ".join(labels.get(t, t) for t in chosen)
                    + ") are dimmed, not hidden, so the article still reads in order."
                ),
                "caption",
            )
        )
    blocks.append(
        Records(
            "paragraph",
            tuple(
                {
                    "paragraph": number,
                    "html": paragraph_html(
                        number,
                        p["text"],
                        p["themes"],
                        infos_of(number),
                        dimmed=not paragraph_has_any(p["themes"], chosen),
                        curated=curated.get(str(number)),
                    ),
                    "plain": f"¶ {number} ({', '.join(labels.get(t, t) for t in p['themes'] or ()) or 'no theme'}): "
                    f"{p['text']}",
                }
                for number, p in by_number.items()
            ),
            key=ARTICLE_KEY,
        )
    )
    blocks += [
        Text("Words behind each OECD principle" if oecd else "Keywords behind each theme", "header"),
        Text(
            "A paragraph carries a principle where its words in the lexicon (dataset theme-lexicon) score at least "
            "one: a strong word alone, or two weak ones; words inside a negative context do not count; stems match "
            "(“innovative” is “innovation”). Curated overrides give their reason."
            if oecd
            else "A paragraph or statement carries a theme only where one of the theme's keywords occurs "
            "(case-insensitive, at the start of a word: “patent” matches “patents”).",
            "caption",
        ),
    ]
    if oecd:
        terms = _lexicon_terms(data, list(themes["id"]))
        table = keyword_rows(themes.assign(keywords=[terms[t] for t in themes["id"]]), paragraphs)
    else:
        table = keyword_rows(themes, paragraphs)
    blocks.append(
        Records(
            "keyword-table",
            tuple(
                {
                    "theme": label,
                    "description": row["Description"],
                    "keywords": row["Keywords"],
                    "paragraphs": int(row[PARAGRAPHS_HEADING]),
                    "plain": f"{label}: {row['Description']} Keywords: {row['Keywords']}. "
                    f"Paragraphs: {int(row[PARAGRAPHS_HEADING])}.",
                }
                for label, row in table.iterrows()
            ),
            key=KEYWORDS_KEY,
            options={"frame": table},  # the same rows as one table, headed in words
        )
    )
    return View(
        TITLE,
        params,
        tuple(blocks),
        summary=_summary(opened, by_number, chosen, labels, params.lens),
        notes=tuple(notes),
        slide_keys=(OPENED_KEY,) if opened is not None else (GRID_KEY,),
    )


def _summary(opened, by_number, chosen, labels, lens: str = "article") -> str:
    said = f"Themes: the article's {len(by_number)} paragraphs with their theme tags"
    if lens != "article":
        said += f" ({LENS_LABELS[lens]})"
    if opened is not None:
        said += f"; opened: paragraph {opened} (“{opening_words(by_number[opened]['text'])}”)"
    if chosen:
        said += "; theme filter: " + ", ".join(labels.get(t, t) for t in chosen)
    return said + "."
