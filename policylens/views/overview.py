"""Overview: what Policy Lens is, the article's headline figures beside their sources, and the themes it covers.

The Overview follows the shared theme filter: with themes chosen, the headline figures and the claims table show the
claims of the paragraphs that carry those themes. The verdict summary always counts every claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from policylens import article, vocab
from policylens.claims import CITED_DATASETS, CLAIM_TABLE_HEADINGS, evidence_from
from policylens.overview import claims_of_themes, strip_alt, theme_coverage, theme_strip, verdict_counts
from policylens.text import cell_text as _text
from policylens.text import escape_markdown, markdown_link
from policylens.views.base import Chart, Data, Params, Records, Table, Text, View, param
from policylens.views.shared import theme_ids, toggle_theme

INTRO = (
    f"An evidence dashboard for one article: **“{escape_markdown(article.TITLE)}”** by {article.AUTHORS} "
    f"({article.PUBLISHER}, {article.PUBLISHED}). It sets each factual claim of the article beside the best public "
    "figure we found, says whether the two agree, and traces every number to a source row."
)
NO_FIGURE = "(no figure)"


TITLE = "Overview"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class OverviewParams(Params):
    PAGE = "overview"
    theme: tuple[str, ...] = param("choices", (), theme_ids, "not a theme of the themes dataset")


def verdict_labels() -> dict[str, str]:
    """Every verdict of the claims contract and its words (a verdict without a label reads as itself)."""
    return vocab.labels("claims", "verdict")


def _code(value: Any) -> str:
    """A value as a Markdown code span (escapes are literal inside one, so only backticks are taken out)."""
    return "`" + _text(value).replace("`", "'") + "`"


UNCITED = "No source read can check this claim; the note says why."


def cited(claim: dict) -> bool:
    """Whether the claim cites a dataset row (a not-checkable claim cites none)."""
    return bool(_text(claim["source_dataset"])) and not pd.isna(claim["source_row"])


def where(paragraph: int) -> str:
    """Where in the article a claim stands: its paragraph, or the editor's note (paragraph 0)."""
    return "the editor's note" if paragraph == 0 else f"the article, paragraph {paragraph}"


def source_line(claim: dict) -> str:
    """The provenance of one figure in Markdown: source, confidence and the dataset row it comes from."""
    if not cited(claim):
        return UNCITED
    publisher = _text(claim["publisher"]) or _text(claim["source_title"]) or "source not named"
    return (
        f"Source: {markdown_link(publisher, _text(claim['url']))} · "
        f"confidence: {escape_markdown(_text(claim['confidence']))} · "
        f"dataset {_code(claim['source_dataset'])}, row {claim['source_row']} ({_code(claim['source_key'])})"
    )


def claim_row(claim: dict, dataset_titles: dict[str, str]) -> dict[str, Any]:
    """One claim card as data: the words it shows (escaped Markdown where marked ``*_md``) and its plain text."""
    said = _text(claim["article_value_text"]) or NO_FIGURE
    found = _text(claim["source_value_text"]) or NO_FIGURE
    source_title = _text(claim["source_title"]) or _text(claim["publisher"])
    dataset = claim["source_dataset"]
    plain = (
        f"{claim['topic']}: the article says {said}; the source says {found}. Verdict: {claim['verdict_label']}. "
        f"“{claim['claim_text']}” ({where(int(claim['paragraph']))}). "
        + (f"{_text(claim['note'])} " if _text(claim["note"]) else "")
        + (
            f"Source: {_text(claim['publisher']) or source_title or 'not named'}, confidence "
            f"{_text(claim['confidence'])}, dataset {dataset} row {claim['source_row']} ({claim['source_key']})."
            if cited(claim)
            else UNCITED
        )
    )
    return {
        "id": claim["id"],
        "paragraph": int(claim["paragraph"]),
        "where": where(int(claim["paragraph"])),
        "verdict": claim["verdict"],
        "verdict_label": claim["verdict_label"],
        "topic": _text(claim["topic"]),
        "said": said,
        "found": found,
        "claim_text": _text(claim["claim_text"]),
        "note": _text(claim["note"]),
        "source_md": source_line(claim),
        "source_link_md": markdown_link(source_title, _text(claim["url"])) if _text(claim["url"]) else "",
        "publisher": _text(claim["publisher"]),
        "row_md": f"dataset {_code(dataset)}, row {claim['source_row']}, key {_code(claim['source_key'])}"
        if cited(claim)
        else UNCITED,
        "confidence": _text(claim["confidence"]),
        "dataset": dataset if cited(claim) else "",
        "dataset_title": dataset_titles.get(dataset, dataset),
        "plain": plain,
    }


