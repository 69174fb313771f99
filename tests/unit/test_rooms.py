"""Rooms (policylens/rooms.py, server/rooms.py): only the secret moves a room, a code reads the slide number and
nothing else, idle rooms expire, and a lost Redis is one exception the callers handle."""

from __future__ import annotations

import asyncio
import json
import queue
import threading

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


# ------------------------------------------------------------------------------------- wait and notify (pushed rooms)


def test_a_move_notifies_the_room_s_watchers_once_per_change_and_wait_returns_the_new_slide():
    store = rooms.MemoryRooms()
    code, secret = store.create(1)
    other, other_secret = store.create(1)
    heard: list[int | None] = []
    unwatch = store.watch(code, heard.append)
    assert store.move(code, secret, 2)
    assert store.move(code, secret, 2)  # the presenter writing the same slide again (a touch) is no change
    assert not store.move(code, "a follower's guess", 7)  # refused: nobody hears of it
    assert store.move(other, other_secret, 5)  # another room
    assert heard == [2]
    unwatch()
    assert store.move(code, secret, 3) and heard == [2]

    mover = threading.Timer(0.05, store.move, (code, secret, 4))
    mover.start()
    assert store.wait(code, 3, timeout=30) == 4  # woken by the move, long before the timeout
    mover.join()
    assert store.wait(code, 1, timeout=30) == 4  # already different: at once
    assert store.wait(code, 4, timeout=0.01) == 4  # nothing moved: the slide as it is when the wait ends
    assert store.wait("ZZZZZZ", None, timeout=0.01) is None


