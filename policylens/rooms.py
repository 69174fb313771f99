"""Rooms: a presenter's slide number, shared with the windows that follow it (issue 22). Pure: no Streamlit.

A room is a short code (``room=`` in a link; not a secret) and a secret that only the presenter's session holds (it
is never written into a link, a page, a preview or a log; the store keeps only its SHA-256). Anyone with the code can
read one thing, the slide number; only the secret moves it. A room no presenter has touched for ``IDLE_SECONDS`` is
gone.

Where rooms live: Redis when ``POLICYLENS_REDIS_URL`` is set (every replica behind nginx sees the same rooms), else a
dictionary in this process (one server). ``RoomsOffline`` is raised when Redis cannot be reached; callers keep
working locally (the presenter view says so in one sentence, followers keep their slide) and try again later.

Changes are pushed, not polled: ``watch(code, callback)`` calls ``callback(slide)`` when the room's slide changes
(in this process: from the presenter's ``move``; in Redis: a message on the room's channel, received by one subscriber
thread per process that fans out to every watcher, so N followers do not hold N connections). After Redis comes back
the subscriber calls every watcher with ``None``: "read the room again", since moves made meanwhile were not heard.
``wait(code, last_slide, timeout)`` blocks until the slide differs from ``last_slide``, on the same notices.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# Letters and digits nobody confuses when reading a code off a screen (no 0/O, 1/I/L).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
IDLE_SECONDS = 6 * 3600  # a room nobody moved or touched for six hours is gone
MAX_ROOMS = 10_000  # in one process: the oldest go first beyond this
RETRY_AFTER = 1.0  # seconds between attempts to reach Redis once it failed
REDIS_TIMEOUT = 0.3  # seconds: a lost Redis costs a follower's poll this much at most, once a second
KEY = "policylens:room:"
CHANNEL = "policylens:room-moved:"  # + code: the new slide number, published when a move changes it
RESUBSCRIBE_SECONDS = 1.0  # the subscriber's pause between attempts to reach a lost Redis

_LOG = logging.getLogger(__name__)
Watcher = Callable[[int | None], None]  # the new slide, or None: "read the room again"


class RoomsOffline(Exception):
    """The rooms' store (Redis) cannot be reached."""


def normal_code(text: str) -> str | None:
    """``text`` as a room code (upper case), or None when it is not one."""
    code = text.strip().upper()
    if len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code):
        return code
    return None


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class _Watchers:
    """Who watches which room, and the blocking ``wait`` built on the same notices. Callbacks run in the thread that
    heard of the change (the presenter's script thread, or the Redis subscriber): they must be quick."""

    def __init__(self):
        self._watchers: dict[str, list[Watcher]] = {}
        self._watch_lock = threading.Lock()

    def watch(self, code: str, callback: Watcher) -> Callable[[], None]:
        """Call ``callback`` on every change of room ``code``; returns the function that stops it."""
        with self._watch_lock:
            self._watchers.setdefault(code, []).append(callback)
        self._watching()

        def unwatch() -> None:
            with self._watch_lock:
                callbacks = self._watchers.get(code, [])
                if callback in callbacks:
                    callbacks.remove(callback)
                if not callbacks:
                    self._watchers.pop(code, None)

        return unwatch

    def _watching(self) -> None:
        """Hook: a watcher was added (Redis starts its subscriber)."""

    def _notify(self, code: str, slide: int | None) -> None:
        with self._watch_lock:
            callbacks = list(self._watchers.get(code, ()))
        for callback in callbacks:
            try:
                callback(slide)
            except Exception:  # one watcher's fault must not silence the others, nor the subscriber
                _LOG.exception("a room watcher failed")

    def _notify_all(self) -> None:
        with self._watch_lock:
            codes = list(self._watchers)
        for code in codes:
            self._notify(code, None)

    def wait(self, code: str, last_slide: int | None, timeout: float) -> int | None:
        """The room's slide as soon as it differs from ``last_slide``, or after ``timeout`` seconds whatever it is.
        ``RoomsOffline`` when the store cannot be read."""
        changed = threading.Event()
        unwatch = self.watch(code, lambda _slide: changed.set())
        try:
            slide = self.slide(code)
            if slide != last_slide:
                return slide
            changed.wait(timeout)
            return self.slide(code)
        finally:
            unwatch()

    def slide(self, code: str) -> int | None:  # pragma: no cover - both stores define it
        raise NotImplementedError


@dataclass
class _Room:
    slide: int
    digest: str
    touched: float


class MemoryRooms(_Watchers):
    """Rooms in this process (one server, no Redis)."""

    def __init__(self, clock=time.monotonic):
        super().__init__()
        self._rooms: dict[str, _Room] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def _live(self, code: str) -> _Room | None:
        room = self._rooms.get(code)
        if room is not None and self._clock() - room.touched > IDLE_SECONDS:
            del self._rooms[code]
            return None
        return room

    def create(self, slide: int = 1) -> tuple[str, str]:
        """A new room at ``slide``: its (code, secret)."""
        secret = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            for code in [c for c, r in self._rooms.items() if now - r.touched > IDLE_SECONDS]:
                del self._rooms[code]
            while len(self._rooms) >= MAX_ROOMS:
                del self._rooms[min(self._rooms, key=lambda c: self._rooms[c].touched)]
            code = new_code()
            while code in self._rooms:
                code = new_code()
            self._rooms[code] = _Room(slide, _digest(secret), now)
        return code, secret

    def move(self, code: str, secret: str, slide: int) -> bool:
        """Set the room's slide (and keep it alive); False when ``secret`` is not the room's. A room that expired
        (or a store that lost it) is made again for the secret's holder."""
        digest = _digest(secret)
        with self._lock:
            room = self._live(code)
            if room is None:
                self._rooms[code] = _Room(slide, digest, self._clock())
                changed = True
            elif not hmac.compare_digest(room.digest, digest):
                return False
            else:
                changed = room.slide != slide
                room.slide, room.touched = slide, self._clock()
        if changed:
            self._notify(code, slide)  # outside the lock: a watcher may read the room
        return True

    def slide(self, code: str) -> int | None:
        """The room's slide number, or None when there is no such room. Reading does not keep a room alive."""
        with self._lock:
            room = self._live(code)
            return room.slide if room else None


