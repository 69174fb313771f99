"""Expo (CIIE): one metric across editions 1 to 8, the chosen editions in detail, deals against exhibitors."""

from __future__ import annotations

from dataclasses import dataclass

from policylens import expo, vocab
from policylens import expo_figures as figures
from policylens import expo_words as words
from policylens.selection import selected_point_ids
from policylens.text import escape_markdown
from policylens.views.base import Chart, Control, Data, Params, Records, Text, View, param


def _metrics() -> tuple[str, ...]:
    return tuple(expo.METRICS)


TITLE = "Expo (CIIE)"  # its name in the navigation (the page registry reads it here)


@dataclass(frozen=True)
class ExpoParams(Params):
    PAGE = "expo"
    edition: tuple[int, ...] = param("choices", (), lambda: expo.EDITIONS, "editions run from 1 to 8")
    metric: str = param("choice", expo.DEFAULT_METRIC, _metrics, "not a metric of the expo dataset")


def _toggle(params: ExpoParams, points) -> ExpoParams:
    clicked = selected_point_ids(points)
    return params.replace(edition=tuple(expo.toggle_editions(params.edition, clicked)))


def edition_labels() -> dict[int, str]:
    return {edition: expo.edition_label(edition, edition + 2017) for edition in expo.EDITIONS}


def build(params: ExpoParams, data: Data) -> View:
    rows = expo.with_sources(data.frame("expo"), data.frame("sources"))
    provenance = data.provenance("expo")
    metric, editions = params.metric, list(params.edition)
    info = expo.METRICS[metric]
    series = expo.metric_series(rows, metric)
    blocks: list = [
        Text(
            "The article cites the **6th CIIE (Shanghai, November 2023)**. Here are the figures of all eight editions "
            "(2018 to 2025) as their sources report them. A figure no source reports is left as a gap, "
            "*not reported*."
        ),
        Control("metric", "Metric", "select", labels={m: vocab.label("expo", "metric", m) for m in expo.METRICS}),
        Control(
            "edition",
            "Editions (the article's is the 6th)",
            "multiselect",
            labels=edition_labels(),
            placeholder="Click bars to choose editions",
        ),
        Chart(
            key="expo_bars",
            figure=figures.expo_bars(series, metric, editions),
            title=f"{info.label}, CIIE editions 1 to 8",
            alt=words.bars_alt(series, metric),
            source=words.source_line(series),
            table=expo.series_table(series, metric),
            csv_name=f"ciie-{metric}.csv",
            caption=(
                "Click a bar to add its edition to the chosen ones (shift-click works too); click it again to remove "
                "it. Bar text is the figure as reported: “+” at least, “~” about, “pre-event” announced before the "
                "edition and not confirmed after it (such figures are reported secondhand); hatched bars marked * are "
                "reported secondhand. The shaded column is the article's edition."
            ),
            click=_toggle,
        ),
    ]
    notes = words.definition_notes(rows, metric)
    if notes:
        blocks.append(
            Text(
                "**Definitions differ between editions**, so the bars do not measure exactly the same thing:\n"
                + "\n".join(f"- {escape_markdown(note)}" for note in notes),
                "warning",
                key="definitions",
            )
        )
    blocks += [
        Text(f":material/info: {escape_markdown(caveat)}", "caption", key=f"caveat-{i}")
        for i, caveat in enumerate(expo.metric_caveats(provenance, series, metric))
    ]
    blocks.append(Text("The chosen editions", "header"))
    blocks.append(
        Records(
            "edition",
            tuple(
                {
                    "edition": edition,
                    "heading": f"{expo.ordinal(edition)} CIIE, {edition + 2017}"
                    + (f" · {words.ARTICLE_NOTE}" if edition == expo.ARTICLE_EDITION else ""),
                    "markdown": words.detail_markdown(rows[rows["edition"] == edition]),
                }
                for edition in editions
            ),
            key="expo-detail",
            empty="Click bars or points (each click adds or removes an edition), or pick editions above, to see every "
            "figure of an edition with its definition, source and confidence.",
        )
    )
    pairs, not_plotted = expo.scatter_pairs(rows)
    blocks.append(
        Chart(
            key="expo_scatter",
            figure=figures.expo_scatter(pairs, editions),
            title="Intended deals against exhibitors",
            alt=words.scatter_alt(pairs),
            source=words.scatter_source_line(rows),
            table=pairs,
            csv_name="ciie-deals-exhibitors.csv",
            caption="One point per edition; the diamond is the article's edition; * marks a secondhand figure. "
            "Click a point to add or remove its edition.",
            click=_toggle,
            heading="Deals against exhibitors",
        )
    )
    if not_plotted:
        blocks.append(
            Text(
                "Not plotted (deals or exhibitors not reported): "
                + ", ".join(escape_markdown(expo.ordinal(e)) + " edition" for e in not_plotted)
            )
        )
    chosen = ", ".join(edition_labels()[e] for e in editions)
    summary = f"{info.label} ({info.axis}) at the China International Import Expo, editions 1 to 8" + (
        f"; chosen: {chosen}." if chosen else "."
    )
    return View("China International Import Expo (CIIE)", params, tuple(blocks), summary)
