"""The source data is read once per process, not on every rerun or page."""

from collections import Counter

from policylens import datasets


def test_each_dataset_is_loaded_once_across_reruns_and_pages(app, monkeypatch):
    calls = Counter()
    real = datasets.load_dataset

    def counting(dataset_id, data_dir=datasets.DATA_DIR):
        calls[dataset_id] += 1
        return real(dataset_id, data_dir)

    monkeypatch.setattr(datasets, "load_dataset", counting)
    app.run()
    app.run()
    for page in ["app_pages/sources.py", "app_pages/voices.py", "app_pages/expo.py", "app_pages/overview.py"]:
        app.switch_page(page).run()
    assert not app.exception
    assert calls, "the app loaded no dataset"
    assert max(calls.values()) == 1, calls


def test_a_view_is_built_once_per_page_parameters_and_data_version(app):
    from components import view

    view._built.cache_clear()
    for query in ({"metric": ["visitors"]}, {"metric": ["exhibitors"]}, {"metric": ["visitors"]}, {}):
        app.query_params.clear()
        app.query_params.update(query)
        app.switch_page("app_pages/expo.py").run()
        assert not app.exception
    kept = view._built.cache_info()
    assert (kept.misses, kept.hits) == (3, 1), kept  # visitors, exhibitors and the default built; visitors again kept


def test_a_kept_view_still_names_what_its_own_link_dropped(app):
    from components import view

    view._built.cache_clear()
    for junk in ("nonsense", "otherjunk"):
        app.query_params.clear()
        app.query_params.update({"metric": ["visitors"], "edition": [junk]})
        app.switch_page("app_pages/expo.py").run()
        said = " ".join(c.value for c in app.caption)
        assert "edition" in said and junk in said, said
        assert ("nonsense" in said) == (junk == "nonsense")


def test_a_figure_is_coloured_once_and_what_is_drawn_matches_it(app, monkeypatch):
    """The chart card's coloured copy of a kept view's figure is made once, not on every rerun; it goes with its
    figure; and the chart the browser gets is that copy (the neutral text colour on its axes)."""
    import gc
    import json

    import plotly.graph_objects as go

    from components import chart
    from policylens import palette

    made = Counter()
    real = palette.neutral_text

    def counting(fig):
        made[id(fig)] += 1
        return real(fig)

    monkeypatch.setattr(palette, "neutral_text", counting)
    chart._derived.clear()
    app.query_params.update({"metric": ["visitors"]})
    for _ in range(3):
        app.switch_page("app_pages/expo.py").run()
        assert not app.exception
    assert len(made) == 2 and set(made.values()) == {1}, made  # two charts, each coloured once in three runs
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["xaxis"]["tickfont"]["color"] == palette.NEUTRAL_TEXT

    fig = go.Figure(go.Bar(x=[1], y=[1]))
    assert chart.coloured(fig) is chart.coloured(fig)
    assert chart.coloured(go.Figure(fig)) is not chart.coloured(fig)
    before = len(chart._derived)
    del fig
    gc.collect()
    assert len(chart._derived) < before
