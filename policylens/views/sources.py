"""Sources and method: every dataset with its provenance, confidence, column dictionary, table and CSV.

A dataset whose files are broken is still listed: its panel says what is wrong (file, row, column) and offers the
raw file; the other datasets keep working.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from policylens.changelog import ChangelogError, load_changelog
from policylens.datasets import DATASET_IDS, caveat_texts, column_dictionary, csv_path
from policylens.paths import REPO_ROOT
from policylens.text import cell_text, escape_markdown, markdown_link
from policylens.views.base import Control, Data, Params, Records, Table, Text, Unavailable, View, param

# A bare /sources link opened the first dataset, paragraphs, before the view layer: links keep their view.
DEFAULT_DATASET = "paragraphs"

INTRO = (
    "Every number in Policy Lens comes from one of the datasets below. Each was curated by hand from the article "
    "itself and from public sources, and fact-checked twice (see the [method](#method)); each row names its source "
    "and a confidence mark:\n"
    "- **verified-in-source**: the exact figure was read in the cited page;\n"
    "- **reported-secondhand**: read in a transcription, aggregator, re-post or pre-event figure;\n"
    "- **not-found**: searched for and not found. Such a figure is shown as *not reported*, never as zero and never "
    "estimated.\n\n"
    "English titles of Chinese documents marked *working gloss* are our working translations. Derived numbers (sums, "
    "residuals) are only used as checks, never as data."
)
PACK_TEXT = (
    "One zip for a meeting without network: a self-contained HTML page with every chart of the Story (plotly.js "
    "inlined once), the CSV of every dataset exactly as published, and a sources file."
)
EMBED_TEXT = (
    "Any view of Policy Lens can sit in an iframe: add `embed=true` to its link to hide Streamlit's toolbar, and "
    "`present=true` for a larger view without the sidebar. For example:"
)
# The method page (docs/method.md) is drawn on this page under "Method" (/sources#method): notes and provenance
# cite it, so a reader can open it.
METHOD_FILE = REPO_ROOT / "docs" / "method.md"
EMBED_EXAMPLE = "/expo?edition=6&metric=exhibitors"
EMBED_TITLE = "Policy Lens: CIIE exhibitors, editions 1 to 8"


TITLE = "Sources and method"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class SourcesParams(Params):
    PAGE = "sources"
    dataset: str = param("choice", DEFAULT_DATASET, lambda: DATASET_IDS, "not a dataset of Policy Lens")


def _provenance(data: Data, dataset_id: str) -> tuple[dict | None, str]:
    try:
        return data.provenance(dataset_id), ""
    except Unavailable as err:
        return None, err.sentence


def _frame(data: Data, dataset_id: str) -> tuple[pd.DataFrame | None, str]:
    try:
        return data.frame(dataset_id), ""
    except Unavailable as err:
        return None, err.sentence


def dataset_titles(data: Data) -> dict[str, str]:
    """Dataset id -> its title (from its provenance); a dataset whose provenance is broken says so."""
    titles = {}
    for dataset_id in DATASET_IDS:
        prov, _ = _provenance(data, dataset_id)
        title = str(prov.get("title") or "") if prov else ""
        titles[dataset_id] = title or f"{dataset_id} (its provenance file cannot be read)"
    return titles


def provenance_row(data: Data, dataset_id: str) -> dict[str, Any]:
    """Everything the provenance panel of one dataset shows, as data."""
    prov, prov_error = _provenance(data, dataset_id)
    frame, error = _frame(data, dataset_id) if prov is not None else (None, "")
    row: dict[str, Any] = {
        "dataset": dataset_id,
        "file_name": csv_path(dataset_id).name,
        "prov_error": prov_error,
        "error": error,
        "frame": frame,
    }
    if prov is None:
        row["plain"] = f"{dataset_id}: {prov_error}"
        return row
    facts = {
        "Producer": prov.get("producer", ""),
        "Derived from": "; ".join(str(d) for d in prov.get("derived_from", []) or []),
        "Accessed": prov.get("accessed", ""),
        "Licence": prov.get("licence", ""),
        "Confidence": prov.get("confidence", ""),
        "Rows": "cannot be read" if frame is None else str(len(frame)),
        "File": f"{csv_path(dataset_id).name}, sha256 {prov.get('sha256', '')}",
    }
    facts = {name: str(value) for name, value in facts.items() if value}
    caveats = caveat_texts(prov)
    sources, _ = _frame(data, "sources")
    source_ids = list(prov.get("source_ids", []) or [])
    row |= {
        "title": str(prov.get("title", dataset_id)),
        "description": str(prov.get("description", "")),
        "facts_md": "\n".join(f"- **{name}:** {escape_markdown(value)}" for name, value in facts.items()),
        "caveats": caveats,
        "columns": column_dictionary(prov),
        "sources": None
        if sources is None
        else sources[sources["id"].isin(source_ids)][["id", "title", "publisher", "url", "kind"]].reset_index(
            drop=True
        ),
        "plain": "\n".join(
            [
                str(prov.get("title", dataset_id)),
                str(prov.get("description", "")),
                *(f"{name}: {value}" for name, value in facts.items()),
                *(f"Caveat: {c}" for c in caveats),
                *([f"Problem: {error}"] if error else []),
            ]
        ),
    }
    return row


def overview_table(data: Data) -> pd.DataFrame:
    """One row per dataset: id, title, rows, confidence, and whether it is valid (or what is wrong)."""
    rows = []
    for dataset_id in DATASET_IDS:
        prov, prov_error = _provenance(data, dataset_id)
        frame, error = _frame(data, dataset_id) if prov is not None else (None, "")
        rows.append(
            {
                "dataset": dataset_id,
                "title": str(prov.get("title", "")) if prov else "",
                "rows": None if frame is None else len(frame),
                "confidence": str(prov.get("confidence", "")) if prov else "",
                "status": "valid" if frame is not None else (error or prov_error),
            }
        )
    return pd.DataFrame(rows, columns=["dataset", "title", "rows", "confidence", "status"])


def method_markdown(path=METHOD_FILE) -> str:
    """The method page without its first heading (the page draws its own), or a sentence when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "The method page (docs/method.md) cannot be read."
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()