def test_a_failing_watcher_does_not_silence_the_others():
    store = rooms.MemoryRooms()
    code, secret = store.create(1)
    heard: list[int | None] = []

    def broken(_slide):
        raise RuntimeError("a watcher's bug")

    store.watch(code, broken)
    store.watch(code, heard.append)
    assert store.move(code, secret, 2) and heard == [2]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    from scripts.redis_local import LocalRedis

    server = LocalRedis(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


def test_redis_rooms_notify_the_other_process_and_read_again_after_redis_comes_back(redis_server):
    """Two stores on one Redis stand for two replicas: the presenter's moves on one wake the other's watchers through
    the room's channel; a Redis stopped and started again tells every watcher to read its room again."""
    presenter, replica = rooms.RedisRooms(redis_server.url), rooms.RedisRooms(redis_server.url)
    try:
        code, secret = presenter.create(1)
        heard: queue.Queue = queue.Queue()
        replica.watch(code, heard.put)
        assert heard.get(timeout=30) is None  # subscribed: read the room (nothing was heard before)
        assert presenter.move(code, secret, 2)
        assert heard.get(timeout=30) == 2
        assert presenter.move(code, secret, 2) and not presenter.move(code, "a guess", 9)
        assert presenter.move(code, secret, 3)
        assert heard.get(timeout=30) == 3  # the touch and the refused move published nothing before it
        mover = threading.Timer(0.05, presenter.move, (code, secret, 4))
        mover.start()
        assert replica.wait(code, 3, timeout=30) == 4
        mover.join()
        assert heard.get(timeout=30) == 4  # the watcher heard it too

        redis_server.stop()
        redis_server.start()  # empty: it keeps nothing on disk
        assert heard.get(timeout=30) is None  # back: read the room again (moves made meanwhile were not heard)
        assert presenter.move(code, secret, 5)  # the presenter writes its room again
        assert heard.get(timeout=30) == 5
        assert heard.empty()
    finally:
        presenter.close()
        replica.close()


def test_the_streamlit_internals_that_push_followers_are_there():
    """components/follow_push.py reruns a follower as Streamlit's own "run on save" does. Were an upgrade to rename
    what it uses, followers would quietly fall back to polling: this test says so first."""
    import inspect

    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession

    from components import follow_push

    init = inspect.getsource(AppSession.__init__)
    for name in follow_push._NEEDED:
        assert hasattr(AppSession, name) or f"self.{name}: " in init or f"self.{name} = " in init, name
    assert "self.request_rerun(self._client_state)" in inspect.getsource(AppSession._on_source_file_changed)
    assert callable(Runtime.exists) and callable(Runtime.get_app_session)
    # The pushed rerun's link (components/link.py ``query_string``): the run's address, and the request's field.
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    assert "query_string" in ScriptRunContext.__dataclass_fields__
    assert "query_string" in ClientState.DESCRIPTOR.fields_by_name


def test_a_push_reruns_the_followers_whole_view_at_its_link_even_after_a_fragment_timer():
    """The follower's last request was its room check's timer (a fragment): the push is a whole run all the same, at
    the link the follower's view is at, with its page and widgets."""
    from types import SimpleNamespace

    from streamlit.proto.ClientState_pb2 import ClientState

    from components import follow_push

    last = ClientState(
        query_string="slide=2&room=AB", page_script_hash="story-hash", fragment_id="f1", is_auto_rerun=True
    )
    last.widget_states.widgets.add(id="w1", bool_value=True)
    pushed = follow_push._client_state(
        SimpleNamespace(_client_state=last), follow_push._Follower(3, "story-hash", "slide=3&room=AB")
    )
    assert (pushed.fragment_id, pushed.is_auto_rerun) == ("", False)
    assert (pushed.query_string, pushed.page_script_hash) == ("slide=3&room=AB", "story-hash")
    assert [w.id for w in pushed.widget_states.widgets] == ["w1"]
    assert last.fragment_id == "f1"  # the session's own state is left as it was


# ------------------------------------------------------------------------------------- pairing a phone as a remote


@pytest.fixture(params=["memory", "redis"])
def any_store(request):
    if request.param == "memory":
        yield rooms.MemoryRooms()
        return
    store = rooms.RedisRooms(request.getfixturevalue("redis_server").url)
    yield store
    store.close()


def test_a_right_pin_pairs_a_remote_that_moves_the_room_beside_the_presenter(any_store):
    code, secret = any_store.create(1)
    pin = any_store.pair_pin(code, secret)
    assert rooms.normal_pin(pin) == pin
    remote = any_store.pair(code, pin)
    assert remote and remote != secret
    assert any_store.move(code, remote, 3) and any_store.slide(code) == 3  # the phone moves the room
    assert any_store.move(code, secret, 4) and any_store.slide(code) == 4  # and the presenter still does
    assert not any_store.move(code, "a follower's guess", 9) and any_store.slide(code) == 4
    assert any_store.pair(code, pin) is None  # once: the PIN is used up
    again = any_store.pair_pin(code, remote)  # a paired remote may pair another device
    assert any_store.pair(code, again) not in (None, secret, remote)


def test_only_a_holder_of_the_room_gets_a_pin_and_only_for_its_own_room(any_store):
    code, secret = any_store.create(1)
    other, other_secret = any_store.create(1)
    assert any_store.pair_pin(code, "a follower's guess") is None
    assert any_store.pair_pin(code, other_secret) is None
    assert any_store.pair_pin("ZZZZZZ", secret) is None
    pin = any_store.pair_pin(other, other_secret)
    assert any_store.pair(code, pin) is None  # another room's PIN pairs nothing here
    assert any_store.pair(other, pin) is not None


def test_five_wrong_pins_void_the_pin_and_a_new_pin_voids_the_old(any_store):
    code, secret = any_store.create(1)
    pin = any_store.pair_pin(code, secret)
    wrong = f"{(int(pin) + 1) % 10**6:06d}"
    assert any_store.pin_tries(code) == rooms.PAIR_TRIES
    for left in range(rooms.PAIR_TRIES - 1, 0, -1):
        assert any_store.pair(code, wrong) is None
        assert any_store.pin_tries(code) == left
    assert any_store.pair(code, wrong) is None
    assert any_store.pin_tries(code) == 0
    assert any_store.pair(code, pin) is None  # the right PIN, too late: void after five wrong tries

    first = any_store.pair_pin(code, secret)
    second = any_store.pair_pin(code, secret)
    if first != second:
        assert any_store.pair(code, first) is None  # the older PIN is void
    assert any_store.pair(code, second) is not None


def test_a_pin_lasts_two_minutes():
    clock = Clock()
    store = rooms.MemoryRooms(clock=clock)
    code, secret = store.create(1)
    pin = store.pair_pin(code, secret)
    clock.now += rooms.PAIR_SECONDS + 1
    assert store.pin_tries(code) == 0
    assert store.pair(code, pin) is None
    pin = store.pair_pin(code, secret)
    clock.now += rooms.PAIR_SECONDS - 1
    assert store.pair(code, pin) is not None


def test_redis_keeps_only_digests_and_the_pin_expires_with_its_key(redis_server):
    import redis

    store = rooms.RedisRooms(redis_server.url)
    raw = redis.Redis.from_url(redis_server.url)
    code, secret = store.create(2)
    pin = store.pair_pin(code, secret)
    assert 0 < raw.ttl(rooms.PIN_KEY + code) <= rooms.PAIR_SECONDS
    remote = store.pair(code, pin)
    assert raw.exists(rooms.PIN_KEY + code) == 0  # used up
    stored = b" ".join(k + b" " + v for k, v in raw.hgetall(rooms.KEY + code).items())
    for plain in (secret, remote, pin):
        assert plain.encode() not in stored
    assert rooms._digest(remote).encode() in stored
    assert store.move(code, remote, 6) and store.slide(code) == 6


@pytest.mark.parametrize("text", ["12345", "1234567", "12a456", "１２３４５６", "²²²²²²", ""])
def test_only_six_ascii_digits_are_a_pin(text):
    assert rooms.normal_pin(text) is None
    assert rooms.normal_pin(" 123 456 ") == "123456"
