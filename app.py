"""Policy Lens as an ASGI app: the router script (router.py) served by Streamlit with the routes and middleware of a
hosted link (server/: link previews, the claims API, compression, security headers).

`streamlit run app.py` finds the App below and serves it with uvicorn; every flag of `streamlit run` still applies.
"""

from streamlit.starlette import App

import server

app = App("router.py", routes=server.routes(), middleware=server.middleware(), lifespan=server.lifespan)
