"""A page link connects to the server at once: the page tells Streamlit's frontend where the server is
(server/backend_base.py), so the frontend no longer asks the page's own path first and waits after its 404."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from server import backend_base
from tests.e2e.helpers import open_page


def test_every_page_link_asks_the_server_only_at_its_own_address(server, page):
    asked: list[str] = []
    sockets: list[str] = []
    page.on("request", lambda request: asked.append(urlsplit(request.url).path))
    page.on("websocket", lambda socket: sockets.append(urlsplit(socket.url).path))
    for path, heading in (
        ("/expo?edition=6", "China International Import Expo (CIIE)"),
        ("/story?slide=3", None),
        ("/sources", "Sources and method"),
        ("/", None),
    ):
        asked.clear()
        sockets.clear()
        open_page(page, server.url + path)
        if heading:
            expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        assert [p for p in asked if p.endswith("/_stcore/health")] == ["/_stcore/health"], path
        assert [p for p in asked if p.endswith("/_stcore/host-config")] == ["/_stcore/host-config"], path
        assert sockets == ["/_stcore/stream"], path


CASES = {
    # path of the link -> the address the frontend is told (None: nothing is told, the frontend finds it itself)
    "/expo": "https://host.example/",
    "/research/": "https://host.example/",
    "/~/+/voices": "https://host.example/~/+/",  # a host that mounts the app under a prefix of its own
    "/policylens/story": "https://host.example/policylens/",  # server.baseUrlPath
    "/": None,
    "/policylens/": None,  # the Overview under a prefix: the path is already the app's
    "/nope": None,
    "/expo/more": None,
}


def test_the_address_is_the_page_paths_parent_and_only_for_the_apps_pages(page):
    seen = {}
    for path in CASES:
        seen[path] = page.evaluate(
            """([source, path]) => {
                const win = {__streamlit: {LIGHT_THEME: {base: 'light'}}};
                new Function('location', 'window', source)({pathname: path, origin: 'https://host.example'}, win);
                return [win.__streamlit.BACKEND_BASE_URL ?? null, win.__streamlit.LIGHT_THEME.base];
            }""",
            [backend_base.script(), path],
        )
    # The embedding configuration a host set is kept beside the address.
    assert seen == {path: [expected, "light"] for path, expected in CASES.items()}
