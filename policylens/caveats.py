"""Caveats: the sentences a reader must know about a dataset, and what each applies to.

A caveat is a sentence (text) or an object {"text": ..., "metrics": [...], "qualifiers": [...]}; "metrics" and
"qualifiers" name the values of the dataset's column they apply to. A caveat that names none concerns the whole
dataset. Caveats may be left out. Their shape is checked with the provenance file; whether the values they name are
in the CSV is checked here, against the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

CAVEAT_TARGETS: dict[str, str] = {"metrics": "metric", "qualifiers": "qualifier"}  # key: the column it names


def caveat_text(entry: object) -> str:
    """The sentence of one caveat: the entry itself when it is text, its ``text`` when it is an object ('' when it
    has none: the validator names such an entry)."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, Mapping) and isinstance(entry.get("text"), str):
        return entry["text"]
    return ""


def caveat_texts(prov: Mapping) -> list[str]:
    """Every caveat sentence of a provenance, in order, whatever it applies to (the Sources page, the pack)."""
    caveats = prov.get("caveats") if isinstance(prov, Mapping) else None
    if not isinstance(caveats, list):
        return []
    return [text for text in map(caveat_text, caveats) if text]


def caveat_targets(entry: object, key: str) -> set[str]:
    values = entry.get(key) if isinstance(entry, Mapping) else None
    return {v for v in values if isinstance(v, str) and v} if isinstance(values, list) else set()


def caveats_for(prov: Mapping, metric: str, qualifiers: Iterable[str] = ()) -> list[str]:
    """The caveat sentences that concern ``metric``: those whose ``metrics`` name it, and those whose ``qualifiers``
    name one of ``qualifiers`` (the qualifiers of the rows shown). Plain-text caveats and objects that name neither
    concern the whole dataset and are not among them."""
    caveats = prov.get("caveats") if isinstance(prov, Mapping) else None
    if not isinstance(caveats, list):
        return []
    shown = {q for q in qualifiers if isinstance(q, str) and q}
    return [
        caveat_text(entry)
        for entry in caveats
        if caveat_text(entry)
        and (metric in caveat_targets(entry, "metrics") or shown & caveat_targets(entry, "qualifiers"))
    ]


def caveat_name(number: int, entry: object) -> str:
    """'caveat 3' or 'caveat 3 ("Visitors are not defined…")': how a sentence names an entry of 'caveats'."""
    text = caveat_text(entry).strip()
    if not text:
        return f"caveat {number}"
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f'caveat {number} ("{shown}")'


def caveat_value_problems(prov: Mapping, header: list[str], rows: list[list[str]]) -> list[str]:
    """Each value a caveat's 'metrics' or 'qualifiers' names that no row of the CSV holds in that column (the caveat
    would be shown nowhere)."""
    caveats = prov.get("caveats")
    if not isinstance(caveats, list):
        return []
    file = str(prov.get("file", "the data file"))
    messages = []
    for number, entry in enumerate(caveats, start=1):
        for key, column in CAVEAT_TARGETS.items():
            if column not in header or not caveat_targets(entry, key):
                continue
            index = header.index(column)
            present = {row[index] for row in rows if len(row) > index}
            for value in entry[key]:
                if isinstance(value, str) and value and value not in present:
                    messages.append(
                        f"{caveat_name(number, entry)} applies to the {column} {value!r}, which is not in the "
                        f"'{column}' column of {file}."
                    )
    return messages