def sources_by_id(sources: pd.DataFrame | None) -> dict[str, dict]:
    """The sources dataset's rows by id (none when it cannot be read)."""
    return {} if sources is None else {str(r["id"]): r for r in sources.to_dict("records")}


def cited_sources(source_ids: tuple[str, ...], sources: pd.DataFrame | Mapping[str, dict] | None) -> tuple[str, str]:
    """The sources a changelog entry cites by id, after its sentence (whose "Source:" names them in words), as
    Markdown (each its publisher, linked to its address; the method to its section of this page) and as plain text
    with the addresses; '' for none. ``sources``: the dataset, or its rows by id (``sources_by_id``, read once for
    every entry of the changelog)."""
    by_id = sources if isinstance(sources, Mapping) else sources_by_id(sources)
    markdown, plain = [], []
    for source_id in source_ids:
        row = by_id.get(source_id)
        if row is None:  # the sources dataset cannot be read (the validator names an unknown id)
            markdown.append(escape_markdown(source_id))
            plain.append(source_id)
            continue
        name = cell_text(row.get("publisher")).strip() or source_id
        url = cell_text(row.get("url")).strip()
        if row.get("kind") == "method":
            markdown.append(f"[{escape_markdown(name)} method](#method)")
            plain.append(f"{name} method (Sources and method page, section Method)")
        elif url:
            markdown.append(markdown_link(name, url))
            plain.append(f"{name} ({url})")
        else:
            markdown.append(escape_markdown(f"{name} (no address recorded)"))
            plain.append(f"{name} (no address recorded)")
    if not source_ids:
        return "", ""
    return " Addresses: " + "; ".join(markdown) + ".", " Addresses: " + "; ".join(plain) + "."


