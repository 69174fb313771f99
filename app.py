"""Policy Lens as an ASGI app: the router script (router.py) served by Streamlit with the routes and middleware of a
hosted link (server/: link previews, the claims API, compression, security headers).

`streamlit run app.py` finds the App below and serves it with uvicorn; every flag of `streamlit run` still applies.
The server builds its first paints and warm-up views from the app's own data cache (``app_data``), so a page's first
run finds them kept.
"""

from streamlit.starlette import App

import components.view  # noqa: F401  (the pages' drawing code, imported before the warm-up freezes what is warm)
import server
from components.data import app_data

app = App(
    "router.py", routes=server.routes(), middleware=server.middleware(app_data), lifespan=server.lifespan(app_data)
)
