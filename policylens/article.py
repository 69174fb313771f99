"""The article Policy Lens reads, as data/paragraphs/provenance.json records it (its "article" object).

Its authors, title, publisher and date are written there once; every citation of the article (the share line, the
BibTeX entry, the footer, chart sources, the slides, the pack, search) is made from these names.
"""

from __future__ import annotations

import datetime as dt
import json

from policylens.paths import DATA_DIR

_RECORD = json.loads((DATA_DIR / "paragraphs" / "provenance.json").read_text(encoding="utf-8"))["article"]
_PUBLISHED = dt.date.fromisoformat(_RECORD["published"])

TITLE: str = _RECORD["title"]  # China's efforts in global technological collaboration
AUTHORS: str = " and ".join(_RECORD["authors"])  # Keke Gai and Jing Yu
PUBLISHER: str = _RECORD["publisher"]  # CGTN
PUBLISHED: str = f"{_PUBLISHED.day} {_PUBLISHED:%B %Y}"  # 9 November 2023
# Keke Gai and Jing Yu, CGTN, 9 November 2023
SHORT_CITATION = f"{AUTHORS}, {PUBLISHER}, {PUBLISHED}"
# Keke Gai and Jing Yu, “China's efforts in global technological collaboration”, CGTN, 9 November 2023
CITATION = f"{AUTHORS}, “{TITLE}”, {PUBLISHER}, {PUBLISHED}"