def evidence(data: Data) -> pd.DataFrame:
    """Every claim with its evidence, verdicts in the words of the claims contract."""
    ids = ("claims", "sources", *CITED_DATASETS)
    frames = {dataset_id: data.frame(dataset_id) for dataset_id in ids}
    claims = evidence_from(frames, {dataset_id: data.provenance(dataset_id) for dataset_id in CITED_DATASETS})
    labels = verdict_labels()
    claims["verdict_label"] = [labels.get(v, v) for v in claims["verdict"]]
    return claims


def _theme_names(data: Data) -> dict[str, str]:
    names = vocab.labels("themes", "id")
    themes = data.frame("themes")
    return names | dict(zip(themes["id"], themes["label"], strict=True))


def build(params: OverviewParams, data: Data) -> View:
    claims = evidence(data)
    paragraphs = data.frame("paragraphs")
    themes = data.frame("themes")
    names = _theme_names(data)
    labels = verdict_labels()
    chosen = params.theme
    shown = claims_of_themes(claims, paragraphs, chosen)
    titles = {d: data.provenance(d).get("title", d) for d in CITED_DATASETS}

    counts = verdict_counts(claims, list(labels))
    summary_rows = [
        # "Claims", not "claims checked": some of them no source can check.
        {"label": "Claims", "value": len(claims), "verdict": "", "plain": f"Claims: {len(claims)}"}
    ]
    summary_rows += [
        {"label": labels[v], "value": n, "verdict": v, "plain": f"{labels[v]}: {n}"} for v, n in counts.items()
    ]

    blocks: list = [
        Text(INTRO),
        Records("verdicts", tuple(summary_rows), key="verdicts"),
        Text("Headline figures", "header"),
        Text(
            "What the article says, what the source says, and our verdict. Figures not reported stay not reported.",
            "caption",
        ),
    ]
    chosen_names = " or ".join(escape_markdown(names.get(t, t)) for t in chosen)
    if chosen:
        blocks.append(
            Text(
                f":material/filter_alt: Following the theme filter: the claims of the paragraphs tagged "
                f"{chosen_names} ({len(shown)} of {len(claims)} claims). Clear the filter to see every claim; the "
                "counts above are of every claim.",
                "caption",
                key="overview-theme-note",
            )
        )
    headlines = shown[shown["headline"].astype(bool)]
    blocks.append(
        Records(
            "claim",
            tuple(claim_row(c, titles) for c in headlines.to_dict("records")),
            key="headlines",
            empty="No headline figure comes from a paragraph with the chosen themes; clear the theme filter to see "
            "them all.",
        )
    )

    coverage = theme_coverage(themes, paragraphs)
    blocks.append(
        Chart(
            key="theme_strip",
            figure=theme_strip(coverage, list(chosen), len(paragraphs)),
            title="Paragraphs of the article per theme",
            alt=strip_alt(coverage, len(paragraphs)),
            source="paragraphs dataset (the article, tagged by theme keywords), verified-in-source",
            table=coverage[["id", "label", "paragraphs"]],
            csv_name="theme-coverage.csv",
            caption="Click a bar to add its theme to the filter of every page, click it again to remove it; "
            "the filter is in the link.",
            click=toggle_theme,
            heading="Themes of the article",
            click_shared=True,
        )
    )

    blocks.append(Text("Every claim", "header"))
    if chosen:
        blocks.append(
            Text(
                f"The {len(shown)} claims of the paragraphs tagged {chosen_names}.",
                "caption",
                key="claims-table-note",
            )
        )
    blocks.append(
        Table(
            "claims_table",
            shown[["paragraph", *CLAIM_TABLE_HEADINGS]].reset_index(drop=True),
            headings={"paragraph": "¶", **CLAIM_TABLE_HEADINGS},
        )
    )
    blocks.append(
        Records(
            "claims-download",
            (
                {
                    "label": "Download every claim as schema.org ClaimReview (JSON-LD)",
                    "file_name": "policy-lens-claims.jsonld",
                    "plain": "Every claim with its verdict as schema.org ClaimReview: policy-lens-claims.jsonld",
                },
            ),
            key="claims-download",
        )
    )
    blocks.append(Text("Explore", "header"))
    blocks.append(
        Records(
            "page-link",
            (
                {
                    "page": "sources",
                    "label": "Sources and method: every dataset, its provenance and its columns",
                    "icon": "menu_book",
                    "query": {},
                    "plain": "Sources and method: every dataset, its provenance and its columns (/sources)",
                },
            ),
            key="explore",
        )
    )
    article = data.provenance("paragraphs").get("article") or {}
    if article.get("editors_note"):
        blocks.append(
            Text(escape_markdown(f"About the article: {article['editors_note']}"), "caption", key="about-article")
        )

    said = "; ".join(f"{labels[v]}: {n}" for v, n in counts.items())
    summary = f"Overview: {len(claims)} claims of the CGTN article checked against their sources ({said})"
    summary += f"; themes: {', '.join(names.get(t, t) for t in chosen)}." if chosen else "."
    return View(
        "Policy Lens",
        params,
        tuple(blocks),
        summary,
        slide_keys=("verdicts", "headlines"),
    )
