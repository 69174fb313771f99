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
