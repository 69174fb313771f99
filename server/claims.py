"""Machine-readable evidence: ``/api/claims.json`` and the claims as schema.org ClaimReview JSON-LD.

Both come from the same joined table the Overview draws (``policylens.claims.evidence_from``) and the ClaimReview
builder of ``policylens.claimreview``; the API answers with the data version, so a reader can cite what it read.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from policylens import claimreview
from policylens.claims import CITED_DATASETS, VERDICT_LABELS, evidence_from
from policylens.linkpreview import json_ld_script
from policylens.views.base import Data, Unavailable
from server import data, settings

SOURCE_FIELDS = ("source_dataset", "source_key", "source_row", "source_id", "source_title", "publisher", "url")


def _json_value(value: Any) -> Any:
    """A cell as JSON: missing values (NaN, <NA>) become null, numpy scalars plain numbers."""
    if value is None:
        return None
    try:
        if value != value or (isinstance(value, float) and math.isnan(value)):  # NaN
            return None
    except (TypeError, ValueError):  # pandas.NA refuses comparison
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def claims_document(snapshot: Data) -> dict[str, Any]:
    """Every claim with its verdict, the article's and the source's value, and the source it cites."""
    frames = {d: snapshot.frame(d) for d in ("claims", "sources", *CITED_DATASETS)}
    provenances = {d: snapshot.provenance(d) for d in CITED_DATASETS}
    evidence = evidence_from(frames, provenances)
    claims = []
    for row in evidence.to_dict("records"):
        record = {k: _json_value(v) for k, v in row.items() if k not in SOURCE_FIELDS}
        source = {k: _json_value(row[k]) for k in SOURCE_FIELDS}
        record["source"] = source if source["source_dataset"] else None
        claims.append(record)
    return {
        "data_version": snapshot.version,
        "verdicts": VERDICT_LABELS,
        "count": len(claims),
        "claims": claims,
        "license_note": "See /sources?dataset=claims for the provenance and licence of every source.",
    }


_documents: dict[str, bytes] = {}  # the answer, once per data version


async def claims_api(request: Request) -> Response:
    version = data.version()
    body = _documents.get(version)
    if body is None:
        try:
            document = await asyncio.to_thread(claims_document, data.current())
        except Unavailable as err:
            return JSONResponse({"error": err.sentence, "data_version": version}, status_code=503)
        body = _documents[version] = JSONResponse(document).body
    return Response(body, media_type="application/json", headers={"Cache-Control": "public, max-age=300"})


# The block is built once per data version with this stand-in origin, which each request replaces with its own: a
# request with another Host header costs a string replacement, not a rebuild.
BASE_STAND_IN = "https://policylens.invalid"


def claim_reviews_json_ld() -> str:
    """The ClaimReview ``<script type="application/ld+json">`` block of the Overview's head, for ``BASE_STAND_IN``."""
    reviews = claimreview.reviews_from_data(BASE_STAND_IN, settings.data_dir())
    return json_ld_script(json.loads(claimreview.claim_reviews_document(reviews)))
