"""Policy Lens as an ASGI app: the router script (router.py) served by Streamlit with the routes and middleware of a
hosted link (server/: link previews, the claims API, compression, security headers).

`streamlit run app.py` finds the App below and serves it with uvicorn; every flag of `streamlit run` still applies.
The server builds its warm-up views and first paints from the app's own data cache (``app_data``), so a page's first
run finds them kept.
"""

from streamlit.starlette import App

import server
from policylens.views.base import Data


def app_data() -> Data:
    """The app's datasets through its cache (components/data.py), for the server."""
    # Imported on the server's first call, the warm-up in its lifespan: Streamlit's caches are made once its runtime
    # exists (this file is loaded before), and the pages' drawing code is imported before the warm-up freezes.
    import components.view  # noqa: F401
    from components.data import app_data as cached

    return cached()


app = App(
    "router.py", routes=server.routes(), middleware=server.middleware(app_data), lifespan=server.lifespan(app_data)
)
