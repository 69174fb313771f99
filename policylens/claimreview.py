"""The claims as schema.org ClaimReview JSON-LD, for search engines and fact-check aggregators. Pure: no Streamlit.

One ClaimReview per claim of the claims dataset: ``claimReviewed`` is the article's verbatim words, ``itemReviewed``
a ``Claim`` whose author is the article's authors (or the person quoted, for a claim made inside a direct quote) and
whose ``firstAppearance`` is the article (a ``NewsArticle`` with its address and date, dossier §6.3),
``reviewRating`` a ``Rating`` whose ``alternateName`` is the verdict in words, ``reviewBody`` the note, ``citation``
the cited source, and ``url`` the view where the evidence can be checked: ``{base_url}/sources?dataset=<dataset>``
for a claim that cites a row, the claim's paragraph in the article reader otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from policylens.claims import CITED_DATASETS, EDITORS_NOTE, VERDICT_LABELS, evidence_from
from policylens.datasets import load_dataset, read_provenance
from policylens.paths import DATA_DIR
from policylens.text import cell_text as _text
from policylens.views import page
from policylens.views.base import Data

SCHEMA_CONTEXT = "https://schema.org"
REVIEWER = "Policy Lens"


def page_url(base_url: str, page_id: str, params: Mapping[str, str] | None = None) -> str:
    """The link to a page of the registry on ``base_url`` (a trailing slash of it dropped, so none is doubled)."""
    return page(page_id).link(list((params or {}).items()), base_url.rstrip("/"))


def evidence_url(claim: Mapping, base_url: str) -> str:
    """Where a person checks the claim: the cited dataset on Sources and method, else the claim's paragraph."""
    dataset = _text(claim.get("source_dataset"))
    if dataset:
        return page_url(base_url, "sources", {"dataset": dataset})
    paragraph = _text(claim.get("paragraph"))
    if paragraph and int(paragraph) != EDITORS_NOTE:
        return page_url(base_url, "themes", {"paragraph": paragraph})
    return page_url(base_url, "overview")  # the Overview, which shows the editor's note


def person(name: str) -> dict[str, str]:
    return {"@type": "Person", "name": name}


def organization(name: str, url: str = "") -> dict[str, str]:
    node = {"@type": "Organization", "name": name}
    if url:
        node["url"] = url
    return node


def article_node(article: Mapping) -> dict[str, Any]:
    """The article as a schema.org NewsArticle: headline, authors, publisher, address and date (dossier §6.3)."""
    node: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": _text(article.get("title")),
        "author": [person(name) for name in article.get("authors") or ()],
        "datePublished": _text(article.get("published")),
    }
    if article.get("publisher"):
        node["publisher"] = organization(_text(article["publisher"]))
    if article.get("url"):
        node["url"] = _text(article["url"])
    return node


def citation_node(claim: Mapping) -> dict[str, Any] | None:
    """The cited source as a CreativeWork (None when the claim cites no source)."""
    title = _text(claim.get("source_title"))
    if not title:
        return None
    node: dict[str, Any] = {"@type": "CreativeWork", "name": title}
    if _text(claim.get("publisher")):
        node["publisher"] = organization(_text(claim["publisher"]))
    if _text(claim.get("url")):
        node["url"] = _text(claim["url"])
    return node


def claim_review(
    claim: Mapping,
    article: Mapping,
    base_url: str,
    *,
    claim_authors: Sequence[str] | None = None,
    date_published: str = "",
    verdict_labels: Mapping[str, str] = VERDICT_LABELS,
) -> dict[str, Any]:
    """One claim (a row of ``claims.evidence_from``, or of the claims dataset) as a ClaimReview JSON-LD object.

    ``claim_authors`` overrides who made the claim (default: the article's authors); ``date_published`` is the date
    of the review (left out when empty).
    """
    authors = list(claim_authors) if claim_authors else list(article.get("authors") or ())
    verdict = _text(claim["verdict"])
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict_labels.get(verdict, verdict)}
    review: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "@id": page_url(base_url, "sources", {"dataset": "claims"}) + f"#{_text(claim['id'])}",
        "identifier": _text(claim["id"]),
        "name": _text(claim.get("topic")),
        "url": evidence_url(claim, base_url),
        "claimReviewed": _text(claim["claim_text"]),
        "itemReviewed": {
            "@type": "Claim",
            "author": [person(name) for name in authors],
            "datePublished": _text(article.get("published")),
            "firstAppearance": article_node(article),
        },
        "reviewRating": rating,
        "reviewBody": _text(claim.get("note")),
        "author": organization(REVIEWER, base_url.rstrip("/")),
        "inLanguage": "en",
    }
    if date_published:
        review["datePublished"] = date_published
    cited = citation_node(claim)
    if cited:
        review["citation"] = cited
    return review


