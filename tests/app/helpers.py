"""AppTest helpers: open a page from the entrypoint with a link's parameters."""

from pathlib import Path

from policylens.paths import REPO_ROOT

APP = str(Path(REPO_ROOT) / "app.py")


def open_page(app, page: str, **params):
    """Seed the link with ``params``, run the router, switch to ``page``; the run must raise nothing."""
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.switch_page(page).run()
    assert not app.exception
    return app
