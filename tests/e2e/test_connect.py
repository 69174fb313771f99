"""A page link connects to the server at once: the page tells Streamlit's frontend where the server is
(server/backend_base.py), so the frontend no longer asks the page's own path first and waits after its 404.

That every page link, cold or warm, asks for the server only at its own address is checked on the page loads of the
walks that open every link anyway (tests/e2e/test_a11y.py, and the phone walk of tests/e2e/test_pages.py, with
tests/e2e/helpers.py's Visit); this file checks the address the script computes for each kind of path."""

from __future__ import annotations

from server import backend_base

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
