"""deploy/compose.yaml's layout from the image (issue 23; `make test-deploy`): two replicas, nginx (Debian's, built
from deploy/nginx.Dockerfile) with deploy/nginx.conf's settings and Redis (Debian's, built from
deploy/redis.Dockerfile) for the presenter's rooms, every container on the host's network and listening on 127.0.0.1
only, each run with the settings compose.yaml gives it (tests/deploy/layout.py). A presenter on one replica moves a
room that a follower on the other follows, through that Redis, as tests/e2e/test_cluster.py checks for the two
replicas of `make cluster`. One replica is stopped under open pages, and every page comes back to its view, as
that test checks too.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from scripts.cluster import ROUTE_COOKIE, free_port
from tests.deploy import layout
from tests.deploy.containers import Container, docker, get, record, run_id
from tests.e2e.helpers import act, wait_idle
from tests.e2e.test_presenter import room_of, shows, window
from tests.helpers import bundle_path, nginx_routes

LINK = "/expo?edition=6&metric=visitors"
DETAIL = ".st-key-expo-detail-6"
SLOW = 90_000
DISCONNECT_WATCH = """() => {
    window.__disconnected = false;
    const app = document.querySelector('[data-testid=stApp]');
    new MutationObserver(() => {
        if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') window.__disconnected = true;
    }).observe(app, {attributes: true});
}"""


@dataclass
class Layout:
    url: str
    replicas: dict[int, Container] = field(default_factory=dict)  # by port
    nginx: Container | None = None
    redis: Container | None = None
    redis_port: int = 0

    def routes(self) -> list[tuple[str, str, str]]:
        """(request line, upstream, route cookie) of every request nginx has logged so far."""
        return nginx_routes(self.nginx.logs())

    def holder(self, route: str) -> int:
        """The port of the replica that serves the browser holding ``route``."""
        deadline = time.monotonic() + 10
        while True:
            upstreams = {u for _, u, r in self.routes() if r == route and u != "-"}
            if len(upstreams) == 1:
                return int(upstreams.pop().rsplit(":", 1)[1])
            assert time.monotonic() < deadline, upstreams
            time.sleep(0.2)


@pytest.fixture(scope="module")
def hosted(images, tmp_path_factory):
    services = layout.load_compose()["services"]
    apps = sorted(n for n, s in services.items() if s.get("build", {}).get("dockerfile") == "deploy/Dockerfile")
    ports = {layout.compose_port(services[n]): free_port() for n in apps}
    listen = free_port()
    folder = tmp_path_factory.mktemp("nginx")
    conf = folder / "nginx.conf"
    conf.write_text(layout.nginx_conf(ports, listen), encoding="utf-8")
    folder.chmod(0o755)
    conf.chmod(0o644)
    cluster = Layout(url=f"http://127.0.0.1:{listen}", redis_port=free_port())
    # What a user's environment gives compose: one cookie secret, and here the address of the test's Redis (compose
    # interpolates POLICYLENS_REDIS_URL into every replica's environment, as for a Redis of one's own).
    env = {
        "POLICYLENS_COOKIE_SECRET": secrets.token_hex(32),
        "POLICYLENS_REDIS_URL": f"redis://127.0.0.1:{cluster.redis_port}/0",
    }
    rid = run_id()
    try:
        # Redis first, as the replicas would find it under compose (they keep working without it, rooms offline).
        args = layout.compose_run_args(services["redis"], env, ports, {})
        command = layout.redis_command(cluster.redis_port)
        cluster.redis = Container(f"policylens-test-redis-{rid}", images["redis"], args, command=command).start()
        cluster.redis.wait_redis(cluster.redis_port)
        for name in apps:
            args = layout.compose_run_args(services[name], env, ports, {})
            port = ports[layout.compose_port(services[name])]
            replica = Container(f"policylens-test-{name}-{rid}", images["app"], args, url=f"http://127.0.0.1:{port}")
            cluster.replicas[port] = replica.start()
        seconds = [replica.wait_healthy() for replica in cluster.replicas.values()]
        record("time to healthy, compose.yaml's replicas", f"{max(seconds):.1f} s (two starting at once on 2 cores)")
        args = layout.compose_run_args(services["nginx"], env, ports, {"./nginx.conf": str(conf)})
        cluster.nginx = Container(f"policylens-test-nginx-{rid}", images["nginx"], args, url=cluster.url).start()
        cluster.nginx.wait_healthy(timeout=30)
        yield cluster
    finally:
        for container in [*cluster.replicas.values(), cluster.nginx, cluster.redis]:
            if container is not None:
                container.remove()


def test_the_layout_serves_through_nginx(hosted):
    for replica in hosted.replicas.values():  # compose.yaml's user, read-only root and temporary folders
        pid = replica.inspect("{{.State.Pid}}")
        with open(f"/proc/{pid}/status") as status:
            assert next(line for line in status if line.startswith("Uid:")).split()[1:] == ["10001"] * 4
        write = "import sys, pathlib; pathlib.Path(sys.argv[1]).write_text('x')"
        assert docker("exec", replica.name, "python", "-c", write, "/app/probe", check=False).returncode != 0
        for folder in ("/tmp", "/home/policylens"):  # noqa: S108 (the container's folders)
            docker("exec", replica.name, "python", "-c", write, f"{folder}/probe")
    status, headers, html = get(hosted.url + "/expo")
    assert status == 200 and "og:title" in html.decode()
    # nginx's route cookie beside the app's own (the first paint's pl_bundle): every Set-Cookie line, not the first.
    cookies = headers.get_all("Set-Cookie") or []
    assert any(c.startswith(ROUTE_COOKIE + "=") for c in cookies), cookies
    assert any(c.startswith("pl_bundle=") for c in cookies), cookies
    bundle = bundle_path(html.decode())
    request = urllib.request.Request(f"{hosted.url}/{bundle}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip" and "immutable" in response.headers["Cache-Control"]
    status, _, body = get(hosted.url + "/api/claims.json")
    assert status == 200 and json.loads(body)["count"] > 0


def test_a_room_followed_across_the_replicas_through_redis(hosted, browser):
    """The presenter on one replica and a follower on the other, each opened on its replica's own port (two
    processes for sure): the presenter moves a slide and the follower follows, through compose.yaml's Redis; a
    follower who comes through nginx follows as well."""
    one, two = hosted.replicas.values()
    for replica in (one, two):  # compose.yaml's wiring: every replica reads the one Redis
        env = json.loads(replica.inspect("{{json .Config.Env}}"))
        assert f"POLICYLENS_REDIS_URL=redis://127.0.0.1:{hosted.redis_port}/0" in env, env
    redis = hosted.redis
    assert redis.inspect("{{.HostConfig.ReadonlyRootfs}}") == "true"  # compose.yaml's settings, the Dockerfile's user
    assert json.loads(redis.inspect("{{json .HostConfig.CapDrop}}")) == ["ALL"]
    with open(f"/proc/{redis.inspect('{{.State.Pid}}')}/status") as status:
        assert next(line for line in status if line.startswith("Uid:")).split()[1:] == ["10002"] * 4

    windows = [window(browser, 1366, 900), window(browser, 1920, 1080), window(browser, 390, 844)]
    (_, page, _), (_, follower, _), (_, phone, _) = windows
    try:
        page.goto(one.url + "/story?presenter=true")
        wait_idle(page, SLOW)
        code = room_of(page)
        follower.goto(f"{two.url}/story?room={code}")
        wait_idle(follower, SLOW)
        shows(follower, 1, timeout=SLOW)
        expect(follower.get_by_text(f"Following the presenter (room {code})")).to_be_visible()

        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(page, 2)
        shows(follower, 2, timeout=30_000)  # written by replica 1, read by replica 2: through Redis
        # The room is in the Redis container (a hash of the slide and the secret's digest), not in either replica.
        cli = ["exec", redis.name, "redis-cli", "-p", str(hosted.redis_port)]
        assert docker(*cli, "hget", f"policylens:room:{code}", "slide").stdout.strip() == "2"
        status, _, body = get(f"{two.url}/api/rooms/{code}")
        assert status == 200 and json.loads(body) == {"room": code, "slide": 2}

        # A follower through nginx, on whichever replica its cookie gives it, lands on the presenter's slide.
        phone.goto(f"{hosted.url}/story?room={code}")
        wait_idle(phone, SLOW)
        shows(phone, 2, timeout=30_000)
        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(page, 3)
        shows(follower, 3, timeout=30_000)
        shows(phone, 3, timeout=30_000)
        for _, window_page, errors in windows:
            expect(window_page.get_by_test_id("stException")).to_have_count(0)
            assert errors == [], errors
    finally:
        for context, _, _ in windows:
            context.close()


def test_losing_a_replica_under_open_pages(hosted, browser):
    """Pages open on both replicas; one replica stops; every page shows its view again, through the one left."""
    opened = []  # (page, the port of the replica holding it)
    try:
        # New browsers get a random route, hashed to a replica; a replica that failed a request is passed over for
        # nginx's fail_timeout (10 s), so up to 24 tries (about 25 s) before it counts as never balanced (10 tries all
        # landed on one replica once, in a run whose other tests passed).
        while len(opened) < 3 or len({port for _, port in opened}) < 2:
            assert len(opened) < 24, "nginx sent every new browser to one replica"
            page = browser.new_context().new_page()
            page.goto(hosted.url + LINK)
            wait_idle(page, SLOW)
            expect(page.locator(DETAIL)).to_contain_text("6th CIIE, 2023")
            route = next(c["value"] for c in page.context.cookies() if c["name"] == ROUTE_COOKIE)
            opened.append((page, hosted.holder(route)))
        for page, _ in opened:
            page.evaluate(DISCONNECT_WATCH)
        lost = opened[0][1]
        survivor = next(port for port in hosted.replicas if port != lost)
        stopped = time.monotonic()
        docker("stop", "-t", "15", hosted.replicas[lost].name)
        record("stopping a replica (docker stop)", f"{time.monotonic() - stopped:.1f} s")

        # A new visitor gets the page from the replica left.
        status, _, html = get(hosted.url + "/research", timeout=30)
        assert status == 200 and "og:title" in html.decode()

        for page, port in opened:
            if port == lost:
                page.wait_for_function("() => window.__disconnected === true", timeout=30_000)
            wait_idle(page, SLOW)
            expect(page.locator(DETAIL)).to_contain_text("6th CIIE, 2023", timeout=SLOW)
            assert parse_qs(urlparse(page.url).query) == {"edition": ["6"], "metric": ["visitors"]}
            expect(page.get_by_test_id("stException")).to_have_count(0)
            # The page's own requests now reach the replica left.
            assert page.evaluate("async () => (await fetch('/_stcore/health')).status") == 200
            route = next(c["value"] for c in page.context.cookies() if c["name"] == ROUTE_COOKIE)
            deadline = time.monotonic() + 10
            while not any(u.endswith(f":{survivor}") for _, u, r in hosted.routes() if r == route):
                assert time.monotonic() < deadline, [row for row in hosted.routes() if row[2] == route][-5:]
                time.sleep(0.2)
        moved = sum(port == lost for _, port in opened)
        record(
            "failover",
            f"{len(opened)} open pages ({moved} on the stopped replica) back on their view "
            f"{time.monotonic() - stopped:.1f} s after the stop",
        )
        # The stopped replica starts again (as a restart policy would start it) and takes new visitors: the layout
        # is whole again for whatever test runs next.
        replica = hosted.replicas[lost]
        restarted = time.monotonic()
        docker("start", replica.name)
        replica.started = restarted
        record("a stopped replica started again, healthy after", f"{replica.wait_healthy():.1f} s")
    finally:
        for page, _ in opened:
            page.context.close()
