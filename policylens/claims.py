"""The article's claims beside their evidence: each claim joined to the row it cites and that row's source."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from policylens.datasets import row_key

# The datasets a claim may cite (its source_dataset). A claim cites a row of ``sources`` where the evidence is a
# source's statement rather than a figure of a dataset (the authors' school, dossier §6.4).
CITED_DATASETS = ("expo", "ai-research", "data-policy", "policy-timeline", "sources")

# Verdicts in the order people read them; the claims contract (provenance.json) holds the same ids and labels.
VERDICT_LABELS = {
    "consistent": "Consistent",
    "more-precise": "Source is more precise",
    "needs-caveat": "Needs a caveat",
    "not-checkable": "Not checkable",
}
VERDICTS = tuple(VERDICT_LABELS)
# A claim no source in the dossier can check: it cites no row, and its note says why.
NOT_CHECKABLE = "not-checkable"
# Paragraph 0 is the editor's note, which precedes the body (the authors' affiliations).
EDITORS_NOTE = 0

# The claims table as people read it (Overview, meeting pack): column -> heading.
CLAIM_TABLE_HEADINGS = {
    "topic": "Claim",
    "article_value_text": "The article",
    "source_value_text": "The source",
    "verdict_label": "Verdict",
    "publisher": "Source",
    "confidence": "Confidence",
}

EVIDENCE_COLUMNS = [
    "id",
    "paragraph",
    "topic",
    "claim_text",
    "article_value_text",
    "source_value_text",
    "unit",
    "verdict",
    "verdict_label",
    "note",
    "headline",
    "source_dataset",
    "source_key",
    "source_row",
    "source_id",
    "source_title",
    "publisher",
    "url",
    "confidence",
]


def claim_evidence(
    claims: pd.DataFrame,
    cited: dict[str, pd.DataFrame],
    keys: dict[str, pd.Series],
    sources: pd.DataFrame,
    dataset_confidence: dict[str, str],
) -> pd.DataFrame:
    """One row per claim with the cited row's number (1-based), source and confidence.

    ``cited`` maps a dataset id to its frame, ``keys`` to its rows' primary keys joined by '|'. A cited dataset
    without a per-row confidence column lends its provenance's confidence (``dataset_confidence``); a claim citing a
    ``sources`` row carries its own confidence (the dossier's mark). A not-checkable claim cites no row: its
    ``source_row`` is missing (<NA>) and its source, address and confidence are empty.
    """
    by_source = sources.set_index("id")
    rows = []
    for claim in claims.to_dict("records"):
        dataset_id = claim.get("source_dataset") or ""
        own_confidence = claim.get("confidence") or ""
        position = None
        source_id = ""
        confidence = own_confidence
        if dataset_id:
            position = keys[dataset_id].tolist().index(claim["source_key"])
            cited_row = cited[dataset_id].iloc[position]
            source_id = claim["source_key"] if dataset_id == "sources" else cited_row.get("source_id", "")
            if "confidence" in cited_row.index:
                confidence = cited_row["confidence"]
            elif not own_confidence:
                confidence = dataset_confidence.get(dataset_id, "")
        source = by_source.loc[source_id] if source_id in by_source.index else None
        rows.append(
            {
                **{k: claim[k] for k in EVIDENCE_COLUMNS if k in claim},
                "verdict_label": VERDICT_LABELS[claim["verdict"]],
                "source_row": None if position is None else position + 1,
                "source_id": source_id,
                "source_title": "" if source is None else source["title"],
                "publisher": "" if source is None else source["publisher"],
                "url": "" if source is None else source["url"],
                "confidence": confidence,
            }
        )
    frame = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    frame["source_row"] = pd.array(frame["source_row"].tolist(), dtype="Int64")
    return frame


def evidence_from(frames: Mapping[str, pd.DataFrame], provenances: Mapping[str, dict]) -> pd.DataFrame:
    """``claim_evidence`` for loaded datasets (``frames``) and their provenance files, keyed by dataset id."""
    return claim_evidence(
        frames["claims"],
        {d: frames[d] for d in CITED_DATASETS},
        {d: row_key(frames[d], provenances[d]) for d in CITED_DATASETS},
        frames["sources"],
        {d: provenances[d]["confidence"] for d in CITED_DATASETS},
    )
