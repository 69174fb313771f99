"""Rooms (policylens/rooms.py, server/rooms.py): only the secret moves a room, a code reads the slide number and
nothing else, idle rooms expire, and a lost Redis is one exception the callers handle."""

from __future__ import annotations

import asyncio
import json

import pytest

from policylens import rooms
from policylens.views.story import StoryParams


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_only_the_secret_moves_a_room_and_a_code_reads_the_slide():
    store = rooms.MemoryRooms()
    code, secret = store.create(1)
    assert rooms.normal_code(code) == code and len(secret) >= 32
    assert store.move(code, secret, 4) and store.slide(code) == 4
    assert not store.move(code, "a follower's guess", 9)
    assert not store.move(code, "", 9)
    assert store.slide(code) == 4
    assert store.slide("ZZZZZZ") is None


def test_an_idle_room_expires_and_reading_does_not_keep_it_alive():
    clock = Clock()
    store = rooms.MemoryRooms(clock=clock)
    code, secret = store.create(2)
    clock.now += rooms.IDLE_SECONDS - 1
    assert store.slide(code) == 2
    assert store.move(code, secret, 3)  # the presenter touches it
    clock.now += rooms.IDLE_SECONDS - 1
    assert store.slide(code) == 3
    clock.now += 2
    assert store.slide(code) is None


@pytest.mark.parametrize("text", ["", "ABC23", "ABC2345", "ABC0O1", "<b>x</b>", "ABC 23", "ÅBC234"])
def test_only_room_codes_are_read_from_a_link(text):
    params = StoryParams.from_query({"room": [text]})
    assert params.room == ""
    if text:
        assert [d.name for d in params.dropped] == ["room"]


def test_a_room_code_in_a_link_is_read_in_capitals_and_pinned_links_name_it():
    params = StoryParams.from_query({"room": ["abc234"], "slide": ["3"]})
    assert params.room == "ABC234" and params.dropped == ()
    assert ("room", "ABC234") in params.to_query(pinned=True)
    assert StoryParams().to_query(pinned=True) == [("slide", "1"), ("notes", "false")]  # as before rooms


def test_the_api_answers_the_slide_number_only(monkeypatch):
    from server.rooms import room_api
    from tests.helpers import in_thread

    store = rooms.MemoryRooms()
    monkeypatch.setattr(rooms, "store", lambda: store)
    code, secret = store.create(5)

    class Request:
        def __init__(self, code):
            self.path_params = {"code": code}

    def ask(code):
        # In a thread of its own: in the full run Playwright's sync API keeps an event loop running in this one.
        response = in_thread(asyncio.run, room_api(Request(code)))
        return response.status_code, json.loads(response.body), response.headers["cache-control"]

    assert ask(code) == (200, {"room": code, "slide": 5}, "no-store")
    assert ask(code.lower())[0] == 200
    assert ask("ZZZZZZ")[0] == 404
    assert ask("../../etc")[0] == 404
    assert secret not in json.dumps(ask(code)[1])


def test_a_lost_redis_is_rooms_offline_at_once_for_a_second():
    store = rooms.RedisRooms("redis://127.0.0.1:1/0")  # nothing listens there
    with pytest.raises(rooms.RoomsOffline):
        store.slide("ABC234")
    with pytest.raises(rooms.RoomsOffline):
        store.move("ABC234", "secret", 2)  # within RETRY_AFTER: not even tried
