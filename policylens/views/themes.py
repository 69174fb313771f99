"""Themes: the article as a reader with theme highlights, a paragraph-by-theme grid and the keywords behind each tag.

The reader's HTML comes from ``policylens.reader``, built from the curated paragraphs and themes only; the link only
chooses which paragraph is opened (a whole number checked against the article's paragraphs).
"""

from __future__ import annotations

from dataclasses import dataclass

from policylens import article
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
    paragraph_theme_grid,
    theme_infos,
)
from policylens.search import statement_record
from policylens.selection import selected_point_ids
from policylens.text import escape_markdown
from policylens.views.base import Chart, Control, Data, Params, Records, Text, View, param
from policylens.views.shared import theme_ids

GRID_KEY = "themes-grid"
OPENED_KEY = "opened-paragraph"
ARTICLE_KEY = "article"
KEYWORDS_KEY = "keyword-table"


def paragraph_numbers() -> tuple[int, ...]:
    return ARTICLE_PARAGRAPHS


TITLE = "Themes"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class ThemesParams(Params):
    PAGE = "themes"
    paragraph: int | None = param(
        "int", None, paragraph_numbers, f"the article has paragraphs 1 to {ARTICLE_PARAGRAPHS[-1]}"
    )
    theme: tuple[str, ...] = param("choices", (), theme_ids, "not a theme of the themes dataset")


def open_clicked(params: ThemesParams, points) -> ThemesParams:
    """A grid click opens the clicked square's paragraph (the last one, when several are selected)."""
    picked = [
        int(p) for p in selected_point_ids(points) if p.isascii() and p.isdigit() and int(p) in ARTICLE_PARAGRAPHS
    ]
    return params.replace(paragraph=picked[-1]) if picked else params


def build(params: ThemesParams, data: Data) -> View:
    paragraphs = data.frame("paragraphs")
    statements = data.frame("statements")
    themes = data.frame("themes")
    infos = theme_infos(themes)
    # Tags added by hand, with their written reason (themes provenance tag_overrides), keyed by paragraph number.
    curated = curated_reasons(data.provenance("themes"))
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
        rows = tuple(statement_record(s, labels, link_to_paragraph=False) for s in own.to_dict("records"))
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
                            infos,
                            opened=True,
                            curated=curated.get(str(opened)),
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
    cells = grid_table(paragraphs, themes, {int(k): v for k, v in curated.items() if k.isdigit()})
    blocks.append(
        Chart(
            key=GRID_KEY,
            figure=paragraph_theme_grid(cells, themes, len(paragraphs), opened),
            title="Paragraphs by theme",
            heading="Paragraphs by theme",
            alt="A grid with one column per theme and one row per paragraph (1 at the top); a square in the theme's "
            "colour marks each paragraph that carries the theme.",
            source="dataset paragraphs (the article, paragraph by paragraph) · source: "
            f"{article.SHORT_CITATION} · confidence: verified-in-source for the text; tags are keyword matches, and "
            "curated tags give their reason (themes dataset)",
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
                        infos,
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
        Text("Keywords behind each theme", "header"),
        Text(
            "A paragraph or statement carries a theme only where one of the theme's keywords occurs (case-insensitive, "
            "at the start of a word: “patent” matches “patents”).",
            "caption",
        ),
    ]
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
        summary=_summary(opened, by_number, chosen, labels),
        notes=tuple(notes),
        slide_keys=(OPENED_KEY,) if opened is not None else (GRID_KEY,),
    )


def _summary(opened, by_number, chosen, labels) -> str:
    said = f"Themes: the article's {len(by_number)} paragraphs with their theme tags"
    if opened is not None:
        said += f"; opened: paragraph {opened} (“{opening_words(by_number[opened]['text'])}”)"
    if chosen:
        said += "; theme filter: " + ", ".join(labels.get(t, t) for t in chosen)
    return said + "."