def changelog_rows(data: Data) -> tuple[dict[str, Any], ...]:
    """The data changelog's entries of the data folder the view reads, newest first (none when it cannot be read);
    an entry's cited source ids are shown as the sources' names with their links."""
    try:
        entries = load_changelog(data.data_dir)
    except (ChangelogError, OSError):
        return ()
    sources, _ = _frame(data, "sources") if any(entry.sources for entry in entries) else (None, "")
    by_id = sources_by_id(sources)
    rows = []
    for entry in reversed(entries):
        cited_md, cited_plain = cited_sources(entry.sources, by_id)
        rows.append(
            {
                "version": entry.version,
                "markdown": f"`{entry.version}` · " + escape_markdown(entry.sentence()) + cited_md,
                "plain": f"{entry.version}: {entry.sentence()}{cited_plain}",
            }
        )
    return tuple(rows)


THEMES_EVAL = REPO_ROOT / "docs" / "themes-eval.json"


def _goal(lens: dict) -> str:
    """Whether a lens met issue 19's goal (its F1 and no theme's recall below 0.7), and which themes fell short."""
    if lens["met"] is True:
        return "met"
    low = len(lens.get("recall_below_goal") or ())
    return f"missed, {low} theme{'' if low == 1 else 's'} under 0.7 recall" if low else "missed"


def themes_eval_line(path=THEMES_EVAL) -> str:
    """How well the theme reader reads, in one line with the date (``make eval-themes`` writes the numbers)."""
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        lenses = result["lenses"]
        article, oecd = lenses["article"], lenses["oecd"]
        return (
            f"How well the theme reader reads (measured {escape_markdown(str(result['date']))} on the "
            f"{int(result['paragraphs'])} "
            f"test paragraphs of the policy-corpus dataset, `make eval-themes`): F1 {float(article['f1']):.2f} for "
            f"the article's themes (the old keyword list: {float(article['old_f1']):.2f}; goal "
            f"{float(article['goal_f1']):.2f}, {_goal(article)}) and {float(oecd['f1']):.2f} for the OECD AI "
            f"Principles (old: {float(oecd['old_f1']):.2f}; goal {float(oecd['goal_f1']):.2f}, {_goal(oecd)}); "
            "per theme in docs/themes-eval.md."
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "How well the theme reader reads: not measured yet (`make eval-themes` writes docs/themes-eval.json)."


def build(params: SourcesParams, data: Data) -> View:
    titles = dataset_titles(data)
    panel = provenance_row(data, params.dataset)
    blocks: list = [
        Text(INTRO),
        Text(
            f"Data version `{escape_markdown(data.version)}`: a fingerprint of every data file; it changes when any "
            "file changes.",
            "caption",
            key="data-version",
        ),
        Control(
            "dataset",
            "Dataset",
            "select",
            labels=titles,
            help="Every dataset of Policy Lens; the link keeps the dataset's id.",
        ),
        Records("provenance", (panel,), key="provenance"),
        Text("Method", "header", key="method"),
        Text(method_markdown(), key="method-text"),
        Text(themes_eval_line(), "caption", key="themes-eval"),
        Text("All datasets", "header"),
        Table("datasets-overview", overview_table(data)),
        Text("Meeting pack", "header"),
        Text(PACK_TEXT),
        Records(
            "pack",
            (
                {
                    "key": "sources-pack",
                    "plain": "Meeting pack: one zip with the story's charts, every CSV and sources.",
                },
            ),
            key="meeting-pack",
        ),
        Text("Embedding", "header"),
        Text(EMBED_TEXT),
        Records(
            "embed",
            ({"path": EMBED_EXAMPLE, "title": EMBED_TITLE, "plain": f"Embed example: {EMBED_EXAMPLE}"},),
            key="embed",
        ),
        # Links with an older data version point here (components/view.py: /sources#data-changelog).
        Text("Data changelog", "header", key="data-changelog"),
        Records("changelog", changelog_rows(data), key="changelog", empty="No changes recorded yet."),
    ]
    title = titles[params.dataset]
    state = panel["error"] or panel["prov_error"]
    summary = f"Sources and method: the dataset “{title}”" + (
        f" ({len(panel['frame'])} rows)." if panel.get("frame") is not None else f" ({state})."
    )
    return View(TITLE, params, tuple(blocks), summary, slide_keys=("provenance",))
