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