def quoted_speakers(claims: pd.DataFrame, statements: pd.DataFrame) -> dict[str, list[str]]:
    """Claim id -> the person quoted, for claims whose words lie inside a direct quote (they are that person's)."""
    quotes = statements[statements["kind"] == "direct-quote"]
    out: dict[str, list[str]] = {}
    for claim in claims.to_dict("records"):
        for quote in quotes.to_dict("records"):
            if int(quote["paragraph"]) == int(claim["paragraph"]) and claim["claim_text"] in quote["text"]:
                out[claim["id"]] = [quote["speaker"]]
                break
    return out


def claim_reviews(
    claims: pd.DataFrame,
    article: Mapping,
    base_url: str,
    *,
    speakers: Mapping[str, Sequence[str]] | None = None,
    date_published: str = "",
    verdict_labels: Mapping[str, str] = VERDICT_LABELS,
) -> list[dict[str, Any]]:
    """Every claim as a ClaimReview, in the claims' order."""
    speakers = speakers or {}
    return [
        claim_review(
            claim,
            article,
            base_url,
            claim_authors=speakers.get(claim["id"]),
            date_published=date_published,
            verdict_labels=verdict_labels,
        )
        for claim in claims.to_dict("records")
    ]


def claim_reviews_document(reviews: Iterable[Mapping]) -> str:
    """The reviews as one JSON-LD document (a schema.org @graph), UTF-8 text."""
    graph = [{k: v for k, v in review.items() if k != "@context"} for review in reviews]
    return json.dumps({"@context": SCHEMA_CONTEXT, "@graph": graph}, ensure_ascii=False, indent=2)


REVIEW_DATASETS = ("claims", "statements", "paragraphs", *CITED_DATASETS)


def reviews_from(
    frames: Mapping[str, pd.DataFrame], provenances: Mapping[str, Mapping], base_url: str, date_published: str = ""
) -> list[dict[str, Any]]:
    """Every ClaimReview from loaded datasets (``REVIEW_DATASETS``) and their provenance."""
    evidence = evidence_from(frames, {d: provenances[d] for d in CITED_DATASETS})
    article = provenances["paragraphs"].get("article") or {}
    speakers = quoted_speakers(frames["claims"], frames["statements"])
    return claim_reviews(evidence, article, base_url, speakers=speakers, date_published=date_published)


def reviews_from_data(base_url: str, data_dir: Path = DATA_DIR, date_published: str = "") -> list[dict[str, Any]]:
    """Load the datasets and build every ClaimReview (raises DataError when a dataset it needs is broken)."""
    ids = tuple(dict.fromkeys(REVIEW_DATASETS))
    frames = {dataset_id: load_dataset(dataset_id, data_dir) for dataset_id in ids}
    provenances = {dataset_id: read_provenance(dataset_id, data_dir) for dataset_id in ids}
    return reviews_from(frames, provenances, base_url, date_published)


def claims_jsonld(data: Data, base_url: str = "") -> str:
    """Every claim of the article as schema.org ClaimReview JSON-LD (the same records as the Overview's download)."""
    ids = tuple(dict.fromkeys(REVIEW_DATASETS))
    frames = {d: data.frame(d) for d in ids}
    provenances = {d: data.provenance(d) for d in ids}
    return claim_reviews_document(reviews_from(frames, provenances, base_url))
