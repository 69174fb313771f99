"""AppTest helpers: open a page from the entrypoint with a link's parameters."""

from pathlib import Path

from policylens.paths import REPO_ROOT

# The router script: app.py serves it as an ASGI app (server/), AppTest runs it directly.
APP = str(Path(REPO_ROOT) / "router.py")


def open_page(app, page: str, **params):
    """Open ``page`` fresh from the entrypoint with ``params`` in its link, as a shared link is opened.

    The page is chosen before the first run: a first run on the Overview would make the link canonical for the
    Overview and drop the other page's parameters. The run must raise nothing.
    """
    for key, value in params.items():
        app.query_params[key] = value
    app.switch_page(page).run()
    assert not app.exception
    return app


def open_boxes(app, *keys: str):
    """Open the keyed expanders or popovers ``keys`` (drawn only when opened: chart data, citations, share and cite)
    as a click on each would, and run again."""
    for key in keys:
        app.session_state[key] = True
    app.run()
    assert not app.exception
    return app
