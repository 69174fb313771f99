"""AI Index research shares: the data helpers of the Research and patents page (pure, no Streamlit).

Editions are never joined into one series: every table is for one edition and carries its data year. Areas not
reported for a measure stay gaps (NaN) with status "not reported"; no residual ("rest of world") is ever computed
here. The figures are built in ``research_figures``, the words in ``research_words``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence

import pandas as pd

from policylens import palette, vocab
from policylens.lru import Lru

DATASET = "ai-research"
DEFAULT_EDITION = "AI Index 2022"
FILINGS_EDITION = "AI Index 2022"  # the edition the article's filings figure comes from

# Publications and citations come in three venue types (the measure ids are "<venue>-<kind>").
VENUES: tuple[str, ...] = ("journal", "conference", "repository")
# Countries (and economies such as EU + UK) first, then a residual such as "Rest of world", then regions.
AREA_TYPE_RANK = {"country": 0, "residual": 1, "region": 2}


def measure_order() -> tuple[str, ...]:
    """Every measure in the contract's order: the first an edition reports is its default measure."""
    return vocab.allowed(DATASET, "measure")


def area_order() -> tuple[str, ...]:
    """Every area in the contract's order: countries and economies first, then regions."""
    return vocab.allowed(DATASET, "area")


def editions(df: pd.DataFrame) -> list[str]:
    return sorted(df["edition"].dropna().unique().tolist())


def measures_in(df: pd.DataFrame, edition: str) -> list[str]:
    """The measures the dataset reports for ``edition``, in a fixed order (so the default measure is stable)."""
    present = set(df.loc[df["edition"] == edition, "measure"].dropna())
    order = measure_order()
    return [m for m in order if m in present] + sorted(present - set(order))


def areas(df: pd.DataFrame) -> list[str]:
    """Every area in the dataset: countries and economies first, then regions."""
    present = set(df["area"].dropna())
    order = area_order()
    return [a for a in order if a in present] + sorted(present - set(order))


def data_year(df: pd.DataFrame, edition: str) -> int | None:
    years = df.loc[df["edition"] == edition, "data_year"].dropna().unique().tolist()
    return int(years[0]) if len(years) == 1 else None


def share_of(df: pd.DataFrame, edition: str, measure: str, area: str) -> float | None:
    """One published share, or None when the dataset has no such row."""
    row = df[(df["edition"] == edition) & (df["measure"] == measure) & (df["area"] == area)]
    return None if row.empty else float(row["share_pct"].iloc[0])


def format_share(value: float | None) -> str:
    """A share as published: at least one decimal (31.0%, 57.0%), two where the source gives two (61.13%)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return palette.NOT_REPORTED
    text = f"{value:.2f}".rstrip("0")
    return (text + "0" if text.endswith(".") else text) + "%"


def venue_measures(kind: str) -> list[str]:
    """The three venue measures of ``kind`` ("publications" or "citations")."""
    return [f"{venue}-{kind}" for venue in VENUES]


def _area_frame(df: pd.DataFrame, edition: str, area_types: Iterable[str]) -> pd.DataFrame:
    """The areas of ``edition`` (of the given area types) in display order, with their type."""
    sub = df[(df["edition"] == edition) & (df["area_type"].isin(list(area_types)))]
    order = {a: i for i, a in enumerate(areas(df))}
    frame = sub[["area", "area_type"]].drop_duplicates("area")
    frame = frame.assign(_o=frame["area"].map(order)).sort_values(["_o"]).drop(columns="_o")
    return frame.reset_index(drop=True)


COLUMNS = [
    "edition",
    "data_year",
    "measure",
    "area",
    "area_type",
    "share_pct",
    "status",
    "source_id",
    "confidence",
    "note",
]


# Tables already made, by the dataset's content, edition and measures: a Research view is built again for every new
# set of highlighted areas, and these tables (about 35 ms of its build) do not depend on them. Kept by content, not
# by version or object, so a changed or different frame never gets another frame's table.
TABLES_KEPT = 64
_tables = Lru(TABLES_KEPT)


def content_key(df: pd.DataFrame) -> str:
    """A digest of a frame's columns, index and values (about 0.5 ms for this dataset)."""
    digest = hashlib.blake2b(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes(), digest_size=16)
    digest.update(repr(list(df.columns)).encode())
    return digest.hexdigest()


def shares_table(df: pd.DataFrame, edition: str, measures: Sequence[str]) -> pd.DataFrame:
    """One row per (area, measure) of ``edition``: the reported share, or NaN with status "not reported".

    The areas are those the edition reports for these measures' area types (a measure that reports no regions
    gets no region rows); countries first, then regions, each in a fixed order. Each call returns its own copy.
    """
    key = (content_key(df), edition, tuple(measures))
    kept = _tables.get(key)
    if kept is None:
        kept = _tables.remember(key, _shares_table(df, edition, measures))
    return kept.copy()


def _shares_table(df: pd.DataFrame, edition: str, measures: Sequence[str]) -> pd.DataFrame:
    sub = df[(df["edition"] == edition) & (df["measure"].isin(list(measures)))]
    area_rows = _area_frame(df, edition, sub["area_type"].dropna().unique())
    rows = []
    for _, area in area_rows.iterrows():
        for measure in measures:
            hit = sub[(sub["area"] == area["area"]) & (sub["measure"] == measure)]
            base = {"edition": edition, "measure": measure, "area": area["area"], "area_type": area["area_type"]}
            if len(hit):
                rec = hit.iloc[0]
                rows.append(
                    base
                    | {
                        "data_year": rec["data_year"],
                        "share_pct": float(rec["share_pct"]),
                        "status": "reported",
                        "source_id": rec["source_id"],
                        "confidence": rec["confidence"],
                        "note": "" if pd.isna(rec["note"]) else rec["note"],
                    }
                )
            else:
                rows.append(
                    base
                    | {
                        "data_year": data_year(df, edition),
                        "share_pct": math.nan,
                        "status": palette.NOT_REPORTED,
                        "source_id": "",
                        "confidence": "",
                        "note": "",
                    }
                )
    return pd.DataFrame(rows, columns=COLUMNS)


def sorted_for_bars(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Countries, then the residual ("Rest of world"), then regions; within each, the largest share first, gaps last."""
    one = table[table["measure"] == measure].copy()
    one["_kind"] = one["area_type"].map(AREA_TYPE_RANK).fillna(len(AREA_TYPE_RANK))
    one["_gap"] = one["share_pct"].isna()
    one = one.sort_values(["_kind", "_gap", "share_pct"], ascending=[True, True, False])
    return one.drop(columns=["_kind", "_gap"]).reset_index(drop=True)


def stack(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Several ``shares_table`` results as one table (for the data view and CSV of a multi-panel chart)."""
    present = [t for t in tables if len(t)]
    return pd.concat(present, ignore_index=True) if present else pd.DataFrame(columns=COLUMNS)


def grant_basis_gap(df: pd.DataFrame, edition: str) -> tuple[float, float] | None:
    """North America's and the United States' shares of granted patents in ``edition``, when both are reported.

    The region and country grant figures may rest on different bases (dossier 6.12): a region far above its
    largest country would leave implausibly many grants to the rest of the region.
    """
    region = share_of(df, edition, "granted-patents", "North America")
    country = share_of(df, edition, "granted-patents", "United States")
    return None if region is None or country is None else (region, country)


def editions_with(df: pd.DataFrame, measure: str) -> list[str]:
    """The editions that report ``measure``, oldest first."""
    return sorted(df.loc[df["measure"] == measure, "edition"].dropna().unique().tolist())
