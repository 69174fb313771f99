"""Rooms: a presenter's slide number, shared with the windows that follow it (issue 22). Pure: no Streamlit.

A room is a short code (``room=`` in a link; not a secret) and a secret that only the presenter's session holds (it
is never written into a link, a page, a preview or a log; the store keeps only its SHA-256). Anyone with the code can
read one thing, the slide number; only the secret moves it. A room no presenter has touched for ``IDLE_SECONDS`` is
gone.

A phone as the presenter's remote (pairing): a holder of the room's secret asks ``pair_pin`` for a six-digit PIN
(shown on the presenter's screen, valid ``PAIR_SECONDS``, once, ``PAIR_TRIES`` wrong tries and it is void); whoever
types it on another device gets from ``pair`` a secret of its own, whose digest the room accepts beside the
presenter's. PINs and secrets are kept as SHA-256 digests only. When the store loses a room (Redis restarted empty,
or six idle hours), the first holder to write makes it again with its own digest; another holder's writes are then
refused (``move`` answers False) until it pairs again.

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
PIN_KEY = "policylens:room-pin:"  # + code: the pairing PIN's digest and its wrong tries, expiring with the PIN
PAIR_SECONDS = 120  # a pairing PIN is valid this long, once
PAIR_TRIES = 5  # ...and void after this many wrong tries
PIN_LENGTH = 6

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


def _pin_digest(code: str, pin: str) -> str:
    """A PIN's digest, salted with its room's code (the same PIN in two rooms is two digests)."""
    return _digest(f"{code}:{pin}")


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))


def normal_pin(text: str) -> str | None:
    """``text`` as a PIN (digits, spaces ignored), or None when it is not one."""
    pin = "".join(str(text).split())
    return pin if len(pin) == PIN_LENGTH and pin.isascii() and pin.isdigit() else None


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
    digests: list[str]  # the presenter's secret's, then each paired remote's
    touched: float
    pin: str = ""  # the live pairing PIN's digest, or ""
    pin_until: float = 0.0
    pin_wrong: int = 0

    def holds(self, digest: str) -> bool:
        return any(hmac.compare_digest(held, digest) for held in self.digests)


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
            self._rooms[code] = _Room(slide, [_digest(secret)], now)
        return code, secret

    def move(self, code: str, secret: str, slide: int) -> bool:
        """Set the room's slide (and keep it alive); False when ``secret`` is not the room's. A room that expired
        (or a store that lost it) is made again for the secret's holder."""
        digest = _digest(secret)
        with self._lock:
            room = self._live(code)
            if room is None:
                self._rooms[code] = _Room(slide, [digest], self._clock())
                changed = True
            elif not room.holds(digest):
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

    def pair_pin(self, code: str, secret: str) -> str | None:
        """A fresh pairing PIN for the room (the one before it is void), or None when ``secret`` is not the room's."""
        pin = new_pin()
        with self._lock:
            room = self._live(code)
            if room is None or not room.holds(_digest(secret)):
                return None
            room.pin, room.pin_until, room.pin_wrong = _pin_digest(code, pin), self._clock() + PAIR_SECONDS, 0
        return pin

    def pair(self, code: str, pin: str) -> str | None:
        """A new secret of the room for the right live PIN (which is then used up), else None (a wrong try)."""
        secret = secrets.token_urlsafe(24)
        with self._lock:
            room = self._live(code)
            if room is None or not room.pin:
                return None
            if self._clock() > room.pin_until:
                room.pin = ""
                return None
            if not hmac.compare_digest(room.pin, _pin_digest(code, pin)):
                room.pin_wrong += 1
                if room.pin_wrong >= PAIR_TRIES:
                    room.pin = ""
                return None
            room.pin = ""
            room.digests.append(_digest(secret))
        return secret

    def pin_tries(self, code: str) -> int:
        """Wrong tries left for the room's live PIN (0 when there is none)."""
        with self._lock:
            room = self._live(code)
            if room is None or not room.pin or self._clock() > room.pin_until:
                return 0
            return PAIR_TRIES - room.pin_wrong


class RedisRooms(_Watchers):
    """Rooms in Redis: one hash per room (``slide``, ``digest`` of the presenter's secret, ``r:<digest>`` of each paired
    remote's), expiring after ``IDLE_SECONDS`` untouched; a move that changes the slide is published on the room's
    channel (``CHANNEL`` + code). A pairing PIN is a hash of its own (``PIN_KEY`` + code: ``digest``, ``wrong``) that
    expires with the PIN."""

    # Set the slide when the digest matches (or the room is gone: made again for the secret's holder); refresh the
    # expiry; publish the slide when it changed. One script, so a move and its notice are atomic whatever the number
    # of replicas: no follower reads the new slide before its notice is sent, or misses it after.
    _MOVE = """
local digest = redis.call('HGET', KEYS[1], 'digest')
if digest and digest ~= ARGV[1] and redis.call('HEXISTS', KEYS[1], 'r:' .. ARGV[1]) == 0 then return 0 end
if not digest then redis.call('HSET', KEYS[1], 'digest', ARGV[1]) end
local old = redis.call('HGET', KEYS[1], 'slide')
redis.call('HSET', KEYS[1], 'slide', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if old ~= ARGV[2] then redis.call('PUBLISH', ARGV[4], ARGV[2]) end
return 1
"""
    # A holder of the room's secret (KEYS[1] the room, ARGV[1] its secret's digest) sets a new PIN (KEYS[2]: ARGV[2]
    # its digest), valid ARGV[3] seconds; the PIN before it is void.
    _PAIR_PIN = """
local digest = redis.call('HGET', KEYS[1], 'digest')
if not digest then return 0 end
if digest ~= ARGV[1] and redis.call('HEXISTS', KEYS[1], 'r:' .. ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], 'digest', ARGV[2], 'wrong', 0)
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
"""
    # A try of PIN digest ARGV[1]: right, the PIN is used up and the new secret's digest ARGV[2] joins the room;
    # wrong, one more wrong try (ARGV[3] of them and the PIN is void). Answers 1 (paired) or 0.
    _PAIR = """
local pin = redis.call('HGET', KEYS[2], 'digest')
if not pin or redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if pin ~= ARGV[1] then
  if redis.call('HINCRBY', KEYS[2], 'wrong', 1) >= tonumber(ARGV[3]) then redis.call('DEL', KEYS[2]) end
  return 0
end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'r:' .. ARGV[2], 1)
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
        self._pair_pin = self._redis.register_script(self._PAIR_PIN)
        self._pair = self._redis.register_script(self._PAIR)
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

    def pair_pin(self, code: str, secret: str) -> str | None:
        pin = new_pin()
        args = [_digest(secret), _pin_digest(code, pin), PAIR_SECONDS]
        made = self._call(lambda: self._pair_pin(keys=[KEY + code, PIN_KEY + code], args=args))
        return pin if made else None

    def pair(self, code: str, pin: str) -> str | None:
        secret = secrets.token_urlsafe(24)
        args = [_pin_digest(code, pin), _digest(secret), PAIR_TRIES]
        paired = self._call(lambda: self._pair(keys=[KEY + code, PIN_KEY + code], args=args))
        return secret if paired else None

    def pin_tries(self, code: str) -> int:
        wrong = self._call(lambda: self._redis.hget(PIN_KEY + code, "wrong"))
        return 0 if wrong is None else max(PAIR_TRIES - int(wrong), 0)

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
