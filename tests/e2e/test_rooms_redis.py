"""Rooms across two app processes through Redis (issue 22): the presenter on one replica, a follower on the other,
and Redis stopped and started again under both windows.

Two `streamlit run` servers share a Debian redis-server (scripts/redis_local.py) through POLICYLENS_REDIS_URL, as the
replicas of `make cluster` do; each window talks to its own server directly, so which replica a browser lands on is
not left to nginx's cookie.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from policylens.views import load_deck
from scripts.redis_local import LocalRedis
from tests.e2e.helpers import Server, act, wait_idle
from tests.e2e.test_presenter import position, room_of, shows, window

_, SLIDES = load_deck()
COUNT = len(SLIDES)
OFFLINE = "The room is offline"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    redis = LocalRedis(tmp_path_factory.mktemp("redis")).start()
    env = {"POLICYLENS_DATA_DIR": "", "POLICYLENS_REDIS_URL": redis.url}
    servers = [Server(env).start(), Server(env).start()]
    yield redis, servers
    for server in servers:
        server.stop()
    redis.stop()


def test_a_follower_on_the_other_replica_follows_and_redis_going_away_breaks_neither(replicas, browser):
    redis, (one, two) = replicas
    presenter, page, errors = window(browser, 1366, 900)
    follower_context, follower, follower_errors = window(browser, 1920, 1080)
    try:
        page.goto(one.url + "/story?presenter=true")
        wait_idle(page)
        code = room_of(page)
        follower.goto(f"{two.url}/story?present=true&room={code}")
        wait_idle(follower)
        shows(follower, 1)
        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(follower, 2)  # written by one process, read by the other: through Redis
        expect(page.get_by_text(OFFLINE)).to_have_count(0)

        redis.stop()
        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(page, 3)  # the presenter view keeps working
        expect(page.get_by_text(re.compile(OFFLINE))).to_be_visible(timeout=5_000)  # and says so in one sentence
        expect(page.locator(".st-key-presenter-notes")).to_contain_text(SLIDES[2].notes[:30])
        page.wait_for_timeout(1_500)
        expect(position(follower)).to_have_text(f"2 / {COUNT}")  # the follower keeps its slide
        expect(follower.get_by_test_id("stException")).to_have_count(0)

        redis.start()  # empty: it kept nothing on disk
        shows(follower, 3, timeout=15_000)  # the presenter writes its room again; the follower catches up
        expect(page.get_by_text(re.compile(OFFLINE))).to_have_count(0, timeout=5_000)
        act(page, lambda: page.keyboard.press("ArrowRight"))
        shows(follower, 4)
        assert errors == [] and follower_errors == []
    finally:
        presenter.close()
        follower_context.close()