class RedisRooms(_Watchers):
    """Rooms in Redis: one hash per room (``slide``, ``digest``), expiring after ``IDLE_SECONDS`` untouched; a move
    that changes the slide is published on the room's channel (``CHANNEL`` + code)."""

    # Set the slide when the digest matches (or the room is gone: made again for the secret's holder); refresh the
    # expiry; publish the slide when it changed. One script, so a move and its notice are atomic whatever the number
    # of replicas: no follower reads the new slide before its notice is sent, or misses it after.
    _MOVE = """
local digest = redis.call('HGET', KEYS[1], 'digest')
if digest and digest ~= ARGV[1] then return 0 end
local old = redis.call('HGET', KEYS[1], 'slide')
redis.call('HSET', KEYS[1], 'slide', ARGV[2], 'digest', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if old ~= ARGV[2] then redis.call('PUBLISH', ARGV[4], ARGV[2]) end
return 1
"""

    def __init__(self, url: str):
        import redis

        self._url = url
        self._redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT, retry_on_timeout=False
        )
        self._errors = (redis.RedisError, OSError)
        self._move = self._redis.register_script(self._MOVE)
        self._failed_at = 0.0
        self._lock = threading.Lock()
        self._subscriber: threading.Thread | None = None
        self._closed = threading.Event()
        super().__init__()

    def _call(self, action):
        """``action()`` against Redis; ``RoomsOffline`` when it fails, at once for a second after a failure."""
        if time.monotonic() - self._failed_at < RETRY_AFTER:
            raise RoomsOffline("Redis was unreachable a moment ago")
        try:
            return action()
        except self._errors as err:
            self._failed_at = time.monotonic()
            raise RoomsOffline(type(err).__name__) from None

    def create(self, slide: int = 1) -> tuple[str, str]:
        secret = secrets.token_urlsafe(24)
        digest = _digest(secret)

        def make() -> str:
            while True:
                code = new_code()
                if self._redis.hsetnx(KEY + code, "digest", digest):
                    self._redis.hset(KEY + code, "slide", slide)
                    self._redis.expire(KEY + code, IDLE_SECONDS)
                    return code

        return self._call(make), secret

    def move(self, code: str, secret: str, slide: int) -> bool:
        args = [_digest(secret), slide, IDLE_SECONDS, CHANNEL + code]
        return bool(self._call(lambda: self._move(keys=[KEY + code], args=args)))

    def slide(self, code: str) -> int | None:
        value = self._call(lambda: self._redis.hget(KEY + code, "slide"))
        return int(value) if value is not None else None

    def _watching(self) -> None:
        with self._lock:
            if self._subscriber is None:
                self._subscriber = threading.Thread(target=self._subscribe, name="policylens-rooms", daemon=True)
                self._subscriber.start()

    def close(self) -> None:
        """Stop the subscriber (tests; a server's store lives as long as its process)."""
        self._closed.set()
        if self._subscriber is not None:
            self._subscriber.join(timeout=5)

    def _subscribe(self) -> None:
        """One connection per process hears every room's moves and calls the watchers of that room. When Redis is
        lost it tries again every ``RESUBSCRIBE_SECONDS``; once back, every watcher is told to read its room again."""
        import redis

        client = redis.Redis.from_url(
            self._url, socket_timeout=5, socket_connect_timeout=REDIS_TIMEOUT, health_check_interval=10
        )
        while not self._closed.is_set():
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.psubscribe(CHANNEL + "*")
                pubsub.get_message(timeout=REDIS_TIMEOUT)  # the subscription's confirmation
                self._notify_all()  # moves made while this process was not listening were not heard
                while not self._closed.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "pmessage":
                        code = message["channel"].decode("utf-8", "replace").removeprefix(CHANNEL)
                        try:
                            slide: int | None = int(message["data"])
                        except ValueError:
                            slide = None
                        self._notify(code, slide)
            except self._errors:
                self._closed.wait(RESUBSCRIBE_SECONDS)
            finally:
                try:
                    pubsub.close()
                except self._errors:
                    pass


_store: MemoryRooms | RedisRooms | None = None
_store_lock = threading.Lock()


def store() -> MemoryRooms | RedisRooms:
    """The rooms of this server: in Redis when ``POLICYLENS_REDIS_URL`` is set, else in this process."""
    global _store
    with _store_lock:
        if _store is None:
            url = os.environ.get("POLICYLENS_REDIS_URL", "").strip()
            _store = RedisRooms(url) if url else MemoryRooms()
        return _store


def where() -> str:
    """Where the rooms live, in words (never the address of the store, which may carry a password)."""
    return "Redis" if isinstance(store(), RedisRooms) else "this server"
